// `npm run bench`: cold builds at 1x and 10x, edit-to-PDF in watch mode, the
// 5,000-entry bibliography, peak memory; side by side with Pandoc + xelatex
// when both are on the PATH. Writes bench/results.json and prints a table.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toolchainDir } from '../core/toolchain-dir.js';
import { StyleLibrary } from '../format/style-library.js';
import { generateBibliography, generateThesis } from './generate.js';
import { parseChapter } from '../parse/markdown.js';
import { loadBibliography } from '../resolve/bibliography.js';
import { findLikelyDuplicates, malformedValues, missingFields } from '../refs/rules.js';

const cli = path.join(toolchainDir, 'compiled', 'scripts', 'cli.bundle.js');
const probe = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rss-probe.js');
const workDir = path.join(toolchainDir, 'bench', 'generated');

interface Stats {
  runs: number;
  min: number;
  median: number;
  max: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return { runs: values.length, min: round(sorted[0]), median: round(sorted[Math.floor(sorted.length / 2)]), max: round(sorted[sorted.length - 1]) };
}

/** Runs a command; wall seconds and, for node processes, peak memory in MB. */
function timed(command: string, args: string[], cwd: string): { seconds: number; maxRssMb: number | null; ok: boolean; output: string } {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - started) / 1000;
  const rss = /@@maxrss (\d+)/.exec(result.stderr ?? '');
  return { seconds, maxRssMb: rss ? Math.round(Number(rss[1]) / 1024) : null, ok: result.status === 0, output: (result.stdout ?? '') + (result.stderr ?? '') };
}

function ourBuild(dir: string, withCache: boolean) {
  if (!withCache) fs.rmSync(path.join(dir, 'dist', '.cache'), { recursive: true, force: true });
  const run = timed(process.execPath, ['--import', probe, cli, 'build', dir], dir);
  if (!run.ok) throw new Error(`build failed:\n${run.output}`);
  return run;
}

function which(name: string): string | null {
  const result = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : null;
}

/** Pandoc + xelatex on the same generated thesis, if both are installed. */
function pandocBuild(dir: string): { seconds: number; maxRssMb: number | null; ok: boolean; output: string } {
  const config = fs.readFileSync(path.join(dir, 'thesis', 'thesis.yaml'), 'utf8');
  const chapters = [...config.matchAll(/^ {2}- (.+)$/gm)].map((m) => path.join('thesis', m[1]));
  fs.writeFileSync(path.join(dir, 'apa.csl'), StyleLibrary.shared()!.style('apa')!.xml);
  const args = [...chapters, '--citeproc', '--bibliography=bibliography/references.bib', '--csl=apa.csl', '--pdf-engine=xelatex', '--toc', '--number-sections', '-M', 'title=Synthetic', '-M', 'mainfont=DejaVu Serif', '--resource-path=thesis', '-o', 'dist/pandoc.pdf'];
  const time = which('/usr/bin/time') ? ['/usr/bin/time', ['-f', '@@maxrsskb %M', 'pandoc', ...args]] as const : ['pandoc', args] as const;
  const run = timed(time[0], [...time[1]], dir);
  const rss = /@@maxrsskb (\d+)/.exec(run.output);
  return { ...run, maxRssMb: rss ? Math.round(Number(rss[1]) / 1024) : null };
}

/** Typst by itself on the Typst a build of `dir` writes: the floor under our figures. */
function typstFloor(dir: string, edits: number): { cold: number; edit: Stats; maxRssMb: number } {
  const build = timed(process.execPath, [cli, 'build', '--typst', dir], dir);
  if (!build.ok) throw new Error(`build failed:\n${build.output}`);
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'typst-floor.js');
  const result = spawnSync(process.execPath, [script, dir, String(edits)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Typst floor run failed:\n${result.stderr}`);
  const measured = JSON.parse(result.stdout) as { cold: number; edits: number[]; maxRssMb: number };
  return { cold: Math.round(measured.cold * 1000) / 1000, edit: stats(measured.edits), maxRssMb: measured.maxRssMb };
}

interface LspLatency {
  initialize: number;
  firstDiagnostics: number;
  afterKeystroke: number[];
  completions: number[];
  offered: number;
  peakMb: number | null;
}

/** The language server on a thesis, in a fresh process: start, diagnostics after keystrokes, completion (milliseconds). */
function lspLatency(dir: string, chapter: string, keystrokes: number): LspLatency {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lsp-latency.js');
  const result = spawnSync(process.execPath, [script, dir, chapter, String(keystrokes)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`language server run failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as LspLatency;
}

/** The live preview on a thesis, in its own process, drawn in Chromium: save to painted (milliseconds). */
type PreviewLatency = { toPainted: number[]; toText: (number | null)[]; toFull: number[]; builds: number[] };
function previewLatency(dir: string, chapter: string, saves: number, where: 'end' | 'middle' = 'end'): PreviewLatency {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'preview-latency.js');
  const result = spawnSync(process.execPath, [script, dir, chapter, String(saves), '300', where], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`preview run failed:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as PreviewLatency;
}

/** Milliseconds as the table's seconds. */
const msStats = (values: number[]) => stats(values.map((ms) => ms / 1000));

/** Edit-to-PDF in watch mode, in a fresh process so earlier runs leave no caches or heap behind. */
function editToPdf(dir: string, edits: number): Stats {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'edit-latency.js');
  const result = spawnSync(process.execPath, [script, dir, String(edits)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`edit-to-PDF run failed:\n${result.stderr}`);
  return stats(JSON.parse(result.stdout) as number[]);
}

async function main() {
  const quick = process.argv.includes('--quick');
  const runs1 = quick ? 3 : 5;
  const runs10 = quick ? 2 : 3;
  fs.mkdirSync(workDir, { recursive: true });
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length };

  const sizes: Record<string, { dir: string; runs: number; generated: ReturnType<typeof generateThesis> }> = {};
  for (const [name, scale, runs] of [['1x', 1, runs1], ['10x', 10, runs10]] as const) {
    const dir = path.join(workDir, name);
    sizes[name] = { dir, runs, generated: generateThesis(dir, scale) };
  }
  const repoCopy = path.join(workDir, 'repo');
  fs.rmSync(repoCopy, { recursive: true, force: true });
  for (const part of ['thesis', 'bibliography', 'templates']) fs.cpSync(path.join(toolchainDir, part), path.join(repoCopy, part), { recursive: true });

  const table: string[][] = [['measure', 'min', 'median', 'max', 'pandoc+xelatex (median)', 'ratio']];
  const hasPandoc = which('pandoc') && which('xelatex');
  results.pandoc = hasPandoc ? spawnSync('pandoc', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] : null;

  const peak: Record<string, number | null> = {};
  for (const [name, { dir, runs, generated }] of Object.entries(sizes)) {
    process.stderr.write(`cold builds at ${name} (${generated.words} words, ${generated.citations} citations, ${generated.entries} entries)…\n`);
    const first = [ourBuild(dir, false)];
    for (let i = 1; i < runs; i++) first.push(ourBuild(dir, false));
    const warm = Array.from({ length: runs }, () => ourBuild(dir, true));
    const cold = stats(first.map((r) => r.seconds));
    const cached = stats(warm.map((r) => r.seconds));
    peak[name] = Math.max(...first.map((r) => r.maxRssMb ?? 0));
    let pandoc: Stats | null = null;
    if (hasPandoc) {
      const pandocRuns = Array.from({ length: Math.min(runs, 3) }, () => pandocBuild(dir));
      if (pandocRuns.every((r) => r.ok)) {
        pandoc = stats(pandocRuns.map((r) => r.seconds));
        peak[`pandoc ${name}`] = Math.max(...pandocRuns.map((r) => r.maxRssMb ?? 0));
      } else process.stderr.write(`pandoc failed on ${name}:\n${pandocRuns.find((r) => !r.ok)!.output.slice(-2000)}\n`);
    }
    results[`build ${name}`] = { generated, cold, cachesWarm: cached, pandoc };
    table.push([`cold build ${name}`, ...fmt(cold), pandoc ? `${pandoc.median.toFixed(2)} s` : '—', pandoc ? `${(pandoc.median / cold.median).toFixed(1)}×` : '—']);
    table.push([`cold build ${name}, caches warm`, ...fmt(cached), pandoc ? `${pandoc.median.toFixed(2)} s` : '—', pandoc ? `${(pandoc.median / cached.median).toFixed(1)}×` : '—']);
    const floor = typstFloor(dir, quick ? 3 : 8);
    results[`typst alone ${name}`] = floor;
    table.push([`  Typst alone ${name}: cold compile + PDF`, '', `${floor.cold.toFixed(3)} s`, '', `${floor.maxRssMb} MB peak`, '']);
    const edits = editToPdf(dir, quick ? 5 : name === '1x' ? 20 : 8);
    results[`edit-to-pdf ${name}`] = edits;
    table.push([`edit-to-PDF ${name} (watch)`, ...fmt(edits), pandoc ? `${pandoc.median.toFixed(2)} s (full rebuild)` : '—', pandoc ? `${(pandoc.median / edits.median).toFixed(0)}×` : '—']);
    table.push([`  Typst alone ${name}: recompile + PDF after the edit`, ...fmt(floor.edit), '', '']);
  }
  for (const [name, { dir }] of Object.entries(sizes)) {
    const chapter = fs.readdirSync(path.join(dir, 'thesis')).filter((file) => file.endsWith('.md')).sort()[0];
    const lsp = lspLatency(dir, path.join(dir, 'thesis', chapter), quick ? 5 : 15);
    results[`lsp ${name}`] = lsp;
    if (name === '1x') table.push(['language server: start to initialize answered', '', `${(lsp.initialize / 1000).toFixed(3)} s`, '', '—', '—']);
    table.push([`language server ${name}: diagnostics after a keystroke (incl. 50 ms debounce)`, ...fmt(msStats(lsp.afterKeystroke)), '—', '—']);
    table.push([`  peak memory of the server ${name}`, '', `${lsp.peakMb ?? '?'} MB`, '', '—', '—']);
    const preview = previewLatency(dir, path.join(dir, 'thesis', chapter), quick ? 3 : 8);
    results[`preview ${name}`] = preview;
    // The first is the draft of the pages around the edit (preview/draft.ts); the whole thesis's pages follow.
    const floor = results[`typst alone ${name}`] as { edit: Stats } | undefined;
    table.push([`preview ${name}: save to new pages painted in Chromium (draft)`, ...fmt(msStats(preview.toPainted)), floor ? `Typst alone ${floor.edit.median.toFixed(3)} s` : '—', '—']);
    table.push([`  save to the draft's words in the page's text layer`, ...fmt(msStats(preview.toText.filter((ms): ms is number => ms !== null))), '—', '—']);
    table.push([`  save to the whole thesis's pages painted`, ...fmt(msStats(preview.toFull)), '—', '—']);
    table.push([`  the preview's build ${name} (as it printed it)`, ...fmt(msStats(preview.builds)), '—', '—']);
    // Typed half way through the chapter, at a place no draft was made for before (the first save there is the max).
    const middle = previewLatency(dir, path.join(dir, 'thesis', chapter), quick ? 3 : 8, 'middle');
    results[`preview ${name} middle`] = middle;
    table.push([`  save half way through the chapter to new pages painted`, ...fmt(msStats(middle.toPainted)), '—', '—']);
  }
  const repoEdits = editToPdf(repoCopy, quick ? 5 : 20);
  results['edit-to-pdf repository thesis'] = repoEdits;
  table.push(['edit-to-PDF this thesis (watch)', ...fmt(repoEdits), '—', '—']);

  // The 5,000-entry bibliography: load and check with `refs check`.
  const bigDir = path.join(workDir, 'bib5000');
  fs.rmSync(bigDir, { recursive: true, force: true });
  fs.mkdirSync(path.join(bigDir, 'thesis'), { recursive: true });
  fs.mkdirSync(path.join(bigDir, 'bibliography'), { recursive: true });
  const entries = generateBibliography(5000, 3);
  fs.writeFileSync(path.join(bigDir, 'bibliography', 'references.bib'), entries.map((e) => e.text).join('\n'));
  fs.writeFileSync(path.join(bigDir, 'thesis', 'chapter.md'), `# Chapter\n\n${entries.slice(0, 50).map((e) => `Text [@${e.key}].`).join('\n')}\n`);
  const bibRuns = Array.from({ length: runs1 }, () => timed(process.execPath, [cli, 'refs', 'check', '--project', bigDir], bigDir));
  const bib = stats(bibRuns.map((r) => r.seconds));
  results['refs check 5000 entries'] = bib;
  table.push(['refs check, 5,000 entries (whole command)', ...fmt(bib), '—', '—']);
  // The same work without process start-up and printing: load, then every rule.
  const bibFile = path.join(bigDir, 'bibliography', 'references.bib');
  const inProcess = stats(
    Array.from({ length: runs1 }, () => {
      const started = performance.now();
      const loaded = loadBibliography([bibFile]);
      const list = [...loaded.entries.values()];
      const source = loaded.sources.get(bibFile) ?? '';
      void [...findLikelyDuplicates(list), ...list.flatMap((e) => missingFields(e, 'apa')), ...list.flatMap((e) => malformedValues(e, source))];
      return (performance.now() - started) / 1000;
    }),
  );
  results['load and check 5000 entries in-process'] = inProcess;
  const bigLsp = lspLatency(bigDir, path.join(bigDir, 'thesis', 'chapter.md'), 2);
  results['lsp completion 5000 entries'] = bigLsp;
  table.push([`language server: completion after @ over 5,000 entries (the first ${bigLsp.offered} offered, more as the key is typed)`, ...fmt(msStats(bigLsp.completions)), '—', '—']);
  table.push(['load + check, 5,000 entries (in-process)', ...fmt(inProcess), '—', '—']);
  // Parsing long inputs (issue 14: linear in the input): one 100 KB paragraph of 5,000
  // citations, and a table of 10,000 rows, each parsed in-process as a chapter.
  const keys = ['foucault1977', 'simon2005', 'luxon2008'];
  const longParagraph = `# Long\n\n${Array.from({ length: 5000 }, (_, i) => `w [@${keys[i % 3]}, p. ${i}]`).join(' ')}\n`;
  const longTable = `# Table\n\n| a | b |\n|---|---|\n${Array.from({ length: 10000 }, (_, i) => `| cell ${i} | text [@simon2005] |`).join('\n')}\n`;
  for (const [label, text] of [[`parse one ${Math.round(longParagraph.length / 1024)} KB paragraph of 5,000 citations (in-process)`, longParagraph], ['parse a table of 10,000 rows (in-process)', longTable]] as const) {
    const parsed = stats(
      Array.from({ length: quick ? 2 : 3 }, () => {
        const started = performance.now();
        parseChapter('long.md', text);
        return (performance.now() - started) / 1000;
      }),
    );
    results[label] = parsed;
    table.push([label, ...fmt(parsed), '—', '—']);
  }
  results.peakMemoryMb = peak;
  table.push(['peak memory 1x / 10x (with Typst\'s process)', `${peak['1x']} MB`, '', `${peak['10x']} MB`, hasPandoc ? `${peak['pandoc 1x'] ?? '?'} / ${peak['pandoc 10x'] ?? '?'} MB` : '—', '']);

  fs.writeFileSync(path.join(toolchainDir, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  process.stdout.write(table.map((row) => row.map((cell, i) => (cell ?? '').padEnd(widths[i])).join('  ')).join('\n') + '\n');
  process.stdout.write(hasPandoc ? `compared with ${results.pandoc} + xelatex on the same thesis\n` : 'pandoc and/or xelatex are not on the PATH: the side-by-side comparison is skipped by design (apt-get install pandoc texlive-xetex to add it)\n');
  process.stdout.write(`written to bench/results.json\n`);
}

function fmt(s: Stats): string[] {
  return [`${s.min.toFixed(3)} s`, `${s.median.toFixed(3)} s`, `${s.max.toFixed(3)} s`];
}

await main();
