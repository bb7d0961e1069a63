// What Pandoc's BibTeX/BibLaTeX reader makes of an entry: the entry as
// Pandoc's model holds it (given back to Pandoc's citeproc as it is), and as
// a CSL-JSON item for the rest of the toolchain. Pandoc's reader understands every TeX command its LaTeX
// reader does (`\slash`, accents in any brace form, `\emph`, `\url`, …),
// splits names as BibTeX does, maps BibLaTeX's types and fields, and turns
// braces that protect case into case protection; hand-mending citation-js
// to match it field by field was a chase without end, so the reader is
// Pandoc's own (pandoc-wasm, on the Pandoc thread: core/pandoc-thread.ts).
//
// Pandoc's `csljson` writer drops case protection, so the entries are read
// as Pandoc's document model (`-t json`: the `references` metadata, rich
// text as inlines) and the CSL item's text written here in CSL-JSON's
// rich-text markup: `<i>`, `<b>`, `<sup>`, `<sub>`, small caps,
// `<span class="nocase">`.
import type { CslDate, CslItem, CslName } from '../resolve/csl-item.js';

/** A value in Pandoc's JSON document model's metadata. */
type MetaValue =
  | { t: 'MetaString'; c: string }
  | { t: 'MetaInlines'; c: Inline[] }
  | { t: 'MetaBlocks'; c: { t: string; c?: unknown }[] }
  | { t: 'MetaList'; c: MetaValue[] }
  | { t: 'MetaMap'; c: Record<string, MetaValue> }
  | { t: 'MetaBool'; c: boolean };

type Inline = { t: string; c?: unknown };

/** CSL's date variables (Pandoc writes them as EDTF strings). */
const DATE_VARIABLES = new Set(['issued', 'accessed', 'event-date', 'original-date', 'submitted', 'available-date']);

/** Variables CSL-JSON spells in capitals; Pandoc's metadata spells every variable in lower case. */
const UPPER_CASE_VARIABLES: Record<string, string> = { url: 'URL', doi: 'DOI', isbn: 'ISBN', issn: 'ISSN', pmid: 'PMID', pmcid: 'PMCID' };

/** Variables that are identifiers, not text to typeset: no markup. */
const PLAIN_VARIABLES = new Set(['id', 'type', 'language', ...Object.keys(UPPER_CASE_VARIABLES)]);

/**
 * The rich text of a field in CSL-JSON's markup; `plain` drops the markup
 * (names, identifiers). TeX that Pandoc kept raw (a command its LaTeX reader
 * does not know) is left out, as Pandoc's citeproc leaves it out, and told
 * to `dropped`.
 */
export function inlinesToCslMarkup(inlines: Inline[], plain = false, dropped: string[] = []): string {
  let out = '';
  const wrap = (open: string, close: string, content: unknown) => {
    const inner = inlinesToCslMarkup(content as Inline[], plain, dropped);
    out += plain ? inner : open + inner + close;
  };
  for (const inline of inlines) {
    switch (inline.t) {
      case 'Str':
        out += inline.c as string;
        break;
      case 'Space':
      case 'SoftBreak':
      case 'LineBreak':
        out += ' ';
        break;
      case 'Emph':
        wrap('<i>', '</i>', inline.c);
        break;
      case 'Strong':
        wrap('<b>', '</b>', inline.c);
        break;
      case 'SmallCaps':
        wrap('<span style="font-variant:small-caps;">', '</span>', inline.c);
        break;
      case 'Superscript':
        wrap('<sup>', '</sup>', inline.c);
        break;
      case 'Subscript':
        wrap('<sub>', '</sub>', inline.c);
        break;
      case 'Underline':
      case 'Strikeout':
        out += inlinesToCslMarkup(inline.c as Inline[], plain, dropped);
        break;
      case 'Quoted': {
        const [kind, content] = inline.c as [{ t: string }, Inline[]];
        const [open, close] = kind.t === 'SingleQuote' ? ['\u2018', '\u2019'] : ['\u201c', '\u201d'];
        out += open + inlinesToCslMarkup(content, plain, dropped) + close;
        break;
      }
      case 'Span': {
        const [[, classes], content] = inline.c as [[string, string[], unknown], Inline[]];
        if (classes.includes('nocase')) wrap('<span class="nocase">', '</span>', content);
        else out += inlinesToCslMarkup(content, plain, dropped);
        break;
      }
      case 'Link':
        out += inlinesToCslMarkup((inline.c as [unknown, Inline[], unknown])[1], plain, dropped);
        break;
      case 'Code':
        out += (inline.c as [unknown, string])[1];
        break;
      case 'Math':
        out += `$${(inline.c as [unknown, string])[1]}$`;
        break;
      case 'Cite':
        out += inlinesToCslMarkup((inline.c as [unknown, Inline[]])[1], plain, dropped);
        break;
      case 'RawInline':
        dropped.push((inline.c as [string, string])[1]);
        break;
      // Note, Image: nothing Pandoc's citeproc prints either.
      default:
        break;
    }
  }
  return out;
}

function metaText(value: MetaValue, plain: boolean, dropped: string[] = []): string {
  switch (value.t) {
    case 'MetaString':
      return value.c;
    case 'MetaInlines':
      return inlinesToCslMarkup(value.c, plain, dropped);
    case 'MetaBool':
      return String(value.c);
    case 'MetaList':
      return value.c.map((part) => metaText(part, plain, dropped)).join(', ');
    case 'MetaBlocks':
      return value.c.map((block) => (Array.isArray(block.c) ? inlinesToCslMarkup(block.c as Inline[], plain, dropped) : '')).join(' ');
    case 'MetaMap':
      return '';
  }
}

function cslName(value: MetaValue, dropped: string[]): CslName {
  if (value.t !== 'MetaMap') return { literal: metaText(value, true, dropped) };
  const name: CslName = {};
  for (const [part, text] of Object.entries(value.c)) {
    if (['family', 'given', 'literal', 'non-dropping-particle', 'dropping-particle', 'suffix'].includes(part)) {
      name[part as keyof CslName] = metaText(text, true, dropped);
    }
  }
  return name;
}

/**
 * An EDTF date as Pandoc writes it (`2019`, `2019-03`, `2019-05-03/2020-01`,
 * `2019~` circa, `2019-21` spring, `-0044`), as CSL date parts; anything
 * else is kept as a literal, which a CSL processor prints as it is.
 */
export function edtfToCslDate(text: string): CslDate {
  const trimmed = text.trim();
  const circa = /[~?%]/.test(trimmed);
  const parts = trimmed.replace(/[~?%]/g, '').split('/');
  const dates: (number | string)[][] = [];
  let season: number | undefined;
  for (const part of parts) {
    if (part === '' || part === '..') continue;
    const match = /^(-?\d{1,4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(part);
    if (!match) return { literal: trimmed };
    const year = Number(match[1]);
    const month = match[2] === undefined ? undefined : Number(match[2]);
    const day = match[3] === undefined ? undefined : Number(match[3]);
    // EDTF's 21–24 are the seasons.
    if (month !== undefined && month >= 21 && month <= 24) {
      season = month - 20;
      dates.push([year]);
    } else dates.push([year, ...(month === undefined ? [] : [month]), ...(day === undefined ? [] : [day])]);
  }
  if (dates.length === 0) return { literal: trimmed };
  const date: CslDate & { circa?: boolean; season?: number } = { 'date-parts': dates };
  if (circa) date.circa = true;
  if (season !== undefined) date.season = season;
  return date;
}

/** An item as Pandoc read it, and the TeX in its fields that Pandoc could not read and left out. */
export interface PandocItem {
  item: CslItem;
  /** The entry as Pandoc's model holds it (a metadata map), which Pandoc's citeproc is given back. */
  meta: unknown;
  dropped: string[];
}

/** The CSL items in Pandoc's `references` metadata (the JSON document its BibTeX reader writes). */
export function referencesToCslItems(document: { meta?: Record<string, MetaValue> }): PandocItem[] {
  const references = document.meta?.references;
  if (!references || references.t !== 'MetaList') return [];
  const items: PandocItem[] = [];
  for (const reference of references.c) {
    if (reference.t !== 'MetaMap') continue;
    const item: CslItem = { id: '', type: '' };
    const dropped: string[] = [];
    for (const [variable, value] of Object.entries(reference.c)) {
      if (DATE_VARIABLES.has(variable)) item[variable] = edtfToCslDate(metaText(value, true));
      else if (value.t === 'MetaList' && value.c.every((name) => name.t === 'MetaMap')) item[variable] = value.c.map((name) => cslName(name, dropped));
      else if (PLAIN_VARIABLES.has(variable)) item[UPPER_CASE_VARIABLES[variable] ?? variable] = metaText(value, true, dropped);
      else item[variable] = metaText(value, false, dropped);
    }
    if (item.id) items.push({ item, meta: reference, dropped });
  }
  return items;
}
