// Parsing is linear in the input (issue 14, part 3). Two of the quadratic
// steps were micromark's: merging runs of text and resolving emphasis each
// spliced the paragraph's event list once per run or pair. They are patched
// (patches/, applied by patch-package when `npm ci` installs): the patched
// emphasis resolver must give exactly the trees upstream micromark gives
// (fixtures/emphasis: 400 generated inputs, read with micromark 4.0.3 before
// the patch), and no step may splice more than linearly. Time itself is
// measured by `npm run bench` and the fuzzing property in fuzz.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Nodes } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseChapter } from '../scripts/parse/markdown.js';
import { onlyWriterCommands } from '../scripts/parse/latex-blocks.js';
import { toolchainDir } from '../scripts/core/toolchain-dir.js';
import { fixturesDir } from './helpers/project.js';

type Short = [string, number | undefined, number | undefined, ...unknown[]];

/** A tree in short form: type, start and end offsets, value, children. */
function short(node: Nodes): Short {
  return [node.type, node.position?.start.offset, node.position?.end.offset, ...('value' in node ? [node.value] : []), ...('children' in node ? [node.children.map((child) => short(child))] : [])];
}

/** How many array elements every `splice` during `run` moved or removed: the work a quadratic splice loop does. */
function spliceWork(run: () => void): number {
  const original = Array.prototype.splice;
  let moved = 0;
  Array.prototype.splice = function (this: unknown[], start: number, ...rest: unknown[]) {
    const from = start < 0 ? Math.max(0, this.length + start) : Math.min(start, this.length);
    moved += this.length - from;
    return (original as (...args: unknown[]) => unknown[]).call(this, start, ...rest);
  } as typeof Array.prototype.splice;
  try {
    run();
  } finally {
    Array.prototype.splice = original;
  }
  return moved;
}

const paragraphOf = (unit: (i: number) => string, n: number) => `# Long\n\n${Array.from({ length: n }, (_, i) => unit(i)).join(' ')}\n`;

describe('parsing linear in the input', () => {
  it('runs with micromark patched (postinstall: patch-package)', () => {
    for (const file of ['micromark/lib/initialize/text.js', 'micromark/dev/lib/initialize/text.js', 'micromark-core-commonmark/lib/attention.js', 'micromark-core-commonmark/dev/lib/attention.js', 'micromark-extension-gfm-footnote/lib/syntax.js', 'micromark-extension-gfm-footnote/dev/lib/syntax.js']) {
      expect(fs.readFileSync(path.join(toolchainDir, 'node_modules', file), 'utf8'), file).toContain('thesis-toolchain patch');
    }
  });

  it('reads emphasis exactly as upstream micromark does, over 400 generated inputs', () => {
    const cases = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'emphasis', 'upstream-micromark.json'), 'utf8')) as [string, Short][];
    const differing = cases.filter(([input, expected]) => JSON.stringify(short(fromMarkdown(input))) !== JSON.stringify(expected));
    expect(differing.map(([input]) => input)).toEqual([]);
  });

  it.each([
    ['citations', (i: number) => `w [@foucault1977, p. ${i}; see @simon2005] @luxon2008 [p. ${i}] -@simon2005`],
    ['emphasis and strong', (i: number) => `*a* **b** ***c*** _d_ x_y ${i}`],
    ['unmatched emphasis', (i: number) => `a* _b **c ${i}`],
    ['spans, links and code', (i: number) => `[span ${i}]{.smallcaps} [link](https://example.org/${i}) \`code\`{.x}`],
    ['inline notes and unclosed brackets', (i: number) => `t^[note ${i} [@simon2005]] [ [@luxon2008 ( x^2^`],
  ])('a paragraph of %s four times as long splices at most five times as much', (_name, unit) => {
    const short = spliceWork(() => parseChapter('a.md', paragraphOf(unit, 300)));
    const long = spliceWork(() => parseChapter('a.md', paragraphOf(unit, 1200)));
    expect(long / Math.max(short, 1)).toBeLessThan(5);
  });

  it('parses a paragraph of stray closing brackets four times as long in less than eight times the time (the footnote extension walked back from every `]`)', () => {
    // Found by the 10,000-run fuzz: 4x the text took 15x the time. CPU time, least of five, measured up to three times.
    const cpu = (text: string) => {
      let least = Infinity;
      for (let k = 0; k < 5; k++) {
        const before = process.cpuUsage();
        parseChapter('a.md', text);
        least = Math.min(least, process.cpuUsage(before).user);
      }
      return least;
    };
    const unit = (i: number) => `a ] ] b ${i} **社会 ]**`;
    let ratio = Infinity;
    for (let attempt = 0; attempt < 3 && ratio >= 8; attempt++) ratio = Math.min(ratio, cpu(paragraphOf(unit, 4000)) / Math.max(cpu(paragraphOf(unit, 1000)), 1_000));
    expect(ratio).toBeLessThan(8);
  }, 60_000);
});

describe('patterns that do not backtrack without end', () => {
  // Found by making a draft at every block of a thesis made of Pandoc's test documents: a word typed after a
  // table's line of dashes held the parser for minutes. Sizes where the old patterns took seconds (each dash or
  // command more doubled or tripled the time), so a return of them fails here rather than hanging.
  it('reads a line of dashes with a word after it (a table being typed) at once', () => {
    const dashes = '-'.repeat(26);
    const text = `# Tables\n\n${dashes} A word.\n a  b\n--  --\n x  y\n${dashes}\n`;
    const started = performance.now();
    parseChapter('a.md', text);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('tells a raw LaTeX block of layout commands alone from one with a word after them, at once', () => {
    const commands = Array.from({ length: 13 }, (_, i) => (i % 2 ? '\\newpage' : '\\vspace{1cm}')).join('   ');
    const started = performance.now();
    expect(onlyWriterCommands(`${commands} A word.`)).toBe(false);
    expect(onlyWriterCommands(`${commands}\n\\noindent\n`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1_000);
    // As before: the commands alone, with or without space between; nothing but space is not one.
    expect(onlyWriterCommands('\\newpage\\clearpage')).toBe(true);
    expect(onlyWriterCommands('\\newpagex')).toBe(false);
    expect(onlyWriterCommands('  \n ')).toBe(false);
    expect(onlyWriterCommands('\\vspace*{2em} \\centering')).toBe(true);
  });
});
