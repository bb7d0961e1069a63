// A supervisor's comment lands on the words it was made on (issue 20): in a
// hard-wrapped paragraph that holds citations, footnotes and emphasis, the
// place printed is the line and column of the commented words, not of the
// citation before them.
import { describe, expect, it } from 'vitest';
import { parseChapter } from '../scripts/parse/markdown.js';
import { Anchorer } from '../scripts/review/anchor.js';

const source = [
  '# Grazing',
  '',
  'The herd moves slowly across the meadow in the early morning while the',
  'shepherd watches from the hill, as the older literature describes it',
  '[see @foucault1977, p. 170]. *Some* animals stray^[A note on straying.] and',
  'the dogs bring them back before noon. Later in the day the animals',
  'graze quietly near the river until the light fades.',
  '',
].join('\n');

describe('a comment in a hard-wrapped paragraph', () => {
  it('is placed at the line and column of its words, after a citation, a note and emphasis', () => {
    const chapter = parseChapter('chapter.md', source);
    const anchorer = new Anchorer([{ file: 'chapter.md', source, tree: chapter.tree }]);
    // The paragraph as the Word file has it: the citation formatted, the note a number.
    const context =
      'The herd moves slowly across the meadow in the early morning while the shepherd watches from the hill, as the older literature describes it (see Foucault, 1977, p. 170). Some animals stray1 and the dogs bring them back before noon. Later in the day the animals graze quietly near the river until the light fades.';
    for (const [anchor, line, column] of [
      ['graze quietly', 7, 1],
      ['the dogs bring', 6, 1],
      ['animals stray', 5, 37],
      ['near the river', 7, 15],
    ] as const) {
      expect(anchorer.place(context, anchor, context.indexOf(anchor)), anchor).toEqual({ file: 'chapter.md', line, column });
    }
  });
});
