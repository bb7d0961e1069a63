// `npm run soak -- [--saves N] [--seed S]`: the watch soak (issue 14, part
// 6). A copy of this repository's thesis is watched by `thesis watch` in a
// process of its own while N saves (1,000 by default) land on it in quick
// succession: sentences added, half-typed citations, unknown keys, unclosed
// math, a file cut off mid-word or emptied, a broken thesis.yaml, a chapter
// deleted and brought back, raw Typst with an error, saves as editors make
// them (a temporary file renamed over the chapter). It ends in a good state.
// Checked: the watcher is still running, its last PDF has the text a clean
// build of the same files has, and its memory (the watcher and its Typst
// process, resident set from /proc) stays flat once warm. Run on demand (it
// takes minutes), not in `npm test`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toolchainDir } from '../core/toolchain-dir.js';
import { pdfText } from './pdf-text.js';

const args = process.argv.slice(2);
const option = (flag: string, fallback: number) => {
  const index = args.indexOf(flag);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  return Number.isFinite(value) ? value : fallback;
};
const saves = Math.max(1, option('--saves', 1000));
const firstSeed = option('--seed', Date.now() % 2 ** 31);
let state = firstSeed >>> 0;
/** A small seeded generator (mulberry32), so a run can be repeated with --seed: an integer below n. */
const random = (n: number) => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
};

const cli = path.join(toolchainDir, 'compiled', 'scripts', 'cli.bundle.js');
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'thesis-soak-'));
for (const part of ['thesis', 'bibliography']) fs.cpSync(path.join(toolchainDir, part), path.join(project, part), { recursive: true });
const chapter = path.join(project, 'thesis', '02-theory.md');
const config = path.join(project, 'thesis', 'thesis.yaml');
const good = fs.readFileSync(chapter, 'utf8');
const goodConfig = fs.readFileSync(config, 'utf8');

/** Resident memory in MB of a process and of its children (Typst's process). */
function residentMb(pid: number): { own: number; children: number } {
  let own = 0;
  let children = 0;
  // Linux's /proc; elsewhere memory is not measured (0).
  const processes = fs.existsSync('/proc') ? fs.readdirSync('/proc') : [];
  for (const name of processes) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = fs.readFileSync(`/proc/${name}/status`, 'utf8');
      const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
      if (Number(name) === pid) own += kb;
      else if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) === pid) children += kb;
    } catch {
      // The process ended meanwhile.
    }
  }
  return { own: Math.round(own / 1024), children: Math.round(children / 1024) };
}

/** One save: the chapter (or thesis.yaml) as a writer in a hurry leaves it. */
function save(i: number): string {
  let text = good + `\nSoak sentence ${i}.\n`;
  let kind = 'sentence';
  fs.writeFileSync(config, goodConfig);
  switch (random(10)) {
    case 0:
      kind = 'half-typed citation';
      text = good + `\nAs argued in [see @foucault1977, p. ${i}\n`;
      break;
    case 1:
      kind = 'unknown key';
      text = good + `\nSee @nobody${i}.\n`;
      break;
    case 2:
      kind = 'unclosed math';
      text = good + `\n$$\n\\frac{a}{b\n`;
      break;
    case 3:
      kind = 'cut off';
      text = good.slice(0, random(good.length));
      break;
    case 4:
      kind = 'emptied';
      text = '';
      break;
    case 5:
      kind = 'broken thesis.yaml';
      fs.writeFileSync(config, goodConfig.replace('chapters:', 'chapters: [unclosed'));
      break;
    case 6:
      kind = 'chapter deleted';
      fs.rmSync(chapter, { force: true });
      return kind;
    case 7:
      kind = 'raw Typst error';
      text = good + '\n```{=typst}\n#let x = \n```\n';
      break;
    case 8: {
      kind = 'atomic save';
      const temporary = `${chapter}.${i}.swp`;
      fs.writeFileSync(temporary, text);
      fs.renameSync(temporary, chapter);
      return kind;
    }
  }
  fs.writeFileSync(chapter, text);
  return kind;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const started = performance.now();
  const watch = spawn(process.execPath, [cli, 'watch', project], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  let lastOutput = performance.now();
  const listen = (chunk: Buffer) => {
    output += chunk.toString();
    lastOutput = performance.now();
  };
  watch.stdout.on('data', listen);
  watch.stderr.on('data', listen);
  const builds = () => (output.match(/ → /g) ?? []).length;
  /** Waits until a build reported after `before` builds, then `quiet` ms without output. */
  const settled = async (before: number, quiet = 1500) => {
    const deadline = performance.now() + 120_000;
    while (performance.now() < deadline && (builds() <= before || performance.now() - lastOutput < quiet)) await sleep(50);
  };
  await settled(0);
  const sample = (save: number) => {
    const { own, children } = residentMb(watch.pid!);
    return { save, mb: own + children, own, children };
  };
  const samples = [sample(0)];
  const kinds = new Map<string, number>();
  for (let i = 1; i <= saves; i++) {
    const kind = save(i);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    // Mostly a burst (the watcher folds it into one build), now and then a pause long enough for a build.
    await sleep(random(10) === 0 ? 300 + random(400) : random(20));
    if (i % 100 === 0) {
      // Let the watcher catch up, then read its memory.
      await settled(builds() - 1);
      samples.push(sample(i));
      const { own, children } = samples[samples.length - 1];
      process.stdout.write(`save ${i}: ${builds()} builds so far, watcher ${own} MB + Typst ${children} MB\n`);
    }
  }
  // The end: a good state.
  const before = builds();
  fs.writeFileSync(config, goodConfig);
  fs.writeFileSync(chapter, good + '\nThe soak ended in a good state.\n');
  await settled(before);
  const problems: string[] = [];
  if (watch.exitCode !== null || watch.signalCode !== null) problems.push(`the watcher ended (${watch.exitCode ?? watch.signalCode})`);
  if (/\n\s+at .+:\d+:\d+/.test(output) || output.includes('internal error')) problems.push('the watcher printed a stack trace or an internal error');
  const lastLine = output.trim().split('\n').filter((line) => line.includes(' → ')).pop() ?? '';
  if (!/→ built in/.test(lastLine)) problems.push(`the last build did not succeed: ${lastLine}`);
  watch.kill('SIGINT');
  await new Promise((resolve) => watch.on('exit', resolve));

  // A clean build of the same files, in a folder of its own.
  const clean = fs.mkdtempSync(path.join(os.tmpdir(), 'thesis-soak-clean-'));
  for (const part of ['thesis', 'bibliography']) fs.cpSync(path.join(project, part), path.join(clean, part), { recursive: true });
  const build = spawnSync(process.execPath, [cli, 'build', clean], { encoding: 'utf8' });
  if (build.status !== 0) problems.push(`the clean build failed: ${build.stderr}`);
  const watched = await pdfText(fs.readFileSync(path.join(project, 'dist', 'thesis.pdf')));
  const built = build.status === 0 ? await pdfText(fs.readFileSync(path.join(clean, 'dist', 'thesis.pdf'))) : '';
  if (!watched.includes('The soak ended in a good state.')) problems.push("the watcher's last PDF does not have the last save's text");
  if (watched !== built) problems.push("the watcher's last PDF text differs from a clean build's");

  // Flat: once warm (after the first 200 saves), the last samples stay within a quarter of it.
  const warm = samples.find((sample) => sample.save === Math.min(200, saves - (saves % 100)))?.mb ?? samples[0].mb;
  const peak = Math.max(...samples.map((sample) => sample.mb));
  const last = samples[samples.length - 1].mb;
  if (saves >= 300 && warm > 0 && last > warm * 1.25) problems.push(`memory grew from ${warm} MB (save 200) to ${last} MB (save ${samples[samples.length - 1].save})`);

  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  process.stdout.write(
    [
      `watch soak (seed ${firstSeed}): ${saves} saves in ${seconds} s, ${builds()} builds reported, ${(output.match(/build failed/g) ?? []).length} of them failed on a broken state`,
      `saves: ${[...kinds].map(([kind, count]) => `${count} ${kind}`).join(', ')}`,
      `memory (watcher + Typst process): ${samples.map((sample) => `${sample.save}: ${sample.mb}`).join(', ')} MB; peak ${peak} MB`,
      problems.length ? `problems:\n  ${problems.join('\n  ')}` : 'the watcher lived through it, its last PDF reads as a clean build, memory stayed flat',
    ].join('\n') + '\n',
  );
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(clean, { recursive: true, force: true });
  process.exit(problems.length ? 1 : 0);
}

void main();
