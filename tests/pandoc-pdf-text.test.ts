// The text of our PDF against Pandoc's plain-text output of the same
// chapter (pandoc-wasm, Pandoc 3, with --citeproc and the same APA style
// and bibliography): the words a reader sees, in order. The agreement is
// printed; what differs on purpose is listed below.
import fs from 'node:fs';
import path from 'node:path';
import { convert } from 'pandoc-wasm';
import { describe, expect, it } from 'vitest';
import { StyleLibrary } from '../scripts/format/style-library.js';
import { runCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject } from './helpers/project.js';

/** The style the thesis names (`csl: apa`), as the build finds it. */
const apa = StyleLibrary.shared()!.style('apa')!.xml;

/**
 * Deliberate differences: Pandoc without pandoc-crossref leaves `@tbl:x` as an
 * unknown citation ("tbl:techniques?"), where we write "Table 1"; our PDF also
 * has a title page, numbered headings, a table caption label and page numbers.
 * Those are words on one side only and are left out of the count below.
 */
const pandocOnly = new Set(['tbl', 'techniques']);

const subscriptDigits = '₀₁₂₃₄₅₆₇₈₉';
const superscriptDigits = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/**
 * The words of a text, lower-cased: Pandoc's plain text writes H₂O and 2¹⁰
 * with Unicode digits where the PDF sets smaller ones, and a hyphen at a
 * PDF line end cannot be told from a hyphenation, so hyphens join words.
 */
const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/[₀-₉]/g, (d) => String(subscriptDigits.indexOf(d)))
    .replace(/[⁰¹²³⁴-⁹]/g, (d) => String(superscriptDigits.indexOf(d)))
    .replace(/(\p{L})-(\p{L})/gu, '$1$2')
    .match(/[\p{L}\p{N}]+/gu) ?? [];

function commonLength(a: string[], b: string[]): number {
  const row = new Uint32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
      diagonal = above;
    }
  }
  return row[b.length];
}

describe('the PDF text, compared with Pandoc', () => {
  it('has Pandoc\'s words in Pandoc\'s order, and no Markdown left in it', async () => {
    const dir = copyProject('pandoc-pdf');
    const result = await runCli(['build', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const ours = await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')));

    const chapter = fs.readFileSync(path.join(dir, 'thesis', 'chapter.md'), 'utf8');
    const bibliography = fs.readFileSync(path.join(dir, 'bibliography', 'references.bib'), 'utf8');
    const pandoc = await convert({ from: 'markdown', to: 'plain', citeproc: true, bibliography: ['references.bib'], csl: 'apa.csl', wrap: 'none' }, chapter, { 'references.bib': bibliography, 'apa.csl': apa });
    // Block by block: footnotes sit at the page's foot in the PDF and at the end in
    // Pandoc's text, and a table's caption above it; each block's words must be there, in order.
    const ourWords = words(ours);
    const blocks = pandoc.stdout.split(/\n\s*\n/).map((block) => words(block).filter((word) => !pandocOnly.has(word)));
    const total = blocks.reduce((sum, block) => sum + block.length, 0);
    const found = blocks.reduce((sum, block) => sum + commonLength(block, ourWords), 0);
    const agreement = found / total;
    console.log(`PDF text against Pandoc's plain text: ${found} of Pandoc's ${total} words (${(agreement * 100).toFixed(1)}%), block by block, in order`);
    expect(agreement).toBeGreaterThan(0.97);

    for (const markup of ['[@', '@simon', '~~', '~2~', '^10^', ':::', '{.', '^[', '\\', '$$', '| ', '---', '+--', '+==']) expect(ours, markup).not.toContain(markup);
    expect(ours).toContain('The grant was $20,000 and the');
    expect(ours).toContain('$30,000.');
    expect(ours).toContain('Table 1');
  }, 120_000);
});
