// English grammar hints from Harper (harper.js, issue 22): prose only, at the
// file's own lines and UTF-16 columns; code, math, citations and passages in
// another language never flagged; the same from `check --grammar`.
import { describe, expect, it } from 'vitest';
import { parseChapter } from '../scripts/parse/markdown.js';
import { grammarDiagnostics } from '../scripts/report/grammar.js';
import { runCli } from './helpers/cli.js';
import { copyProject, write } from './helpers/project.js';

const hints = async (text: string, lang = 'en-US') =>
  (await grammarDiagnostics('a.md', text, parseChapter('a.md', text).tree, lang)).map((d) => `${d.line}:${d.column} ${d.actual} -> ${(d.expected ?? []).join('|')}`);

describe('grammar', () => {
  it('flags articles, repeated words and their/they’re in prose, and nothing in code, math, citations or German', async () => {
    const text = [
      '# Method',
      '',
      '社会信用体系 😀 is an test of the the method [@foucault1977, p. 3].',
      '',
      'Their going to the archive; `an code` and $a an b$ are not prose.',
      '',
      '::: {lang=de}',
      'Das ist ein ein Test.',
      ':::',
    ].join('\n');
    // The CJK text and the emoji (2 UTF-16 units) before the first hint: 6 + 1 + 2 + 1 + 3 units before "an": columns count UTF-16 units.
    expect(await hints(text)).toEqual(['3:14 an -> a', '3:25 the the -> the', "5:1 Their -> They're"]);
  }, 60_000);

  it('checks the English passages of a thesis in another language', async () => {
    expect(await hints('Ein Satz.\n\n::: {lang=en}\nThis is an test.\n:::\n', 'de-AT')).toEqual(['4:9 an -> a']);
    expect(await hints('Das ist ein ein Test.\n', 'de-AT')).toEqual([]);
  }, 60_000);

  it('comes from check --grammar as warnings at their lines', async () => {
    const dir = copyProject('minimal');
    write(dir, 'thesis/one.md', '# One\n\nThis is an test of the method [@foucault1977].\n');
    const result = await runCli(['check', '--grammar', dir]);
    expect(result.stdout).toMatch(/thesis\/one\.md:3:9: warning: Incorrect indefinite article\.; did you mean "a"\? \[grammar\]/);
  }, 60_000);
});
