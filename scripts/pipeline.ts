// The order of the steps, written down once:
//
//   read -> parse -> resolve -> format -> render -> compile -> write
//                                       \-> export (Word, HTML, ODT, EPUB through Pandoc)
//
// Each step lives in its stage's folder (read/project.ts, parse/step.ts,
// resolve/step.ts, format/step.ts, render/step.ts, compile/step.ts,
// write/step.ts), keeps its own caches and returns its diagnostics. A step
// that raises a fatal diagnostic stops the steps that need its result; the
// others' diagnostics are still reported. Commands (build, watch, check,
// progress, refs) run this pipeline, up to the step they need, and never
// re-implement a step. Every file a step reads goes through the run's Inputs,
// which is the build's list of dependencies (watch, `pdf-stale`).
import { languageOf } from './core/language.js';
import { hasErrors, hasFatal, type Diagnostic } from './core/diagnostics.js';
import { Inputs } from './core/inputs.js';
import { ProjectLayout } from './core/layout.js';
import { toolchainDir } from './core/toolchain-dir.js';
import { isInside } from './core/containment.js';
import { removeStaleTemporaries } from './core/write-atomic.js';
import { collectGarbage } from './core/collect-garbage.js';
import { visit } from 'unist-util-visit';
import { CompileStep } from './compile/step.js';
import { ProjectBusyError, withProjectLock, withProjectLockAsync } from './core/project-lock.js';
import type { BlockPlace, CompileOutput, Supplements } from './compile/typst-compiler.js';
import { collectPandocGarbage, pandocDone } from './core/pandoc-thread.js';
import type { FormattedCitations } from './format/citeproc.js';
import { FormatStep } from './format/step.js';
import { missingFonts } from './render/layout.js';
import { loadStyle, type CitationStyle } from './format/styles.js';
import { localeFor } from './format/locales.js';
import { markGlossaryUses } from './resolve/glossary.js';
import { chooseTemplate } from './read/template.js';
import { ParseStep, type Chapter } from './parse/step.js';
import { readProject, type Project } from './read/project.js';
import type { Bibliography } from './resolve/bibliography.js';
import type { CitationUse } from './resolve/citations.js';
import { ResolveStep } from './resolve/step.js';
import { RenderStep, type BlockWriter, type RenderedThesis } from './render/step.js';
import { diagnostic } from './core/diagnostics.js';
import type { PdfStandardName } from './read/config-schema.js';
import { writeGeneratedTypst, writePdf } from './write/step.js';
import { ExportStep, type ExportResult } from './export/step.js';
import type { ExportFormat } from './export/document.js';
import fs from 'node:fs';
import path from 'node:path';

export interface BuildOptions {
  /** Unknown citation keys are errors, not warnings. */
  strict?: boolean;
  /**
   * Stop after this step, with no PDF: `format` for check and progress,
   * `resolve` for refs, which needs the bibliography and citations but no
   * formatting.
   */
  until?: 'resolve' | 'format' | 'render';
  /** Also write the generated Typst to dist/thesis.typ. */
  writeTypst?: boolean;
  /** A watch preview: untagged PDF, chapter markup and citation engines kept. */
  preview?: boolean;
  /** `--pdf-standard`: the PDF standard to write, over thesis.yaml's `pdf-standard`. */
  pdfStandard?: PdfStandardName;
  /**
   * Changes a tool makes to the resolved chapters before they are formatted
   * and written (the diff's marks); they get copies of the trees, so the
   * steps' caches keep the chapters as written.
   */
  rewrite?: (chapters: Chapter[], project: Project) => void;
  /** Typst set before the template's title page, on a page of its own (the diff's summary), made once `rewrite` has run. */
  prelude?: () => string;
  /** Where the PDF goes, instead of dist/thesis.pdf. */
  pdfFile?: string;
  /** The live preview: mark each block of a chapter and read back where it landed (`BuildResult.blocks`). */
  sourceMarkers?: boolean;
  /** `--no-raw`: ```{=typst} blocks are not run (a thesis one does not trust). */
  raw?: boolean;
  /** Reference entries to mark as new (the diff's), known once `rewrite` has run. */
  newReferences?: () => ReadonlySet<string>;
  /**
   * The live preview's draft: called once the document is rendered, before
   * the whole thesis is compiled, with a compiler for the thesis's main file
   * under a draft's block switches (the same template, files and Typst
   * process; untagged, markers read back). When it returns a promise (a draft
   * shown, the promise of its being on screen), a run started by `runHeld`
   * compiles the whole thesis once it settles; `run` goes on at once.
   */
  beforeCompile?: (rendered: RenderedThesis, chapters: readonly Chapter[], compileDraft: CompileDraft, timings: Readonly<Record<string, number>>) => void | Promise<void>;
}

/** What the steps found out about the thesis: what check, progress and refs work from. */
export interface Analysis {
  project: Project;
  chapters: Chapter[];
  bibliography: Bibliography;
  style: CitationStyle | null;
  citations: CitationUse[];
  formatted: FormattedCitations | null;
  /** Every file read so far (the read gate's list). */
  inputs: string[];
}

export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  analysis?: Analysis;
  pdfFile?: string;
  pages: number;
  seconds: number;
  /** Every file this build read or looked for: what watch must watch. */
  inputs: string[];
  /** Milliseconds spent in each step, for profiling and the bench. */
  timings: Record<string, number>;
  /** With `sourceMarkers`: where each block of a chapter is in the PDF. */
  blocks?: BlockPlace[];
  /** With `sourceMarkers`: what each note referenced again prints as its number, by its label. */
  notes?: Record<string, string>;
  /** With `sourceMarkers`, once the thesis is rendered: what the preview's quick draft of a later save starts from. */
  draftBase?: DraftBase;
}

/**
 * A run's rendered thesis and the means to write and compile a few blocks as it would have: the preview's
 * quick draft (preview/quick-draft.ts) makes the pages around a changed paragraph from it, before the next run.
 */
export interface DraftBase {
  rendered: RenderedThesis;
  chapters: readonly Chapter[];
  writeBlocks: BlockWriter;
  /** The thesis's text compiled under a draft's block switches, as the draft hook's is. */
  compileDraft: CompileDraft;
  /** A chapter's text as the next run will read it (through the read gate; an editor's unsaved text first), or null. */
  readChapter(file: string): string | null;
}

/**
 * A previewed thesis's text (this run's, or a quick draft's of the next) compiled as its main file under a
 * draft's block switches (render/block-switch.ts, preview/draft.ts): only the draft's blocks are laid out.
 */
export type CompileDraft = (rendered: RenderedThesis, switches: string) => CompileOutput;

/** One run of the pipeline: its diagnostics, its read gate and its timings. */
class BuildRun {
  readonly diagnostics: Diagnostic[] = [];
  readonly inputs: Inputs;
  readonly timings: Record<string, number> = {};
  private readonly started = performance.now();
  private stepStarted = this.started;

  constructor(layout: ProjectLayout, allow: readonly string[], overlay: ReadonlyMap<string, string>) {
    // The sandbox: the project folder, the toolchain's own files and the folders the user allows, nothing else.
    this.inputs = new Inputs([layout.root, toolchainDir, ...allow], overlay);
    for (const dir of [layout.configFile, layout.thesisDir, layout.bibliographyDir]) this.inputs.record(dir);
  }

  /** Takes a step's diagnostics; false when one is fatal (the steps after it do not run). */
  report(diagnostics: Diagnostic[]): boolean {
    this.diagnostics.push(...diagnostics);
    return !hasFatal(diagnostics);
  }

  /** Ends the timing of a step. */
  done(step: string): void {
    const now = performance.now();
    this.timings[step] = Math.round((now - this.stepStarted) * 10) / 10;
    this.stepStarted = now;
  }

  finish(result: Partial<BuildResult>, until?: BuildOptions['until']): BuildResult {
    // What the read gate found wrong with the files' encodings.
    this.diagnostics.push(...this.inputs.problems.splice(0));
    return {
      ok: !hasErrors(this.diagnostics) && (until !== undefined || result.pdfFile !== undefined),
      diagnostics: this.diagnostics,
      pages: 0,
      seconds: (performance.now() - this.started) / 1000,
      inputs: this.inputs.files,
      timings: this.timings,
      ...result,
    };
  }
}

/** The pipeline for one thesis folder; keeps each step's caches between runs (watch). */
/** A thesis folder as a command names it, with the folders outside it the user allows reads from (core/allowed-folders.ts). */
export interface ThesisFolder {
  dir: string;
  allow: readonly string[];
}

/**
 * Typst stopped at a limit (time, memory) says nothing of where: the only
 * code a thesis runs is its raw Typst, so a stop is placed at the first raw
 * Typst block, with the number of others, when there is one.
 */
function withLikelyCause(diagnostics: Diagnostic[], chapters: readonly Chapter[]): Diagnostic[] {
  return diagnostics.map((d) => {
    if (d.rule !== 'typst-stopped' || d.file) return d;
    const blocks: { file: string; line: number; column: number }[] = [];
    for (const chapter of chapters) {
      visit(chapter.tree, 'code', (node: { lang?: string | null; position?: { start: { line: number; column: number } } }) => {
        if (node.lang === '{=typst}' && node.position) blocks.push({ file: chapter.file, line: node.position.start.line, column: node.position.start.column });
      });
    }
    if (blocks.length === 0) return d;
    const others = blocks.length - 1;
    return { ...d, ...blocks[0], message: `${d.message}; the raw Typst here${others ? ` (or in one of ${others} other raw Typst block${others === 1 ? '' : 's'})` : ''} is the likely cause` };
  });
}

export class ThesisBuild {
  readonly layout: ProjectLayout;
  private readonly parse: ParseStep;
  private readonly resolve: ResolveStep;
  private readonly format: FormatStep;
  private readonly render = new RenderStep();
  private readonly compile: CompileStep;
  private readonly exporter: ExportStep;

  /** Folders outside the thesis the user allows reads from; never set by the thesis itself. */
  private readonly allow: readonly string[];
  /** Unsaved texts of files (the language server's open documents), read instead of the files. */
  private readonly overlay: ReadonlyMap<string, string>;

  constructor(
    readonly projectDir: string,
    access: { allow?: readonly string[]; overlay?: ReadonlyMap<string, string> } = {},
  ) {
    this.allow = access.allow ?? [];
    this.overlay = access.overlay ?? new Map();
    this.layout = new ProjectLayout(projectDir);
    this.parse = new ParseStep(this.layout);
    this.resolve = new ResolveStep(this.layout);
    this.format = new FormatStep(this.layout);
    this.compile = new CompileStep(this.layout);
    this.exporter = new ExportStep(this.layout);
  }

  /** The words Typst sets before numbers in `lang` ("Figure", "Tabelle"), as the PDF prints them. */
  supplements(lang: string): Supplements {
    return this.compile.supplements(lang);
  }

  /**
   * Runs the steps. A run that writes outputs (no `until`) holds the project's
   * lock (core/project-lock.ts), so a build never interleaves with `refs add`
   * rewriting the bibliography; one that stops earlier writes only caches.
   */
  run(options: BuildOptions = {}): BuildResult {
    const allAtOnce = () => {
      const steps = this.steps(options);
      for (;;) {
        const next = steps.next();
        if (next.done) return next.value;
      }
    };
    if (options.until !== undefined || this.layout.outputRefusal()) return allAtOnce();
    try {
      return withProjectLock(this.projectDir, 'build', allAtOnce);
    } catch (error) {
      return this.busy(error, options);
    }
  }

  /**
   * The same run, except that the whole thesis's compile waits for the promise `beforeCompile` returns (the
   * live preview's draft on screen: the compile beside the browser drawing it slowed the drawing, on two cores),
   * and is not done when `stillWanted` says no by then (null).
   */
  async runHeld(options: BuildOptions, stillWanted: () => boolean = () => true): Promise<BuildResult | null> {
    const stepByStep = async () => {
      const steps = this.steps(options);
      for (;;) {
        const next = steps.next();
        if (next.done) return next.value;
        await next.value.catch(() => undefined);
        // Given up meanwhile (the watcher closed, its Typst process stopped): null.
        if (!stillWanted()) return null;
      }
    };
    if (options.until !== undefined || this.layout.outputRefusal()) return stepByStep();
    try {
      return await withProjectLockAsync(this.projectDir, 'build', stepByStep);
    } catch (error) {
      return this.busy(error, options);
    }
  }

  /** The result of a run the project's lock turned away (another command is changing the thesis). */
  private busy(error: unknown, options: BuildOptions): BuildResult {
    if (!(error instanceof ProjectBusyError)) throw error;
    const run = new BuildRun(this.layout, this.allow, this.overlay);
    run.report([diagnostic('project-busy', error.message, { file: this.layout.distDir, line: 1, column: 1 }, { fatal: true })]);
    return run.finish({}, options.until);
  }

  /** The steps of a run; it pauses (yields) only where `beforeCompile` returned a promise. */
  private *steps(options: BuildOptions): Generator<Promise<void>, BuildResult, void> {
    const run = new BuildRun(this.layout, this.allow, this.overlay);
    const { until, preview = false } = options;
    // Typst's process starts and loads its fonts while the steps before it run.
    if (until === undefined) this.compile.prepare();

    // Before anything is written (caches included): outputs go only into the project's own dist/.
    const refused = this.layout.outputRefusal();
    if (refused) {
      run.report([diagnostic('output-unwritable', refused, { file: this.layout.distDir, line: 1, column: 1 }, { fatal: true })]);
      return run.finish({}, until);
    }

    // read: thesis.yaml, the chapters, the style and the template (the Pandoc thread starts loading Pandoc now)
    const read = readProject(this.layout, run.inputs);
    if (!run.report(read.diagnostics) || !read.project) return run.finish({}, until);
    const project = read.project;
    const loaded = loadStyle(project.config.csl, this.layout, run.inputs, { file: project.configFile, ...project.lineOf(['csl']) });
    const styleUsable = run.report(loaded.diagnostics);
    const style = loaded.style;
    const locale = localeFor(project.config.lang);
    if (!locale.exact && languageOf(locale.tag).code !== languageOf(project.config.lang).code) {
      run.report([diagnostic('locale-unknown', `no citation locale for "${project.config.lang}"; citations use ${locale.tag} terms`, { file: project.configFile, ...project.lineOf(['lang']) })]);
    }
    const chosen = chooseTemplate(this.layout, run.inputs, project.config.template, { file: project.configFile, ...project.lineOf(['template']) });
    if (!run.report(chosen.diagnostics) || !chosen.template) return run.finish({}, until);
    const template = chosen.template;
    run.inputs.record(template.file);
    if (style && until !== 'resolve') this.format.prepare(run.inputs);
    run.done('read');

    // parse
    const parsed = this.parse.run(project.chapters, preview);
    const chapters = parsed.chapters;
    const parseUsable = run.report(parsed.diagnostics);
    run.done('parse');

    // resolve
    const resolved = this.resolve.run(chapters, project.bibliographyFiles, { noteStyle: style?.isNoteStyle ?? false, strict: options.strict ?? false, lang: project.config.lang }, run.inputs);
    const resolveUsable = run.report(resolved.diagnostics);
    run.report(markGlossaryUses(chapters, project.config.glossary, project.glossaryPlace));
    const { bibliography, citations } = resolved;
    if (options.rewrite) {
      for (const chapter of chapters) chapter.tree = structuredClone(chapter.tree);
      options.rewrite(chapters, project);
    }
    const analysis = (formatted: FormattedCitations | null): Analysis => ({ project, chapters, bibliography, style, citations, formatted, inputs: run.inputs.files });
    run.done('resolve');
    if (until === 'resolve') return run.finish({ analysis: analysis(null) }, until);

    // format
    if (!style || !styleUsable) return run.finish({ analysis: analysis(null) }, until);
    const { formatted, diagnostics: formatDiagnostics } = this.format.run(citations, bibliography, {
      style,
      lang: locale.tag,
      linkCitations: project.config['link-citations'],
      nocite: project.config.nocite,
    });
    run.report(formatDiagnostics);
    // Watch keeps Pandoc loaded for the next save.
    if (!preview) pandocDone();
    run.done('format');
    if (until === 'format' || !parseUsable || !resolveUsable) return run.finish({ analysis: analysis(formatted) }, until);

    // render
    // A watch preview is for reading: the standard (and its tagging) is written by builds.
    const pdfStandard = preview ? undefined : (options.pdfStandard ?? project.config['pdf-standard']);
    const rendered = this.render.run(project, chapters, bibliography, formatted, style, { inputs: run.inputs, preview, pdfStandard, template, prelude: options.prelude?.(), newReferences: options.newReferences?.(), raw: options.raw, sourceMarkers: options.sourceMarkers });
    run.report(rendered.diagnostics);
    if (options.writeTypst) run.report(writeGeneratedTypst(this.layout, rendered.rendered.main).diagnostics);
    run.done('render');

    // A preview's draft of the pages around an edit, when it asks for one (before the whole thesis's compile;
    // also in a run up to the render step: the preview's rehearsal after its first build).
    const compileDraft: CompileDraft = (thesis, switches) =>
      this.compile.run(thesis, template, { inputs: run.inputs, preview: true, date: project.config.date, blockPlaces: true, switches });
    let shown: void | Promise<void> = undefined;
    if (options.beforeCompile && !hasErrors(run.diagnostics)) {
      shown = options.beforeCompile(rendered.rendered, chapters, compileDraft, run.timings);
      run.done('draft');
    }
    const draftBase: Partial<BuildResult> = options.sourceMarkers
      ? { draftBase: { rendered: rendered.rendered, chapters, writeBlocks: rendered.writeBlocks, compileDraft, readChapter: (file) => this.readChapter(file) } }
      : {};
    // The language server's diagnostics as you type: everything the steps up to Typst say, no PDF.
    if (until === 'render') return run.finish({ analysis: analysis(formatted), ...draftBase }, until);

    // compile
    if (shown) {
      yield shown;
      // The wait, apart from the compile's own time.
      run.done('held');
    }
    const compiled = this.compile.run(rendered.rendered, template, { inputs: run.inputs, preview, pdfStandard, date: project.config.date, blockPlaces: options.sourceMarkers });
    // A build kept for more builds that is not watch's (watch frees after writing): Typst's old layouts go now,
    // or its process grows with every different document until the memory limit stops it (found by fuzzing:
    // 860 generated theses in one process passed 4 GB).
    if (!preview) this.compile.tidy();
    run.report(missingFonts(withLikelyCause(compiled.diagnostics, chapters), project.config, (keyPath) => ({ file: project.configFile, ...project.lineOf(keyPath) })));
    run.done('compile');

    // write: only a build without errors replaces the previous PDF.
    if (!compiled.pdf || hasErrors(run.diagnostics)) return run.finish({ analysis: analysis(formatted), pages: compiled.pages });
    // What killed builds left half-written in dist/ goes; the PDF is replaced whole.
    for (const dir of [this.layout.distDir, this.layout.cacheDir, this.layout.cacheFile('chapters')]) removeStaleTemporaries(dir);
    const written = writePdf(this.layout, compiled.pdf, options.pdfFile);
    run.report(written.diagnostics);
    run.done('write');
    return run.finish({ analysis: analysis(formatted), pdfFile: written.written ?? undefined, pages: compiled.pages, ...(compiled.blocks ? { blocks: compiled.blocks } : {}), ...(compiled.notes ? { notes: compiled.notes } : {}), ...draftBase });
  }

  /** A chapter's text as a run reads it, or null when it cannot be read. */
  private readChapter(file: string): string | null {
    try {
      return new Inputs([this.layout.root, toolchainDir, ...this.allow], this.overlay).readText(file);
    } catch {
      return null;
    }
  }

  /**
   * Writes the thesis as Word, HTML, ODT or EPUB through Pandoc, from a run's
   * analysis (its chapters and formatted citations: the PDF's text).
   */
  async export(analysis: Analysis, formats: readonly ExportFormat[], baseName?: string, raw = true): Promise<ExportResult> {
    const { project } = analysis;
    const referenceDoc = project.config['reference-doc'];
    if (referenceDoc) {
      const file = path.resolve(this.layout.root, referenceDoc);
      const relative = path.relative(this.layout.root, file);
      const place = { file: project.configFile, ...project.lineOf(['reference-doc']) };
      if (relative.startsWith('..') || path.isAbsolute(relative)) return { written: [], diagnostics: [diagnostic('config-invalid', `\`reference-doc\`: "${referenceDoc}" is outside the project folder`, place, { fatal: true })] };
      if (!fs.existsSync(file)) return { written: [], diagnostics: [diagnostic('config-invalid', `\`reference-doc\`: ${relative} does not exist`, place, { fatal: true })] };
      if (!isInside(file, [this.layout.root])) return { written: [], diagnostics: [diagnostic('path-outside-project', `\`reference-doc\`: ${relative} leads outside the project folder (a symbolic link); copy the Word file into the project`, place, { fatal: true, severity: 'error' })] };
    }
    if (!analysis.formatted || !analysis.style) return { written: [], diagnostics: [] };
    const inputs = new Inputs([this.layout.root, toolchainDir, ...this.allow]);
    return this.exporter.run(project, analysis.chapters, analysis.formatted, {
      formats,
      supplements: this.compile.supplements(project.config.lang),
      inputs,
      ...(baseName ? { baseName } : {}),
      raw,
    });
  }

  /** Frees what the next run will not need (Typst's stale layouts); watch calls it after each build. */
  tidy(): void {
    this.compile.tidy();
  }

  /** Nothing to build for a while (watch, between saves): threads collect their garbage now rather than during a build. */
  idle(): void {
    collectPandocGarbage();
    this.compile.idle();
    collectGarbage();
  }

  /** Ends what the build keeps running between runs (Typst's process); watch calls it when it closes. */
  stop(): void {
    this.compile.stop();
  }
}
