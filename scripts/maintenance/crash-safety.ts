// `npm run crash-safety -- [--kills N]`: SIGKILL at random moments during
// `build`, `refs add`, `refs rename` and `watch` (N kills each, 100 by
// default) on a copy of the minimal fixture thesis, checking after every
// kill what the toolchain promises: the PDF is a complete PDF (or the one
// before), the .bib is the old or the new version, a stopped rename finishes
// when run again, and no temporary files pile up. Run on demand (it takes
// minutes), not in `npm test`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toolchainDir } from '../core/toolchain-dir.js';

const args = process.argv.slice(2);
const kills = Number(args[args.indexOf('--kills') + 1] || 100) || 100;
const cli = path.join(toolchainDir, 'compiled', 'scripts', 'cli.bundle.js');
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'thesis-crash-'));
fs.cpSync(path.join(toolchainDir, 'tests', 'fixtures', 'minimal'), project, { recursive: true });
const bib = path.join(project, 'bibliography', 'references.bib');
const problems: string[] = [];

const run = (command: string[]) => spawnSync(process.execPath, [cli, ...command], { encoding: 'utf8' });

/** Starts a command and kills it with SIGKILL after a random moment in its usual duration. */
function killDuring(command: string[], within: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...command], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), Math.random() * within);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function completePdf(file: string): boolean {
  if (!fs.existsSync(file)) return true;
  const bytes = fs.readFileSync(file);
  return bytes.subarray(0, 5).toString() === '%PDF-' && bytes.subarray(-1024).toString('latin1').includes('%%EOF');
}

function temporaries(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.tmp')) found.push(path.relative(project, full));
    }
  };
  walk(project);
  return found;
}

function timed(label: string, started: number) {
  process.stdout.write(`${label}: ${kills} kills, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
}

async function main() {
  // The usual durations, measured once.
  let started = performance.now();
  run(['build', project]);
  const buildMs = Math.max(500, performance.now() - started);

  started = performance.now();
  for (let k = 0; k < kills; k++) {
    await killDuring(['build', project], buildMs);
    if (!completePdf(path.join(project, 'dist', 'thesis.pdf'))) problems.push(`build kill ${k}: dist/thesis.pdf is not a complete PDF`);
  }
  run(['build', project]);
  if (temporaries().length) problems.push(`after the build kills and one build: temporary files left: ${temporaries().join(', ')}`);
  timed('build', started);

  started = performance.now();
  const entry = (k: number) => `@book{crash${k},\n  author = {Crash, Test},\n  title = {Killed Write ${k}},\n  publisher = {P},\n  year = {2020},\n}\n`;
  for (let k = 0; k < kills; k++) {
    const before = fs.readFileSync(bib, 'utf8');
    const input = path.join(project, `entry-${k}.bib`);
    fs.writeFileSync(input, entry(k));
    await killDuring(['refs', 'add', input, '--project', project], 900);
    fs.rmSync(input);
    const after = fs.readFileSync(bib, 'utf8');
    // The entry gets its key from the key pattern: found by its title.
    if (after !== before && !(after.startsWith(before.trimEnd()) && after.includes(`Killed Write ${k}`))) problems.push(`refs add kill ${k}: the .bib is neither the old nor the new version`);
  }
  run(['refs', 'check', '--project', project]);
  if (temporaries().length) problems.push(`after the refs add kills: temporary files left: ${temporaries().join(', ')}`);
  timed('refs add', started);

  started = performance.now();
  let key = 'simon2005';
  for (let k = 0; k < kills; k++) {
    const next = `simon2005v${k}`;
    await killDuring(['refs', 'rename', key, next, '--project', project], 900);
    // Whatever the kill left, the same command again finishes the job.
    const again = run(['refs', 'rename', key, next, '--project', project]);
    const bibText = fs.readFileSync(bib, 'utf8');
    const chapter = fs.readFileSync(path.join(project, 'thesis', 'one.md'), 'utf8');
    if (!bibText.includes(`{${next},`) || new RegExp(`@${key}(?![\\w-])`).test(chapter) || !chapter.includes(`@${next}`)) problems.push(`refs rename kill ${k}: not finished by running it again (${again.stderr.trim().split('\n')[0] ?? ''})`);
    key = next;
  }
  if (temporaries().length) problems.push(`after the refs rename kills: temporary files left: ${temporaries().join(', ')}`);
  timed('refs rename', started);

  started = performance.now();
  for (let k = 0; k < kills; k++) {
    const watch = spawn(process.execPath, [cli, 'watch', project], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300 + Math.random() * buildMs));
    fs.appendFileSync(path.join(project, 'thesis', 'two.md'), `\nEdit ${k}.\n`);
    await new Promise((r) => setTimeout(r, Math.random() * 400));
    watch.kill('SIGKILL');
    await new Promise((r) => watch.on('exit', r));
    if (!completePdf(path.join(project, 'dist', 'thesis.pdf'))) problems.push(`watch kill ${k}: dist/thesis.pdf is not a complete PDF`);
  }
  run(['build', project]);
  if (temporaries().length) problems.push(`after the watch kills and one build: temporary files left: ${temporaries().join(', ')}`);
  timed('watch', started);
  // Typst's processes (typst-process.ts) end with the process that started them, killed or not.
  await new Promise((r) => setTimeout(r, 500));
  const left = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout.split('\n').filter((line) => line.includes(project));
  if (left.length) problems.push(`processes left running: ${left.join('; ')}`);

  fs.rmSync(project, { recursive: true, force: true });
  process.stdout.write(problems.length ? `${problems.length} problems:\n${problems.join('\n')}\n` : `crash safety: ${kills * 4} kills, every PDF complete, every .bib old or new, every rename finished, no temporary files and no Typst process left\n`);
  process.exit(problems.length ? 1 : 0);
}

void main();
