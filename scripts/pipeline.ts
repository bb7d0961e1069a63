// The order of the stages, written down once:
//   read -> parse -> resolve -> format -> render -> compile -> write -> report
// Commands (build, watch, check, progress, refs) call this pipeline; none of
// them re-implements a stage. A ThesisBuild keeps what it can between runs
// (parsed chapters by content, the bibliography by file content, the Typst
// compiler), which is what makes watch rebuilds fast.
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, hasErrors, type Diagnostic } from './diagnostics.js';
import { uncoveredCharacters } from './compile/fonts.js';
import { TypstCompiler } from './compile/typst-compiler.js';
import { citationCacheFile, citationCacheStale, readFormatCache, formatKey, writeFormatCache } from './format/cache.js';
import { formatCitations, type FormatOptions, type FormattedCitations } from './format/citeproc.js';
import { formattingDone, prepareFormatting } from './format/format-thread.js';
import { loadStyle, localeFor, type CitationStyle } from './format/styles.js';
import { parseChapter, type ParsedChapter } from './parse/markdown.js';
import { IncrementalParser } from './parse/incremental.js';
import { ChapterCache } from './parse/chapter-cache.js';
import { readProject, type Project } from './read/project.js';
import { loadBibliography, type Bibliography } from './resolve/bibliography.js';
import { checkCitationKeys, collectCitations, type CitationUse } from './resolve/citations.js';
import { collectLabels, renderDocument, type RenderCache } from './render/document.js';
import { toolchainDir } from './toolchain-dir.js';
import { codeHash } from './code-hash.js';
import { readBibliographyCache, writeBibliographyCache } from './resolve/bibliography-cache.js';
import { writeFileAtomic } from './write-atomic.js';

export { toolchainDir };


export interface BuildOptions {
  /** Unknown citation keys are errors, not warnings. */
  strict?: boolean;
  /**
   * Stop after this stage, with no PDF: `format` for check and progress,
   * `resolve` for refs, which needs the bibliography and citations but no
   * formatting.
   */
  until?: 'resolve' | 'format';
  /** Also write the generated Typst to dist/thesis.typ. */
  writeTypst?: boolean;
  /** A watch preview: untagged PDF, chapter markup reused when unchanged. */
  preview?: boolean;
}

export interface Analysis {
  project: Project;
  chapters: (ParsedChapter & { name: string; source: string })[];
  bibliography: Bibliography;
  style: CitationStyle | null;
  citations: CitationUse[];
  formatted: FormattedCitations | null;
}

export interface BuildResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  analysis?: Analysis;
  pdfFile?: string;
  pages: number;
  seconds: number;
  /** Every file this build read: what watch must watch. */
  inputs: string[];
  /** Milliseconds spent in each stage, for profiling and the bench. */
  timings: Record<string, number>;
}

export function outputDir(projectDir: string): string {
  return path.join(projectDir, 'dist');
}

export class ThesisBuild {
  private compiler: TypstCompiler | null = null;
  private parsedChapters = new Map<string, { text: string; parsed: ParsedChapter }>();
  private incrementalParser = new IncrementalParser();
  private readonly chapterCache: ChapterCache;
  private renderedChapters: RenderCache = new Map();
  private lastFormatted: { key: string; formatted: FormattedCitations } | null = null;
  private bibliographyCache: { key: string; bibliography: Bibliography } | null = null;

  constructor(readonly projectDir: string) {
    this.chapterCache = new ChapterCache(path.join(outputDir(projectDir), '.cache', 'chapters'));
  }

  run(options: BuildOptions = {}): BuildResult {
    const started = performance.now();
    const timings: Record<string, number> = {};
    let stageStart = started;
    const stage = (name: string) => {
      const now = performance.now();
      timings[name] = Math.round((now - stageStart) * 10) / 10;
      stageStart = now;
    };
    const diagnostics: Diagnostic[] = [];
    const inputs = new Set<string>([path.join(this.projectDir, 'thesis', 'thesis.yaml'), path.join(this.projectDir, 'thesis'), path.join(this.projectDir, 'bibliography')]);
    const finish = (partial: Partial<BuildResult>): BuildResult => ({
      ok: !hasErrors(diagnostics) && (options.until !== undefined || partial.pdfFile !== undefined),
      diagnostics,
      pages: 0,
      seconds: (performance.now() - started) / 1000,
      inputs: [...inputs],
      timings,
      ...partial,
    });

    // read
    const project = readProject(this.projectDir, diagnostics);
    if (!project) return finish({});
    for (const chapter of project.chapters) inputs.add(chapter.file);
    for (const file of project.bibliographyFiles) inputs.add(file);
    if (diagnostics.some((d) => d.fatal)) return finish({});

    // The style is known now: the formatting thread builds its engine while the chapters parse.
    const stylePlace = { file: project.configFile, ...project.lineOf(['csl']) };
    const style = loadStyle(project.config.csl, this.projectDir, stylePlace, diagnostics);
    if (style?.file) inputs.add(style.file);
    if (style && options.until !== 'resolve' && this.formatLikelyNeeded(project, style)) prepareFormatting(style.xml, localeFor(project.config.lang).tag);

    stage('read');

    // parse
    const chapters = project.chapters.map((chapter) => ({ ...this.parse(chapter.file, chapter.text, options.preview ?? false), name: chapter.name, source: chapter.text }));
    for (const chapter of chapters) diagnostics.push(...chapter.diagnostics);

    stage('parse');

    // resolve
    const bibliography = this.loadBibliography(project.bibliographyFiles);
    diagnostics.push(...bibliography.diagnostics);
    const locale = localeFor(project.config.lang);
    if (!locale.exact && locale.tag.split('-')[0] !== project.config.lang.split('-')[0].toLowerCase()) {
      diagnostics.push(diagnostic('locale-unknown', `no citation locale for "${project.config.lang}"; citations use ${locale.tag} terms`, { file: project.configFile, ...project.lineOf(['lang']) }));
    }
    const citations = collectCitations(chapters, style?.isNoteStyle ?? false);
    diagnostics.push(...checkCitationKeys(citations, bibliography, options.strict ?? false));

    if (options.until === 'resolve') return finish({ analysis: { project, chapters, bibliography, style, citations, formatted: null } });

    stage('resolve');

    // format
    const formatted = style ? this.format(citations, bibliography, { style, lang: locale.tag, linkCitations: project.config['link-citations'], nocite: project.config.nocite }) : null;
    if (formatted) diagnostics.push(...formatted.diagnostics);
    // Watch keeps the formatting thread's engines for the next save.
    if (!options.preview) formattingDone();
    const analysis: Analysis = { project, chapters, bibliography, style, citations, formatted };
    if (options.until === 'format' || !style || !formatted) return finish({ analysis });

    stage('format');

    // render
    const templateFile = path.join(this.projectDir, 'templates', 'thesis.typ');
    const templateSource = fs.existsSync(templateFile) ? templateFile : path.join(toolchainDir, 'templates', 'thesis.typ');
    inputs.add(templateSource);
    const rendered = renderDocument(project.config, '/templates/thesis.typ', chapters.map((c) => ({ file: c.file, tree: c.tree, title: c.frontMatter.title })), formatted, {
      projectDir: this.projectDir,
      citations: formatted.citations,
      style,
      labels: collectLabels(chapters.map((c) => c.tree)),
      fileExists: (file) => {
        inputs.add(file);
        return fs.existsSync(file);
      },
    }, options.preview ? this.renderedChapters : undefined);
    diagnostics.push(...rendered.diagnostics);
    diagnostics.push(...this.checkGlyphs(chapters, bibliography, formatted));

    // The generated Typst, for whoever wants to see what the PDF is made from.
    if (options.writeTypst) writeFileAtomic(path.join(outputDir(this.projectDir), 'thesis.typ'), rendered.main);

    stage('render');

    // compile
    this.compiler ??= new TypstCompiler(this.projectDir);
    const compiled = this.compiler.compile({
      mainPath: path.join(this.projectDir, '.thesis-main.typ'),
      main: rendered.main,
      shadows: new Map([[templateFile, fs.readFileSync(templateSource, 'utf8')]]),
      sourceMap: rendered.sourceMap,
      tagged: !options.preview,
    });
    diagnostics.push(...compiled.diagnostics);

    stage('compile');

    // write: only a build without errors replaces the previous PDF.
    if (!compiled.pdf || hasErrors(diagnostics)) return finish({ analysis, pages: compiled.pages });
    const pdfFile = path.join(outputDir(this.projectDir), 'thesis.pdf');
    try {
      writeFileAtomic(pdfFile, compiled.pdf);
    } catch (error) {
      diagnostics.push(diagnostic('output-unwritable', `cannot write the PDF: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; check that dist/ is writable`, { file: pdfFile }));
      return finish({ analysis, pages: compiled.pages });
    }
    stage('write');
    return finish({ analysis, pdfFile, pages: compiled.pages });
  }

  /** Frees what the next run will not need (Typst's stale layouts); watch calls it after each build. */
  tidy(): void {
    this.compiler?.evictStale();
  }

  private format(uses: CitationUse[], bibliography: Bibliography, options: FormatOptions): FormattedCitations {
    const cacheFile = citationCacheFile(this.projectDir);
    const key = formatKey(uses, bibliography, options);
    // In watch, most rebuilds change no citation: keep the last result in memory too.
    if (this.lastFormatted?.key === key) return this.lastFormatted.formatted;
    let formatted = readFormatCache(cacheFile, key);
    if (!formatted) {
      formatted = formatCitations(uses, bibliography, options);
      writeFormatCache(cacheFile, key, formatted);
    }
    this.lastFormatted = { key, formatted };
    return formatted;
  }

  /** Whether this run will probably format citations (then the engine is worth building ahead). */
  private formatLikelyNeeded(project: Project, style: CitationStyle): boolean {
    if (this.lastFormatted) return false; // watch: the engine is already built
    const inputs = [...(project.configFile ? [project.configFile] : []), ...project.chapters.map((c) => c.file), ...project.bibliographyFiles, ...(style.file ? [style.file] : [])];
    return citationCacheStale(this.projectDir, inputs);
  }

  private parse(file: string, text: string, preview: boolean): ParsedChapter {
    // Watch parses only the sections of a chapter that changed.
    if (preview) return this.incrementalParser.parse(file, text);
    // Later stages only ever (re)assign citation ids on the tree, in document
    // order, so a cached tree can be reused as it is.
    const cached = this.parsedChapters.get(file);
    if (cached && cached.text === text) return cached.parsed;
    let parsed = this.chapterCache.read(file, text);
    if (!parsed) {
      parsed = parseChapter(file, text);
      this.chapterCache.write(file, text, parsed);
    }
    this.parsedChapters.set(file, { text, parsed });
    return parsed;
  }

  /**
   * The bibliography, from memory (watch), else from dist/.cache when no
   * file changed (which skips citation-js), else loaded.
   */
  private loadBibliography(files: string[]): Bibliography {
    const key = [codeHash(['resolve']), ...files.map((file) => `${file}\0${safeStat(file)}`)].join('\n');
    if (this.bibliographyCache?.key === key) return this.bibliographyCache.bibliography;
    const cacheFile = path.join(outputDir(this.projectDir), '.cache', 'bibliography.json');
    let bibliography = readBibliographyCache(cacheFile, key, files);
    if (!bibliography) {
      bibliography = loadBibliography(files);
      writeBibliographyCache(cacheFile, key, bibliography);
    }
    this.bibliographyCache = { key, bibliography };
    return bibliography;
  }

  private glyphChecks = new Map<string, { source: string; diagnostics: Diagnostic[] }>();

  private checkGlyphs(chapters: Analysis['chapters'], bibliography: Bibliography, formatted: FormattedCitations): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    for (const chapter of chapters) {
      const known = this.glyphChecks.get(chapter.file);
      if (known?.source === chapter.source) {
        diagnostics.push(...known.diagnostics);
        continue;
      }
      const found: Diagnostic[] = [];
      for (const ch of uncoveredCharacters(chapter.source)) {
        const offset = chapter.source.indexOf(ch);
        const before = chapter.source.slice(0, offset);
        const line = before.split('\n').length;
        const column = offset - before.lastIndexOf('\n');
        found.push(diagnostic('glyph-missing', `no font has the character "${ch}" (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}); it would print as an empty box`, { file: chapter.file, line, column }));
      }
      this.glyphChecks.set(chapter.file, { source: chapter.source, diagnostics: found });
      diagnostics.push(...found);
    }
    for (const reference of formatted.references) {
      const entry = bibliography.entries.get(reference.key);
      for (const ch of uncoveredCharacters(reference.markup)) {
        diagnostics.push(diagnostic('glyph-missing', `no font has the character "${ch}" (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}) in entry "${reference.key}"`, entry ? { file: entry.file, line: entry.line, column: entry.column } : {}));
      }
    }
    return diagnostics;
  }
}

function safeStat(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
