// Collecting citations (resolve/citations.ts) walks each chapter's tree once
// and keeps what it met per tree (watch reuses the trees of unchanged
// chapters): the note numbers, ids and example references must still be
// those of this run, when other chapters changed around a kept tree.
import type { Cite } from 'mdast';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { parseChapter } from '../scripts/parse/markdown.js';
import { numberExamplesInThesis } from '../scripts/parse/fancy-lists.js';
import { collectCitations } from '../scripts/resolve/citations.js';

const chapter = (file: string, text: string) => ({ file, tree: parseChapter(file, text).tree });

const summary = (uses: ReturnType<typeof collectCitations>) => uses.map((use) => `${use.id} ${use.node.items.map((item) => item.key).join(',')} note ${use.noteIndex}${use.inFootnote ? ' in' : ''}${use.opensNote ? ' opens' : ''}`);

describe('collecting citations', () => {
  const one = chapter('one.md', 'Text [@a].[^n1]\n\nThen @good and [@d].\n\n[^n1]: [@b] opens its note, and a nested one.[^n2]\n\n[^n2]: Deep [@c].\n');
  const two = chapter('two.md', 'More [@e].^[A note [@f].]\n');

  it('numbers notes through the thesis, in a note style running-text citations too, nested notes included', () => {
    expect(summary(collectCitations([one, two], true))).toEqual([
      'c1 a note 1',
      'c2 b note 2 in opens',
      'c3 c note 3 in',
      'c4 good note 4',
      'c5 d note 5',
      'c6 e note 6',
      'c7 f note 7 in',
    ]);
    expect(summary(collectCitations([one, two], false))).toEqual(['c1 a note 0', 'c2 b note 1 in opens', 'c3 c note 2 in', 'c4 good note 0', 'c5 d note 0', 'c6 e note 0', 'c7 f note 3 in']);
  });

  it('gives a kept tree the numbers of this run: a chapter before it changed, and a label became an example', () => {
    collectCitations([one, two], true);
    const before = chapter('zero.md', 'A first chapter now.^[Its note [@z].]\n\n(@good) An example.\n');
    numberExamplesInThesis([before.tree, one.tree, two.tree]);
    // `@good` in the kept chapter now names the example: not a citation; the notes run on from the new chapter's.
    expect(summary(collectCitations([before, one, two], true))).toEqual(['c1 z note 1 in', 'c2 a note 2', 'c3 b note 3 in opens', 'c4 c note 4 in', 'c5 d note 5', 'c6 e note 6', 'c7 f note 7 in']);
    expect(one.tree.children.length).toBeGreaterThan(0);
  });
});

describe('numbering examples through the thesis', () => {
  it('numbers a kept tree’s examples on from this run’s chapters before it, and marks its references anew', () => {
    const first = chapter('a.md', '(@one) An example.\n');
    const kept = chapter('b.md', '(@two) Another example.\n\n(@three) And one more.\n\nAs @one and @two show.\n');
    const lists = (tree: typeof kept.tree) => tree.children.filter((node) => node.type === 'list').map((list) => (list as { start?: number | null }).start);
    const marks = (tree: typeof kept.tree) => {
      const found: (number | undefined)[] = [];
      visit(tree, 'cite', (node: Cite) => {
        found.push(node.data?.exampleNumber);
      });
      return found;
    };
    numberExamplesInThesis([first.tree, kept.tree]);
    expect(lists(kept.tree)).toEqual([2]);
    expect(marks(kept.tree)).toEqual([1, 2]);
    // A chapter with two examples comes first: the kept chapter's run on from 3, and @one is gone (no example now).
    const before = chapter('0.md', '(@zero) First.\n\n(@other) Second.\n');
    numberExamplesInThesis([before.tree, kept.tree]);
    expect(lists(kept.tree)).toEqual([3]);
    expect(marks(kept.tree)).toEqual([undefined, 3]);
  });
});
