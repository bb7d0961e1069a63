// Valid Markdown always typesets (issue 20): inputs found by fuzzing real
// constructs together, each of which failed the whole build in Typst or
// stopped it with an internal error. Each now builds, exit 0, with a
// positioned warning where something is simplified.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, write } from './helpers/project.js';

const quotes = (n: number) => '> '.repeat(n);

const chapter = [
  '# Regressions',
  '',
  // "maximum show rule depth exceeded": 16 quotes around a citation, a note, emphasis and a span.
  `${quotes(16)}Deep [@luxon2008] quote with ^[a note [@simon2005] and *emphasis [@foucault1977]*] and [a span [@luxon2008]]{.x}.`,
  '',
  // "URL must not be empty": a link with no target is valid Markdown.
  'An [Empty]() link and a [t]() b.',
  '',
  // "unclosed delimiter": a TeX comment in math became a Typst comment that hid the closing `$`.
  'x ^[$$%[$$, [@simon2005]] y',
  '',
  // Typst's process ended (SIGSEGV) on 300 nested fractions.
  `$${'\\frac{1}{'.repeat(300)}x${'}'.repeat(300)}$`,
  '',
  // Typst's PDF writer panicked ("page tag identifier … doesn't appear in the tag tree") on vertical space inside struck-out emphasis before math.
  '*~~\\vspace{1cm} $x$~~ y*~~',
  '',
  // "failed to load file (is a directory)": an image with no source names the chapter's folder.
  '![An image with no source]()',
  '',
  // "shaping the text `ȃ` yielded more than one glyph": accented letters the math font has no single glyph for.
  'Accents $x_{ȃ} + ǖ + \\mathrm{ḯ} = Ǟ$ in math.',
  '',
  // "unexpected hat": a script with no base, which TeX takes (found by the 10,000-run fuzz: `$*~~ *[^[ … ^[$`).
  'Empty bases: $^{14}C$, $(^2)$ and $*~~ *[^[ a ^[$ here.',
  '',
  // The PDF's text said "x ≠ y" for "x = y" once a ≠ was on a page: the main font drew ≠ as = with a stroke.
  'Not equal: a ≠ b, and then x = y, and p ∉ q.',
  '',
  'The end of the chapter.',
  '',
].join('\n');

describe('valid Markdown that used to fail the build', () => {
  it('builds with exit 0 and says at its line what was simplified', async () => {
    const dir = copyProject('minimal');
    write(dir, 'thesis/one.md', chapter);
    // "internal error: Unresolved alias": a YAML alias with no anchor in a chapter's front matter.
    write(dir, 'thesis/two.md', '---\na: *b\n---\n\n# Second\n\nText of the second chapter.\n');
    const result = await runCli(['build', dir]);
    expect(result.stderr).not.toMatch(/internal error|typst-error|typst-stopped/);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/one\.md:5:4: warning: this link has no target; its text is printed without a link \[link-empty\]/);
    expect(result.stderr).toMatch(/one\.md:9:1: warning: this formula nests 300 levels deep/);
    expect(result.stderr).toMatch(/two\.md:2:4: warning: invalid front matter: Unresolved alias/);
    const text = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');
    for (const words of ['Deep (Luxon, 2008) quote', 'An Empty link and a t b.', 'in math.', 'here.', 'Not equal: a ≠ b, and then x = y, and p ∉ q.', 'The end of the chapter.', 'Text of the second chapter.']) expect(text).toContain(words);
    // Accented letters in math are the letters in the PDF's text too (the math font drew them as a base and marks,
    // which the PDF gave the text "a" and a control character).
    for (const letter of ['ȃ', 'ǖ', 'ḯ', 'Ǟ']) expect(text).toContain(letter);
    expect(text).not.toMatch(/[\u0000-\u0008]/);
  }, 120_000);
});
