// The format stage: every citation cluster in document order and the
// reference list, formatted in the thesis's CSL style by Pandoc's citeproc
// (pandoc-citeproc.ts, through the Pandoc thread), as rich text (rich-text.ts).
// This module turns the thesis's citations into Pandoc's citations and the
// answer into formatted citations and diagnostics.
import type { PhrasingContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { smartPunctuation } from '../core/typography.js';
import type { Bibliography } from '../resolve/bibliography.js';
import type { CitationUse } from '../resolve/citations.js';
import { withoutParseGraph, type CslItem } from '../resolve/csl-item.js';
import { formatWithPandoc } from './pandoc-citeproc.js';
import type { PandocCitationItem, PandocCiteprocRequest, PandocCiteprocResult, PandocCluster } from './pandoc-citeproc.js';
import { rendersNothing, type PandocInline, type RichText } from './rich-text.js';
import type { CitationStyle } from './styles.js';

export interface Reference {
  key: string;
  content: RichText;
}

export interface FormattedCitations {
  /** The formatted text of each citation id. */
  citations: Map<string, RichText>;
  references: Reference[];
  hangingIndent: boolean;
  diagnostics: Diagnostic[];
  /** Pandoc failed (it stopped, or did not answer): nothing is formatted, and nothing is kept for the next run. */
  failed?: true;
}

export interface FormatOptions {
  style: CitationStyle;
  lang: string;
  linkCitations: boolean;
  /** Keys to list without citing; `*` lists every entry. */
  nocite: string[];
}

/** Text as Pandoc's Markdown reader tokenises it: words and spaces, `--` an en dash. */
function textInlines(text: string): PandocInline[] {
  return smartPunctuation(text)
    .split(/(\s+)/)
    .filter(Boolean)
    .map((part) => (/^\s+$/.test(part) ? { t: 'Space' } : { t: 'Str', c: part }));
}

/** A prefix or suffix (its emphasis and bold kept) in Pandoc's model. */
function affixInlines(nodes: PhrasingContent[]): PandocInline[] {
  return nodes.flatMap((node): PandocInline[] => {
    switch (node.type) {
      case 'text':
        return textInlines(node.value);
      case 'emphasis':
        return [{ t: 'Emph', c: affixInlines(node.children) }];
      case 'strong':
        return [{ t: 'Strong', c: affixInlines(node.children) }];
      default:
        return textInlines(toString(node));
    }
  });
}

const MODES = { normal: 'NormalCitation', 'in-text': 'AuthorInText', 'suppress-author': 'SuppressAuthor' } as const;

function pandocItem(item: CitationUse['node']['items'][number]): PandocCitationItem {
  return { key: item.key, prefix: affixInlines(item.prefix), suffix: affixInlines(item.suffix), mode: MODES[item.mode] };
}

/** The keys listed without being cited, as the bibliography has them. */
function uncitedKeys(bibliography: Bibliography, nocite: string[]): string[] {
  const keys = nocite.map((key) => key.replace(/^@/, ''));
  return keys.includes('*') ? [...bibliography.entries.keys()] : keys.filter((key) => bibliography.entries.has(key));
}

/** What Pandoc is given: the clusters, and every entry they or `nocite` name, as Pandoc read it where it could. */
export function pandocRequest(uses: CitationUse[], bibliography: Bibliography, options: FormatOptions): PandocCiteprocRequest {
  const known = (key: string) => bibliography.entries.has(key);
  const clusters: PandocCluster[] = [];
  for (const use of uses) {
    const items = use.node.items.filter((item) => known(item.key)).map(pandocItem);
    if (items.length) clusters.push({ id: use.id, footnote: use.inFootnote ? use.noteIndex : 0, ...(use.opensNote ? { opensNote: true } : {}), items });
  }
  const uncited = uncitedKeys(bibliography, options.nocite);
  const keys = new Set([...clusters.flatMap((cluster) => cluster.items.map((item) => item.key)), ...uncited]);
  const references: unknown[] = [];
  const cslItems: CslItem[] = [];
  // Each file's @strings once, each text once (a parent two entries inherit from is one entry).
  const bibtex = { biblatex: new Set<string>(), bibtex: new Set<string>() };
  for (const key of keys) {
    const entry = bibliography.entries.get(key)!;
    if (entry.pandocBibtex) {
      const texts = bibtex[entry.pandocBibtex.dialect];
      if (entry.pandocBibtex.macros) texts.add(entry.pandocBibtex.macros);
      for (const text of entry.pandocBibtex.texts) texts.add(text);
    } else if (entry.pandoc) references.push(entry.pandoc);
    else cslItems.push({ ...withoutParseGraph(entry.item), id: key });
  }
  return {
    styleXml: options.style.xml,
    lang: options.lang,
    linkCitations: options.linkCitations,
    references,
    bibtex: { biblatex: [...bibtex.biblatex].join('\n'), bibtex: [...bibtex.bibtex].join('\n') },
    cslItems,
    clusters,
    nocite: uncited,
  };
}

export function formatCitations(uses: CitationUse[], bibliography: Bibliography, options: FormatOptions): FormattedCitations {
  const diagnostics: Diagnostic[] = [];
  const known = (key: string) => bibliography.entries.has(key);
  const request = pandocRequest(uses, bibliography, options);
  let run: PandocCiteprocResult;
  let failed = false;
  try {
    run = formatWithPandoc(request);
  } catch (error) {
    failed = true;
    const place = options.style.file ? { file: options.style.file, line: 1, column: 1 } : {};
    diagnostics.push(diagnostic('bib-unformattable', `citations cannot be formatted in ${options.style.name}: ${(error as Error).message}`, place));
    run = { citations: {}, references: [], hangingIndent: false, warnings: [] };
  }

  const reported = new Set<string>();
  const reportEmpty = (key: string) => {
    if (reported.has(key)) return;
    reported.add(key);
    const entry = bibliography.entries.get(key)!;
    diagnostics.push(
      diagnostic('bib-unformattable', `entry "${key}" renders as nothing in ${options.style.name}; it lacks the fields the style prints (author, title, date, …)`, {
        file: entry.file,
        line: entry.line,
        column: entry.column,
      }),
    );
  };

  const citations = new Map<string, RichText>();
  for (const use of uses) {
    const formatted = run.citations[use.id];
    if (formatted) {
      citations.set(use.id, formatted);
      if (rendersNothing(formatted)) for (const item of use.node.items) if (known(item.key)) reportEmpty(item.key);
    }
    // Unknown keys keep a visible placeholder in place of (or beside) the citation.
    const missing = use.node.items.filter((item) => !known(item.key));
    if (missing.length === 0) continue;
    const placeholders: RichText = missing.flatMap((item, index) => [...(index ? [{ type: 'text' as const, value: '; ' }] : []), { type: 'missing' as const, key: item.key }]);
    if (formatted) citations.set(use.id, [...formatted, { type: 'text', value: ' ' }, ...placeholders]);
    else citations.set(use.id, use.node.bracketed ? [{ type: 'text', value: '(' }, ...placeholders, { type: 'text', value: ')' }] : placeholders);
  }

  for (const reference of run.references) if (rendersNothing(reference.content)) reportEmpty(reference.key);
  return { citations, references: run.references, hangingIndent: run.hangingIndent, diagnostics, ...(failed ? { failed: true as const } : {}) };
}
