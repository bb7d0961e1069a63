// `thesis preview`: watch, and show the thesis beside the editor in a
// browser page (preview/page.ts) served on the loopback interface with a
// token (preview/server.ts). Every build marks the chapters' blocks (an
// invisible metadata element each, which changes nothing typeset) and reads
// back where they landed, so a click in the page names a file and line, and
// a save scrolls the page to the first line that changed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatDiagnostic, relativePath } from '../core/diagnostics.js';
import type { BuildOptions, CompileDraft, DraftBase, ThesisFolder } from '../pipeline.js';
import type { RenderedThesis } from '../render/step.js';
import type { BlockPlace, Supplements } from '../compile/typst-compiler.js';
import { languageOf } from '../core/language.js';
import { numberThesis } from '../export/numbering.js';
import { chapterChange, planDraft, type ChapterChange } from '../preview/draft.js';
import { prepareQuickDraft, quickRender } from '../preview/quick-draft.js';
import { startPreviewServer } from '../preview/server.js';
import { ThesisWatcher, type WatchBuild } from '../watch/watcher.js';
import { colours, printDiagnostics, summariseCounts, useColour, type Terminal } from './output.js';

/**
 * The longest the whole thesis's build waits for the page to draw a save's draft. The page draws it 15–60 ms after
 * it is sent (1× and 10×, measured); a page in a tab that is not shown draws nothing until it is. The tests set a
 * long one (THESIS_DRAW_WAIT_MS), so that a page that did not say it drew a draft holds its build up for long.
 */
const DRAW_WAIT_MS = Number(process.env.THESIS_DRAW_WAIT_MS) || 150;

/** Opens a URL in the default browser; a machine without one leaves the printed URL. */
function openBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser opener: the URL is printed.
  }
}

export async function previewCommand(terminal: Terminal, thesis: ThesisFolder, options: { open?: boolean; port?: number; strict?: boolean }): Promise<number> {
  const projectDir = thesis.dir;
  const c = colours(useColour(terminal));
  const pdfFile = path.join(projectDir, 'dist', 'thesis.pdf');
  // Typst's process, started by the first build, gives way to the browser (compile/typst-server.ts).
  process.env.THESIS_TYPST_NICE ??= '10';
  const server = await startPreviewServer({ pdfFile, title: path.basename(projectDir), ...(options.port ? { port: options.port } : {}) });
  // What each chapter said at the last build: a save is revealed at its first changed line.
  const texts = new Map<string, string>();
  let version = 0;
  // Where the last full build put each block, and the thesis's language: what a draft starts from.
  let lastBlocks: BlockPlace[] = [];
  // What each note referenced again printed as its number in the last full build (a draft may hold the reference only).
  let lastNotes: Record<string, string> = {};
  let laidOut = new Map<string, string>();
  // When the save a build is for was heard: the draft says how long it took from there.
  let savedAt = 0;
  let lang = 'en';
  const supplements = new Map<string, Supplements>();
  type BeforeCompile = NonNullable<BuildOptions['beforeCompile']>;
  /** Drafts sent and not yet drawn, by version: what ends the full build's wait for each (see `onScreen`). */
  const drawing = new Map<number, () => void>();
  server.onPainted((drafted) => drawing.get(drafted)?.());
  /**
   * When the page has drawn the draft of `drafted`: the whole thesis's compile waits for it (watch/watcher.ts rebuild), at
   * most DRAW_WAIT_MS (a page that is slow or gone does not hold the build up for longer), not at all with no page open.
   */
  const onScreen = (drafted: number) =>
    server.pages === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            drawing.delete(drafted);
            resolve();
          };
          const timer = setTimeout(done, DRAW_WAIT_MS);
          drawing.set(drafted, done);
        });
  /** The draft of the pages around a change (preview/draft.ts), compiled; null when there is none or it does not compile. */
  const makeDraft = (rendered: RenderedThesis, chapters: Parameters<BeforeCompile>[1], compileDraft: CompileDraft, change: ChapterChange, rehearsal = false) => {
    const words = () => supplements.get(lang) ?? supplements.set(lang, watcher.supplements(lang)).get(lang)!;
    const labels = () => numberThesis(chapters.map((c) => ({ tree: c.tree, title: c.frontMatter.title, appendix: c.appendix })), words(), languageOf(lang).words.appendix).labels;
    // A rehearsal numbers the thesis whether or not its draft refers outside: a real draft may.
    if (rehearsal) labels();
    const plan = planDraft({ main: rendered.lines ?? rendered.main, sourceMap: rendered.sourceMap, switchable: rendered.switchable ?? false, blocks: lastBlocks, change, chapters, labels, notes: lastNotes }, projectDir);
    if (!plan) return null;
    const planned = performance.now();
    // The thesis's own text under the draft's switches: the text the full build compiles next (render/block-switch.ts).
    const compiled = compileDraft(rendered, plan.switches);
    const first = compiled.blocks?.[0];
    if (!compiled.pdf || !first || compiled.diagnostics.some((d) => d.severity === 'error')) return null;
    return { plan, compiled, first, pdf: compiled.pdf, planned, typst: performance.now() - planned };
  };
  /** Shows a draft made for a save: it stands in for the full build's pages from its plan's start until the full build is there. */
  const showDraft = (made: NonNullable<ReturnType<typeof makeDraft>>, change: ChapterChange, timings: { rendered: number } & Record<string, number>) => {
    const { plan, compiled, first } = made;
    // The draft's pages from its first block's on stand in for the full build's pages from the start block's.
    const shift = plan.start.page - first.page;
    server.send({
      type: 'draft',
      version: version + 1,
      pdf: made.pdf.toString('base64'),
      from: plan.start.page,
      replaces: plan.replaces,
      firstPage: first.page,
      pages: compiled.pages - first.page + 1,
      blocks: compiled.blocks!.map(({ file, line, page, y, heading }) => ({ file, line, page: page + shift, y, heading })),
      reveal: { file: change.file, line: change.firstLine },
      // From the save (the watcher's event) to the thesis rendered, to the draft planned, and to it compiled and sent.
      timings: { ...timings, typst: Math.round(made.typst), sent: Math.round(performance.now() - savedAt), sentAt: Date.now() },
    });
    server.send({ type: 'reveal', file: change.file, line: change.firstLine });
  };
  /** After a save of one chapter, the pages around the edit, compiled alone and shown before the whole thesis (preview/draft.ts). */
  const draft = (changed: string[]): BuildOptions['beforeCompile'] => {
    const [file] = changed;
    // The chapter as the last good build read it: the text its blocks' lines are lines of.
    const before = laidOut.get(file);
    if (changed.length !== 1 || before === undefined || lastBlocks.length === 0) return undefined;
    return (rendered, chapters, compileDraft, steps) => {
      const started = performance.now();
      const rendering = started - savedAt;
      const chapter = chapters.find((c) => c.file === file);
      const change = chapter && chapterChange(path.relative(projectDir, file).split(path.sep).join('/'), file, before, chapter.source);
      if (!change) return;
      const made = makeDraft(rendered, chapters, compileDraft, change);
      if (!made) return;
      showDraft(made, change, { rendered: Math.round(rendering), planning: Math.round(made.planned - started), ...steps });
      return onScreen(version + 1);
    };
  };
  /**
   * Before the run for a save of one chapter: its changed paragraphs written into the last good build's thesis
   * (preview/quick-draft.ts) and the draft made from that, without the run's steps. When it was shown, a promise
   * of its being on screen; else false, and the run makes its own (`draft`).
   */
  const quickDraft = (file: string): Promise<void> | false => {
    const before = laidOut.get(file);
    if (!base || before === undefined || lastBlocks.length === 0) return false;
    const started = performance.now();
    const after = base.readChapter(file);
    const quick = after === null ? null : quickRender(base, file, after, projectDir);
    const change = quick && chapterChange(path.relative(projectDir, file).split(path.sep).join('/'), file, before, after!);
    if (!quick || !change) return false;
    const written = performance.now();
    const made = makeDraft(quick, base.chapters, base.compileDraft, change);
    if (!made) return false;
    showDraft(made, change, { rendered: Math.round(written - savedAt), quick: Math.round(written - started), planning: Math.round(made.planned - written) });
    return onScreen(version + 1);
  };
  /**
   * After the first build: a draft made and not shown (watch/watcher.ts scheduleRehearsal), of the pages where
   * the writer most likely goes on: the end of the chapter saved last. The paragraphs come from the full build's
   * layouts (render/block-switch.ts), but the pages of a draft that starts at a block are laid out the first time
   * it does (a first save at a new place: Typst 20–40 ms at 1×; 13–28 ms after), and only the last place made
   * ready stays so (session 19: a draft made ready at every chapter's end left only the last one warm).
   */
  const rehearse = (): BuildOptions['beforeCompile'] => (rendered, chapters, compileDraft) => {
    const modified = (file: string) => {
      try {
        return fs.statSync(file).mtimeMs;
      } catch {
        return 0;
      }
    };
    const last = chapters.reduce<(typeof chapters)[number] | undefined>((latest, c) => (!latest || modified(c.file) > modified(latest.file) ? c : latest), undefined);
    const lastFile = last && path.relative(projectDir, last.file).split(path.sep).join('/');
    const block = lastBlocks.filter((b) => b.file === lastFile).at(-1) ?? lastBlocks[Math.floor(lastBlocks.length / 2)];
    const chapter = block && chapters.find((c) => path.relative(projectDir, c.file).split(path.sep).join('/') === block.file);
    if (chapter) makeDraft(rendered, chapters, compileDraft, { file: block.file, absolute: chapter.file, firstLine: block.line, lastOldLine: block.line, delta: 0 }, true);
  };
  // The last good build's rendered thesis, what a quick draft starts from.
  let base: DraftBase | undefined;
  const report = ({ result, changed, milliseconds }: WatchBuild) => {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, projectDir));
    const time = new Date().toTimeString().slice(0, 8);
    if (result.ok) {
      version++;
      lastBlocks = result.blocks ?? [];
      lastNotes = result.notes ?? {};
      base = result.draftBase;
      laidOut = new Map((result.analysis?.chapters ?? []).map((chapter) => [chapter.file, chapter.source]));
      lang = result.analysis?.project.config.lang ?? lang;
      server.send({ type: 'built', version, pages: result.pages, blocks: (result.blocks ?? []).map(({ file, line, page, y, heading }) => ({ file, line, page, y, heading })), errors: result.diagnostics.filter((d) => d.severity === 'warning').map((d) => formatDiagnostic(d, projectDir)) });
      terminal.stdout.write(`[${time}] ${c.green(`built in ${Math.round(milliseconds)} ms: ${result.pages} pages, ${summariseCounts(result.diagnostics)}`)}\n`);
      // Once the page is told: what the next save's quick draft needs of this build.
      if (base) prepareQuickDraft(base);
    } else {
      server.send({ type: 'failed', errors });
      terminal.stdout.write(`[${time}] ${c.red(`build failed (${summariseCounts(result.diagnostics)}); the preview keeps the last good pages`)}\n`);
    }
    printDiagnostics(terminal, result.diagnostics, terminal.stdout);
    for (const chapter of result.analysis?.chapters ?? []) {
      const before = texts.get(chapter.file);
      texts.set(chapter.file, chapter.source);
      if (before === undefined || !changed.includes(chapter.file) || !result.ok) continue;
      // The full build's places of the save (a draft revealed it already, by the draft's places).
      const change = chapterChange(path.relative(projectDir, chapter.file).split(path.sep).join('/'), chapter.file, before, chapter.source);
      if (change) server.send({ type: 'reveal', file: change.file, line: change.firstLine });
    }
  };
  /**
   * Where the writer is about to edit (the editor's cursor, a click in the page, the page scrolled there): a draft
   * made there and thrown away, so the first save there finds its pages laid out (see `rehearse`). Once a build
   * and place; not while a save waits for its build.
   */
  let rehearsed = '';
  let rehearsal: NodeJS.Timeout | undefined;
  const rehearseAt = (file: string, line: number) => {
    clearTimeout(rehearsal);
    rehearsal = setTimeout(() => {
      const absolute = path.resolve(projectDir, file);
      const place = `${version}:${file}:${line}`;
      if (!base || !texts.has(absolute) || rehearsed === place || watcher.waiting) return;
      rehearsed = place;
      try {
        makeDraft(base.rendered, base.chapters, base.compileDraft, { file, absolute, firstLine: line, lastOldLine: line, delta: 0 }, true);
      } catch {
        // A rehearsal that fails costs the first save there its head start, nothing else.
      }
    }, 150);
    rehearsal.unref();
  };
  server.onViewing(({ file, line }) => rehearseAt(file, line));
  server.onOpen(({ file, line }) => {
    const absolute = path.resolve(projectDir, file);
    // Only a chapter of this thesis is named: the page cannot make the terminal print any path.
    if (!texts.has(absolute)) return;
    rehearseAt(file, line);
    terminal.stdout.write(`${relativePath(absolute, terminal.cwd)}:${line}  ${pathToFileURL(absolute).href.replace(/^file:/, 'vscode://file')}:${line}\n`);
    // A language server listening shows it in the editor (window/showDocument).
    server.send({ type: 'open', file, line });
  });
  server.onReveal(({ file, line }) => {
    if (!texts.has(path.resolve(projectDir, file))) return;
    server.send({ type: 'reveal', file, line });
    rehearseAt(file, line);
  });
  // Where a language server of this thesis finds the preview: the address (with its token) for this user only.
  const announce = path.join(projectDir, 'dist', '.preview.json');
  const announced = () => {
    try {
      fs.writeFileSync(announce, JSON.stringify({ url: server.url, pid: process.pid }), { mode: 0o600 });
    } catch {
      // No dist/ to write to: the editor is not told; the page works all the same.
    }
  };
  const onSave = (files: string[]) => {
    savedAt = performance.now();
    server.send({ type: 'behind', files: files.map((file) => path.relative(projectDir, file)) });
  };
  const watcher = new ThesisWatcher(projectDir, { strict: options.strict, allow: thesis.allow, sourceMarkers: true, draft, quickDraft, rehearse, onSave }, report, (diagnostics) =>
    printDiagnostics(terminal, diagnostics, terminal.stdout),
  );
  await watcher.start();
  announced();
  terminal.stdout.write(`preview at ${server.url}\n(only on this machine; the address holds its key: share it with no one). Ctrl-C to stop\n`);
  if (options.open !== false) openBrowser(server.url);
  let signalled = () => {};
  const stopped = new Promise<void>((resolve) => (signalled = resolve));
  process.on('SIGINT', signalled);
  process.on('SIGTERM', signalled);
  await stopped;
  fs.rmSync(announce, { force: true });
  await server.close();
  await watcher.close();
  // The handlers stay: a signal after closing, while the process ends (its threads and Typst's process
  // going), is taken as well (left to Node, it ended the process with 130). They keep nothing alive.
  return 0;
}
