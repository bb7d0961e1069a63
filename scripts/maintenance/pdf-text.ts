// The text of a PDF as a reader would copy it, page by page (pdf.js, a dev
// dependency: for the tests and the maintenance scripts, not the toolchain).
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';

export async function pdfPages(data: Uint8Array): Promise<string[]> {
  const document = await pdfjs.getDocument({ data: new Uint8Array(data), verbosity: 0 }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const page = await document.getPage(number);
    const content = await page.getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  await document.destroy();
  return pages;
}

/**
 * All pages as one line for searching: hyphenation at line ends (a hyphen
 * between lower-case letters) is undone, line breaks become spaces.
 */
export async function pdfText(data: Uint8Array): Promise<string> {
  const pages = await pdfPages(data);
  return pages.join('\n').replace(/(\p{Ll})-\n(\p{Ll})/gu, '$1$2').replace(/\s+/g, ' ');
}

/** The index of the last page holding the text (-1 when none does): the contents name the chapters too. */
export function lastPageWith(pages: readonly string[], text: string): number {
  for (let index = pages.length - 1; index >= 0; index--) if (pages[index].includes(text)) return index;
  return -1;
}
