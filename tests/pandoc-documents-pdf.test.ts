// The documents of the Pandoc corpus (tests/fixtures/pandoc/, written after
// Pandoc's own test documents: testsuite, markdown-reader-more, tables,
// pipe tables, citations) built as one thesis: nothing literal is left. Every
// word of the PDF that looks like markup (a TeX command, a table's `&`, a
// raw attribute, a fence, a bracket of a citation or link, a dollar) must be
// a word Pandoc prints too for the same documents (its plain-text output,
// where escaped characters are text), and every heading Pandoc reads is in
// the PDF.
import fs from 'node:fs';
import path from 'node:path';
import { convert } from 'pandoc-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { fixturesDir, removeTempDirs, repoDir, tempDir, write } from './helpers/project.js';

afterAll(removeTempDirs);

const corpusDir = path.join(fixturesDir, 'pandoc');
const documents = fs.readdirSync(corpusDir).filter((name) => name.endsWith('.md')).sort();

/** A word that looks like markup left over. */
const markupLike = /\\[A-Za-z]+|&|\{=|:::|\[@|\]\(|\]\[|\$|\^\[|~~|\*\*|__|```|<\/?[A-Za-z][^>]*>/;

/** Words of the PDF that look like markup and Pandoc does not print, with the reason; nothing else may appear. */
const deliberate: Record<string, string> = {};

const words = (text: string) => new Set(text.split(/\s+/).filter(Boolean));

describe("the Pandoc corpus built as a thesis", () => {
  it('leaves no markup in the PDF that Pandoc does not print, and keeps every heading', async () => {
    const dir = tempDir('pandoc-corpus-');
    for (const name of documents) write(dir, `thesis/${name}`, fs.readFileSync(path.join(corpusDir, name), 'utf8'));
    const bibliography = fs.readFileSync(path.join(repoDir, 'bibliography', 'references.bib'), 'utf8');
    write(dir, 'bibliography/references.bib', bibliography);
    write(dir, 'thesis/thesis.yaml', ['title: The Pandoc corpus', 'author: A', 'lang: en-US', 'toc: false', 'bibliography: bibliography/references.bib', 'chapters:', ...documents.map((name) => `  - ${name}`), ''].join('\n'));
    const result = await runCli(['build', dir]);
    expect(result.stderr).not.toMatch(/: error: /);
    expect(result.status).toBe(0);
    const ours = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');

    let plain = '';
    const headings: string[] = [];
    for (const name of documents) {
      const source = fs.readFileSync(path.join(corpusDir, name), 'utf8');
      const options = { from: 'markdown', citeproc: true, bibliography: ['references.bib'], wrap: 'none' } as const;
      plain += `${(await convert({ ...options, to: 'plain' }, source, { 'references.bib': bibliography })).stdout}\n`;
      const blocks = JSON.parse((await convert({ ...options, to: 'json' }, source, { 'references.bib': bibliography })).stdout).blocks as unknown;
      const collect = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(collect);
        else if (node && typeof node === 'object') {
          const { t, c } = node as { t?: string; c?: unknown };
          if (t === 'Header') headings.push(inlineText((c as [number, unknown, unknown])[2]));
          else collect(c);
        }
      };
      collect(blocks);
    }
    const pandocWords = words(plain);
    const leftOver = [...words(ours)].filter((word) => markupLike.test(word) && !pandocWords.has(word) && !(word in deliberate));
    console.log(`the Pandoc corpus as a thesis: ${leftOver.length} words of markup left that Pandoc does not print; ${headings.length} headings`);
    expect(leftOver).toEqual([]);
    const missing = headings.filter((heading) => !ours.includes(heading));
    expect(missing).toEqual([]);
  }, 120_000);
});

/** The text of Pandoc inlines, as the PDF shows it. */
function inlineText(inlines: unknown): string {
  if (!Array.isArray(inlines)) return '';
  return inlines
    .map((inline: { t: string; c?: unknown }) => {
      switch (inline.t) {
        case 'Str':
          return inline.c as string;
        case 'Space':
        case 'SoftBreak':
          return ' ';
        case 'Code':
        case 'Math':
          return (inline.c as [unknown, string])[1];
        case 'Quoted':
          return `“${inlineText((inline.c as [unknown, unknown])[1])}”`;
        case 'Link':
        case 'Span':
        case 'Image':
        case 'Cite':
          return inlineText((inline.c as [unknown, unknown])[1]);
        case 'Note':
          return '';
        default:
          // Emph, Strong, SmallCaps, …: a list of inlines.
          return inlineText(inline.c);
      }
    })
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}
