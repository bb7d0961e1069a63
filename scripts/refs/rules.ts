// `refs check` rules on the bibliography itself: likely duplicates, fields
// the entry type needs, and malformed values, each at the field's position.
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { BibEntry } from '../resolve/bibliography.js';
import { readEntryLayout, unwrapValue } from '../resolve/bibtex-fields.js';
import type { CslItem } from '../resolve/csl-item.js';

export function normaliseDoi(doi: string): string {
  return doi.trim().replace(/^(https?:\/\/)?(dx\.)?doi\.org\//i, '').replace(/^doi:\s*/i, '').toLowerCase();
}

function normaliseTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/<[^>]+>/g, '')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function yearOf(item: CslItem): string | undefined {
  const part = item.issued?.['date-parts']?.[0]?.[0];
  return part === undefined ? undefined : String(part);
}

function firstAuthor(item: CslItem): string {
  const name = item.author?.[0] ?? item.editor?.[0];
  return normaliseTitle(name?.family ?? name?.literal ?? '');
}

/** Identity for duplicate detection: the DOI, else normalised title + year + first author. */
export function duplicateSignatures(item: CslItem): string[] {
  const signatures: string[] = [];
  if (item.DOI) signatures.push(`doi:${normaliseDoi(String(item.DOI))}`);
  if (item.title) signatures.push(`tya:${normaliseTitle(String(item.title))}|${yearOf(item) ?? ''}|${firstAuthor(item)}`);
  return signatures;
}

export function findLikelyDuplicates(entries: BibEntry[]): Diagnostic[] {
  const seen = new Map<string, BibEntry>();
  const out: Diagnostic[] = [];
  for (const entry of entries) {
    for (const signature of duplicateSignatures(entry.item)) {
      const first = seen.get(signature);
      if (first && first.key !== entry.key) {
        const why = signature.startsWith('doi:') ? `the same DOI (${signature.slice(4)})` : 'the same title, year and first author';
        out.push(
          diagnostic('bib-likely-duplicate', `"${entry.key}" looks like a duplicate of "${first.key}": ${why}`, { file: entry.file, line: entry.line, column: entry.column }, {
            cause: { file: first.file, line: first.line, column: first.column, message: `"${first.key}" is here` },
          }),
        );
        break;
      }
      if (!first) seen.set(signature, entry);
    }
  }
  return out;
}

/** CSL variables a reference list needs for each type, with the BibTeX fields that give them. */
const requiredByType: Record<string, string[]> = {
  'article-journal': ['author', 'title', 'container-title', 'issued'],
  'article-magazine': ['author', 'title', 'container-title', 'issued'],
  'article-newspaper': ['title', 'container-title', 'issued'],
  book: ['author|editor', 'title', 'publisher', 'issued'],
  chapter: ['author', 'title', 'container-title', 'publisher', 'issued'],
  'paper-conference': ['author', 'title', 'container-title', 'issued'],
  report: ['author', 'title', 'publisher', 'issued'],
  thesis: ['author', 'title', 'publisher', 'issued'],
  webpage: ['title', 'URL'],
};
const defaultRequired = ['title', 'issued'];

const bibtexNames: Record<string, string> = {
  author: 'author',
  'author|editor': 'author or editor',
  editor: 'editor',
  title: 'title',
  'container-title': 'journal (or booktitle)',
  publisher: 'publisher (or institution, school)',
  issued: 'year (or date)',
  URL: 'url',
};

function hasVariable(item: CslItem, variable: string): boolean {
  return variable.split('|').some((v) => {
    const value = item[v];
    return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== '' && value !== null;
  });
}

export function missingFields(entry: BibEntry, styleName: string): Diagnostic[] {
  const required = requiredByType[entry.item.type] ?? defaultRequired;
  const missing = required.filter((variable) => !hasVariable(entry.item, variable));
  if (missing.length === 0) return [];
  return [
    diagnostic(
      'bib-field-missing',
      `@${entry.sourceType} "${entry.key}" has no ${missing.map((v) => bibtexNames[v] ?? v).join(', no ')}, which ${styleName} prints for this type`,
      { file: entry.file, line: entry.line, column: entry.column },
    ),
  ];
}

function isbnValid(isbn: string): boolean {
  const digits = isbn.replace(/[\s-]/g, '').toUpperCase();
  if (/^\d{9}[\dX]$/.test(digits)) {
    const sum = [...digits].reduce((s, d, i) => s + (d === 'X' ? 10 : Number(d)) * (10 - i), 0);
    return sum % 11 === 0;
  }
  if (/^\d{13}$/.test(digits)) {
    const sum = [...digits].reduce((s, d, i) => s + Number(d) * (i % 2 ? 3 : 1), 0);
    return sum % 10 === 0;
  }
  return false;
}

const romanOrNumber = '(?:[0-9]+|[ivxlcdm]+|[A-Za-z]?[0-9]+[A-Za-z]?)';
const pagesPattern = new RegExp(`^${romanOrNumber}(?:\\s*(?:-{1,3}|–|—)\\s*${romanOrNumber})?(?:\\s*,\\s*${romanOrNumber}(?:\\s*(?:-{1,3}|–)\\s*${romanOrNumber})?)*\\+?$`, 'i');
const datePart = '\\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\\d|3[01]))?)?';
const datePattern = new RegExp(`^(?:${datePart}|${datePart}/(?:${datePart})?|/${datePart})$`);

/** Malformed values, checked on the field text as written. */
export function malformedValues(entry: BibEntry, source: string): Diagnostic[] {
  if (!entry.fields) return [];
  const entryText = source.slice(entry.range[0], entry.range[1]);
  const layout = readEntryLayout(entryText);
  if (!layout) return [];
  // Positions from the entry's own start, so no index of the whole file is needed.
  const placeInEntry = (offset: number) => {
    const before = entryText.slice(0, offset);
    const newlines = before.split('\n').length - 1;
    return newlines === 0 ? { line: entry.line, column: entry.column + offset } : { line: entry.line + newlines, column: offset - before.lastIndexOf('\n') };
  };
  const out: Diagnostic[] = [];
  for (const field of layout.fields) {
    const value = unwrapValue(field.raw);
    const at = { file: entry.file, ...placeInEntry(field.valueOffset) };
    const bad = (message: string) => out.push(diagnostic('bib-field-malformed', `"${entry.key}": ${message}`, at));
    if (!/^[{"]/.test(field.raw.trim()) && !/^\d+$/.test(field.raw.trim())) continue; // a macro: checked where it is defined
    switch (field.name) {
      case 'year':
        if (!/^(\d{4}|n\.d\.|forthcoming|in press)$/i.test(value)) bad(`year "${value}" is not a four-digit year`);
        break;
      case 'date':
      case 'urldate':
      case 'eventdate':
      case 'origdate':
        if (!datePattern.test(value)) bad(`${field.name} "${value}" is not a date such as 2020-06-30 (or a range 2020-06/2020-07)`);
        else {
          const [y, m, d] = value.split('/')[0].split('-').map(Number);
          if (d && new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) bad(`${field.name} "${value}" is not a day of the calendar`);
        }
        break;
      case 'doi':
        if (!/^10\.\d{4,9}\/\S+$/.test(normaliseDoi(value))) bad(`DOI "${value}" is not a DOI such as 10.1080/09672550210121432`);
        break;
      case 'isbn':
        for (const isbn of value.split(/[,;]\s*|\s+(?=\d{9})/)) if (isbn && !isbnValid(isbn)) bad(`ISBN "${isbn}" has a wrong check digit or length`);
        break;
      case 'url':
        try {
          const url = new URL(value.replace(/\\([_%&#~])/g, '$1'));
          if (!/^(https?|ftp):$/.test(url.protocol)) bad(`URL "${value}" is not a web address`);
        } catch {
          bad(`URL "${value}" is not a web address`);
        }
        break;
      case 'pages': {
        if (!pagesPattern.test(value)) {
          bad(`pages "${value}" is not a page range such as 131--149`);
          break;
        }
        const range = /^(\d+)\s*(?:-{1,3}|–|—)\s*(\d+)$/.exec(value);
        if (range && Number(range[2]) < Number(range[1])) bad(`pages "${value}" end before they start`);
        break;
      }
    }
  }
  return out;
}
