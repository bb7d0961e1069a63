// The format stage: citeproc-js formats every citation cluster in document
// order (so disambiguation, "et al." rules and ibid work) and the reference
// list, straight into Typst markup.
import { citeproc } from '../lazy-modules.js';
import type { PhrasingContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { Bibliography } from '../resolve/bibliography.js';
import type { CitationUse } from '../resolve/citations.js';
import type { CslItem } from '../resolve/csl-item.js';
import { escapeMarkup, guardAfterCalls, keepLocatorTogether, typstLabel } from '../render/escape.js';
import { parseLocator } from './locator.js';
import { localeFor, localeXml, type CitationStyle } from './styles.js';
import { registerTypstFormat, TYPST_FORMAT } from './typst-output-format.js';
import { canRenderDirectly, renderClustersDirectly, type CiteprocCitation, type CiteprocCitationItem } from './direct-clusters.js';

export interface Reference {
  key: string;
  /** Typst markup of the formatted entry. */
  markup: string;
}

export interface FormattedCitations {
  /** Typst markup for each citation id. */
  citations: Map<string, string>;
  references: Reference[];
  hangingIndent: boolean;
  diagnostics: Diagnostic[];
}

export interface FormatOptions {
  style: CitationStyle;
  lang: string;
  linkCitations: boolean;
  /** Keys to list without citing; `*` lists every entry. */
  nocite: string[];
}

export function referenceLabel(key: string): string {
  return typstLabel(`ref-${key}`);
}

/** Placeholder for a key that is not in the bibliography: visible, never silent. */
export function missingCitationMarkup(key: string): string {
  return `#text(fill: red.darken(20%))[*?${escapeMarkup(key)}*]`;
}

function createEngine(options: FormatOptions, bibliography: Bibliography) {
  registerTypstFormat();
  const locale = localeFor(options.lang);
  const sys = {
    retrieveLocale: (lang: string) => localeXml(localeFor(lang).tag),
    retrieveItem: (id: string) => cleanItem(bibliography.entries.get(id)!.item),
  };
  const engine = new (citeproc().Engine)(sys, options.style.xml, locale.tag, true);
  engine.opt.development_extensions.wrap_url_and_doi = true;
  engine.setOutputFormat(TYPST_FORMAT);
  return engine;
}

/**
 * Building an engine costs most of a cold build (APA: about 0.7 s), so one
 * engine per style and locale is kept for the life of the process and pointed
 * at the current bibliography before each use (what watch relies on).
 */
const enginePool = new Map<string, ReturnType<typeof createEngine>>();

function pooledEngine(options: FormatOptions, bibliography: Bibliography) {
  const id = `${localeFor(options.lang).tag}\0${options.style.xml}`;
  let engine = enginePool.get(id);
  if (!engine) {
    engine = createEngine(options, bibliography);
    enginePool.set(id, engine);
    return engine;
  }
  engine.sys.retrieveItem = (key: string) => cleanItem(bibliography.entries.get(key)!.item);
  engine.updateItems([]); // forget items from the previous bibliography
  engine.updateUncitedItems([]);
  return engine;
}

/** citeproc-js mutates items and trips over a few citation-js leftovers. */
function cleanItem(item: CslItem): CslItem {
  const copy = structuredClone(item);
  delete copy._graph;
  return copy;
}

/** Rich prefixes and suffixes are handed to citeproc in its mini-HTML. */
function affixHtml(nodes: PhrasingContent[]): string {
  return nodes
    .map((node) => {
      const text = (value: string) => value.replace(/</g, '\u2039').replace(/>/g, '\u203a');
      switch (node.type) {
        case 'text':
          return text(node.value);
        case 'emphasis':
          return `<i>${affixHtml(node.children)}</i>`;
        case 'strong':
          return `<b>${affixHtml(node.children)}</b>`;
        default:
          return text(toString(node));
      }
    })
    .join('');
}

// Links from a citation to its reference entry: citeproc renders each item
// between its prefix and suffix, so markers placed there (private-use
// characters, which survive escaping) are replaced by `#link(<ref-…>)[…]`.
const LINK_OPEN = '\uE000';
const LINK_KEY_END = '\uE002';
const LINK_CLOSE = '\uE001';

function resolveLinkMarkers(markup: string, keys: string[]): string {
  return markup
    .replace(/\uE000(\d+)\uE002\s*/g, (_m, index: string) => `#link(<${referenceLabel(keys[Number(index)])}>)[`)
    .replace(/\s*\uE001/g, ']');
}

function toCiteprocItem(item: CitationUse['node']['items'][number], linkIndex: number | null): CiteprocCitationItem {
  const out: CiteprocCitationItem = { id: item.key };
  const prefix = affixHtml(item.prefix);
  const open = linkIndex === null ? '' : `${LINK_OPEN}${linkIndex}${LINK_KEY_END}`;
  if (prefix || open) out.prefix = (prefix ? prefix + ' ' : '') + open;
  let suffix = item.suffix;
  const first = suffix[0];
  if (first?.type === 'text') {
    const locator = parseLocator(first.value);
    if (locator) {
      out.locator = locator.locator;
      out.label = locator.label;
      suffix = locator.rest.trim() ? [{ type: 'text', value: locator.rest }, ...suffix.slice(1)] : suffix.slice(1);
    }
  }
  const suffixHtml = affixHtml(suffix);
  const close = linkIndex === null ? '' : LINK_CLOSE;
  if (suffixHtml.trim()) out.suffix = close + (/^[\s,;.:]/.test(suffixHtml) ? suffixHtml : ' ' + suffixHtml);
  else if (close) out.suffix = close;
  if (item.mode === 'suppress-author') out['suppress-author'] = true;
  return out;
}

/** True when formatted markup has no visible text (the style rendered nothing). */
function rendersNothing(markup: string): boolean {
  return markup.replace(/#[a-z.]+(\([^)]*\))?/g, '').replace(/[\\[\]\s.,;:()<>]/g, '') === '';
}

export function formatCitations(
  uses: CitationUse[],
  bibliography: Bibliography,
  options: FormatOptions,
): FormattedCitations {
  const diagnostics: Diagnostic[] = [];
  const citations = new Map<string, string>();
  const known = (key: string) => bibliography.entries.has(key);

  const clusters: CiteprocCitation[] = [];
  const clusterOf = new Map<string, CitationUse>();
  const linkKeys: string[] = [];
  const linkIndex = new Map<string, number>();
  const indexOf = (key: string) => {
    if (!options.linkCitations) return null;
    if (!linkIndex.has(key)) linkIndex.set(key, linkKeys.push(key) - 1);
    return linkIndex.get(key)!;
  };
  for (const use of uses) {
    const items = use.node.items.filter((item) => known(item.key)).map((item) => toCiteprocItem(item, indexOf(item.key)));
    if (items.length === 0) continue;
    const inText = !use.node.bracketed && use.node.items.length === 1 && use.node.items[0].mode === 'in-text';
    const citation: CiteprocCitation = {
      citationID: use.id,
      citationItems: items,
      properties: { noteIndex: use.noteIndex, ...(inText ? { mode: 'composite' } : {}) },
    };
    clusters.push(citation);
    clusterOf.set(use.id, use);
  }

  const reportedEmpty = new Set<string>();
  const reportEmptyEntry = (key: string) => {
    if (reportedEmpty.has(key)) return;
    reportedEmpty.add(key);
    const entry = bibliography.entries.get(key)!;
    diagnostics.push(
      diagnostic('bib-unformattable', `entry "${key}" renders as nothing in ${options.style.name}; it lacks the fields the style prints (author, title, date, …)`, {
        file: entry.file,
        line: entry.line,
        column: entry.column,
      }),
    );
  };
  const reportEmpty = (use: CitationUse) => {
    for (const item of use.node.items) if (known(item.key)) reportEmptyEntry(item.key);
  };

  const engine = pooledEngine(options, bibliography);
  let rendered: [string, number, string][] = [];
  try {
    rendered = canRenderDirectly(engine) ? renderClustersDirectly(engine, clusters) : engine.rebuildProcessorState(clusters, TYPST_FORMAT);
  } catch {
    // Find the entry that breaks formatting, cluster by cluster.
    rendered = [];
    const probe = createEngine(options, bibliography);
    for (const cluster of clusters) {
      try {
        const [, result] = probe.processCitationCluster(cluster, [], []);
        for (const [, markup, id] of result as [number, string, string][]) if (id === cluster.citationID) rendered.push([id, cluster.properties.noteIndex, markup]);
      } catch (error) {
        const use = clusterOf.get(cluster.citationID)!;
        for (const item of cluster.citationItems) {
          const entry = bibliography.entries.get(item.id)!;
          diagnostics.push(
            diagnostic('bib-unformattable', `entry "${item.id}" cannot be formatted in ${options.style.name}: ${(error as Error).message.split('\n')[0]}`, {
              file: entry.file,
              line: entry.line,
              column: entry.column,
            }, {
              related: { file: use.file, line: use.node.position?.start.line ?? 1, column: use.node.position?.start.column ?? 1, message: 'cited here' },
            }),
          );
        }
      }
    }
  }
  for (const [id, , markup] of rendered) {
    citations.set(id, keepLocatorTogether(guardAfterCalls(resolveLinkMarkers(markup, linkKeys))));
    if (rendersNothing(markup.replace(/\uE000\d+\uE002|\uE001/g, ''))) reportEmpty(clusterOf.get(id)!);
  }

  // Unknown keys keep a visible placeholder in place of (or beside) the citation.
  for (const use of uses) {
    const missing = use.node.items.filter((item) => !known(item.key));
    if (missing.length === 0) continue;
    const placeholders = missing.map((item) => missingCitationMarkup(item.key)).join('; ');
    const existing = citations.get(use.id);
    citations.set(use.id, existing ? `${existing} ${placeholders}` : use.node.bracketed ? `(${placeholders})` : placeholders);
  }

  const nocite = options.nocite.map((k) => k.replace(/^@/, ''));
  const uncited = nocite.includes('*') ? [...bibliography.entries.keys()] : nocite.filter(known);
  let references: Reference[] = [];
  let hangingIndent = false;
  try {
    if (uncited.length) engine.updateUncitedItems(uncited);
    const bibliographyResult = engine.makeBibliography();
    if (bibliographyResult) {
      const [params, entries] = bibliographyResult as [{ entry_ids: string[][]; hangingindent?: number }, string[]];
      hangingIndent = Boolean(params.hangingindent);
      references = entries.map((markup, index) => ({ key: params.entry_ids[index][0], markup: guardAfterCalls(markup.trim()) }));
      for (const reference of references) if (rendersNothing(reference.markup)) reportEmptyEntry(reference.key);
    }
  } catch (error) {
    diagnostics.push(diagnostic('bib-unformattable', `the reference list cannot be formatted: ${(error as Error).message.split('\n')[0]}`, {}));
  }
  return { citations, references, hangingIndent, diagnostics };
}
