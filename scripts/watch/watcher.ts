// Rebuild on every save: watch what the last build read, batch bursts of
// events, fold changes made during a build into one rerun, ignore dist/ and
// editors' temporary files. Reuses the pipeline (ThesisBuild keeps parsed
// chapters, the bibliography and the Typst compiler between runs).
import fs from 'node:fs';
import path from 'node:path';
import chokidar, { type FSWatcher } from 'chokidar';
import { ThesisBuild, type Analysis, type BuildOptions, type BuildResult } from '../pipeline.js';
import type { Supplements } from '../compile/typst-compiler.js';
import type { ExportFormat } from '../export/document.js';
import { stopPandoc } from '../export/pandoc-runner.js';
import { writeProgressReport } from '../report/write-report.js';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';

export interface WatchBuild {
  result: BuildResult;
  /** Files whose change caused this build (empty for the first). */
  changed: string[];
  milliseconds: number;
}

export interface WatchOptions {
  strict?: boolean;
  today?: Date;
  /** Quiet time after the last event before building (default 5 ms: editors write a file in well under a millisecond, and a save-all within a few). */
  debounceMs?: number;
  /** Other outputs kept current beside the PDF (`watch --to docx`), each after the PDF, never delaying it. */
  exportFormats?: readonly ExportFormat[];
  /** Folders outside the thesis the user allows reads from (a Zotero export). */
  allow?: readonly string[];
  /** The live preview: each build marks its blocks and says where they landed (`BuildResult.blocks`). */
  sourceMarkers?: boolean;
  /** A save was seen and its build is waiting (the preview says it is behind). */
  onSave?: (files: string[]) => void;
  /** The preview's draft of the pages around an edit, given the files a build is for (preview/draft.ts). */
  draft?: (changed: string[]) => BuildOptions['beforeCompile'];
  /**
   * Before the build for a save of one file: the preview's quick draft (preview/quick-draft.ts), made from the
   * last good build without the run's steps. When it was shown: a promise of its being on screen, which the
   * build waits for (see `rebuild`), and the build makes no `draft`; false otherwise.
   */
  quickDraft?: (file: string) => Promise<void> | false;
  /** After the first build: a draft made once and not shown, so the first save's draft finds its code and Typst warm. */
  rehearse?: () => BuildOptions['beforeCompile'];
}

/** An export finished: the files it wrote and what it found. */
export interface WatchExport {
  written: string[];
  diagnostics: Diagnostic[];
  milliseconds: number;
}

/** A bug in the toolchain, as a failed build: reported, and the session goes on. */
function internalError(error: Error, inputs: ReadonlySet<string>): BuildResult {
  return { ok: false, diagnostics: [diagnostic('internal-error', `internal error: ${error.message}; please report it with the file you saved`, {})], pages: 0, seconds: 0, inputs: [...inputs], timings: {} };
}

/** Quiet time after a build before the build's threads collect their garbage (scheduleIdle). */
const IDLE_AFTER_MS = 3000;

/** After this long, further saves join the waiting batch without postponing its build. */
const MAX_BATCH_MS = 250;

/** Editors' swap, backup and lock files, and our own backups. */
const temporaryFile = /(^\.#|^#.*#$|~$|\.sw[a-p]$|\.swx$|^\.~lock\.|\.tmp$|^4913$|\.bak$|\.orig$|^\.DS_Store$|\.crswap$)/;

export class ThesisWatcher {
  private readonly build: ThesisBuild;
  private watcher: FSWatcher | null = null;
  private watched = new Set<string>();
  private inputs = new Set<string>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private verifyTimer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  /** When the first save of the batch now waiting came in. */
  private batchStarted: number | null = null;
  /** mtime and size of every input file as the last build found them. */
  private stamps = new Map<string, string>();
  private closed = false;
  /** The running export, and the analysis of the newest build waiting for the next one. */
  private exporting: Promise<void> | null = null;
  private toExport: Analysis | null = null;
  /** A build waiting for the preview to show a save's draft, then running (see `rebuild`); null when there is none. */
  private holding: Promise<void> | null = null;

  constructor(
    readonly projectDir: string,
    private readonly options: WatchOptions,
    private readonly onBuild: (build: WatchBuild) => void,
    /** Problems found after a build was reported (the progress report could not be written). */
    private readonly onProblem: (diagnostics: Diagnostic[]) => void = () => {},
    private readonly onExport: (done: WatchExport) => void = () => {},
  ) {
    this.build = new ThesisBuild(projectDir, { allow: options.allow ?? [] });
  }

  async start(): Promise<void> {
    this.rebuild([]);
    this.watcher = chokidar.watch([...this.watched], {
      ignoreInitial: true,
      ignored: (file) => this.isIgnored(file),
      // Atomic saves (write a temporary file, rename it over) arrive as one change.
      atomic: true,
    });
    for (const event of ['add', 'change', 'unlink'] as const) this.watcher.on(event, (file) => this.onEvent(path.resolve(file)));
    this.watcher.on('error', () => {
      // A vanished folder is reported by the next build; the watcher carries on.
    });
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
  }

  /** Whether a save was seen and its build has not started (it waits for quiet). */
  get waiting(): boolean {
    return this.timer !== null || this.pending.size > 0 || this.holding !== null;
  }

  /** The words Typst sets before numbers in `lang` ("Figure"), as the PDF prints them. */
  supplements(lang: string): Supplements {
    return this.build.supplements(lang);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.holding = null;
    if (this.timer) clearTimeout(this.timer);
    if (this.verifyTimer) clearTimeout(this.verifyTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.watcher?.close();
    this.toExport = null;
    await this.exporting;
    await stopPandoc();
    this.build.stop();
  }

  /**
   * Brings the other outputs up to date from a build's analysis. Pandoc runs
   * on its own thread, so builds go on meanwhile; saves made during an
   * export are folded into one more export of the newest build.
   */
  private scheduleExport(analysis: Analysis): void {
    this.toExport = analysis;
    if (this.exporting) return;
    this.exporting = (async () => {
      while (this.toExport && !this.closed) {
        const next = this.toExport;
        this.toExport = null;
        const started = performance.now();
        const done = await this.build.export(next, this.options.exportFormats ?? []).catch((error: Error) => ({ written: [], diagnostics: [diagnostic('output-unwritable', `the other outputs were not written: ${error.message}`, {})] }));
        if (!this.closed) this.onExport({ ...done, milliseconds: performance.now() - started });
      }
    })().finally(() => {
      this.exporting = null;
    });
  }

  private isIgnored(file: string): boolean {
    const resolved = path.resolve(file);
    if (this.build.layout.isOutput(resolved)) return true;
    if (resolved.split(path.sep).some((part) => part === 'node_modules' || part === '.git')) return true;
    return temporaryFile.test(path.basename(resolved));
  }

  /** A file this build read, or one that could become a chapter, bibliography or the config. */
  private isRelevant(file: string): boolean {
    return this.inputs.has(file) || this.build.layout.sourceKind(file) !== null;
  }

  private onEvent(file: string): void {
    if (this.closed || !this.isRelevant(file)) return;
    this.pending.add(file);
    this.options.onSave?.([...this.pending]);
    const now = performance.now();
    this.batchStarted ??= now;
    // A batch waits for quiet, but not for ever: files written without pause
    // (a sync tool, a script rewriting chapters) would otherwise hold the
    // build off for as long as they go on. Saves past the cap still join this
    // batch; they no longer postpone it.
    if (this.timer && now - this.batchStarted >= MAX_BATCH_MS) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onQuiet(), this.options.debounceMs ?? 5);
  }

  /** The batch's quiet time is over: its build, once a build held for a draft has run. */
  private onQuiet(): void {
    this.timer = null;
    // The held build runs this batch when it is done (the files stay pending).
    if (this.holding) return;
    this.batchStarted = null;
    const changed = [...this.pending];
    this.pending.clear();
    this.rebuild(changed);
  }

  private stamp(file: string): string {
    try {
      const stat = fs.statSync(file);
      return stat.isDirectory() ? 'dir' : `${stat.mtimeMs}:${stat.size}`;
    } catch {
      return 'missing';
    }
  }

  /** Input files whose mtime or size differs from what the last build saw. */
  private changedSinceBuild(): string[] {
    return [...this.stamps].filter(([file, stamp]) => this.stamp(file) !== stamp).map(([file]) => file);
  }

  /**
   * chokidar drops a change that follows another within 50 ms, so the last
   * save of a burst can go unreported: a short while after every build the
   * inputs are compared with what the build read, and a difference rebuilds.
   */
  private scheduleVerify(): void {
    if (this.verifyTimer) clearTimeout(this.verifyTimer);
    this.verifyTimer = setTimeout(() => {
      this.verifyTimer = null;
      if (this.closed || this.timer || this.holding) return;
      const changed = this.changedSinceBuild();
      if (changed.length) this.rebuild(changed);
    }, 150);
  }

  /**
   * The build for a batch of saves. When the live preview showed a draft for the save (its quick draft, made
   * before the build; or the build's own, made before its compile), the whole thesis's compile waits until the
   * page has drawn it (the preview caps the wait): on two cores the compile beside the page drawing the draft
   * doubled the drawing in some saves (1×, half way through a chapter: the save to the draft painted 62–101 ms,
   * the page's draw 19–46 ms; with the build held 80 ms, 55–63 and 16–22 ms; the full build's pages came 35 ms
   * later). Saves and checks meanwhile wait for the held build (`holding`).
   */
  private rebuild(changed: string[]): void {
    let shown: Promise<void> | false = false;
    try {
      shown = changed.length === 1 ? (this.options.quickDraft?.(changed[0]) ?? false) : false;
    } catch {
      // A quick draft that fails leaves the save to the build, which makes its own draft.
    }
    if (shown) {
      this.hold(shown.catch(() => undefined).then(() => {
        if (!this.closed) this.built(changed, this.runFor(changed, () => this.build.run(this.runOptions())));
      }));
      return;
    }
    const beforeCompile = changed.length ? this.options.draft?.(changed) : undefined;
    if (!beforeCompile) return this.built(changed, this.runFor(changed, () => this.build.run(this.runOptions())));
    const { stamps, started } = this.beforeRun(changed);
    this.hold(
      this.build
        .runHeld({ ...this.runOptions(), beforeCompile }, () => !this.closed)
        .catch((error: Error) => internalError(error, this.inputs))
        .then((result) => {
          if (result && !this.closed) this.built(changed, { result, stamps, started });
        }),
    );
  }

  private runOptions(): BuildOptions {
    return { strict: this.options.strict, preview: true, sourceMarkers: this.options.sourceMarkers };
  }

  /** A build that holds the watcher until it is done; the saves that came meanwhile follow it. */
  private hold(build: Promise<void>): void {
    const held: Promise<void> = build.then(() => {
      if (this.holding !== held) return;
      this.holding = null;
      if (!this.closed && this.pending.size && !this.timer) this.onQuiet();
    });
    this.holding = held;
  }

  /** The inputs' stamps, taken before the build reads anything, so a save during the build shows as a difference. */
  private beforeRun(changed: string[]): { stamps: Map<string, string>; started: number } {
    return { started: performance.now(), stamps: new Map([...new Set([...this.stamps.keys(), ...changed])].map((file) => [file, this.stamp(file)] as const)) };
  }

  /** A build run now; a bug in the toolchain is reported as a failed build and does not end the session. */
  private runFor(changed: string[], build: () => BuildResult): { result: BuildResult; stamps: Map<string, string>; started: number } {
    const { stamps, started } = this.beforeRun(changed);
    let result: BuildResult;
    try {
      result = build();
    } catch (error) {
      result = internalError(error as Error, this.inputs);
    }
    return { result, stamps, started };
  }

  /** A build is done: watch what it read, report it, and bring the other outputs up to date. */
  private built(changed: string[], { result, stamps: before, started }: { result: BuildResult; stamps: Map<string, string>; started: number }): void {
    this.updateWatched(result.inputs);
    this.stamps = new Map([...this.inputs].map((file) => [file, before.get(file) ?? this.stamp(file)] as const));
    this.scheduleVerify();
    // The PDF is in place: say so first, then bring the progress report up to date.
    this.onBuild({ result, changed, milliseconds: performance.now() - started });
    if (result.ok && result.analysis) {
      if (this.options.exportFormats?.length) this.scheduleExport(result.analysis);
      try {
        writeProgressReport(result.analysis, this.options.today);
      } catch (error) {
        this.onProblem([diagnostic('output-unwritable', `the progress report was not written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file: this.build.layout.progressHtmlFile })]);
      }
    }
    this.build.tidy();
    if (changed.length === 0 && result.ok) this.scheduleRehearsal();
    this.scheduleIdle();
  }

  /**
   * The preview's draft, made once after the first build and thrown away: the
   * first save's draft otherwise pays for compiling the planning code and for
   * Typst's first look at a draft (its template and title page), 80–100 ms
   * of a thesis of 12,000 words, where the draft has 100 ms in all. Steps up
   * to the render (kept from the build) and the draft: no PDF is written.
   */
  private scheduleRehearsal(): void {
    const beforeCompile = this.options.rehearse?.();
    if (!beforeCompile) return;
    setTimeout(() => {
      if (this.closed || this.timer || this.holding) return;
      try {
        this.build.run({ until: 'render', preview: true, sourceMarkers: this.options.sourceMarkers, beforeCompile });
      } catch {
        // A rehearsal that fails costs the first save its head start, nothing else.
      }
    }, 100).unref();
  }

  /**
   * A while without a build: the writer is reading, and the build's threads tidy up. A full collection
   * takes 0.1–0.3 s at book length and holds the thread a save's build needs, so it waits for a pause
   * longer than one between two saves of someone writing (a second was too short: the live preview's
   * next save met it every other time).
   */
  private scheduleIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (!this.closed && !this.timer && !this.holding) this.build.idle();
    }, IDLE_AFTER_MS);
    this.idleTimer.unref();
  }

  /** Watch exactly what the last build read (files, and the folders new chapters appear in). */
  private updateWatched(inputs: string[]): void {
    this.inputs = new Set(inputs.map((i) => path.resolve(i)));
    const next = new Set<string>(this.build.layout.sourceDirs);
    for (const input of this.inputs) {
      const dir = fs.existsSync(input) && fs.statSync(input).isDirectory() ? input : path.dirname(input);
      if (![...next].some((w) => dir === w || dir.startsWith(w + path.sep))) next.add(input);
    }
    const added = [...next].filter((p) => !this.watched.has(p));
    const removed = [...this.watched].filter((p) => !next.has(p));
    this.watched = next;
    if (this.watcher) {
      if (added.length) this.watcher.add(added);
      if (removed.length) this.watcher.unwatch(removed);
    }
  }
}
