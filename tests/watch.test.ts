// `thesis watch` on a temporary copy of a fixture thesis: edit, break, fix,
// add, delete and rename files; the last good PDF survives every broken
// state; a soak of rapid edits ends with the same PDF as a clean build.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThesisBuild } from '../scripts/pipeline.js';
import mammoth from 'mammoth';
import { ThesisWatcher, type WatchBuild, type WatchExport } from '../scripts/watch/watcher.js';
import { runCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, edit, repoDir, tempDir, write } from './helpers/project.js';

const dir = copyProject('minimal');
const pdf = path.join(dir, 'dist', 'thesis.pdf');
const report = path.join(dir, 'dist', 'progress.html');
const builds: WatchBuild[] = [];
let watcher: ThesisWatcher;
const resourcesBefore = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;

/** Waits for the builds a change causes, until none has followed for `quiet` ms. */
async function settled(after: number, quiet = 400, timeout = 20_000): Promise<WatchBuild> {
  const started = Date.now();
  let seen = builds.length;
  let lastChange = Date.now();
  while (Date.now() - started < timeout) {
    await new Promise((r) => setTimeout(r, 25));
    if (builds.length !== seen) {
      seen = builds.length;
      lastChange = Date.now();
    }
    if (builds.length > after && Date.now() - lastChange >= quiet) return builds[builds.length - 1];
  }
  throw new Error(`no build within ${timeout} ms (builds: ${builds.length})`);
}

/** Waits until `probe` holds (20 s at most). */
async function waitFor(what: string, probe: () => boolean): Promise<void> {
  for (const started = Date.now(); !probe(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() - started > 20_000) throw new Error(`no ${what}`);
}

async function change(action: () => void): Promise<WatchBuild> {
  const before = builds.length;
  action();
  return settled(before);
}

const text = async () => pdfText(fs.readFileSync(pdf));

beforeAll(async () => {
  watcher = new ThesisWatcher(dir, { debounceMs: 30 }, (build) => builds.push(build));
  await watcher.start();
}, 30_000);

afterAll(async () => {
  await watcher.close();
});

describe('thesis watch', () => {
  it('builds once at the start', async () => {
    expect(builds[0].result.ok).toBe(true);
    expect(await text()).toContain('is an ethics (Luxon, 2008)');
  });

  it('rebuilds when a chapter is saved', async () => {
    const build = await change(() => edit(dir, 'thesis/two.md', (t) => t + '\nA sentence written in watch mode.\n'));
    expect(build.result.ok).toBe(true);
    expect(build.changed).toEqual([path.join(dir, 'thesis', 'two.md')]);
    expect(await text()).toContain('A sentence written in watch mode.');
  });

  it('keeps the last good PDF and report byte-identical through broken states, then recovers', async () => {
    const broken: [string, () => void, RegExp][] = [
      ['a Typst error', () => edit(dir, 'thesis/two.md', (t) => t + '\n```{=typst}\n#nope(\n```\n'), /two\.md:\d+:\d+: error: .*\[typst-error\]/],
      ['a half-pasted BibTeX entry', () => edit(dir, 'bibliography/references.bib', (t) => t + '\n@article{half2020,\n  title = {Half'), /references\.bib:\d+:1: error: unclosed entry/],
      ['invalid YAML', () => edit(dir, 'thesis/thesis.yaml', (t) => t.replace('title: A Small Thesis', 'title: [A Small Thesis')), /thesis\.yaml:\d+:\d+: error: invalid YAML/],
    ];
    for (const [name, breakIt, message] of broken) {
      const goodPdf = fs.readFileSync(pdf);
      const goodReport = fs.readFileSync(report);
      const snapshot = new Map(['thesis/two.md', 'bibliography/references.bib', 'thesis/thesis.yaml'].map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
      const failed = await change(breakIt);
      expect(failed.result.ok, name).toBe(false);
      const rendered = failed.result.diagnostics.map((d) => `${path.relative(dir, d.file ?? '')}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.rule}]`).join('\n');
      expect(rendered, name).toMatch(message);
      expect(fs.readFileSync(pdf).equals(goodPdf), name).toBe(true);
      expect(fs.readFileSync(report).equals(goodReport), name).toBe(true);
      const fixed = await change(() => snapshot.forEach((content, file) => fs.writeFileSync(path.join(dir, file), content)));
      expect(fixed.result.ok, `${name} fixed`).toBe(true);
    }
  });

  it('warns at the position of an unclosed citation bracket', async () => {
    const build = await change(() => edit(dir, 'thesis/two.md', (t) => t.replace('[@luxon2008]', '[see @luxon2008')));
    expect(build.result.diagnostics.some((d) => d.rule === 'citation-unclosed' && d.line === 8 && d.column === 30)).toBe(true);
    await change(() => edit(dir, 'thesis/two.md', (t) => t.replace('[see @luxon2008', '[@luxon2008]')));
  });

  it('picks up a chapter added to thesis.yaml, and its removal', async () => {
    write(dir, 'thesis/three.md', '---\ntitle: Third\n---\n\n# Third chapter\n\nThe third chapter speaks.\n');
    const added = await change(() => edit(dir, 'thesis/thesis.yaml', (t) => t.replace('  - two.md', '  - two.md\n  - three.md')));
    expect(added.result.ok).toBe(true);
    expect(await text()).toContain('The third chapter speaks.');
    const edited = await change(() => edit(dir, 'thesis/three.md', (t) => t.replace('speaks', 'sings')));
    expect(edited.result.ok).toBe(true);
    expect(await text()).toContain('The third chapter sings.');
    const deleted = await change(() => fs.rmSync(path.join(dir, 'thesis', 'three.md')));
    expect(deleted.result.ok).toBe(false);
    expect(deleted.result.diagnostics.map((d) => d.rule)).toContain('chapter-missing');
    const removed = await change(() => edit(dir, 'thesis/thesis.yaml', (t) => t.replace('\n  - three.md', '')));
    expect(removed.result.ok).toBe(true);
    expect(await text()).not.toContain('third chapter');
  });

  it('follows a renamed chapter', async () => {
    await change(() => {
      fs.renameSync(path.join(dir, 'thesis', 'two.md'), path.join(dir, 'thesis', 'second.md'));
      edit(dir, 'thesis/thesis.yaml', (t) => t.replace('  - two.md', '  - second.md').replace('[one.md, two.md]', '[one.md, second.md]'));
    });
    const build = await change(() => edit(dir, 'thesis/second.md', (t) => t + '\nRenamed and still watched.\n'));
    expect(build.result.ok).toBe(true);
    expect(await text()).toContain('Renamed and still watched.');
  });

  it('handles an atomic save (write a temporary file, rename it over) as one change', async () => {
    const file = path.join(dir, 'thesis', 'one.md');
    const build = await change(() => {
      const temporary = path.join(dir, 'thesis', '.one.md.swp');
      fs.writeFileSync(temporary, fs.readFileSync(file, 'utf8') + '\nSaved atomically.\n');
      fs.renameSync(temporary, file);
    });
    expect(build.result.ok).toBe(true);
    expect(await text()).toContain('Saved atomically.');
  });

  it('ignores dist/ and editor temporary files', async () => {
    const before = builds.length;
    write(dir, 'dist/notes.txt', 'x');
    write(dir, 'thesis/.#one.md', 'lock');
    write(dir, 'thesis/one.md~', 'backup');
    write(dir, 'thesis/notes.txt', 'not a chapter');
    await new Promise((r) => setTimeout(r, 500));
    expect(builds.length).toBe(before);
  });

  it('ends a soak of rapid edits with the PDF a clean build makes', async () => {
    const before = builds.length;
    for (let i = 0; i < 300; i++) {
      edit(dir, 'thesis/one.md', (t) => t + `Soak sentence number ${i}.\n`);
      if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    const last = await settled(before, 600);
    expect(last.result.ok).toBe(true);
    expect(builds.length - before).toBeLessThan(300); // bursts were batched
    const watched = await text();
    expect(watched).toContain('Soak sentence number 299.');
    const clean = copyProject('minimal');
    for (const part of ['thesis', 'bibliography']) fs.cpSync(path.join(dir, part), path.join(clean, part), { recursive: true });
    const cleanBuild = new ThesisBuild(clean).run();
    expect(cleanBuild.ok).toBe(true);
    expect(await pdfText(fs.readFileSync(path.join(clean, 'dist', 'thesis.pdf')))).toBe(watched);
  }, 60_000);

  it('leaves no file handles or watchers behind when closed', async () => {
    await watcher.close();
    await new Promise((r) => setTimeout(r, 100));
    const after = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap' && r !== 'Timeout').length;
    expect(after).toBeLessThanOrEqual(resourcesBefore);
  });
});

describe('a Zotero export outside the thesis, allowed by the user', () => {
  it('is rebuilt from when Zotero rewrites it (a temporary file renamed over the export)', async () => {
    const project = copyProject('minimal');
    const zotero = tempDir('zotero-');
    const library = path.join(zotero, 'My Library.bib');
    const entry = (title: string) => `@book{Foucault_1977,\n  title = {${title}},\n  author = {Foucault, Michel},\n  date = {1977},\n  publisher = {Pantheon Books},\n}\n`;
    fs.writeFileSync(library, entry('Discipline and Punish'));
    edit(project, 'thesis/thesis.yaml', (t) => `${t}bibliography: ${JSON.stringify(library)}\n`);
    write(project, 'thesis/two.md', '# Two\n\nAs @Foucault_1977 argued.\n');
    const seen: WatchBuild[] = [];
    const own = new ThesisWatcher(project, { debounceMs: 30, allow: [zotero] }, (build) => seen.push(build));
    try {
      await own.start();
      expect(seen[0].result.ok).toBe(true);
      const before = seen.length;
      // Better BibTeX's "keep updated" export: the new text into a temporary file beside it, renamed over the export.
      const temporary = path.join(zotero, '.My Library.bib.tmp');
      fs.writeFileSync(temporary, entry('Surveiller et punir'));
      fs.renameSync(temporary, library);
      const deadline = Date.now() + 20_000;
      while (seen.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 500));
      expect(seen.length).toBeGreaterThan(before);
      expect(seen[seen.length - 1].result.ok).toBe(true);
      expect(await pdfText(fs.readFileSync(path.join(project, 'dist', 'thesis.pdf')))).toContain('Surveiller et punir');
    } finally {
      await own.close();
    }
  }, 30_000);
});

describe('saves that do not stop', () => {
  it('are built a quarter of a second and a quiet time after the first, not held off until they stop', async () => {
    const project = copyProject('minimal');
    const seen: WatchBuild[] = [];
    // Quiet time longer than the pauses between saves: without a cap, no batch would ever end.
    const own = new ThesisWatcher(project, { debounceMs: 1_000 }, (build) => seen.push(build));
    try {
      await own.start();
      const initial = seen.length;
      const started = Date.now();
      let builtDuring = false;
      for (let i = 0; Date.now() - started < 3_000; i++) {
        edit(project, `thesis/${i % 2 ? 'one' : 'two'}.md`, (t) => `${t}\nSave ${i}.\n`);
        await new Promise((r) => setTimeout(r, 15));
        if (seen.length > initial) builtDuring = true;
      }
      expect(builtDuring).toBe(true);
    } finally {
      await own.close();
    }
  }, 30_000);
});

describe('a build held while the live preview shows its quick draft', () => {
  it('waits for the draft to be on screen, then builds the save and any made meanwhile, with no build beside it', async () => {
    const project = copyProject('minimal');
    const seen: WatchBuild[] = [];
    // The preview's quick draft, as the watcher sees it: shown, and on screen when the test says so.
    const drafts: { file: string; onScreen: () => void }[] = [];
    const quickDraft = (file: string) => new Promise<void>((resolve) => drafts.push({ file, onScreen: resolve }));
    const own = new ThesisWatcher(project, { debounceMs: 30, quickDraft }, (build) => seen.push(build));
    try {
      await own.start();
      const initial = seen.length;
      edit(project, 'thesis/one.md', (t) => `${t}\nThe first held save.\n`);
      await waitFor('quick draft', () => drafts.length === 1);
      expect(own.waiting).toBe(true);
      // Another save while the first's build is held: its build waits for the held one.
      edit(project, 'thesis/two.md', (t) => `${t}\nA save while the draft is drawn.\n`);
      await new Promise((r) => setTimeout(r, 400));
      expect(seen.length).toBe(initial);
      drafts[0].onScreen();
      await waitFor('the first save built', () => seen.length === initial + 1);
      expect(seen[initial].changed).toEqual([path.join(project, 'thesis', 'one.md')]);
      // The save made meanwhile: its own quick draft, its build held in turn.
      await waitFor('the second quick draft', () => drafts.length === 2);
      expect(path.basename(drafts[1].file)).toBe('two.md');
      // A third save now, within 150 ms of the first's build: the check after a build (scheduleVerify) finds it
      // while the second is held, and must leave it to the batch (a build of its own would take the held one's place).
      edit(project, 'thesis/one.md', (t) => `${t}\nA third save.\n`);
      await new Promise((r) => setTimeout(r, 400));
      expect(seen.length).toBe(initial + 1);
      expect(drafts.length).toBe(2);
      drafts[1].onScreen();
      await waitFor('the second save built', () => seen.length === initial + 2);
      expect(seen[initial + 1].changed).toEqual([path.join(project, 'thesis', 'two.md')]);
      await waitFor('the third quick draft', () => drafts.length === 3);
      drafts[2].onScreen();
      await waitFor('the third save built', () => seen.length === initial + 3);
      const text = await pdfText(fs.readFileSync(path.join(project, 'dist', 'thesis.pdf')));
      for (const sentence of ['The first held save.', 'A save while the draft is drawn.', 'A third save.']) expect(text).toContain(sentence);
      // A held build the watcher is closed during never runs.
      edit(project, 'thesis/one.md', (t) => `${t}\nA save as the watcher closes.\n`);
      await waitFor('quick draft', () => drafts.length === 4);
      const before = seen.length;
      await own.close();
      drafts[3].onScreen();
      await new Promise((r) => setTimeout(r, 100));
      expect(seen.length).toBe(before);
    } finally {
      await own.close();
    }
  }, 60_000);
});

describe('a build whose own draft the live preview shows', () => {
  it('compiles the whole thesis once the draft is on screen, and not at all when the watcher closes first', async () => {
    const project = copyProject('minimal');
    const seen: WatchBuild[] = [];
    // The preview's own draft, as the watcher sees it: made before the compile, on screen when the test says so.
    const drafts: { changed: string[]; onScreen: () => void }[] = [];
    const draft = (changed: string[]) => () => new Promise<void>((resolve) => drafts.push({ changed, onScreen: resolve }));
    const own = new ThesisWatcher(project, { debounceMs: 30, draft }, (build) => seen.push(build));
    const pdf = path.join(project, 'dist', 'thesis.pdf');
    try {
      await own.start();
      const initial = seen.length;
      const written = fs.statSync(pdf).mtimeMs;
      edit(project, 'thesis/one.md', (t) => `${t}\nA save drafted by the build.\n`);
      await waitFor('the draft', () => drafts.length === 1);
      await new Promise((r) => setTimeout(r, 400));
      // Rendered and drafted, not compiled: no build reported, the PDF untouched.
      expect(seen.length).toBe(initial);
      expect(fs.statSync(pdf).mtimeMs).toBe(written);
      drafts[0].onScreen();
      await waitFor('the build', () => seen.length === initial + 1);
      expect(seen[initial].result.ok).toBe(true);
      expect(seen[initial].result.timings.held).toBeGreaterThanOrEqual(300);
      expect(await pdfText(fs.readFileSync(pdf))).toContain('A save drafted by the build.');
      // Closed while held: the compile is given up, nothing is written or reported.
      edit(project, 'thesis/one.md', (t) => `${t}\nA save as the watcher closes.\n`);
      await waitFor('the draft', () => drafts.length === 2);
      const before = fs.statSync(pdf).mtimeMs;
      await own.close();
      drafts[1].onScreen();
      await new Promise((r) => setTimeout(r, 300));
      expect(seen.length).toBe(initial + 1);
      expect(fs.statSync(pdf).mtimeMs).toBe(before);
    } finally {
      await own.close();
    }
  }, 60_000);
});

describe('the watch command', () => {
  it('ends cleanly on Ctrl-C, pressed once or twice, with exit 0 and no temporary files', async () => {
    const project = copyProject('minimal');
    const child = spawn(process.execPath, [path.join(repoDir, 'compiled', 'scripts', 'cli.bundle.js'), 'watch', project], { env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const deadline = Date.now() + 20_000;
    while (!output.includes('watching for changes') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(output).toMatch(/first build → built in \d+ ms: \d+ pages, 0 errors, 0 warnings/);
    edit(project, 'thesis/one.md', (t) => t + '\nOne more.\n');
    while (!/one\.md → built/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(output).toMatch(/thesis\/one\.md → built in \d+ ms/);
    // Pressed twice, as impatient people do: the second one, while watch closes, must not kill it mid-way.
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(0);
    expect(fs.readdirSync(path.join(project, 'dist')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(output).not.toMatch(/\n\s+at /);
  }, 40_000);

  it('ends with exit 0 when SIGINT or SIGTERM is sent to npm itself, leaving no process behind', async () => {
    // Both at once, each on a thesis of its own.
    const stopped = (['SIGINT', 'SIGTERM'] as const).map(async (signal) => {
      const project = copyProject('minimal');
      const npm = spawn('npm', ['run', '--silent', 'watch', '--', project], { cwd: repoDir, env: { ...process.env, NO_COLOR: '1' } });
      let output = '';
      npm.stdout.on('data', (d) => (output += d));
      npm.stderr.on('data', (d) => (output += d));
      const deadline = Date.now() + 30_000;
      while (!output.includes('watching for changes') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(output).toContain('watching for changes');
      npm.kill(signal);
      const code = await new Promise<number | null>((resolve) => npm.on('exit', resolve));
      expect(code).toBe(0);
      // The watcher went with npm: nothing keeps running (as it did when npm's shell stood between them).
      await new Promise((r) => setTimeout(r, 300));
      const left = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout.split('\n').filter((line) => line.includes(project));
      expect(left).toEqual([]);
    });
    await Promise.all(stopped);
  }, 90_000);
});

describe('watch --to docx', () => {
  it('keeps the Word file current after the PDF, and check says when it is older than its sources', async () => {
    const project = copyProject('minimal');
    const docx = path.join(project, 'dist', 'thesis.docx');
    const exports: WatchExport[] = [];
    const pdfs: WatchBuild[] = [];
    const own = new ThesisWatcher(project, { debounceMs: 30, exportFormats: ['docx'] }, (build) => pdfs.push(build), () => {}, (done) => exports.push(done));
    const exported = async (count: number) => {
      for (let waited = 0; exports.length < count && waited < 60_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      return exports[count - 1];
    };
    try {
      await own.start();
      const first = await exported(1);
      expect(first.diagnostics).toEqual([]);
      expect(first.written).toEqual([docx]);
      // The PDF of the first build was there before the Word file.
      expect(pdfs[0].result.ok).toBe(true);
      edit(project, 'thesis/two.md', (t) => t + '\nA sentence the supervisor reads in Word.\n');
      await exported(2);
      const { value } = await mammoth.extractRawText({ path: docx });
      expect(value).toContain('A sentence the supervisor reads in Word.');
    } finally {
      await own.close();
    }
    await new Promise((r) => setTimeout(r, 20));
    edit(project, 'thesis/one.md', (t) => t + '\nWritten after the last export.\n');
    const checked = await runCli(['check', project]);
    expect(checked.stdout + checked.stderr).toMatch(/dist\/thesis\.docx:1:1: warning: dist\/thesis\.docx is older than thesis\/one\.md; run `thesis build --to docx` \[output-stale\]/);
  }, 120_000);
});
