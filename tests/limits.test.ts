// What a thesis cannot do to the machine it is built on (issue 23, parts 3
// and 4): take more memory than Typst is allowed, write outside the
// project through a dist/ link, lose entries when commands write the
// project at once, or leave Typst running after the command is gone.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnCli } from './helpers/cli.js';
import { copyProject, repoDir, tempDir, write } from './helpers/project.js';

const bomb = '# Two\n\nText.\n\n```{=typst}\n#let a = range(40000000).map(i => i * 2)\n#a.len()\n```\n';

/** The Typst compiler processes working on a project, by their command line. */
function compilerProcessesOf(dir: string): number[] {
  if (process.platform !== 'linux') return [];
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return command.some((part) => path.basename(part).startsWith('typst-server')) && command.includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('limits', () => {
  it('stops Typst at its memory limit with typst-stopped, exit 1, in bounded memory', async () => {
    const dir = copyProject('minimal');
    write(dir, 'thesis/two.md', bomb);
    const started = performance.now();
    const result = await spawnCli(['build', dir], { env: { THESIS_TYPST_MEMORY_MB: '512' } });
    expect(result.status).toBe(1);
    // Placed at the raw Typst block, the only code a thesis runs.
    expect(result.stderr).toMatch(/two\.md:5:1: error: Typst used more than 512 MB of memory and was stopped.*the raw Typst here is the likely cause \[typst-stopped\]/);
    // Unbounded, the same two lines took 15.7 GB for 197 s.
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 90_000);

  it('refuses a dist that is a link out of the project, and writes nothing there', async () => {
    const dir = copyProject('minimal');
    const elsewhere = tempDir('thesis-elsewhere-');
    fs.symlinkSync(elsewhere, path.join(dir, 'dist'));
    const result = await spawnCli(['build', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/dist:1:1: error: dist is a symbolic link; outputs are written only into the project's own dist\/ folder: remove the link \[output-unwritable\]/);
    const refs = await spawnCli(['refs', 'rename', 'foucault1977', 'foucault77', '--project', dir]);
    expect(refs.status).toBe(1);
    expect(refs.stderr).toContain('[output-unwritable]');
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  }, 60_000);

  it('loses nothing when refs add, refs rename and build write one project at once', async () => {
    const dir = copyProject('minimal');
    const entries = Array.from({ length: 4 }, (_, i) => `@book{added${i},\n  author = {Writer, Anna${i}},\n  title = {Concurrent Book ${i}},\n  year = {20${10 + i}},\n  publisher = {Press ${i}},\n}\n`);
    entries.forEach((entry, i) => write(dir, `incoming${i}.bib`, entry));
    const runs = [
      ...entries.map((_, i) => spawnCli(['refs', 'add', path.join(dir, `incoming${i}.bib`), '--project', dir])),
      spawnCli(['refs', 'rename', 'foucault1977', 'foucault77', '--project', dir]),
      spawnCli(['build', dir]),
    ];
    const results = await Promise.all(runs);
    for (const result of results) expect(result.stderr).not.toMatch(/internal error|project-busy/);
    const bib = fs.readFileSync(path.join(dir, 'bibliography', 'references.bib'), 'utf8');
    for (let i = 0; i < entries.length; i++) expect(bib).toContain(`@book{added${i},`);
    expect(bib).toContain('{foucault77,');
    expect(fs.readFileSync(path.join(dir, 'thesis', 'two.md'), 'utf8') + fs.readFileSync(path.join(dir, 'thesis', 'one.md'), 'utf8')).not.toMatch(/@foucault1977\b/);
    expect(fs.existsSync(path.join(dir, 'dist', '.lock'))).toBe(false);
  }, 120_000);

  it.skipIf(process.platform !== 'linux')('ends the Typst process when the command is killed in the middle of a compile', async () => {
    const dir = copyProject('minimal');
    // A compile that runs for a long time: the command is killed while Typst is busy.
    write(dir, 'thesis/two.md', '# Two\n\n```{=typst}\n#let n = 0\n#for i in range(300000000) { n = n + 1 }\n#n\n```\n');
    const child = spawn(process.execPath, [path.join(repoDir, 'compiled', 'scripts', 'cli.bundle.js'), 'build', dir], { stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    while (compilerProcessesOf(dir).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(compilerProcessesOf(dir).length).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const gone = Date.now() + 5_000;
    while (compilerProcessesOf(dir).length > 0 && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(compilerProcessesOf(dir)).toEqual([]);
  }, 60_000);
});
