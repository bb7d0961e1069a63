// Typst syntax, in one place for every stage that writes Typst (format writes
// citations as markup, render writes the document): escaping for markup and
// strings, and label names. Every character that Typst markup gives a
// meaning (markup, shorthands, comments, line-start syntax) is escaped, so
// text from a chapter or a bibliography field is never code.
import { wholeGlyphFamily } from './fonts.js';

/** Characters with a meaning somewhere in Typst markup. */
// `;` ends an embedded expression (`#emph[a]; b` loses the semicolon).
const markupSpecial = /[\\#*_`$<>@[\]~/=\-+.:;'"{}()]/g;
const markupSpecialButQuotes = /[\\#*_`$<>@[\]~/=\-+.:;{}()]/g;

export interface EscapeOptions {
  /** Leave straight quotes to Typst, which sets them as curly quotes for the document language. */
  smartQuotes?: boolean;
}

export function escapeMarkup(text: string, options: EscapeOptions = {}): string {
  const pattern = options.smartQuotes ? markupSpecialButQuotes : markupSpecial;
  // A lone carriage return or other control character would end up in the
  // PDF as nothing useful; tabs become spaces as in HTML.
  const escaped = closeDirectionalFormatting(text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')).replace(pattern, (ch) => '\\' + ch);
  // A character the main font would draw taken apart (≠ as = and a stroke) is set whole in a font that has it
  // (core/fonts.ts); the `;` ends the call, so a `(` or `[` after it stays text.
  return /[^\u0000-\u007f]/.test(escaped) ? escaped.replace(/[^\u0000-\u007f]/gu, (ch) => {
    const family = wholeGlyphFamily(ch);
    return family ? `#text(font: ${typstString(family)})[${ch}];` : ch;
  }) : escaped;
}

/**
 * The invisible bidirectional embeddings and overrides (U+202A–U+202E) are
 * left out, and isolates left open (U+2066–U+2068) are closed: Typst carries
 * an override on into later text, where it reorders and mirrors what the
 * writer wrote (`<y>` set as `>y<`, the "Trojan source" trick); Typst sets
 * the direction of right-to-left script by itself.
 */
function closeDirectionalFormatting(text: string): string {
  if (!/[\u202a-\u202e\u2066-\u2069]/.test(text)) return text;
  const stripped = text.replace(/[\u202a-\u202e]/g, '');
  let isolates = 0;
  for (const ch of stripped) {
    if (ch >= '\u2066' && ch <= '\u2068') isolates++;
    else if (ch === '\u2069') isolates = Math.max(0, isolates - 1);
  }
  return stripped + '\u2069'.repeat(isolates);
}

/** A Typst string literal: `"…"`. */
export function typstString(text: string): string {
  return '"' + closeDirectionalFormatting(text).replace(/[\\"]/g, (ch) => '\\' + ch).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + '"';
}

/** A label name Typst accepts in `<…>`: identifier characters, `-`, `:`, `.`. */
export function typstLabel(name: string): string {
  // What Typst's label syntax takes: identifier characters (XID_Continue, as Typst reads them; not every
  // number or letter-like character is one: U+1377 ፷ is not), `:`, `.` and `-`.
  return name.replace(/[^\p{XID_Continue}:.-]/gu, (ch) => `_${ch.codePointAt(0)!.toString(16)}_`);
}

/** The label of a reference-list entry, which citations link to. */
export function referenceLabel(key: string): string {
  return typstLabel(`ref-${key}`);
}

/**
 * After a call such as `#emph[…]`, a directly following `;` `.` `[` or `(`
 * would be read as part of the call. Text is escaped already; this guards
 * punctuation that citeproc inserts unescaped (delimiters between items).
 */
export function guardAfterCalls(markup: string): string {
  return markup.replace(/(^|[^\\])\]([;.[(])/g, '$1]\\$2');
}

/** A no-break space after "p.", "pp.", "chap." … before a number, as Pandoc does. */
export function keepLocatorTogether(markup: string): string {
  return markup.replace(/\b(p|pp|chap|sec|para|vol|no|fig|n|nn|l|ll|ed|col)\\\. (?=[\dIVXLCivxlc])/g, '$1\\.\u00a0');
}
