// Inputs that crashed the toolchain (issue 14, part 2): each now ends with a
// positioned diagnostic and exit 0 or 1, never a stack trace, an
// `internal error`, an abort or minutes of work.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThesisBuild } from '../scripts/pipeline.js';
import { runCli, spawnCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, edit, write } from './helpers/project.js';

async function build(setUp: (dir: string) => void) {
  const dir = copyProject('minimal');
  setUp(dir);
  const started = performance.now();
  const result = await runCli(['build', dir]);
  const output = result.stdout + result.stderr;
  expect(output).not.toContain('internal error');
  expect(output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  return { ...result, output, seconds: (performance.now() - started) / 1000 };
}

describe('inputs that used to crash', () => {
  it('2,000 nested block quotes: read 16 deep, with a warning', async () => {
    const result = await build((dir) => write(dir, 'thesis/two.md', `# Two\n\n${'> '.repeat(2000)}deep\n`));
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/two\.md:3:1: warning: this line is nested 2000 quotes and lists deep; read 16 deep, the deepest the toolchain reads \[nesting-too-deep\]/);
    expect(result.seconds).toBeLessThan(30);
  });

  it('300 nested list items and a line of 600 lists in quotes: read at the limit, one warning a run of lines', async () => {
    const result = await build((dir) => write(dir, 'thesis/two.md', `# Two\n\n${Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- item\n`).join('')}\n${'- > '.repeat(600)}x\n`));
    expect(result.status).toBe(0);
    expect(result.output).toMatch(/two\.md:\d+:1: warning: this line and the \d+ after it are indented up to 598 columns; read at 48 \(lists nest by indentation\)/);
    expect(result.output).toMatch(/two\.md:\d+:1: warning: this line is nested 1200 quotes and lists deep; read 16 deep/);
  });

  it('a YAML alias bomb in thesis.yaml: refused at its line', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefgh'.split('').map((name, i) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`), 'title: x'].join('\n');
    const result = await build((dir) => write(dir, 'thesis/thesis.yaml', `${bomb}\n`));
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/thesis\.yaml:1:4: error: thesis\.yaml cannot be read: .*too many YAML aliases\) \[config-invalid\]/);
  });

  it('csl: . and an image with a broken %-escape: messages, not crashes', async () => {
    const folder = await build((dir) => edit(dir, 'thesis/thesis.yaml', (text) => text.replace('csl: apa', 'csl: .')));
    expect(folder.status).toBe(1);
    expect(folder.output).toMatch(/thesis\.yaml:\d+:1: error: citation style "\." not found/);
    const escape = await build((dir) => edit(dir, 'thesis/two.md', (text) => `${text}\n![x](img/a%zz.png)\n`));
    expect(escape.status).toBe(0);
    expect(escape.output).toMatch(/two\.md:\d+:1: warning: image "img\/a%zz\.png" not found/);
  });

  it('a form feed, a lone carriage return and U+FFFD between backticks', async () => {
    const result = await build((dir) => write(dir, 'thesis/two.md', '`\f\r\uFFFD`'));
    expect(result.status).toBe(0);
  });
});

// No input is known to make the pinned Typst panic (the form-feed chapter above did with an
// earlier one), so its compiler process is told to abort as a panic would (typst-server.ts).
describe('a panic in Typst', () => {
  it('ends the build with exit 1 and a message, keeps the previous PDF; the next build starts a new compiler', async () => {
    const dir = copyProject('minimal');
    const pdf = path.join(dir, 'dist', 'thesis.pdf');
    expect((await spawnCli(['build', dir])).status).toBe(0);
    const before = fs.readFileSync(pdf);
    edit(dir, 'thesis/two.md', (text) => `${text}\nPanicmarker here.\n`);
    const crashed = await spawnCli(['build', dir], { env: { THESIS_TEST_TYPST_ABORT: 'Panicmarker' } });
    expect(crashed.status).toBe(1);
    expect(crashed.stderr).toMatch(/error: Typst stopped with an internal error \(a bug in Typst, not in the thesis\): panicked at crates\/typst-pdf\/src\/lib\.rs:1:1: the test's stand-in for a Typst panic; the previous PDF is kept \[typst-stopped\]/);
    expect(crashed.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(fs.readFileSync(pdf).equals(before)).toBe(true);
    const again = await spawnCli(['build', dir]);
    expect(again.status).toBe(0);
    expect(await pdfText(fs.readFileSync(pdf))).toContain('Panicmarker here.');
  });

  it('in a long-lived build (watch): that build fails, the next one compiles in a new process', async () => {
    const dir = copyProject('minimal');
    const build = new ThesisBuild(dir);
    process.env.THESIS_TEST_TYPST_ABORT = 'Panicmarker';
    try {
      expect(build.run({ preview: true }).pdfFile).toBeDefined();
      edit(dir, 'thesis/two.md', (text) => `${text}\nPanicmarker here.\n`);
      const crashed = build.run({ preview: true });
      expect(crashed.pdfFile).toBeUndefined();
      expect(crashed.diagnostics.map((d) => d.rule)).toContain('typst-stopped');
      edit(dir, 'thesis/two.md', (text) => text.replace('Panicmarker here.', 'Calm again.'));
      const again = build.run({ preview: true });
      expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(await pdfText(fs.readFileSync(again.pdfFile!))).toContain('Calm again.');
    } finally {
      delete process.env.THESIS_TEST_TYPST_ABORT;
    }
  });
});

describe('one paragraph of 5,000 citations', () => {
  it('is grouped without running out of stack (it used to recurse once a citation)', async () => {
    const { parseChapter } = await import('../scripts/parse/markdown.js');
    const keys = ['foucault1977', 'simon2005', 'luxon2008'];
    const text = `# T\n\n${Array.from({ length: 5000 }, (_, i) => `w [@${keys[i % 3]}, p. ${i}]`).join(' ')}\n`;
    const { tree, diagnostics } = parseChapter('long.md', text);
    expect(diagnostics).toEqual([]);
    const paragraph = tree.children[1] as { children: { type: string }[] };
    expect(paragraph.children.filter((node) => node.type === 'cite')).toHaveLength(5000);
  }, 60_000);
});

describe('the reference manager on bad input', () => {
  it('refuses a record with no fields, a folder as --output, and formats an open date range', async () => {
    const dir = copyProject('minimal');
    write(dir, 'empty.ris', 'TY  - JOUR\nER  - \n');
    const before = fs.readFileSync(path.join(dir, 'bibliography', 'references.bib'), 'utf8');
    const add = await runCli(['refs', 'add', path.join(dir, 'empty.ris'), '--project', dir]);
    expect(add.status).toBe(1);
    expect(add.stderr).toContain('empty.ris:1:1: error: record 1 of the RIS input has no title, author, editor, date, DOI or URL: nothing is added for it [bib-field-missing]');
    expect(fs.readFileSync(path.join(dir, 'bibliography', 'references.bib'), 'utf8')).toBe(before);
    const folder = await runCli(['refs', 'export', '--project', dir, '--to', 'csl-json', '--output', path.join(dir, 'thesis')]);
    expect(folder.status).toBe(1);
    expect(folder.stderr).toContain('is a folder; name a file');
    // BibLaTeX's open range `2020/..`: read as Pandoc reads it (no date: "n.d."), and the entry cited beside it is formatted too.
    edit(dir, 'bibliography/references.bib', (text) => `${text}\n@book{open2020,\n  author = {Open, Ann},\n  title = {Open Range},\n  date = {2020/..},\n  publisher = {P},\n}\n`);
    write(dir, 'thesis/two.md', '# Two\n\nSee [@open2020; @luxon2008].\n');
    const built = await runCli(['build', dir]);
    expect(built.status).toBe(0);
    expect(await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).toContain('See (Luxon, 2008; Open, n.d.).');
  });
});

describe('what the fuzzer found', () => {
  it('a csl: name with a NUL byte is a style not found, at its line, not an exception (asking whether it is a file threw)', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace(/^csl: .*$/m, 'csl: "a\\u0000b"'));
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/thesis\.yaml:\d+:1: error: citation style "a␀b" not found/);
    expect(result.stderr).not.toMatch(/internal error|TypeError/);
  });

  it('a heading whose identifier holds a number sign Typst does not take in a label (U+1377 ፷)', async () => {
    const result = await build((dir) => write(dir, 'thesis/two.md', '# Two\n\n## Ethiopic ፷ 𐄌 numbers\n\nText.\n'));
    expect(result.status).toBe(0);
  });

  it('a right-to-left override never reaches the PDF, so it cannot mirror the text after it', async () => {
    const dir = copyProject('minimal');
    write(dir, 'thesis/two.md', '# Two\n\n*\u202eevil* and `\u202ecode`\n\nLater {x} \\<y\\>.\n');
    const result = await runCli(['build', dir, '--typst']);
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'dist', 'thesis.typ'), 'utf8')).not.toContain('\u202e');
    expect(await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).toContain('Later {x} <y>.');
  });

  it('a $$ that nothing closes before a blank line is text, as in Pandoc, not a formula swallowing the chapter', async () => {
    const result = await build((dir) => write(dir, 'thesis/two.md', '# Two\n\n$$ \\textbf{bold} and more\n\n$x^2$ stays math.\n\nThe last paragraph.\n'));
    expect(result.status).toBe(0);
    // Swallowed, the rest of the chapter was one formula Typst could not read.
    expect(result.output).not.toContain('math-unsupported');
  });
});
