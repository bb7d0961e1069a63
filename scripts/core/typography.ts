// Pandoc's `smart` typography for prose, wherever text reaches the PDF (the
// chapters' text, citation prefixes, suffixes and locators): `---` is an em
// dash, `--` an en dash, `...` an ellipsis. Quotes are left to Typst, which
// sets them for the document's language.
export function smartPunctuation(text: string): string {
  return text.replace(/---/g, '\u2014').replace(/--/g, '\u2013').replace(/\.\.\./g, '\u2026');
}
