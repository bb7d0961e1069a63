// The format stage: citeproc-js formats every citation cluster in document
// order (so disambiguation, "et al." rules and ibid work) and the reference
// list, straight into Typst markup. This module turns citations into
// citeproc's input and its output into markup and diagnostics; citeproc-js
// itself runs on the formatting thread (format-thread.ts, citeproc-engine.ts).
import type { PhrasingContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { Bibliography } from '../resolve/bibliography.js';
import type { CitationUse } from '../resolve/citations.js';
import { withoutParseGraph, type CslItem } from '../resolve/csl-item.js';
import { escapeMarkup, guardAfterCalls, keepLocatorTogether, referenceLabel } from '../core/typst-syntax.js';
import { parseLocator } from './locator.js';
import { smartPunctuation } from '../core/typography.js';
import type { CitationStyle } from './styles.js';
import type { CiteprocCitation, CiteprocCitationItem } from './direct-clusters.js';
import type { CiteprocRun } from './citeproc-engine.js';
import { formatOnThread } from './format-thread.js';

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

/** Placeholder for a key that is not in the bibliography: visible, never silent. */
export function missingCitationMarkup(key: string): string {
  return `#text(fill: red.darken(20%))[*?${escapeMarkup(key)}*]`;
}

/** Rich prefixes and suffixes are handed to citeproc in its mini-HTML. */
function affixHtml(nodes: PhrasingContent[]): string {
  return nodes
    .map((node) => {
      const text = (value: string) => smartPunctuation(value).replace(/</g, '\u2039').replace(/>/g, '\u203a');
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
// characters, which survive escaping) are replaced by `#link(<ref-…>)[…]`,
// or dropped when the entry is not in the reference list (a style without
// one), since a link to a missing label is a Typst error.
const LINK_OPEN = '\uE000';
const LINK_KEY_END = '\uE002';
const LINK_CLOSE = '\uE001';

function resolveLinkMarkers(markup: string, keys: string[], listed: Set<string>): string {
  const linked: boolean[] = [];
  return markup.replace(/\uE000(\d+)\uE002\s*|\s*\uE001/g, (marker, index?: string) => {
    if (index === undefined) return linked.pop() ? ']' : marker.replace('\uE001', '');
    const key = keys[Number(index)];
    linked.push(listed.has(key));
    return listed.has(key) ? `#link(<${referenceLabel(key)}>)[` : marker.replace(/\uE000\d+\uE002/, '');
  });
}

/** The id suffix of the cluster that renders an in-text citation's author. */
const AUTHOR_PART = '~author';

type CitedItem = CitationUse['node']['items'][number];

/** The locator at the start of an item's suffix (`p. 33`, `chap. 2`), and what follows it. */
function splitLocator(item: CitedItem): { locator: ReturnType<typeof parseLocator>; suffix: PhrasingContent[] } {
  const first = item.suffix[0];
  const locator = first?.type === 'text' ? parseLocator(first.value) : null;
  if (!locator) return { locator: null, suffix: item.suffix };
  return { locator, suffix: locator.rest.trim() ? [{ type: 'text', value: locator.rest }, ...item.suffix.slice(1)] : item.suffix.slice(1) };
}

/** An item with words of its own before or after it ("see", "for example") keeps its place in the citation, as in Pandoc. */
function keepsPlace(item: CitedItem): boolean {
  return toString({ type: 'paragraph', children: item.prefix }).trim() !== '' || toString({ type: 'paragraph', children: splitLocator(item).suffix }).trim() !== '';
}

function toCiteprocItem(item: CitationUse['node']['items'][number], linkIndex: number | null): CiteprocCitationItem {
  const out: CiteprocCitationItem = { id: item.key };
  const prefix = affixHtml(item.prefix);
  const open = linkIndex === null ? '' : `${LINK_OPEN}${linkIndex}${LINK_KEY_END}`;
  if (prefix || open) out.prefix = (prefix ? prefix + ' ' : '') + open;
  const { locator, suffix } = splitLocator(item);
  if (locator) {
    out.locator = locator.locator;
    out.label = locator.label;
  }
  const suffixHtml = affixHtml(suffix);
  const close = linkIndex === null ? '' : LINK_CLOSE;
  // Pandoc sets the bracketed suffix of an in-text citation after a comma,
  // `@a [suffix]` as "A (1977, suffix)"; in brackets it follows a space.
  const separator = item.mode === 'in-text' ? ', ' : ' ';
  if (suffixHtml.trim()) out.suffix = close + (/^[\s,;.:]/.test(suffixHtml) && !(item.mode === 'in-text' && /^\s+[^\s,;.:]/.test(suffixHtml)) ? suffixHtml : separator + suffixHtml.trim());
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
    const cited = use.node.items.filter((item) => known(item.key));
    const items = cited.map((item) => toCiteprocItem(item, indexOf(item.key)));
    if (items.length === 0) continue;
    const inText = !use.node.bracketed && cited[0].mode === 'in-text';
    if (inText && !options.style.isNoteStyle) {
      // `@a [p. 33; @b]` as Pandoc sets it, "A (1977, p. 33; B, 2005)": the
      // first author in the text, the rest of the cluster in parentheses with
      // that author left out. Two clusters rather than citeproc-js's
      // composite mode, which repeats the first item's suffix in both parts.
      const author = toCiteprocItem({ ...cited[0], prefix: [], suffix: [] }, indexOf(cited[0].key));
      clusters.push({ citationID: `${use.id}${AUTHOR_PART}`, citationItems: [{ ...author, 'author-only': true }], properties: { noteIndex: use.noteIndex } });
      clusterOf.set(`${use.id}${AUTHOR_PART}`, use);
      items[0] = { ...items[0], 'suppress-author': true };
    }
    clusters.push({
      citationID: use.id,
      citationItems: items,
      properties: { noteIndex: use.noteIndex, keepPlace: cited.map(keepsPlace), ...(inText && options.style.isNoteStyle ? { mode: 'composite' } : {}) },
    });
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

  const nocite = options.nocite.map((k) => k.replace(/^@/, ''));
  const uncited = nocite.includes('*') ? [...bibliography.entries.keys()] : nocite.filter(known);
  const items: Record<string, CslItem> = {};
  for (const cluster of clusters) for (const item of cluster.citationItems) items[item.id] ??= withoutParseGraph(bibliography.entries.get(item.id)!.item);
  for (const key of uncited) items[key] ??= withoutParseGraph(bibliography.entries.get(key)!.item);
  let run: CiteprocRun;
  try {
    run = formatOnThread({ styleXml: options.style.xml, localeTag: options.lang, items, clusters, uncited });
  } catch (error) {
    // citeproc-js could not even build an engine for this style.
    const place = options.style.file ? { file: options.style.file, line: 1, column: 1 } : {};
    diagnostics.push(diagnostic('bib-unformattable', `citations cannot be formatted in ${options.style.name}: ${(error as Error).message}`, place));
    run = { rendered: [], failures: [], bibliography: null };
  }

  for (const failure of run.failures) {
    const use = clusterOf.get(failure.citationID)!;
    for (const item of use.node.items.filter((i) => known(i.key))) {
      const entry = bibliography.entries.get(item.key)!;
      diagnostics.push(
        diagnostic('bib-unformattable', `entry "${item.key}" cannot be formatted in ${options.style.name}: ${failure.message}`, {
          file: entry.file,
          line: entry.line,
          column: entry.column,
        }, {
          cause: { file: use.file, line: use.node.position?.start.line ?? 1, column: use.node.position?.start.column ?? 1, message: 'cited here' },
        }),
      );
    }
  }
  const listed = new Set((run.bibliography?.entries ?? []).map((entry) => entry.key));
  const rendered = new Map(run.rendered.map(([id, , markup]) => [id, markup] as const));
  for (const [id, markup] of rendered) {
    if (id.endsWith(AUTHOR_PART)) continue;
    const author = rendered.get(`${id}${AUTHOR_PART}`);
    const whole = author === undefined ? markup : `${author} ${markup}`;
    citations.set(id, keepLocatorTogether(guardAfterCalls(resolveLinkMarkers(whole, linkKeys, listed))));
    if (rendersNothing(whole.replace(/\uE000\d+\uE002|\uE001/g, ''))) reportEmpty(clusterOf.get(id)!);
  }

  // Unknown keys keep a visible placeholder in place of (or beside) the citation.
  for (const use of uses) {
    const missing = use.node.items.filter((item) => !known(item.key));
    if (missing.length === 0) continue;
    const placeholders = missing.map((item) => missingCitationMarkup(item.key)).join('; ');
    const existing = citations.get(use.id);
    citations.set(use.id, existing ? `${existing} ${placeholders}` : use.node.bracketed ? `(${placeholders})` : placeholders);
  }

  const references: Reference[] = (run.bibliography?.entries ?? []).map((entry) => ({ key: entry.key, markup: guardAfterCalls(entry.markup.trim()) }));
  const hangingIndent = run.bibliography?.hangingIndent ?? false;
  for (const reference of references) if (rendersNothing(reference.markup)) reportEmptyEntry(reference.key);
  if (run.bibliographyError) diagnostics.push(diagnostic('bib-unformattable', `the reference list cannot be formatted: ${run.bibliographyError}`, {}));
  return { citations, references, hangingIndent, diagnostics };
}
