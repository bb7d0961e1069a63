// Citations and the reference list formatted by Pandoc's own citeproc
// (pandoc-wasm, on the Pandoc thread: core/pandoc-thread.ts), so the list an
// examiner reads is the one Pandoc prints for the same entries and style,
// entry for entry, and a citation's works come in the order Pandoc gives.
// citeproc-js, used before, differs from Pandoc's citeproc in dozens of
// small ways (groups whose variables are all empty, "and others", numbers
// with leading zeros, apostrophes); every one was a difference an examiner
// could see between a thesis built here and one built with Pandoc.
//
// The thesis's citations go to Pandoc as a document of its own model: one
// paragraph per citation, the citations in footnotes inside one note per
// footnote (so a note style counts positions, ibid. and first citations as
// Pandoc does), and the entries: BibTeX as written, for Pandoc to read with
// the thesis's language as it reads a document's bibliography (a German
// thesis's entries are read differently from an English one's), CSL YAML as
// Pandoc's reader read it, CSL-JSON as it is. What comes back is read as rich
// text.
import { pandocError, pandocSync } from '../core/pandoc-thread.js';
import type { CslItem } from '../resolve/csl-item.js';
import { fromPandocInlines, type PandocInline, type RichText } from './rich-text.js';

/** One work cited, as Pandoc's model holds it (the suffix still holds the locator: Pandoc parses it). */
export interface PandocCitationItem {
  key: string;
  prefix: PandocInline[];
  suffix: PandocInline[];
  mode: 'NormalCitation' | 'AuthorInText' | 'SuppressAuthor';
}

export interface PandocCluster {
  id: string;
  /** The footnote the citation is written in (citations sharing one are in one note); 0 in running text. */
  footnote: number;
  /** The citation is the first thing in its footnote: Pandoc sets it without parentheses. */
  opensNote?: boolean;
  items: PandocCitationItem[];
}

export interface PandocCiteprocRequest {
  styleXml: string;
  lang: string;
  linkCitations: boolean;
  /** Entries as Pandoc's reader read them (its metadata values: CSL YAML). */
  references: unknown[];
  /** BibTeX entries for Pandoc's citeproc to read itself, with the thesis's language, by dialect (`biblatex` for .bib, `bibtex` for .bibtex). */
  bibtex: { biblatex: string; bibtex: string };
  /** Entries from CSL-JSON files, or read by our reader where Pandoc's refused them. */
  cslItems: CslItem[];
  clusters: PandocCluster[];
  /** Keys listed without being cited (`*` for all). */
  nocite: string[];
}

export interface PandocCiteprocResult {
  citations: Record<string, RichText>;
  references: { key: string; content: RichText }[];
  hangingIndent: boolean;
  /** Pandoc's warnings, as it words them. */
  warnings: string[];
}

type Block = { t: string; c?: unknown };

const str = (text: string): PandocInline => ({ t: 'Str', c: text });

function citeInline(cluster: PandocCluster): PandocInline {
  const citations = cluster.items.map((item) => ({
    citationId: item.key,
    citationPrefix: item.prefix,
    citationSuffix: item.suffix,
    citationMode: { t: item.mode },
    citationNoteNum: 0,
    citationHash: 0,
  }));
  return { t: 'Cite', c: [citations, [str(`[${cluster.id}]`)]] };
}

/** The document Pandoc formats: each citation in a paragraph, footnotes' citations in their note. */
function documentOf(request: PandocCiteprocRequest): unknown {
  const blocks: Block[] = [];
  let note = null as { number: number; inlines: PandocInline[] } | null;
  const closeNote = () => {
    if (note) blocks.push({ t: 'Para', c: [str('.'), { t: 'Note', c: [{ t: 'Para', c: note.inlines }] }] });
    note = null;
  };
  for (const cluster of request.clusters) {
    if (cluster.footnote > 0) {
      if (note?.number !== cluster.footnote) {
        closeNote();
        note = { number: cluster.footnote, inlines: [] };
      } else note.inlines.push({ t: 'Space' });
      // Words before it in the note (their text does not matter): Pandoc puts such a citation in parentheses.
      if (note.inlines.length === 0 && !cluster.opensNote) note.inlines.push(str('\u2026'), { t: 'Space' });
      note.inlines.push(citeInline(cluster));
    } else {
      closeNote();
      blocks.push({ t: 'Para', c: [citeInline(cluster)] });
    }
  }
  closeNote();
  const meta: Record<string, unknown> = {
    lang: { t: 'MetaString', c: request.lang },
    'link-citations': { t: 'MetaBool', c: request.linkCitations },
    references: { t: 'MetaList', c: request.references },
  };
  if (request.nocite.length) {
    const nocite = request.nocite.map((key) => ({ citationId: key, citationPrefix: [], citationSuffix: [], citationMode: { t: 'NormalCitation' }, citationNoteNum: 0, citationHash: 0 }));
    meta.nocite = { t: 'MetaInlines', c: [{ t: 'Cite', c: [nocite, [str('[@nocite]')]] }] };
  }
  return { 'pandoc-api-version': [1, 23, 1, 2], meta, blocks };
}

/** The Cite elements of Pandoc's answer, in document order (a cite's own content is not searched). */
function citesOf(blocks: unknown, found: PandocInline[] = []): PandocInline[] {
  if (Array.isArray(blocks)) for (const part of blocks) citesOf(part, found);
  else if (blocks && typeof blocks === 'object') {
    const node = blocks as PandocInline;
    if (node.t === 'Cite') found.push(node);
    else if ('c' in node) citesOf(node.c, found);
  }
  return found;
}

export function formatWithPandoc(request: PandocCiteprocRequest): PandocCiteprocResult {
  const bibliography = [
    ...(request.cslItems.length ? ['references.json'] : []),
    ...(request.bibtex.biblatex ? ['references.bib'] : []),
    ...(request.bibtex.bibtex ? ['references.bibtex'] : []),
  ];
  const result = pandocSync({
    options: { from: 'json', to: 'json', citeproc: true, csl: 'style.csl', ...(bibliography.length ? { bibliography } : {}) },
    input: JSON.stringify(documentOf(request)),
    files: { 'style.csl': request.styleXml, 'references.json': JSON.stringify(request.cslItems), 'references.bib': request.bibtex.biblatex, 'references.bibtex': request.bibtex.bibtex },
  });
  if (!result.stdout.trim()) throw new Error(pandocError(result.stderr, 'Pandoc formatted nothing'));
  const answer = JSON.parse(result.stdout) as { blocks: Block[] };
  const refs = answer.blocks.find((block) => block.t === 'Div' && (block.c as [[string]])[0][0] === 'refs');
  const entries = refs ? ((refs.c as [[string, string[]], Block[]])[1] ?? []) : [];
  const listed = new Set(entries.map((entry) => (entry.c as [[string]])[0][0].replace(/^ref-/, '')));
  const linkable = (key: string) => listed.has(key);
  const citations: Record<string, RichText> = {};
  const cites = citesOf(answer.blocks.filter((block) => block !== refs));
  request.clusters.forEach((cluster, index) => {
    const cite = cites[index];
    if (cite) citations[cluster.id] = fromPandocInlines((cite.c as [unknown, PandocInline[]])[1], linkable);
  });
  const references = entries.map((entry) => {
    const [[id], blocks] = entry.c as [[string], Block[]];
    const inlines = blocks.flatMap((block, i) => [...(i > 0 ? [{ t: 'Space' }] : []), ...((block.c as PandocInline[]) ?? [])]);
    return { key: id.replace(/^ref-/, ''), content: fromPandocInlines(inlines, linkable) };
  });
  const hangingIndent = refs ? (refs.c as [[string, string[]]])[0][1].includes('hanging-indent') : false;
  const warnings = result.stderr.split('\n').filter((line) => /WARNING/.test(line));
  return { citations, references, hangingIndent, warnings };
}
