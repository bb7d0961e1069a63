// Whole documents read by us and by Pandoc (pandoc-wasm, Pandoc 3), compared
// block by block and token by token in one normal form (helpers/normal-form.ts).
// The agreement is printed as a figure; every Pandoc block we do not read the
// same way is listed below with the reason, so a new difference fails the
// test, and so does one that went away without the list being updated.
import fs from 'node:fs';
import path from 'node:path';
import { convert } from 'pandoc-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { toString } from 'mdast-util-to-string';
import { parseChapter } from '../scripts/parse/markdown.js';
import { assignHeadingIds } from '../scripts/parse/heading-ids.js';
import { linkHeaderReferences } from '../scripts/resolve/header-references.js';
import { visit } from 'unist-util-visit';
import { OurNormalForm, pandocBlocks } from './helpers/normal-form.js';
import { fixturesDir } from './helpers/project.js';

const corpusDir = path.join(fixturesDir, 'pandoc');
const documents = fs.readdirSync(corpusDir).filter((name) => name.endsWith('.md')).sort();


/** Pandoc blocks we read differently, by document, with the reason. */
const knownDifferences: Record<string, Record<string, string>> = {
  'commonmark.md': {
    'p: A paragraph of plain prose about the Social Credit System, with _(emphasis), *(strong emphasis), *(_(both at once)), `inline code` and a hard line break at the end of this line⏎that continues here.':
      'deliberate: CommonMark nests ***x*** as emphasis around strong, Pandoc as strong around emphasis; both are typeset as bold italic',
  },
  'testsuite-spirit.md': {
    "raw(html): <table>":
      "deliberate: the tags of an HTML block are kept together as one raw block (reported, not typeset) and the Markdown between them is read, as Pandoc's PDF output shows it; Pandoc keeps one raw block per tag",
    "raw(html): <tr>":
      "deliberate: the tags of an HTML block are kept together as one raw block (reported, not typeset) and the Markdown between them is read, as Pandoc's PDF output shows it; Pandoc keeps one raw block per tag",
    "raw(html): <td>":
      "deliberate: the tags of an HTML block are kept together as one raw block (reported, not typeset) and the Markdown between them is read, as Pandoc's PDF output shows it; Pandoc keeps one raw block per tag",
    "raw(html): </td>":
      "deliberate: the tags of an HTML block are kept together as one raw block (reported, not typeset) and the Markdown between them is read, as Pandoc's PDF output shows it; Pandoc keeps one raw block per tag",
    "raw(html): </tr>":
      "deliberate: the tags of an HTML block are kept together as one raw block (reported, not typeset) and the Markdown between them is read, as Pandoc's PDF output shows it; Pandoc keeps one raw block per tag",
    "raw(html): </table>":
      "deliberate: the tags of an HTML block are kept together as one raw block (reported, not typeset) and the Markdown between them is read, as Pandoc's PDF output shows it; Pandoc keeps one raw block per tag",
    "p: *(_(Strong and emphasised.)) So is *(_(this)) word.":
      "deliberate: CommonMark nests ***x*** as emphasis around strong, Pandoc as strong around emphasis; both are typeset as bold italic",
    "ul[p: raw(\\cite[22-23]{creemers2018}) || p: $2+2=4$ and $x \\in y$ and $p$-value || p: display: $$\\frac{d}{dx}f(x)=\\lim_{h\\to 0}\\frac{f(x+h)-f(x)}{h}$$]":
      "deliberate: \\cite{…} in running text is a citation here (issue 11: LaTeX citation commands as citations); Pandoc keeps it as raw LaTeX",
  },
  'reader-more.md': {
    'ul[p: pilot cities <!– || p: provinces –> || p: ministries]':
      'deliberate: an HTML comment on the line after a list item hides the lines it holds (CommonMark: an HTML block), as the writer meant; Pandoc reads `<!--` as text of the item and lists the item it was to hide',
  },
};

/** Longest common subsequence of two lists: which items line up. */
function common<T>(a: T[], b: T[]): T[] {
  const table = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const out: T[] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return out;
}

const tokens = (blocks: string[]) => blocks.flatMap((block) => block.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []);

interface Comparison {
  pandoc: string[];
  ours: string[];
  blocksEqual: number;
  tokensEqual: number;
  tokensTotal: number;
  unmatched: string[];
}

describe('whole documents, compared with Pandoc', () => {
  const results = new Map<string, Comparison>();
  beforeAll(async () => {
    for (const name of documents) {
      const source = fs.readFileSync(path.join(corpusDir, name), 'utf8');
      const pandoc = pandocBlocks(JSON.parse((await convert({ from: 'markdown', to: 'json' }, source, {})).stdout).blocks);
      const { tree } = parseChapter(path.join(corpusDir, name), source);
      // As the resolve step does for the thesis: identifiers, then links to headings by their text.
      assignHeadingIds([tree]);
      linkHeaderReferences([tree]);
      const ours = new OurNormalForm(tree, source).blocks();
      const matched = common(pandoc, ours);
      const matchedSet = new Set(matched);
      results.set(name, {
        pandoc,
        ours,
        blocksEqual: matched.length,
        tokensEqual: common(tokens(pandoc), tokens(ours)).length,
        tokensTotal: tokens(pandoc).length,
        unmatched: pandoc.filter((block) => !matchedSet.has(block)),
      });
    }
    const total = (pick: (c: Comparison) => number) => [...results.values()].reduce((sum, c) => sum + pick(c), 0);
    const lines = [...results].map(([name, c]) => `  ${name.padEnd(24)} blocks ${c.blocksEqual}/${c.pandoc.length}, tokens ${c.tokensEqual}/${c.tokensTotal}`);
    console.log(
      `agreement with Pandoc: blocks ${total((c) => c.blocksEqual)}/${total((c) => c.pandoc.length)} (${((100 * total((c) => c.blocksEqual)) / total((c) => c.pandoc.length)).toFixed(1)}%), ` +
        `tokens ${total((c) => c.tokensEqual)}/${total((c) => c.tokensTotal)} (${((100 * total((c) => c.tokensEqual)) / total((c) => c.tokensTotal)).toFixed(1)}%)\n${lines.join('\n')}`,
    );
  }, 120_000);

  for (const name of documents) {
    it(`reads ${name} as Pandoc does, but for the listed differences`, () => {
      const result = results.get(name)!;
      expect(result.pandoc.length).toBeGreaterThan(5);
      expect(Object.fromEntries(result.unmatched.map((block) => [block, knownDifferences[name]?.[block] ?? 'NOT LISTED']))).toEqual(knownDifferences[name] ?? {});
    });
  }
});

describe("Pandoc's title block", () => {
  it('gives the chapter its title; author and date lines are reported, not printed', () => {
    const { tree, frontMatter, diagnostics } = parseChapter('chapter.md', '% The Social Credit System\n  in practice\n% A. Writer\n% 2026\n\nText.\n');
    expect(frontMatter.title).toBe('The Social Credit System in practice');
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph']);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`)).toEqual(['2:1 attribute-ignored']);
    const short = parseChapter('chapter.md', '% A title\nand the text at once.\n');
    expect(short.frontMatter.title).toBe('A title');
    expect(toString(short.tree)).toBe('and the text at once.');
  });
});

describe("Pandoc's automatic heading identifiers", () => {
  it('are the ones Pandoc gives, heading by heading, over the whole corpus', async () => {
    let total = 0;
    const differing: string[] = [];
    for (const name of documents) {
      const source = fs.readFileSync(path.join(corpusDir, name), 'utf8');
      const pandoc = JSON.parse((await convert({ from: 'markdown', to: 'json' }, source, {})).stdout).blocks as { t: string; c: [number, [string]] }[];
      const theirs: string[] = [];
      const collect = (blocks: unknown): void => {
        if (!Array.isArray(blocks)) return;
        for (const block of blocks as { t?: string; c?: unknown }[]) {
          if (block?.t === 'Header') theirs.push((block.c as [number, [string]])[1][0]);
          else if (block && typeof block === 'object') collect(block.c);
        }
      };
      collect(pandoc);
      const { tree } = parseChapter(path.join(corpusDir, name), source);
      assignHeadingIds([tree]);
      const ours: string[] = [];
      visit(tree, 'heading', (heading) => void ours.push(heading.data?.label ?? heading.data?.autoId ?? ''));
      total += theirs.length;
      theirs.forEach((id, index) => {
        if (ours[index] !== id) differing.push(`${name}: ${id} / ${ours[index]}`);
      });
    }
    console.log(`heading identifiers: ${total - differing.length} of ${total} as Pandoc gives them`);
    expect(differing).toEqual([]);
  });
});
