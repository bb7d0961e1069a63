// Reading a snippet to add to the bibliography: BibTeX/BibLaTeX (kept field
// for field), RIS or CSL-JSON (converted to BibLaTeX by citation-js).
import { citationJs } from '../core/lazy-modules.js';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { readBibtex } from '../resolve/bibliography.js';
import { readEntryLayout } from '../resolve/bibtex-fields.js';
import type { CslItem } from '../resolve/csl-item.js';

export interface IncomingEntry {
  item: CslItem;
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
  return usable.map((item) => ({
    item,
    toBibtex: (key) => {
      const bibtex = String(citationJs().plugins.output.format('biblatex', [{ ...item, id: key, 'citation-key': key }], { format: 'text' }));
      // citation-js indents with tabs and names the key itself; keep ours.
      const entryText = bibtex.trim().replace(/^@(\w+)\{[^,]*,/, `@$1{${key},`);
      const type = /^@(\w+)/.exec(entryText)![1];
      return normaliseBibtex(entryText, type, key);
    },
  }));
}
