// citeproc-js itself: engines (built once per style and locale), the run
// that renders every citation cluster and the reference list, and the search
// for the entry that breaks a run. Plain data in, plain data out, so the same
// code runs on the formatting thread (format-thread.ts) or, without one, in
// the main thread.
import { citeproc } from '../core/lazy-modules.js';
import type { CslItem } from '../resolve/csl-item.js';
import { canRenderDirectly, renderClustersDirectly, type CiteprocCitation } from './direct-clusters.js';
import { orderAsPandoc } from './pandoc-order.js';
import { localeXml } from './locales.js';
import { registerTypstFormat, TYPST_FORMAT } from './typst-output-format.js';

export interface CiteprocRequest {
  styleXml: string;
  localeTag: string;
  /** Every item the run may ask for: the cited ones and those listed uncited. */
  items: Record<string, CslItem>;
  /** In document order. */
  clusters: CiteprocCitation[];
  uncited: string[];
}

export interface CiteprocRun {
  /** [citationID, noteIndex, markup] per cluster that could be formatted. */
  rendered: [string, number, string][];
  /** Clusters citeproc-js failed on, with its message (found one by one after a failed run). */
  failures: { citationID: string; message: string }[];
  bibliography: { hangingIndent: boolean; entries: { key: string; markup: string }[] } | null;
  bibliographyError?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- citeproc-js ships no types
type Engine = any;

interface PooledEngine {
  engine: Engine;
  items: Record<string, CslItem>;
}

function createEngine(styleXml: string, localeTag: string): PooledEngine {
  registerTypstFormat();
  const pooled: PooledEngine = { engine: null, items: {} };
  const sys = {
    retrieveLocale: (lang: string) => localeXml(lang),
    // citeproc-js mutates the items it is given.
    retrieveItem: (id: string) => structuredClone(pooled.items[id]),
  };
  pooled.engine = new (citeproc().Engine)(sys, styleXml, localeTag, true);
  pooled.engine.opt.development_extensions.wrap_url_and_doi = true;
  pooled.engine.setOutputFormat(TYPST_FORMAT);
  return pooled;
}

/**
 * Building an engine is most of a cold build's formatting (APA: about half a
 * second), so one engine per style and locale lives as long as the thread
 * and is pointed at the current items before each run (what watch relies on).
 */
const enginePool = new Map<string, PooledEngine>();

function pooledEngine(styleXml: string, localeTag: string): PooledEngine {
  const id = `${localeTag}\0${styleXml}`;
  let pooled = enginePool.get(id);
  if (!pooled) {
    pooled = createEngine(styleXml, localeTag);
    enginePool.set(id, pooled);
  }
  return pooled;
}

/** Builds the engine ahead of the first run (the formatting thread does this while the chapters parse). */
export function prepareEngine(styleXml: string, localeTag: string): void {
  pooledEngine(styleXml, localeTag);
}

export function runCiteproc(request: CiteprocRequest): CiteprocRun {
  const pooled = pooledEngine(request.styleXml, request.localeTag);
  pooled.items = request.items;
  const engine = pooled.engine;
  engine.updateItems([]); // forget items from the previous run
  engine.updateUncitedItems([]);

  const run: CiteprocRun = { rendered: [], failures: [], bibliography: null };
  try {
    orderAsPandoc(engine, request.clusters);
    run.rendered = canRenderDirectly(engine) ? renderClustersDirectly(engine, request.clusters) : engine.rebuildProcessorState(request.clusters, TYPST_FORMAT);
  } catch {
    // Find the clusters that break formatting, one by one, on a fresh engine.
    const probe = createEngine(request.styleXml, request.localeTag);
    probe.items = request.items;
    for (const cluster of request.clusters) {
      try {
        const [, result] = probe.engine.processCitationCluster(cluster, [], []);
        for (const [, markup, id] of result as [number, string, string][]) if (id === cluster.citationID) run.rendered.push([id, cluster.properties.noteIndex, markup]);
      } catch (error) {
        run.failures.push({ citationID: cluster.citationID, message: (error as Error).message.split('\n')[0] });
      }
    }
  }

  try {
    if (request.uncited.length) engine.updateUncitedItems(request.uncited);
    const result = engine.makeBibliography();
    if (result) {
      const [params, entries] = result as [{ entry_ids: string[][]; hangingindent?: number }, string[]];
      run.bibliography = {
        hangingIndent: Boolean(params.hangingindent),
        entries: entries.map((markup, index) => ({ key: params.entry_ids[index][0], markup })),
      };
    }
  } catch (error) {
    run.bibliographyError = (error as Error).message.split('\n')[0];
  }
  return run;
}
