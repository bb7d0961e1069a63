// What Pandoc's BibLaTeX reader puts in a CSL item beyond what citation-js
// gives, found by comparing the two field by field (tests/bibliography.test.ts,
// on tests/fixtures/bibtex/biblatex-features.bib): the language as a BCP 47
// tag, a short title, corporate authors as literal names, eprint links, the
// organization beside the publisher, numbered and "new" series, report
// genres. Applied to every BibTeX entry after citation-js.
import type { CslItem } from './csl-item.js';

/** BibLaTeX's `langid` (babel and polyglossia names) as the BCP 47 tags Pandoc writes. */
const languages: Record<string, string> = {
  english: 'en-US', american: 'en-US', usenglish: 'en-US', british: 'en-GB', ukenglish: 'en-GB', canadian: 'en-CA', australian: 'en-AU', newzealand: 'en-NZ',
  german: 'de-DE', ngerman: 'de-DE', austrian: 'de-AT', naustrian: 'de-AT', swissgerman: 'de-CH', nswissgerman: 'de-CH',
  french: 'fr-FR', francais: 'fr-FR', canadien: 'fr-CA', acadian: 'fr-CA',
  spanish: 'es-ES', italian: 'it-IT', portuguese: 'pt-PT', portuges: 'pt-PT', brazilian: 'pt-BR', brazil: 'pt-BR',
  dutch: 'nl-NL', polish: 'pl-PL', czech: 'cs-CZ', slovak: 'sk-SK', russian: 'ru-RU', ukrainian: 'uk-UA', swedish: 'sv-SE', danish: 'da-DK',
  norsk: 'nb-NO', norwegian: 'nb-NO', nynorsk: 'nn-NO', finnish: 'fi-FI', greek: 'el-GR', turkish: 'tr-TR', hungarian: 'hu-HU', magyar: 'hu-HU',
  chinese: 'zh-CN', japanese: 'ja-JP', korean: 'ko-KR', latin: 'la', hebrew: 'he-IL', arabic: 'ar',
};

/** Where an `eprinttype` points, as Pandoc links it. */
const eprintLinks: Record<string, string> = {
  arxiv: 'https://arxiv.org/abs/',
  jstor: 'https://www.jstor.org/stable/',
  pubmed: 'https://www.ncbi.nlm.nih.gov/pubmed/',
  googlebooks: 'https://books.google.com?id=',
  hdl: 'https://hdl.handle.net/',
};

/** Report types as words, not BibTeX type names (styles print the genre as it is). */
const reportGenres: Record<string, string> = { techreport: 'technical report', resreport: 'research report' };

/** Entry types whose container is a book (its title sentence-cased like a title), not a journal. */
const CONTAINER_BOOKS = new Set(['incollection', 'inproceedings', 'inbook', 'inreference', 'suppbook', 'bookinbook', 'conference']);

/** Words written inside braces in the entry's title fields: protected from case changes, as in BibTeX. */
function protectedWords(fields: Record<string, string>): Set<string> {
  const words = new Set<string>();
  for (const name of ['title', 'subtitle', 'booktitle', 'booksubtitle', 'maintitle', 'shorttitle']) {
    const value = fields[name];
    if (typeof value !== 'string') continue;
    let depth = 0;
    let inside = '';
    for (const char of value) {
      if (char === '{') depth++;
      else if (char === '}') depth = Math.max(0, depth - 1);
      else if (depth > 0) inside += char;
      if (depth === 0) inside += ' ';
    }
    for (const word of inside.split(/[^\p{L}\p{N}'’-]+/u)) if (word) words.add(word);
  }
  return words;
}

/**
 * Title case to sentence case, as Pandoc's reader does it: a word written
 * with one capital and the rest in lower case is lowered, except the first
 * word, the first word after a colon or an opening quotation mark and the
 * words protected by braces;
 * acronyms (`SSRN`) and mixed case (`iPhone`) stay.
 */
function sentenceCase(text: string, kept: Set<string>): string {
  let first = true;
  return text.replace(/([\p{L}][\p{L}\p{N}'’-]*)|([:.?!]\s|[“‘«„])/gu, (match, word: string | undefined) => {
    if (!word) {
      // After a colon, and at the start of a quotation, a word keeps its capital.
      if (match.startsWith(':') || /[“‘«„]/.test(match)) first = true;
      return match;
    }
    const wasFirst = first;
    first = false;
    if (wasFirst || kept.has(word)) return word;
    // Each part of a hyphenated word on its own (`Self-Governance`); acronyms and mixed case stay.
    return word.replace(/[^-]+/g, (part) => (/^\p{Lu}[\p{Ll}'’]*$/u.test(part) && !kept.has(part) ? part.toLowerCase() : part));
  });
}

const ordinal = (n: number) => `${n}${n % 100 >= 11 && n % 100 <= 13 ? 'th' : ['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;

/**
 * Dates a CSL processor can format: an open range (`date = {2020/..}`) reaches
 * us as `[[2020], null]`, which made citeproc-js fail on the whole citation
 * it is in; the open end is dropped (the start is what styles print).
 */
function formattableDates(item: CslItem): void {
  for (const value of Object.values(item)) {
    if (!value || typeof value !== 'object' || !('date-parts' in value)) continue;
    const date = value as { 'date-parts'?: unknown };
    if (!Array.isArray(date['date-parts'])) continue;
    const parts = date['date-parts'].filter((part): part is (number | string)[] => Array.isArray(part) && part.length > 0 && part.every((n) => n !== null && n !== undefined && n !== ''));
    if (parts.length) date['date-parts'] = parts;
    else delete date['date-parts'];
  }
}

export function pandocConventions(item: CslItem, entryType: string, fields: Record<string, string>, englishDocument = true): CslItem {
  formattableDates(item);
  // Values may be numbers (`series = 3`): read as text.
  const field = (name: string): string | undefined => {
    const value: unknown = fields[name] ?? fields[name.toUpperCase()];
    return value === undefined || value === null ? undefined : String(value);
  };
  const langid = field('langid')?.toLowerCase().trim();
  if (langid) {
    const variant = /variant\s*=\s*(\w+)/.exec(field('langidopts') ?? '')?.[1]?.toLowerCase();
    item.language = languages[variant && langid === 'english' ? variant : langid] ?? langid;
  }
  // English titles in sentence case, as CSL styles expect them and Pandoc stores them (a style that wants
  // title case makes it); words in braces in the .bib keep their capitals.
  // (An entry without `langid` is in the thesis's language, as Pandoc reads it.)
  if (langid ? /^(english|american|british|usenglish|ukenglish|canadian|australian|newzealand)$/.test(langid) : englishDocument) {
    const kept = protectedWords(fields);
    for (const key of ['title', 'title-short', ...(CONTAINER_BOOKS.has(entryType.toLowerCase()) ? ['container-title'] : [])]) {
      if (typeof item[key] === 'string') item[key] = sentenceCase(item[key] as string, kept);
    }
  }
  // A short title: the title's part before its subtitle, as Pandoc makes it when there is no `shorttitle`.
  if (!item['title-short'] && typeof item.title === 'string') {
    const colon = item.title.indexOf(': ');
    if (colon > 0) item['title-short'] = item.title.slice(0, colon);
  }
  // `{Human Rights Watch}`: one name, not a family name.
  for (const role of ['author', 'editor', 'translator', 'director'] as const) {
    const names = item[role];
    if (!Array.isArray(names)) continue;
    item[role] = names.map((name) => (name.family && !name.given && !name['non-dropping-particle'] && /\s/.test(name.family) ? { literal: name.family } : name));
  }
  const eprint = field('eprint');
  const link = eprintLinks[field('eprinttype')?.toLowerCase().trim() ?? ''];
  if (eprint && link && !item.URL) item.URL = link + eprint.trim();
  const organization = field('organization');
  if (organization && ['inproceedings', 'proceedings', 'manual', 'misc', 'online'].includes(entryType.toLowerCase())) {
    item.publisher = item.publisher && item.publisher !== organization ? `${organization}; ${item.publisher}` : organization;
  }
  const series = field('series')?.trim();
  if (series && typeof item['collection-title'] === 'string') {
    if (/^\d+$/.test(series)) item['collection-title'] = `${ordinal(Number(series))} series`;
    else if (series === 'newseries') item['collection-title'] = 'New series';
    else if (series === 'oldseries') item['collection-title'] = 'Old series';
  }
  if (typeof item.genre === 'string' && reportGenres[item.genre.toLowerCase()]) item.genre = reportGenres[item.genre.toLowerCase()];
  return item;
}
