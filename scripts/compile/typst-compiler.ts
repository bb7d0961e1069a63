// The compile stage: Typst in-process (the npm compiler), PDF bytes out,
// and Typst's diagnostics mapped back to the Markdown that produced them.
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { mapTypstLine, type SourceMapping } from '../core/source-map.js';
import { fontDirectories } from '../core/fonts.js';
import path from 'node:path';
import { TypstWorld } from './typst-world.js';

export interface CompileInput {
  /** Where the generated main file lives (inside the project, never written to disk). */
  mainPath: string;
  main: string;
  /** Files that exist only in memory, such as the toolchain's template for another project. */
  shadows: Map<string, string>;
  /** Files of the project the build read through its gate (chapters, images): handed to Typst as they are on disk. */
  files: string[];
  sourceMap: SourceMapping[];
  /**
   * Write a tagged (accessible) PDF. Tagging is a third of the export time
   * of a long thesis, so watch previews leave it out; builds keep it.
   */
  tagged: boolean;
  /** The PDF standard to write (`a-2b`, `ua-1`, …), if any. */
  pdfStandard?: string;
  /** The PDF's creation date, in seconds since 1970 (default 0: the same sources give the same bytes). */
  creationTimestamp?: number;
  /** Read back where the preview's source markers landed (render/document.ts sourceMarker). */
  blockPlaces?: boolean;
  /** Files among the shadows that hold lines of the main text (a previewed thesis's chapters), and the main text's line their first line stands for. */
  parts?: { file: string; line: number }[];
}

/** Where a block of a chapter is in the PDF: its page (from 1) and its top-left corner in points. */
export interface BlockPlace {
  /** Relative to the project folder. */
  file: string;
  line: number;
  page: number;
  x: number;
  y: number;
  /** The marker of a heading stands just below it (a heading may begin a page; the marker goes with it). */
  heading: boolean;
  /** For the first marker of a page: the counters where it stands (render/document.ts PLACES_QUERY). */
  counters?: PlaceCounters;
}

/** Typst's counters at a place: the page number, the heading numbers, figures by kind, equations, footnotes. */
export interface PlaceCounters {
  page: number;
  heading: number[];
  image: number;
  table: number;
  raw: number;
  equation: number;
  footnote: number;
  /** A footnote referenced on an earlier page runs on to this one (Typst carried it over: too long for its own page's foot). */
  notesRunOn: boolean;
  /** For a heading's marker (which stands below the heading): where the heading begins on the page. */
  headingTop?: number;
  /** Where the page's text area begins (read on the document's last page). */
  textTop?: number;
}

/** What Typst calls each kind of numbered thing, in a language. */
export interface Supplements {
  image: string;
  table: string;
  code: string;
  heading: string;
  equation: string;
}

export const englishSupplements: Supplements = { image: 'Figure', table: 'Table', code: 'Listing', heading: 'Section', equation: 'Equation' };

export interface CompileOutput {
  pdf?: Buffer;
  pages: number;
  diagnostics: Diagnostic[];
  /** With `blockPlaces`: every marked block, in document order. */
  blocks?: BlockPlace[];
  /** With `blockPlaces`: what each note referenced again prints as its number, by its label. */
  notes?: Record<string, string>;
}

interface TypstDiagnostic {
  message: string;
  path?: string;
  severity: number | string;
  range?: { start: { line: number; character: number } };
  hints?: string[];
}

/** Rounds of "Typst asked for a file, the gate let it in, compile again" in one compile. */
const MAX_ADMIT_ROUNDS = 8;

/**
 * One compiler per project, kept alive so watch rebuilds are incremental.
 * Its root is not the project but an empty folder of its own (typst-world.ts):
 * Typst reads only the files mapped into it.
 */
export class TypstCompiler {
  private readonly compiler: NodeCompiler;
  private readonly world: TypstWorld;
  private readonly shadowed = new Set<string>();
  /** What each file mapped holds now: a file whose text is the same is not mapped again (a chapter at 10× is 270 KB). */
  private readonly mapped = new Map<string, string>();

  constructor(readonly projectDir: string) {
    let world: TypstWorld | undefined;
    const shadows = {
      mapShadow: (file: string, content: Buffer) => this.compiler.mapShadow(file, content),
      unmapShadow: (file: string) => this.compiler.unmapShadow(file),
    };
    world = new TypstWorld(projectDir, shadows);
    this.world = world;
    this.compiler = NodeCompiler.create({ workspace: world.root, fontArgs: [{ fontPaths: fontDirectories() }] });
  }

  compile(input: CompileInput): CompileOutput {
    const mainPath = this.world.virtual(input.mainPath);
    const shadows = new Map([...input.shadows].map(([file, content]) => [this.world.virtual(file), content]));
    // A file this compile does not have goes (a chapter's file of a thesis that no longer is cut in chapters).
    for (const stale of this.shadowed) {
      if (shadows.has(stale) || stale === mainPath) continue;
      this.compiler.unmapShadow(stale);
      this.mapped.delete(stale);
    }
    this.shadowed.clear();
    for (const [file, content] of [[mainPath, input.main] as const, ...shadows]) {
      if (this.mapped.get(file) !== content) this.compiler.mapShadow(file, Buffer.from(content));
      this.mapped.set(file, content);
      this.shadowed.add(file);
    }
    this.world.hand(input.files.filter((file) => !input.shadows.has(file) && file !== input.mainPath));
    this.world.refused.clear();
    let result = this.compiler.compile({ mainFilePath: mainPath });
    // A file Typst did not find may be one raw Typst asks for: the gate decides, and a file let in means another try.
    for (let round = 0; round < MAX_ADMIT_ROUNDS; round++) {
      const error = result.hasError() ? result.takeError() : null;
      if (!error) break;
      const raw = this.compiler.fetchDiagnostics(error) as TypstDiagnostic[];
      const admitted = raw.map((d) => /^file not found \(searched at (.+)\)$/.exec(d.message)?.[1]).filter((searched): searched is string => !!searched && this.world.admit(searched));
      if (admitted.length === 0) return { pages: 0, diagnostics: this.failure(raw, input) };
      result = this.compiler.compile({ mainFilePath: mainPath });
    }
    const diagnostics: Diagnostic[] = [];
    const error = result.takeError();
    if (error) {
      diagnostics.push(...this.failure(this.compiler.fetchDiagnostics(error), input));
      return { pages: 0, diagnostics };
    }
    const warnings = result.takeWarnings();
    if (warnings) diagnostics.push(...this.translate(this.compiler.fetchDiagnostics(warnings), input));
    const document = result.result!;
    try {
      const pdf = this.compiler.pdf(document, { creationTimestamp: input.creationTimestamp ?? 0, pdfTags: input.tagged, ...(input.pdfStandard ? { pdfStandard: input.pdfStandard } : {}) });
      return { pdf, pages: document.numOfPages, diagnostics, ...(input.blockPlaces ? { blocks: this.blockPlaces(document), notes: this.noteNumbers(document) } : {}) };
    } catch (error) {
      // The document breaks a rule of the standard asked for (Typst names it).
      const message = String((error as Error).message ?? error).split('\n')[0].replace(/^Error:\s*/, '');
      diagnostics.push(diagnostic('typst-error', `the PDF cannot be written as ${input.pdfStandard ?? 'PDF'}: ${message}`, {}));
      return { pages: document.numOfPages, diagnostics };
    }
  }

  /**
   * The words Typst sets before a number in a language ("Figure 2",
   * "Tabelle 3", "Équation (1)"), asked of Typst itself with a document of
   * one figure of each kind, so other outputs name things as the PDF does.
   */
  supplements(lang: string, region?: string): Supplements {
    const file = this.world.virtual(path.join(this.projectDir, '.thesis-supplements.typ'));
    const source = `#set text(lang: "${lang.replace(/[^A-Za-z-]/g, '')}"${region ? `, region: "${region.replace(/[^A-Za-z0-9]/g, '')}"` : ''})
#set heading(numbering: "1.")
#set math.equation(numbering: "(1)")
#figure(rect(), caption: [])
#figure(table(), caption: [])
#figure(raw(""), caption: [])
= x
$ x $
`;
    this.compiler.mapShadow(file, Buffer.from(source));
    try {
      const document = this.compiler.compile({ mainFilePath: file }).result;
      if (!document) return englishSupplements;
      const text = (element: { supplement?: { text?: string } } | undefined, fallback: string) => element?.supplement?.text ?? fallback;
      const figures = this.compiler.query(document, { selector: 'figure' }) as { supplement?: { text?: string } }[];
      const [heading] = this.compiler.query(document, { selector: 'heading' }) as { supplement?: { text?: string } }[];
      const [equation] = this.compiler.query(document, { selector: 'math.equation' }) as { supplement?: { text?: string } }[];
      return {
        image: text(figures[0], englishSupplements.image),
        table: text(figures[1], englishSupplements.table),
        code: text(figures[2], englishSupplements.code),
        heading: text(heading, englishSupplements.heading),
        equation: text(equation, englishSupplements.equation),
      };
    } finally {
      this.compiler.unmapShadow(file);
    }
  }

  /**
   * Drops memoised layouts the last two compiles did not use; watch calls it
   * once the PDF is written, so freeing memory never delays a preview. An
   * edit near the start of a long thesis re-lays out every later page, so
   * each compile leaves a generation of page layouts behind: keeping 30 grew
   * a 120,000-word watch session to 2.3 GB in 20 saves and slowed each save
   * from 0.45 to 0.7 s; keeping 2 holds it at 1.2 GB and 0.48 s, and a
   * 12,000-word thesis recompiles as fast as ever
   * (`node compiled/scripts/bench/typst-floor.js <dir> 20`).
   */
  evictStale(): void {
    this.compiler.evictCache(2);
  }

  /** The source markers' places, as the document's last context gathered them: one query. */
  private blockPlaces(document: NonNullable<ReturnType<NodeCompiler['compile']>['result']>): BlockPlace[] {
    type Counted = number[] | null;
    const [found] = this.compiler.query(document, { selector: '<thesis-places>' }) as { value?: [[string, number, boolean], { page: number; x: string; y: string }, [...Counted[], boolean, string | null] | null][] }[];
    const first = (value: Counted) => value?.[0] ?? 0;
    return (found?.value ?? []).map(([[file, line, heading], place, state]) => ({
      file,
      line,
      page: place.page,
      x: parseFloat(place.x),
      y: parseFloat(place.y),
      heading: heading === true,
      ...(state ? { counters: { page: first(state[0] as Counted), heading: (state[1] as Counted) ?? [], image: first(state[2] as Counted), table: first(state[3] as Counted), raw: first(state[4] as Counted), equation: first(state[5] as Counted), footnote: first(state[6] as Counted), notesRunOn: state[7] === true, ...(typeof state[8] === 'string' ? { headingTop: parseFloat(state[8]) } : {}), ...(typeof state[9] === 'string' ? { textTop: parseFloat(state[9]) } : {}) } } : {}),
    }));
  }

  /** The numbers of the notes referenced again, as the places query gathered them. */
  private noteNumbers(document: NonNullable<ReturnType<NodeCompiler['compile']>['result']>): Record<string, string> {
    const [found] = this.compiler.query(document, { selector: '<thesis-notes>' }) as { value?: Record<string, unknown> }[];
    return Object.fromEntries(Object.entries(found?.value ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  }

  private failure(raw: TypstDiagnostic[], input: CompileInput): Diagnostic[] {
    const diagnostics = this.translate(raw, input);
    return diagnostics.length ? diagnostics : [diagnostic('typst-error', 'Typst could not compile the document', {})];
  }

  /** Typst's words about a path in its world, said of the project's path (and why a file was not given). */
  private inProject(message: string): string {
    return message.replace(/file not found \(searched at (.+?)\)/, (whole, searched: string) => {
      const file = this.world.project(searched);
      if (!file) return whole;
      const shown = path.relative(this.projectDir, file);
      const why = this.world.refused.get(file);
      return why ? `${shown} is not given to Typst: ${why}` : `file not found: ${shown} (in the project folder)`;
    });
  }

  private translate(raw: TypstDiagnostic[], input: CompileInput): Diagnostic[] {
    const mainPath = this.world.virtual(input.mainPath);
    return raw.map((d) => {
      d = { ...d, message: this.inProject(d.message), ...(d.path ? { path: this.world.project(d.path) ?? d.path } : {}) };
      const isError = d.severity === 1 || d.severity === 'error' || d.severity === 'Error';
      const rule = isError ? 'typst-error' : 'typst-warning';
      const hint = d.hints?.length ? ` (hint: ${d.hints.join('; ')})` : '';
      const typLine = (d.range?.start.line ?? 0) + 1;
      // A chapter's own file in a preview: its lines are the main text's from the part's line on.
      const part = input.parts?.find((candidate) => d.path === candidate.file || d.path === this.world.virtual(candidate.file));
      if (part || d.path === input.mainPath || d.path === mainPath) {
        const place = mapTypstLine(input.sourceMap, part ? part.line + typLine - 1 : typLine);
        if (place) return diagnostic(rule, `${d.message}${hint} (in the Typst written for this line)`, { file: place.file, line: place.line, column: 1 });
        return diagnostic(rule, `${d.message}${hint} (in the generated title page or reference list, line ${typLine})`, {});
      }
      return diagnostic(rule, `${d.message}${hint}`, d.path ? { file: d.path, line: typLine, column: (d.range?.start.character ?? 0) + 1 } : {});
    });
  }
}
