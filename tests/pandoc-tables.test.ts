// Pandoc's simple, multiline and grid tables (parse/pandoc-tables.ts): the
// edge cases of where a table starts and ends, checked against Pandoc itself,
// and cell content placed at its line and column in the chapter.
import { convert } from 'pandoc-wasm';
import type { Nodes } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseChapter } from '../scripts/parse/markdown.js';
import { OurNormalForm, pandocBlocks } from './helpers/normal-form.js';

async function pandocReads(source: string): Promise<string[]> {
  return pandocBlocks(JSON.parse((await convert({ from: 'markdown', to: 'json' }, source, {})).stdout).blocks);
}

const weRead = (source: string) => new OurNormalForm(parseChapter('chapter.md', source).tree, source).blocks();

describe("Pandoc's plain-text tables", () => {
  const cases: Record<string, string> = {
    'a one-run dashed line under text is a heading, not a table': 'Text\n----\nrow\n',
    'dashes glued to the paragraph above': 'A paragraph\n\n  Right   Left\n-------   ------\n     12   12\n',
    'a headerless table needs its closing dashes': '-----  -----\n a     b\n\nafter\n',
    'a grid line short of its right border': '+---+---+\n| a | b\n+---+---+\n',
    'a grid whose inner borders do not meet is text': '+---+---+\n| a   b |\n+-------+---+\n',
    'a heading line is never a header row': '# Heading\n-----  -----\n a     b\n-----  -----\n',
    'rows may look like headings or lists': '  A       B\n  ------  ------\n  # one   - two\n  1. x    > y\n',
    'a table right after front matter': '---\ntitle: T\n---\n  A    B\n  ---  ---\n  1    2\n',
  };
  for (const [name, source] of Object.entries(cases)) {
    it(name, async () => {
      const theirs = await pandocReads(source.replace(/^---\ntitle: T\n---\n/, ''));
      const ours = weRead(source);
      expect(ours).toEqual(theirs);
    });
  }

  it('keeps the whole header of a multiline table when it holds a blank line (Pandoc drops what follows the blank line)', async () => {
    const source = '--------------\n A      B\n\n C      D\n-----  -----\n x      y\n--------------\n';
    expect(await pandocReads(source)).toEqual(['table[]{CC 0.097 0.097 | head: A | B | body: x | y}']);
    expect(weRead(source)).toEqual(['table[]{CC 0.097 0.097 | head: A C | B D | body: x | y}']);
  });

  it('places cell content at its line and column, so a citation in a cell is reported where it is written', () => {
    const source = ['Intro.', '', '-------------------------', ' Term     Source', '-------  ----------------', ' SCS      As in', '          [@unknown2020].', '', ' 信用     x [@other]', '-------------------------', ''].join('\n');
    const { tree } = parseChapter('chapter.md', source);
    const cites: { key: string; line: number; column: number }[] = [];
    const walk = (node: Nodes) => {
      if (node.type === 'cite') for (const item of node.items) cites.push({ key: item.key, line: node.position!.start.line, column: node.position!.start.column });
      if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
    };
    walk(tree);
    expect(cites).toEqual([
      { key: 'unknown2020', line: 7, column: 11 },
      { key: 'other', line: 9, column: 11 },
    ]);
    const offsets = cites.map((cite) => source.split('\n')[cite.line - 1].slice(cite.column - 1, cite.column + 1));
    expect(offsets).toEqual(['[@', '[@']);
  });
});
