// The order of the works in one citation, as Pandoc gives it: an item with a
// prefix or a suffix of its own ("see", "also", ", for example") stays where
// the writer put it, and only the runs of items between such items are sorted
// by the style's citation sort. citeproc-js sorts the whole cluster, which
// tears "see" and "also" away from the works they introduce:
// `[see @foucault1977, pp. 170–172; also @doe2024]` came out as
// "(also Doe, 2024; see Foucault, 1977, pp. 170–172)". The rule is Pandoc's
// (jgm/citeproc groups the items so that a prefix starts a group and a
// suffix ends one; Pandoc 3 leaves items with either in place), checked
// against pandoc-wasm in tests/citation-order.test.ts.
import { citeproc } from '../core/lazy-modules.js';
import type { CiteprocCitation } from './direct-clusters.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- citeproc-js internals are untyped */

/** Reorders the clusters that hold an item keeping its place, sorting the runs between with the engine's own keys; marks them sorted. */
export function orderAsPandoc(engine: any, clusters: CiteprocCitation[]): void {
  const affected = clusters.filter((cluster) => cluster.properties.keepPlace?.some(Boolean) && cluster.citationItems.length > 1);
  if (affected.length === 0 || engine.citation_sort.tokens.length === 0) return;
  const CSL = citeproc() as any;
  // Sort keys (citation numbers among them) need the items registered in citation order.
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const cluster of clusters) for (const item of cluster.citationItems) if (!seen.has(item.id)) ids.push(item.id), seen.add(item.id);
  engine.updateItems(ids);
  const keysOf = new Map<string, unknown[]>();
  const keys = (id: string) => {
    let known = keysOf.get(id);
    if (!known) keysOf.set(id, (known = CSL.getSortKeys.call(engine, engine.retrieveItem(id), 'citation_sort') as unknown[]));
    return known;
  };
  for (const cluster of affected) {
    const keep = cluster.properties.keepPlace!;
    const ordered: typeof cluster.citationItems = [];
    let run: typeof cluster.citationItems = [];
    const flush = () => {
      const pairs = run.map((item) => [engine.retrieveItem(item.id), { ...item, sortkeys: [...keys(item.id)] }] as [any, any]);
      pairs.sort(engine.citation.srt.compareCompositeKeys);
      ordered.push(...pairs.map(([, item]) => {
        const { sortkeys: _sortkeys, ...plain } = item;
        return plain;
      }));
      run = [];
    };
    cluster.citationItems.forEach((item, index) => {
      if (keep[index]) {
        flush();
        ordered.push(item);
      } else run.push(item);
    });
    flush();
    cluster.citationItems = ordered;
    cluster.properties.unsorted = true;
  }
}
