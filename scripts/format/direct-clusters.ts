// Rendering citation clusters without citeproc-js's position bookkeeping.
//
// rebuildProcessorState() calls processCitationCluster() once per cluster,
// and every call walks all the clusters before it to update positions
// (first / subsequent / ibid) and re-renders the ones whose position changed:
// quadratic, about 0.6 s of a 1,000-citation thesis. When the engine itself
// says no part of the style depends on position (update_mode is not
// POSITION, which citeproc-js sets for any position test, near-note or
// et-al-subsequent rule) and the style is not a note style, a cluster renders
// the same wherever it stands once every cited item is registered, so each
// cluster is rendered once, directly, and identical clusters only once.
// The steps below are citeproc-js's own, taken from processCitationCluster
// (item preparation, sorting, grouped sort) in the same order.
import { citeproc } from '../core/lazy-modules.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- citeproc-js internals are untyped */

export interface CiteprocCitationItem {
  id: string;
  locator?: string;
  label?: string;
  prefix?: string;
  suffix?: string;
  'suppress-author'?: boolean;
  'author-only'?: boolean;
}

export interface CiteprocCitation {
  citationID: string;
  citationItems: CiteprocCitationItem[];
  properties: {
    noteIndex: number;
    mode?: string;
    index?: number;
    /** Set when the order is decided before citeproc-js sees the cluster (pandoc-order.ts). */
    unsorted?: boolean;
    /** Per item: it has a prefix or a suffix of its own, so it keeps its place, as in Pandoc. */
    keepPlace?: boolean[];
  };
}

/** True when `renderClustersDirectly` gives what rebuildProcessorState gives. */
export function canRenderDirectly(engine: any): boolean {
  const CSL = citeproc() as any;
  return engine.opt.update_mode !== CSL.POSITION && engine.opt.xclass !== 'note' && !engine.opt.parallel?.enable && !engine.opt.development_extensions.consolidate_legal_items;
}

/** [citationID, noteIndex, markup] per cluster, in document order, like rebuildProcessorState. */
export function renderClustersDirectly(engine: any, clusters: CiteprocCitation[]): [string, number, string][] {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const cluster of clusters) for (const item of cluster.citationItems) if (!seen.has(item.id)) ids.push(item.id), seen.add(item.id);
  // Registers the items in citation order (citation numbers) and disambiguates them.
  engine.updateItems(ids);
  engine.registry.citationreg.citationById = {};
  const rendered = new Map<string, string>();
  const sortKeys = new SortKeys(engine);
  return clusters.map((cluster, index) => {
    const key = JSON.stringify([cluster.citationItems, cluster.properties.mode ?? null]);
    let markup = rendered.get(key);
    if (markup === undefined) {
      markup = renderCluster(engine, cluster, index, sortKeys);
      rendered.set(key, markup);
    }
    return [cluster.citationID, cluster.properties.noteIndex, markup];
  });
}

/**
 * An item's citation sort keys and author string depend on the item and the
 * registry only, and the registry does not change while clusters render.
 */
class SortKeys {
  private keys = new Map<string, unknown[]>();
  private authors = new Map<string, string>();
  constructor(private readonly engine: any) {}

  of(Item: any): unknown[] {
    const known = this.keys.get(Item.id);
    if (known) return known;
    const keys = (citeproc() as any).getSortKeys.call(this.engine, Item, 'citation_sort') as unknown[];
    this.keys.set(Item.id, keys);
    return keys;
  }

  authorOf(Item: any): string {
    let author = this.authors.get(Item.id);
    if (author === undefined) {
      this.engine.tmp.authorstring_request = true;
      (citeproc() as any).getAmbiguousCite.call(this.engine, Item, this.engine.registry.registry[Item.id].disambig);
      author = this.engine.registry.authorstrings[Item.id] as string;
      this.engine.tmp.authorstring_request = false;
      this.authors.set(Item.id, author);
    }
    return author;
  }
}

function renderCluster(engine: any, citation: CiteprocCitation, index: number, sortKeys: SortKeys): string {
  const CSL = citeproc() as any;
  engine.tmp.loadedItemIDs = {};
  engine.tmp.citation_errors = [];
  engine.registry.return_data = { bibchange: false };
  citation.properties.index = index;
  engine.registry.citationreg.citationById[citation.citationID] = citation;

  const sortedItems: [any, any][] = citation.citationItems.map((raw) => {
    const Item = engine.retrieveItem(String(raw.id));
    if (Item.id) engine.transform.loadAbbreviation('default', 'hereinafter', Item.id, Item.language);
    let item: any = { ...raw };
    item = CSL.parseLocator.call(engine, item);
    if (engine.opt.development_extensions.locator_label_parse && item.locator && !['bill', 'gazette', 'legislation', 'regulation', 'treaty'].includes(Item.type) && (!item.label || item.label === 'page')) {
      const m = CSL.LOCATOR_LABELS_REGEXP.exec(item.locator);
      if (m) {
        const tryLabel = CSL.LOCATOR_LABELS_MAP[m[2]];
        if (engine.getTerm(tryLabel)) {
          item.label = tryLabel;
          item.locator = m[3];
        }
      }
    }
    return [Item, item];
  });

  if (sortedItems.length > 1 && engine.citation_sort.tokens.length > 0 && !citation.properties.unsorted) {
    for (const sorted of sortedItems) sorted[1].sortkeys = [...sortKeys.of(sorted[0])];
    if (engine.opt.grouped_sort && !engine.opt.citation_number_sort) groupByAuthor(engine, sortedItems, sortKeys);
    sortedItems.sort(engine.citation.srt.compareCompositeKeys);
  }
  (citation as any).sortedItems = sortedItems;

  engine.tmp.citation_pos = index;
  engine.tmp.citation_note_index = citation.properties.noteIndex;
  engine.tmp.citation_id = citation.citationID;
  return engine.process_CitationCluster(sortedItems, citation);
}

/** citeproc-js's grouped sort: works by the same author stay together (collapse="year"). */
function groupByAuthor(engine: any, sortedItems: [any, any][], sortKeys: SortKeys): void {
  for (const [Item, item] of sortedItems) item.sortkeys = [sortKeys.authorOf(Item), ...item.sortkeys];
  sortedItems.sort(engine.citation.srt.compareCompositeKeys);
  let lastAuthor: unknown = false;
  let thisKey: unknown = false;
  sortedItems.forEach(([, item], i) => {
    if (item.sortkeys[0] !== lastAuthor) thisKey = item.sortkeys[1];
    lastAuthor = item.sortkeys[0];
    item.sortkeys[0] = `${thisKey}${i}`;
  });
}
