// Reading a snippet to add to the bibliography: BibTeX/BibLaTeX (kept field
// for field), RIS or CSL-JSON (converted to BibLaTeX by citation-js).
import { citationJs } from '../core/lazy-modules.js';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { readBibtex } from '../resolve/bibliography.js';
import { readEntryLayout } from '../resolve/bibtex-fields.js';
import type { CslItem } from '../resolve/csl-item.js';

export interface IncomingEntry {
  item: CslItem;
  /** The key the record came with (BibTeX's, Better BibTeX's, a CSL `citation-key` or id), when it is one Pandoc can cite. */
  key?: string;
  /** Write the entry under a key: normalised BibTeX text. */
  toBibtex(key: string): string;
}

export type SnippetFormat = 'bibtex' | 'ris' | 'csl-json';

export function detectFormat(text: string): SnippetFormat | null {
  const start = text.trimStart();
  if (start.startsWith('@') || /^\s*%/.test(text)) return 'bibtex';
  if (/^TY {2}- /m.test(start)) return 'ris';
  if (start.startsWith('[') || start.startsWith('{')) return 'csl-json';
  return null;
}

/** Field names lower-cased, one field a line, values as written. */
function normaliseBibtex(entryText: string, type: string, key: string): string {
  const layout = readEntryLayout(entryText)!;
  const width = Math.max(...layout.fields.map((f) => f.name.length), 0);
  const fields = layout.fields.map((f) => `  ${f.name.padEnd(width)} = ${f.raw.replace(/\s*\n\s*/g, ' ')},`);
  return `@${type}{${key},\n${fields.join('\n')}\n}\n`;
}

/** Entries pasted or imported from a file, in any format `refs add` reads. */
export function readSnippet(text: string, origin: string): { entries: IncomingEntry[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  return { entries: collectSnippet(text, origin, diagnostics), diagnostics };
}

function collectSnippet(text: string, origin: string, diagnostics: Diagnostic[]): IncomingEntry[] {
  const format = detectFormat(text);
  if (format === 'bibtex') {
    const read = readBibtex(origin, text);
    diagnostics.push(...read.diagnostics);
    return read.entries.map((entry) => ({
      item: entry.item,
      ...(citableKey(entry.key) ? { key: entry.key } : {}),
      toBibtex: (key) => normaliseBibtex(text.slice(entry.range[0], entry.range[1]), entry.sourceType, key),
    }));
  }
  if (format === null) {
    diagnostics.push(diagnostic('bib-syntax', 'cannot tell the format: expected BibTeX (@type{…}), RIS (TY  - …) or CSL-JSON ([…])', { file: origin, line: 1, column: 1 }));
    return [];
  }
  let items: CslItem[];
  try {
    items = citationJs().plugins.input.chain(format === 'csl-json' ? JSON.parse(text) : text, { generateGraph: false, ...(format === 'ris' ? { forceType: '@ris/file' } : {}) }) as CslItem[];
  } catch (error) {
    diagnostics.push(diagnostic('bib-syntax', `cannot read the ${format === 'ris' ? 'RIS' : 'CSL-JSON'} input: ${(error as Error).message.split('\n')[0]}`, { file: origin, line: 1, column: 1 }));
    return [];
  }
  // A record with nothing to cite it by (no title, author, editor or date) would become `@misc{anonnd,}`: refused.
  const usable = items.filter((item, index) => {
    const has = (value: unknown) => (Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && String(value).trim() !== '');
    if (['title', 'author', 'editor', 'issued', 'container-title', 'DOI', 'URL'].some((field) => has(item[field]))) return true;
    diagnostics.push(diagnostic('bib-field-missing', `record ${index + 1} of the ${format === 'ris' ? 'RIS' : 'CSL-JSON'} input has no title, author, editor, date, DOI or URL: nothing is added for it`, { file: origin, line: 1, column: 1 }));
    return false;
  });
  return usable.map(withStringFields).map((item) => ({
    item,
    ...(givenKey(item) ? { key: givenKey(item) } : {}),
    toBibtex: (key) => {
      const bibtex = String(citationJs().plugins.output.format('biblatex', [{ ...item, id: key, 'citation-key': key }], { format: 'text' }));
      // citation-js indents with tabs and names the key itself; keep ours.
      const entryText = bibtex.trim().replace(/^@(\w+)\{[^,]*,/, `@$1{${key},`);
      const type = /^@(\w+)/.exec(entryText)![1];
      return normaliseBibtex(entryText, type, key);
    },
  }));
}

/** A key Pandoc's citation syntax can cite (`@Foucault_1977`, `@Simon:2005:Return`), not a URL or a bare number. */
function citableKey(key: string | undefined): key is string {
  return key !== undefined && /^[\p{L}\p{N}_][\p{L}\p{N}_:.#$%&+?<>~/-]*$/u.test(key) && !/[:.#$%&+?<>~/-]$/.test(key) && !/^\d+$/.test(key) && !/^https?:/.test(key);
}

/** The key a CSL-JSON record names: Better CSL JSON's `citation-key`, else an `id` that looks like one. */
function givenKey(item: CslItem): string | undefined {
  const named = (item as { 'citation-key'?: unknown })['citation-key'];
  if (typeof named === 'string' && citableKey(named)) return named;
  return typeof item.id === 'string' && citableKey(item.id) && !/^(?:item|ITEM)-?\d+$/.test(item.id) ? item.id : undefined;
}

/** CSL variables whose values are lists: names, and keywords as citation-js reads them. */
const listVariables = new Set(['author', 'editor', 'translator', 'container-author', 'collection-editor', 'composer', 'director', 'editorial-director', 'illustrator', 'interviewer', 'original-author', 'recipient', 'reviewed-author', 'chair', 'compiler', 'contributor', 'curator', 'executive-producer', 'guest', 'host', 'narrator', 'organizer', 'performer', 'producer', 'script-writer', 'series-creator', 'categories']);

/**
 * A CSL-JSON record as the CSL schema has it: Crossref's answers give lists
 * where CSL has strings (`short-container-title: ["…"]`, `ISSN: ["…", "…"]`),
 * which the BibLaTeX writer cannot take, and escape `&` as `&amp;` in plain
 * strings. The first value of each list is kept, entities decoded.
 */
function withStringFields(item: CslItem): CslItem {
  const decoded = (text: string) => text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'");
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (Array.isArray(value) && !listVariables.has(name)) {
      const first = value.find((v) => typeof v === 'string' && v.trim() !== '');
      if (first !== undefined) out[name] = decoded(first as string);
    } else out[name] = typeof value === 'string' ? decoded(value) : value;
  }
  return out as CslItem;
}
