// The preview's quick draft (preview/quick-draft.ts) writes a save's changed
// paragraphs into the last build's rendered thesis; it must give, line for
// line, the Typst text and source map the next run renders, or decline.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { generateThesis } from '../scripts/bench/generate.js';
import { ThesisBuild, type DraftBase } from '../scripts/pipeline.js';
import { quickRender } from '../scripts/preview/quick-draft.js';
import { tempDir } from './helpers/project.js';

const dir = tempDir();
generateThesis(dir, 1);
const file = path.join(dir, 'thesis', '01-chapter.md');
const build = new ThesisBuild(dir);
afterAll(() => build.stop());

function rendered(): DraftBase {
  const result = build.run({ until: 'render', preview: true, sourceMarkers: true });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.draftBase!;
}

/** Saves `after`; the quick draft's thesis (or null) and the next run's, compared. */
function save(base: DraftBase, after: string): { quick: boolean; base: DraftBase } {
  fs.writeFileSync(file, after);
  const quick = quickRender(base, file, after, dir);
  const next = rendered();
  if (quick) {
    expect(quick.lines).toEqual(next.rendered.main.split('\n'));
    expect(quick.sourceMap).toEqual(next.rendered.sourceMap);
    // The chapters' files Typst gets (compile/step.ts) as the next run cuts them.
    expect(quick.parts).toEqual(next.rendered.parts);
  }
  return { quick: quick !== null, base: next };
}

const paragraphLines = (text: string) =>
  text
    .split('\n')
    .map((line, index) => ({ line, index }))
    .filter(({ line, index }, k, all) => /^[A-Z][a-z]/.test(line) && index > 8 && all[k - 1]?.line === '');

const runs = Number(process.env.QUICK_DRAFT_RUNS ?? 40);

describe('the quick draft', () => {
  it('gives the next run\'s text for edits inside paragraphs, and declines what reaches beyond them', () => {
    let base = rendered();
    const original = fs.readFileSync(file, 'utf8');
    const lines = () => fs.readFileSync(file, 'utf8').split('\n');
    const at = (text: string[], index: number, change: (line: string) => string) => text.map((line, k) => (k === index ? change(line) : line)).join('\n');
    const plain = paragraphLines(original);
    expect(plain.length).toBeGreaterThan(5);
    const [p1, p2, p3] = plain.slice(2).map(({ index }) => index);
    let step = 0;
    const made = (after: string, expected: boolean) => {
      const saved = save(base, after);
      expect(saved.quick, `edit ${++step}: a quick draft`).toBe(expected);
      base = saved.base;
    };
    // Typed at the end of the chapter, as the bench saves.
    made(fs.readFileSync(file, 'utf8') + ' Benchword0.', true);
    made(fs.readFileSync(file, 'utf8') + ' Benchword1.', true);
    // A word inside a paragraph; a paragraph split in two and joined again.
    made(at(lines(), p1, (line) => line.replace(' ', ' inserted ')), true);
    made(at(lines(), p1, (line) => line.replace(/([a-z])\. ([A-Z])/, '$1.\n\n$2')), true);
    made([...lines().slice(0, p1), `${lines()[p1]} ${lines()[p1 + 2]}`, ...lines().slice(p1 + 3)].join('\n'), true);
    // A new paragraph between two, a hard line break (the lines after it move, and their markers with them).
    made(at(lines(), p2 - 1, () => '\nA new paragraph with *emphasis* and `code`.\n'), true);
    made(at(lines(), p3, (line) => line.replace(' ', '\n')), true);
    // A citation added, a list item, a heading, a caption: the run's own draft instead.
    made(at(lines(), p1, (line) => `${line} [@kostka1993]`), false);
    made(at(lines(), p2, (line) => `- ${line}`), false);
    made(at(lines(), p2, (line) => `# ${line}`), false);
    made(at(lines(), p3, (line) => `: ${line}`), false);
    made(at(lines(), 7, (line) => `${line} x`), false);
    // Front matter left open: the chapter is read whole, and so is an edit in it (a list item's text was read
    // with one space less after its marker alone than after the open front matter: found on this repository's thesis).
    const withFront = lines().join('\n');
    made(`---\nstatus: draft\n\n${withFront}`, false);
    made(at(lines(), p1 + 4, (line) => `${line}\n-  @ x`), false);
    made(withFront, false);
    // Windows line ends: every line changed (no quick draft), then a word typed into a paragraph.
    made(lines().join('\r\n'), false);
    made(at(lines(), p1, (line) => line.replace(/([a-z])\. ([A-Z])/, '$1 typed. $2')), true);
    fs.writeFileSync(file, original);
    rendered();
  });

  it('gives the next run\'s text or declines, for random edits', async () => {
    const original = fs.readFileSync(file, 'utf8');
    let base = rendered();
    let made = 0;
    let edits = 0;
    const fragment = fc.constantFrom(' word', ' *emphasis*', ' **strong**', ' `code`', ' [@kostka1993]', ' [^n]', '\n', '\n\n', '\n\n- item', ' $x^2$', ' [Section 1.1]', '\n: ', '\n\nTable: x', '\n# Heading', '\n\n', ' @sec:chapter1', '^[note]', ' <span>x</span>', ' \\emph{x}', '\n    code', '\n> quote', ' [link](https://example.org)', '\n\n[^n]: A note.', '\n===', ' [^n1]', ' [^n2] and [^n2]', ' [+ai]', ' [a span]{#sp:x}', ' [a span]{.smallcaps}', ' $$E = mc^2$$ {#eq:e}', ' $\\newcommand{\\R}{x}$', ' \\ref{sec:chapter1}', ' <!-- comment -->');
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.oneof(fragment, fc.nat({ max: 40 })), async (lineChoice, column, edit) => {
        await new Promise((resolve) => setImmediate(resolve));
        // From the chapter as it was every 25 edits: one edit can leave it read whole from then on (a block left
        // open to its end, as an HTML comment opening a line whose `-->` a cut took: parse/sections.ts), and every
        // edit after it declined (`npm run fuzz -- --runs 300` found 3 quick drafts in 300 edits).
        const text = edits++ % 25 === 0 ? original : fs.readFileSync(file, 'utf8');
        const lines = text.split('\n');
        const index = 8 + (lineChoice % (lines.length - 8));
        const line = lines[index];
        const cut = column % (line.length + 1);
        // Text typed at a place, or characters taken away there (0: the line itself).
        if (typeof edit === 'string') lines[index] = line.slice(0, cut) + edit + line.slice(cut);
        else if (edit === 0) lines.splice(index, 1);
        else lines[index] = line.slice(0, cut) + line.slice(cut + edit);
        const saved = save(base, lines.join('\n'));
        if (saved.quick) made++;
        base = saved.base;
      }),
      // A fixed seed in npm test; `npm run fuzz` asks for as many edits as its theses, from a seed of its own.
      { numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? (process.env.QUICK_DRAFT_RUNS ? Date.now() % 1_000_000 : 11)) },
    );
    // Most edits of running text are ones the quick draft makes.
    expect(made).toBeGreaterThan(5);
    fs.writeFileSync(file, original);
  }, Math.max(120_000, runs * 1_000));
});
