// The compile step: the Typst main file -> PDF bytes, with the template
// mapped in (read/template.ts: the project's own, else the toolchain's). One compiler per
// project is kept alive, in a process of its own (typst-process.ts), so watch
// rebuilds are incremental and a panic in Typst cannot end the toolchain.
import path from 'node:path';
import { languageOf } from '../core/language.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { Inputs } from '../core/inputs.js';
import type { ProjectLayout } from '../core/layout.js';
import type { RenderedThesis } from '../render/step.js';
import { FULL_BUILD_SWITCHES, SWITCH_IMPORT } from '../render/block-switch.js';
import type { ChapterPart } from '../render/document.js';
import { typstString } from '../core/typst-syntax.js';
import type { TemplateChoice } from '../read/template.js';
import type { CompileOutput, Supplements } from './typst-compiler.js';
import { TypstProcess } from './typst-process.js';

/**
 * A previewed thesis as Typst gets it: each chapter's lines in a file of its own (render/document.ts
 * ChapterPart), the main file including them in their place. Its lines stay the main text's lines: the blank line
 * before a chapter becomes its file's first (what the chapter uses imported, as the main file imports it), and
 * the chapter's lines in the main file blank lines, so a Typst error in either maps back as in one file.
 */
function chapterFiles(rendered: RenderedThesis, parts: readonly ChapterPart[], layout: ProjectLayout): { main: string; parts: { file: string; text: string; line: number }[] } {
  const lines = rendered.lines ?? rendered.main.split('\n');
  // The template's import (the main file's first line) and the switches'.
  const header = `${lines[0]}; ${SWITCH_IMPORT}`;
  const main: string[] = [];
  const files: { file: string; text: string; line: number }[] = [];
  let at = 0;
  parts.forEach((part, index) => {
    const file = layout.chapterPartFile(index);
    while (at < part.from) main.push(lines[at++]);
    main.push(`#include ${typstString('/' + path.relative(layout.root, file).split(path.sep).join('/'))}`);
    for (at = part.from + 1; at < part.to; at++) main.push('');
    files.push({ file, text: [header, ...lines.slice(part.from + 1, part.to)].join('\n'), line: part.from + 1 });
  });
  while (at < lines.length) main.push(lines[at++]);
  return { main: main.join('\n'), parts: files };
}

export class CompileStep {
  private compiler: TypstProcess | null = null;

  constructor(private readonly layout: ProjectLayout) {}

  run(
    rendered: RenderedThesis,
    template: TemplateChoice,
    /** `switches`: a preview draft's block switches (preview/draft.ts); without, a previewed thesis shows every block. */
    options: { inputs: Inputs; preview: boolean; pdfStandard?: string; date?: string; blockPlaces?: boolean; switches?: string },
  ): CompileOutput {
    this.compiler ??= new TypstProcess(this.layout.root);
    const shadows = new Map([[template.projectPath, options.inputs.readText(template.file)]]);
    // A previewed thesis imports its block switches (render/block-switch.ts): a draft's, or the full build's.
    if (options.blockPlaces) shadows.set(this.layout.draftSwitchFile, options.switches ?? FULL_BUILD_SWITCHES);
    const files = rendered.parts ? chapterFiles(rendered, rendered.parts, this.layout) : { main: rendered.main, parts: [] };
    for (const part of files.parts) shadows.set(part.file, part.text);
    return this.compiler.compile({
      // A preview draft is the same main file as the full build's, with other switches: Typst keeps its layouts.
      mainPath: this.layout.mainTypstFile,
      main: files.main,
      shadows,
      ...(files.parts.length ? { parts: files.parts.map(({ file, line }) => ({ file, line })) } : {}),
      // What the build read through its gate, inside the project: Typst gets these and, through the gate again, what raw Typst asks for.
      files: options.inputs.files.filter((file) => file.startsWith(this.layout.root + path.sep)),
      sourceMap: rendered.sourceMap,
      tagged: !options.preview,
      pdfStandard: options.pdfStandard,
      creationTimestamp: timestampOf(options.date),
      blockPlaces: options.blockPlaces,
    });
  }

  /** Starts the compiler's process now, so it is ready when the document is: a build that will compile calls it first. */
  prepare(): void {
    this.compiler ??= new TypstProcess(this.layout.root);
    this.compiler.start();
  }

  /** The words Typst sets before numbers in the thesis's language ("Figure", "Tabelle"), for the other outputs. */
  supplements(lang: string): Supplements {
    this.compiler ??= new TypstProcess(this.layout.root);
    const language = languageOf(lang);
    return this.compiler.supplements(language.code, language.region ?? undefined);
  }

  /** Frees what the next run will not need (Typst's stale layouts); watch calls it after each build. */
  tidy(): void {
    this.compiler?.evictStale();
  }

  /** Nothing to build for a while: Typst's process collects its garbage. */
  idle(): void {
    this.compiler?.collectGarbage();
  }

  /** Ends Typst's process; a later run starts a new one. */
  stop(): void {
    this.compiler?.stop();
  }
}

/**
 * The PDF's creation date: the thesis's `date` when it is a day (`2020-08-31`)
 * or a year, else 1 January 1970, so the same sources give the same bytes.
 */
function timestampOf(date: string | undefined): number {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(date?.trim() ?? '');
  if (!match) return 0;
  const [, year, month = '01', day = '01'] = match;
  const time = Date.UTC(Number(year), Number(month) - 1, Number(day));
  return Number.isNaN(time) ? 0 : time / 1000;
}
