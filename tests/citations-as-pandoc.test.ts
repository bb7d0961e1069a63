// Each citation as Pandoc prints it (issue 20): the same chapter, entries
// and style formatted by a build and by Pandoc 3 (pandoc-wasm), citation by
// citation — the order of works in a bracket ("see" and "also" stay with
// their works), locators, prefixes and suffixes, author-in-text and
// suppressed-author forms, and in a note style first, subsequent and ibid.
// citations, citations inside footnotes in parentheses unless they open the
// note.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { convert } from 'pandoc-wasm';
import { describe, expect, it } from 'vitest';
import { plainText, fromPandocInlines, type PandocInline } from '../scripts/format/rich-text.js';
import { ThesisBuild } from '../scripts/pipeline.js';
import { fixturesDir, tempDir, write } from './helpers/project.js';

const require = createRequire(import.meta.url);
const builtIn = require('@citation-js/plugin-csl/lib/styles.json') as Record<string, string>;
const styleFile = (name: string) => fs.readFileSync(path.join(fixturesDir, 'styles', name), 'utf8');

const bibliography = `
@book{aaa, author = {Aaa, Anna}, title = {First Book}, year = {2000}, publisher = {P}}
@book{bbb, author = {Bbb, Ben}, title = {Second Book}, year = {2000}, publisher = {P}}
@book{ccc, author = {Ccc, Cleo}, title = {Third Book}, year = {2000}, publisher = {P}}
@article{foucault1977, author = {Foucault, Michel}, title = {Discipline and Punish}, journal = {J}, year = {1977}}
@article{doe2024, author = {Doe, Jane}, title = {An Example}, journal = {J}, year = {2024}}
`;

const chapter = `# Citations

One [see @foucault1977, pp. 170--172; also @doe2024].

Two [@ccc; @aaa].

Three [@ccc; @bbb; see @aaa].

Four [see @ccc; @bbb; @aaa].

Five [@ccc; @bbb, a suffix; @aaa].

Six @foucault1977 [p. 33] says.

Seven [-@doe2024, chap. 2].

Eight @aaa [p. 3; @bbb] says.

Nine [*see* @ccc, p. 3].

Ten [@aaa, p. 4].

Eleven [@aaa, p. 5].

Twelve.[^1]

[^1]: A note citing [@bbb] and [@ccc, p. 7].

Thirteen.[^2]

[^2]: [@ccc] opens this note.
`;

/** The text of each citation, in document order, as Pandoc formats the chapter. */
async function pandocCitations(styleXml: string): Promise<string[]> {
  const result = await convert({ from: 'markdown', to: 'json', citeproc: true, bibliography: ['references.bib'], csl: 'style.csl' }, chapter, { 'references.bib': bibliography, 'style.csl': styleXml });
  const cites: PandocInline[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const node = value as PandocInline;
      if (node.t === 'Cite') cites.push(node);
      else if ('c' in node) walk(node.c);
    }
  };
  walk((JSON.parse(result.stdout) as { blocks: unknown }).blocks);
  return cites.map((cite) => plainText(fromPandocInlines((cite.c as [unknown, PandocInline[]])[1], () => false)).trim());
}

function ourCitations(styleXml: string): string[] {
  const dir = tempDir('citations-');
  write(dir, 'bibliography/references.bib', bibliography);
  write(dir, 'thesis/style.csl', styleXml);
  write(dir, 'thesis/thesis.yaml', 'title: T\nauthor: A\nlang: en-US\ncsl: style.csl\nbibliography: bibliography/references.bib\nchapters: [a.md]\n');
  write(dir, 'thesis/a.md', chapter);
  const result = new ThesisBuild(dir).run({ until: 'format' });
  const { citations, formatted } = result.analysis!;
  return citations.map((use) => plainText(formatted!.citations.get(use.id) ?? []).trim());
}

describe('citations as Pandoc prints them', () => {
  for (const [name, xml] of [
    ['APA', builtIn.apa],
    ['IEEE', styleFile('ieee.csl')],
    ['a note style', styleFile('minimal-note.csl')],
  ] as const) {
    it(`in ${name}: every citation of the chapter, word for word`, async () => {
      const ours = ourCitations(xml);
      const pandoc = await pandocCitations(xml);
      expect(ours).toEqual(pandoc);
    }, 60_000);
  }

  it('keeps "see" and "also" with their works, as Pandoc does', () => {
    const ours = ourCitations(builtIn.apa);
    expect(ours[0]).toBe('(see Foucault, 1977, pp. 170–172; also Doe, 2024)');
    expect(ours[1]).toBe('(Aaa, 2000; Ccc, 2000)');
    expect(ours[2]).toBe('(Bbb, 2000; Ccc, 2000; see Aaa, 2000)');
  }, 60_000);
});
