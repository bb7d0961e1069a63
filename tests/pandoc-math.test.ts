// Dollar math, compared with Pandoc itself (pandoc-wasm, Pandoc 3): which
// dollars open and close a formula, what the formula is, and which stay
// text. Every input is read by both and must give the same formulas.
import type { Nodes } from 'mdast';
import { convert } from 'pandoc-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseChapter } from '../scripts/parse/markdown.js';

const corpus = [
  'The grant was $20,000 and the follow-up $30,000.',
  'Chars: # $ % & ~ _',
  'Inline $x^2$ math and $a + b$ too.',
  'A $ x $ is not math.',
  'A closing dollar before a digit: $x$5 is text.',
  'Costs $5 or $x$ each.',
  'Escaped \\$x$ is text; $a\\$b$ holds a dollar.',
  'Display $$E = mc^2$$ in a paragraph.',
  'Over two lines $a +\nb$ is one formula.',
  'Two $a$ and $b$ formulas, $c$.',
  'Money: $3.50, $4 and $$ alone.',
  'A formula $\\frac{1}{2}$, then text $ with a lone dollar.',
  '$x$ at the start and at the end $y$',
  '$$\nx = 1\n$$',
  '$$\nx = 1\n$$ {#eq:x}\n\nThe text after a labelled block is prose, $y$.',
  'Unclosed $x and more text.',
];

type Formula = [kind: 'inline' | 'display', tex: string];

function pandocFormulas(node: unknown, out: Formula[] = []): Formula[] {
  if (Array.isArray(node)) node.forEach((child) => pandocFormulas(child, out));
  else if (node && typeof node === 'object') {
    const element = node as { t?: string; c?: unknown };
    if (element.t === 'Math') {
      const [kind, tex] = element.c as [{ t: string }, string];
      out.push([kind.t === 'DisplayMath' ? 'display' : 'inline', tex.trim()]);
    } else Object.values(element).forEach((value) => pandocFormulas(value, out));
  }
  return out;
}

function ourFormulas(markdown: string): Formula[] {
  const { tree } = parseChapter('input.md', markdown);
  const out: Formula[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'inlineMath') {
      const offset = node.position?.start.offset ?? 0;
      out.push([markdown.slice(offset, offset + 2) === '$$' ? 'display' : 'inline', node.value.trim()]);
    } else if (node.type === 'math' || node.type === 'displayMath') out.push(['display', node.value.trim()]);
    if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  walk(tree);
  return out;
}

describe('dollar math, compared with Pandoc', () => {
  const expected = new Map<string, Formula[]>();
  beforeAll(async () => {
    for (const input of corpus) expected.set(input, pandocFormulas(JSON.parse((await convert({ from: 'markdown', to: 'json' }, input, {})).stdout)));
  }, 120_000);

  it('has formulas and non-formulas in the corpus (the comparison is not vacuous)', () => {
    expect(corpus.filter((input) => expected.get(input)!.length > 0).length).toBeGreaterThan(5);
    expect(corpus.filter((input) => expected.get(input)!.length === 0).length).toBeGreaterThan(3);
  });

  for (const input of corpus) {
    it(`reads ${JSON.stringify(input)} as Pandoc does`, () => {
      expect(ourFormulas(input)).toEqual(expected.get(input));
    });
  }
});
