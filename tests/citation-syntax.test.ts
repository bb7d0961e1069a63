// The citation parser against Pandoc itself: pandoc-wasm (Pandoc 3 compiled
// to WebAssembly, a dev dependency) reads the same inputs, and every
// citation's key, mode, prefix and suffix must match.
import { toString } from 'mdast-util-to-string';
import type { Cite, Nodes } from 'mdast';
import { convert } from 'pandoc-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { smartPunctuation } from '../scripts/core/typography.js';
import { parseChapter } from '../scripts/parse/markdown.js';

const corpus = [
  // Bare URLs and e-mail addresses are text in Pandoc's Markdown, not links: an `@` after `/` starts a citation there.
  'url https://example.org/@a is text',
  'mail scs@example.org or www.example.org/@b',
  '[@foucault1977]',
  'Text [@foucault1977, p. 33].',
  '[see @foucault1977, pp. 33-35; also @simon2005]',
  '[see *this* @a, chap. 2, emphasis added; @b]',
  '@foucault1977 says',
  '@foucault1977 [p. 33] says',
  '@foucault1977 [pp. 33-35, 40] says',
  '[-@foucault1977]',
  'As -@foucault1977 shows',
  '[-@a, p. 4; @b]',
  '[@a:b.c_d-e.]',
  '[@smith2004:intro]',
  '@Müller2020 and [@Łukasz_2019]',
  '[@a; @b; @c]',
  '[@a] [@b]',
  'x[@a]',
  '[p. 3 @a]',
  '[@a, {pp. iv, vi-xi}]',
  'see @a, p. 3',
  '@{foo_bar.2020} and [@{weird:key}]',
  'mail me at name@example.org',
  'escaped \\@a is text',
  'code `@a` is text',
  'trailing @a.',
  '@a, @b and @c.',
  '*emphasis @a*',
  '**[@a]**',
  'Footnote.[^1]\n\n[^1]: See @a [p. 2].',
  '[Not a citation]',
  '[@a, sec. 4]',
  '[@a 12]',
  '[compare @a; @b, p. 380]',
  '@a [p. 33; @b] says',
  '@a [p. 33; see @b, chap. 2] says',
  '@a [suffix text] and @b [, with comma]',
  '@a [a link](https://example.org) is not a suffix',
  '@a [p. 3]{.class} is a span, not a suffix',
  '[@a, pp. 93--101]',
  'An escaped \\[bracket before @a is no citation bracket',
  'Escaped brackets \\[@a\\] around a key',
];

interface Citation {
  key: string;
  mode: string;
  prefix: string;
  suffix: string;
}

type PandocInline = { t: string; c?: unknown };

function pandocText(inlines: PandocInline[]): string {
  return inlines
    .map((inline) => {
      switch (inline.t) {
        case 'Str':
          // Pandoc puts a no-break space after abbreviations such as "p."; compare text, not spacing.
          return (inline.c as string).replace(/\u00a0/g, ' ');
        case 'Space':
        case 'SoftBreak':
          return ' ';
        case 'Emph':
        case 'Strong':
          return pandocText(inline.c as PandocInline[]);
        default:
          return '';
      }
    })
    .join('');
}

function pandocCitations(node: unknown, out: Citation[] = []): Citation[] {
  if (Array.isArray(node)) node.forEach((n) => pandocCitations(n, out));
  else if (node && typeof node === 'object') {
    const element = node as { t?: string; c?: unknown };
    if (element.t === 'Cite') {
      const [citations] = element.c as [{ citationId: string; citationMode: { t: string }; citationPrefix: PandocInline[]; citationSuffix: PandocInline[] }[]];
      for (const c of citations)
        out.push({ key: c.citationId, mode: c.citationMode.t, prefix: pandocText(c.citationPrefix).trim(), suffix: pandocText(c.citationSuffix).trim() });
    } else Object.values(element).forEach((v) => pandocCitations(v, out));
  }
  return out;
}

const modes = { normal: 'NormalCitation', 'in-text': 'AuthorInText', 'suppress-author': 'SuppressAuthor' } as const;

function ourCitations(markdown: string): Citation[] {
  const { tree } = parseChapter('input.md', markdown);
  const out: Citation[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'cite') {
      for (const item of (node as Cite).items)
        out.push({
          key: item.key,
          mode: modes[item.mode],
          // Affixes are typeset with Pandoc's smart punctuation (format/citeproc.ts), as Pandoc reads them.
          prefix: smartPunctuation(item.prefix.map((n) => toString(n)).join('').trim()),
          suffix: smartPunctuation(item.suffix.map((n) => toString(n)).join('').trim()),
        });
    }
    if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  walk(tree);
  return out;
}

describe('citation syntax, compared with Pandoc', () => {
  const expected = new Map<string, Citation[]>();
  beforeAll(async () => {
    for (const input of corpus) {
      const result = await convert({ from: 'markdown', to: 'json' }, input, {});
      expected.set(input, pandocCitations(JSON.parse(result.stdout)));
    }
  }, 120_000);

  it('finds citations in most of the corpus (the comparison is not vacuous)', () => {
    const withCitations = corpus.filter((input) => (expected.get(input) ?? []).length > 0);
    expect(withCitations.length).toBeGreaterThan(corpus.length * 0.6);
  });

  for (const input of corpus) {
    it(`reads ${JSON.stringify(input)} as Pandoc does`, () => {
      expect(ourCitations(input)).toEqual(expected.get(input));
    });
  }
});

describe('where we differ from Pandoc on purpose', () => {
  it('reads `[@a]: url` at the start of a line as a CommonMark link definition', () => {
    expect(ourCitations('[@a]: https://example.org')).toEqual([]);
  });
});

describe('beyond Pandoc', () => {
  it('reads @{key with spaces} as one key', () => {
    expect(ourCitations('see @{key with spaces} here')).toEqual([{ key: 'key with spaces', mode: 'AuthorInText', prefix: '', suffix: '' }]);
  });
  it('treats pandoc-crossref references as cross-references, not citations', () => {
    const { tree } = parseChapter('input.md', 'See @fig:map, [@tbl:x], @Sec:intro and @eq:1.');
    const types = (tree.children[0] as { children: Nodes[] }).children.map((n) => n.type);
    expect(types.filter((t) => t === 'crossref')).toHaveLength(4);
    expect(types).not.toContain('cite');
  });
});
