// Typst syntax, in one place for every stage that writes Typst (format writes
// citations as markup, render writes the document): escaping for markup and
// strings, and label names. Every character that Typst markup gives a
// meaning (markup, shorthands, comments, line-start syntax) is escaped, so
// text from a chapter or a bibliography field is never code.

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
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(pattern, (ch) => '\\' + ch);
}

/** A Typst string literal: `"…"`. */
export function typstString(text: string): string {
  return '"' + text.replace(/[\\"]/g, (ch) => '\\' + ch).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') + '"';
}

/** A label name Typst accepts in `<…>`: letters, digits, `-`, `_`, `:`, `.`. */
export function typstLabel(name: string): string {
  return name.replace(/[^\p{L}\p{N}_:.-]/gu, (ch) => `_${ch.codePointAt(0)!.toString(16)}_`);
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
