// Each kind of bad input gets `path:line:col: severity: message [rule]`, no
// stack trace, the right exit code, and a failed build keeps the last PDF.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, spawnCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, edit, write } from './helpers/project.js';

async function build(dir: string, ...flags: string[]) {
  const result = await runCli(['build', dir, ...flags], { cwd: dir });
  expect(result.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  return result;
}

const pdfOf = (dir: string) => path.join(dir, 'dist', 'thesis.pdf');

describe('unknown citation keys', () => {
  it('warn with a suggestion and still build with a visible placeholder', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/two.md', (t) => t.replace('[@luxon2008]', '[@luxon2080]'));
    const result = await build(dir);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('thesis/two.md:8:31: warning: citation key "luxon2080" is not in the bibliography; did you mean "luxon2008"? [citation-unknown]');
    expect(await pdfText(fs.readFileSync(pdfOf(dir)))).toContain('?luxon2080');
  });

  it('are errors with --strict, and the build fails', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/two.md', (t) => t.replace('[@luxon2008]', '[@luxon2080]'));
    const result = await build(dir, '--strict');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: citation key "luxon2080"');
    expect(fs.existsSync(pdfOf(dir))).toBe(false);
  });
});

describe('bibliography problems', () => {
  it('report a malformed entry at its line and column while every other entry loads', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'bibliography/references.bib', (t) => t.replace('title   = {The Return of Panopticism},', 'title   = {The Return of Panopticism,'));
    const result = await build(dir);
    expect(result.stderr).toMatch(/bibliography\/references\.bib:8:1: error: unclosed entry: expected `\}` before the next entry \[bib-syntax\]/);
    // foucault1977 and luxon2008 still resolve; only simon2005 is unknown.
    expect(result.stderr).toContain('citation key "simon2005" is not in the bibliography');
    expect(result.stderr).not.toContain('"foucault1977" is not');
    expect(result.stderr).not.toContain('"luxon2008" is not');
  });

  it('report a syntax error inside an entry at the offending line', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'bibliography/references.bib', (t) => t.replace('  journal = {Political Theory},', '  journal = {Political Theory}\n  volume 36,'));
    const result = await build(dir);
    expect(result.stderr).toMatch(/references\.bib:(2[0-9]):\d+: error: malformed entry "luxon2008"/);
    expect(result.stderr).not.toContain('"simon2005" is not');
  });

  it('report duplicate keys at both places', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'bibliography/references.bib', (t) => t + '\n@book{foucault1977,\n  title = {Again},\n  year = {1977},\n}\n');
    const result = await build(dir);
    expect(result.stderr).toContain('bibliography/references.bib:24:1: error: duplicate key "foucault1977"; the first entry is used, rename or remove this one [bib-duplicate-key]');
    expect(result.stderr).toContain('bibliography/references.bib:1:1: info: "foucault1977" is first defined here [bib-duplicate-key]');
    expect(result.status).toBe(1);
  });
});

describe('missing files', () => {
  it('a missing image is a warning at the image and a placeholder in the PDF; with --strict an error, and the previous PDF stays', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/two.md', (t) => t + '\n![A chart](figures/chart.png)\n');
    const result = await build(dir);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('thesis/two.md:10:1: warning: image "figures/chart.png" not found (looked for thesis/figures/chart.png in the project folder); the PDF shows a placeholder [image-missing]');
    expect(await pdfText(fs.readFileSync(pdfOf(dir)))).toContain('missing image: figures/chart.png');
    const before = fs.readFileSync(pdfOf(dir));
    const strict = await build(dir, '--strict');
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('thesis/two.md:10:1: error: image "figures/chart.png" not found');
    expect(fs.readFileSync(pdfOf(dir)).equals(before)).toBe(true);
  });

  it('a chapter listed in thesis.yaml that does not exist is an error at its line', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (t) => t.replace('  - two.md', '  - two.md\n  - three.md'));
    const result = await build(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('thesis/thesis.yaml:10:5: error: chapter "three.md" is listed in thesis.yaml but thesis/three.md does not exist [chapter-missing]');
  });

  it('an unreadable chapter is an error naming it', async () => {
    const dir = copyProject('minimal');
    fs.rmSync(path.join(dir, 'thesis', 'two.md'));
    fs.mkdirSync(path.join(dir, 'thesis', 'two.md'));
    const result = await build(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('thesis/thesis.yaml:9:5: error: chapter "two.md" cannot be read: it is a folder [chapter-unreadable]');
  });
});

describe('invalid thesis.yaml', () => {
  it('reports a YAML syntax error at its line', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (t) => t.replace('author: Test Writer', 'author: [Test Writer'));
    const result = await build(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/thesis\/thesis\.yaml:\d+:\d+: error: invalid YAML: .+ \[config-invalid\]/);
  });

  it('names an unknown key and its line', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (t) => t.replace('semester: 2024WS', 'semester: 2024WS\nsupervsor: Prof. X'));
    const result = await build(dir);
    expect(result.stderr).toContain('thesis/thesis.yaml:5:1: error: unknown key `supervsor` in thesis.yaml; did you mean `supervisor`? [config-invalid]');
  });

  it('names a value of the wrong type and its line', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (t) => t.replace('  - one.md\n  - two.md', '  one.md'));
    const result = await build(dir);
    expect(result.stderr).toContain("thesis/thesis.yaml:7:1: error: `chapters` must be a list of chapter files in thesis/ (or pandoc-crossref's `true`: figures numbered per chapter) [config-invalid]");
  });
});

describe('Typst errors', () => {
  it('are mapped back to the Markdown line that produced them', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/two.md', (t) => t + '\nSome text.\n\n```{=typst}\n#unknown-function()\n```\n');
    const result = await build(dir);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/thesis\/two\.md:12:1: error: unknown variable: unknown-function.*\[typst-error\]/);
  });
});

describe('characters no font has', () => {
  it('are a warning naming the chapter, line and column', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/one.md', (t) => t.replace('discipline makes individuals.', 'discipline makes individuals 𓀀.'));
    const result = await build(dir);
    expect(result.stderr).toContain('thesis/one.md:10:30: warning: no font has the character "𓀀" (U+13000); it would print as an empty box [glyph-missing]');
  });
});

describe('an output folder that cannot be written', () => {
  it('is an error naming the PDF, not a stack trace', async () => {
    const dir = copyProject('minimal');
    fs.writeFileSync(path.join(dir, 'dist'), 'a file where the dist folder should be');
    const result = await build(dir);
    expect(result.status).toBe(1);
    // Refused before anything is written (the caches included), at the file that stands in the way.
    expect(result.stderr).toMatch(/dist:1:1: error: dist is not a folder; outputs are written into dist\/: move the file away \[output-unwritable\]/);
  });
});

describe('usage', () => {
  it('exits 2 on an unknown option or command, in a process of its own as a shell sees it', async () => {
    const [option, command] = await Promise.all([spawnCli(['build', '--nonsense']), spawnCli(['frobnicate'])]);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain("error: unknown option '--nonsense'");
    expect(command.status).toBe(2);
    expect(command.stderr).toContain("error: unknown command 'frobnicate'");
  });

  it('exits 1 with a message for a project folder that does not exist', async () => {
    const result = await runCli(['build', '/nonexistent/thesis']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('error: project folder "/nonexistent/thesis" does not exist');
  });
});
