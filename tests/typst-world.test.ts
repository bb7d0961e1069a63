// Typst reads only what it is handed (issue 23, part 1): its root is an
// empty folder of its own and every file comes through the read gate, so
// each way a scan for links was bypassed reads nothing from outside: a link
// named node_modules or .git, a fence the scan did not recognise, a link
// deeper than the scan looked, raw Typst in the abstract, a hard link, an
// absolute path. Each attack leaks no marker into the PDF or the terminal.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThesisBuild } from '../scripts/pipeline.js';
import { runCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, edit, tempDir, write } from './helpers/project.js';

function secretOutside(): { dir: string; file: string; secret: string } {
  const secret = `SECRET${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  const dir = tempDir('thesis-secret-');
  const file = path.join(dir, 'secret.txt');
  fs.writeFileSync(file, `${secret}\n`);
  return { dir, file, secret };
}

const raw = (read: string, fence = '```{=typst}') => ['# Two', '', 'Before.', '', fence, `#read("${read}")`, '```', '', 'After.', ''].join('\n');

async function leaks(dir: string, secret: string, args: string[] = []): Promise<{ leaked: boolean; stderr: string; status: number | null }> {
  const result = await runCli(['build', dir, ...args]);
  const pdfFile = path.join(dir, 'dist', 'thesis.pdf');
  const pdf = fs.existsSync(pdfFile) ? await pdfText(fs.readFileSync(pdfFile)) : '';
  return { leaked: (pdf + result.stdout + result.stderr).includes(secret), stderr: result.stderr, status: result.status };
}

describe('Typst reads only what it is handed', () => {
  it('reads nothing through a link named node_modules or .git, a link 14 folders deep, or an absolute path', async () => {
    const { dir: outside, file, secret } = secretOutside();
    const dir = copyProject('minimal');
    fs.symlinkSync(outside, path.join(dir, 'thesis', 'node_modules'));
    fs.symlinkSync(outside, path.join(dir, 'thesis', '.git'));
    const deep = path.join(dir, 'thesis', ...Array.from({ length: 14 }, (_, i) => `d${i}`));
    fs.mkdirSync(deep, { recursive: true });
    fs.symlinkSync(file, path.join(deep, 'secret.txt'));
    for (const read of ['/thesis/node_modules/secret.txt', '/thesis/.git/secret.txt', `/${path.relative(dir, deep)}/secret.txt`, file, `../${path.relative(path.dirname(dir), file)}`]) {
      write(dir, 'thesis/two.md', raw(read));
      const attempt = await leaks(dir, secret);
      expect(attempt.leaked, read).toBe(false);
      expect(attempt.stderr, read).toMatch(/two\.md:5:1: error: .*(not given to Typst|outside of project root|file not found)/);
      expect(attempt.stderr).not.toMatch(/internal error/);
    }
  }, 120_000);

  it('reads nothing through a renamed fence, raw Typst in the abstract, or a hard link', async () => {
    const { file, secret } = secretOutside();
    const dir = copyProject('minimal');
    // A hard link inside the project to the outside file: the same file under a project name.
    let hardLinked = true;
    try {
      fs.linkSync(file, path.join(dir, 'thesis', 'hard.txt'));
    } catch {
      hardLinked = false; // another file system: no hard link possible, nothing to test
    }
    for (const fence of ['```{&#61;typst}', '```{\\=typst}', '```{=typst}']) {
      write(dir, 'thesis/two.md', raw(hardLinked ? '/thesis/hard.txt' : file, fence));
      expect((await leaks(dir, secret)).leaked, fence).toBe(false);
    }
    write(dir, 'thesis/two.md', '# Two\n\nText.\n');
    write(dir, 'thesis/abstract.md', raw(hardLinked ? '/thesis/hard.txt' : file));
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}abstract: abstract.md\n`);
    expect((await leaks(dir, secret)).leaked).toBe(false);
    if (hardLinked) {
      // The hard link as a chapter: left out, at its line in thesis.yaml.
      edit(dir, 'thesis/thesis.yaml', (text) => text.replace('  - two.md', '  - two.md\n  - hard.txt'));
      const chapter = await leaks(dir, secret);
      expect(chapter.leaked).toBe(false);
      expect(chapter.stderr).toMatch(/thesis\.yaml:\d+:\d+: warning: "hard\.txt" is a hard link/);
    }
  }, 120_000);

  it('raw Typst reads the thesis\'s own data files, and a file saved again is read again', async () => {
    const dir = copyProject('minimal');
    write(dir, 'thesis/data.csv', 'a,b\nOWNDATA1,2\n');
    write(dir, 'thesis/two.md', '# Two\n\n```{=typst}\n#let rows = csv("/thesis/data.csv")\n#rows.at(1).at(0)\n```\n');
    // One build kept, as watch keeps it: the second run's Typst is the first's, with the file handed before.
    const build = new ThesisBuild(dir);
    const first = build.run({});
    expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).toContain('OWNDATA1');
    // A different size, so the change shows even within the file system's time resolution.
    write(dir, 'thesis/data.csv', 'a,b\nOWNDATA22,2\n');
    build.run({});
    expect(await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).toContain('OWNDATA22');
  }, 60_000);
});
