// The render step: the chapters' trees and the formatted citations -> one
// Typst main file and its source map, plus a check that every character has
// a font. Watch keeps each chapter's markup while what decides it is
// unchanged (document.ts, renderKey), and the glyph check per chapter text.
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { TemplateChoice } from '../read/template.js';
import type { Inputs } from '../core/inputs.js';
import path from 'node:path';
import type { SourceMapping } from '../core/source-map.js';
import { uncoveredCharacters } from '../core/fonts.js';
import type { FormattedCitations } from '../format/citeproc.js';
import { plainText } from '../format/rich-text.js';
import { citationMarkup } from './rich-text-typst.js';
import type { CitationStyle } from '../format/styles.js';
import type { Chapter } from '../parse/step.js';
import type { Project } from '../read/project.js';
import type { Bibliography } from '../resolve/bibliography.js';
import { visit } from 'unist-util-visit';
import { parseChapter, type ParsedChapter } from '../parse/markdown.js';
import { glossaryTermsOf } from '../parse/glossary-terms.js';
import type { GlossaryTerm, RootContent } from 'mdast';
import { collectLabels, renderBlocksAt, renderDocument, type ChapterPart, type FrontMatterMarkup, type RenderCache } from './document.js';
import { frontMatterArguments } from './front-matter.js';
import { languageOf } from '../core/language.js';
import { layoutArgument } from './layout.js';
import type { RenderContext } from './writer.js';
import { collectMathMacros } from './handlers/math.js';

export interface RenderedThesis {
  main: string;
  /** The same, by lines (`main.split('\n')`), when the render step made it so: a quick draft changes a few. */
  lines?: readonly string[];
  sourceMap: SourceMapping[];
  /** In a preview: every block stands behind a switch (render/block-switch.ts), so a draft may show some of them. */
  switchable?: boolean;
  /** In a preview: the chapters' lines, each compiled as a file of its own (render/document.ts ChapterPart). */
  parts?: readonly ChapterPart[];
}

/** Top-level blocks of a chapter at an index, written as this run writes them (document.ts renderBlocksAt). */
export type BlockWriter = (file: string, index: number, blocks: readonly RootContent[]) => { markup: string[]; diagnostics: Diagnostic[] } | null;

export class RenderStep {
  private readonly chapterMarkup: RenderCache = new Map();
  private readonly glyphChecks = new Map<string, { source: string; diagnostics: Diagnostic[] }>();
  /** The front matter's parsed parts, by their text: watch does not parse them again on every save. */
  private readonly frontParts = new Map<string, { text: string; parsed: ParsedChapter }>();

  run(
    project: Project,
    chapters: Chapter[],
    bibliography: Bibliography,
    formatted: FormattedCitations,
    style: CitationStyle,
    options: { inputs: Inputs; preview: boolean; pdfStandard?: string; template: TemplateChoice; prelude?: string; newReferences?: ReadonlySet<string>; raw?: boolean; sourceMarkers?: boolean },
  ): { rendered: RenderedThesis; writeBlocks: BlockWriter; diagnostics: Diagnostic[] } {
    const context = {
      projectDir: project.dir,
      citations: citationMarkup(formatted),
      style,
      labels: collectLabels(chapters.map((c) => c.tree)),
      // A file outside the project (reported when resolved) is as good as missing: a placeholder.
      fileExists: (file: string) => options.inputs.allows(file) && options.inputs.exists(file),
      mathMacros: collectMathMacros(chapters.map((c) => c.tree)),
      ...(options.pdfStandard ? { pdfStandard: options.pdfStandard } : {}),
      glossary: project.config.glossary,
      // A project's own template may be older than short captions.
      shortCaptions: /#let flex-caption\b/.test(options.inputs.readText(options.template.file)),
      ...(options.sourceMarkers ? { sourceMarkers: true } : {}),
    };
    const raw = this.rawTypst(project, options.raw);
    Object.assign(context, raw.context);
    const front = this.frontMatter(project, chapters, context);
    const layout = layoutArgument(project.config, (keyPath) => ({ file: project.configFile, ...project.lineOf(keyPath) }));
    const document = renderDocument(
      project.config,
      options.template.importPath,
      chapters.map((c) => ({ file: c.file, tree: c.tree, title: c.frontMatter.title, ...(c.appendix ? { appendix: true } : {}) })),
      formatted,
      context,
      options.preview ? this.chapterMarkup : undefined,
      front.markup,
      options.prelude,
      options.newReferences,
      layout.argument,
    );
    const chapterFor = (file: string) => {
      const chapter = chapters.find((c) => c.file === file);
      return chapter && { file: chapter.file, tree: chapter.tree, title: chapter.frontMatter.title, ...(chapter.appendix ? { appendix: true } : {}) };
    };
    return {
      rendered: { main: document.main, lines: document.lines, sourceMap: document.sourceMap, ...(document.switchable !== undefined ? { switchable: document.switchable } : {}), ...(document.parts ? { parts: document.parts } : {}) },
      // Paragraphs only (no reference list is placed by them): the preview's quick draft.
      writeBlocks: (file, index, blocks) => {
        const chapter = chapterFor(file);
        return chapter ? renderBlocksAt(chapter, index, blocks, { ...context, referenceList: '' }) : null;
      },
      diagnostics: [...layout.diagnostics, ...raw.diagnostics, ...front.diagnostics, ...document.diagnostics, ...this.checkGlyphs(chapters, bibliography, formatted)],
    };
  }

  /**
   * Whether raw Typst runs: always, but with `--no-raw` or `raw: false`. No scan
   * of the project decides it: Typst reads only the files the compile step
   * hands it (compile/typst-world.ts), so raw Typst reaches nothing else.
   */
  private rawTypst(project: Project, allowed = true): { context: { raw: boolean; rawRefusal?: string }; diagnostics: Diagnostic[] } {
    return { context: { raw: allowed && project.config.raw !== false }, diagnostics: [] };
  }

  /**
   * The front matter's Markdown, parsed and written for the template. It is
   * short and read again on every build. Citations there are not formatted
   * (they are counted with the chapters'): each is reported.
   */
  private frontMatter(project: Project, chapters: Chapter[], context: Omit<RenderContext, 'referenceList'>): { markup: FrontMatterMarkup; diagnostics: Diagnostic[] } {
    const diagnostics: Diagnostic[] = [];
    const parts = project.frontMatter.map((part) => {
      const key = `${part.kind}\u0000${part.file}\u0000${part.lang ?? ''}`;
      const kept = this.frontParts.get(key);
      const parsed = kept?.text === part.text ? kept.parsed : parseChapter(part.file, part.text);
      this.frontParts.set(key, { text: part.text, parsed });
      diagnostics.push(...parsed.diagnostics);
      visit(parsed.tree, 'cite', (cite) => {
        diagnostics.push(diagnostic('node-unsupported', `a citation in the ${part.kind} is not formatted; cite in the chapters, or write the reference out`, { file: part.file, line: cite.position?.start.line ?? 1, column: cite.position?.start.column ?? 1 }));
      });
      return { part, tree: parsed.tree };
    });
    if (project.config.declaration === true && !languageOf(project.config.lang).hasOwnDeclaration) {
      diagnostics.push(
        diagnostic('attribute-ignored', `the declaration of authorship is written in English: there is no wording for "${project.config.lang}"; put your university's text in \`declaration:\``, {
          file: project.configFile,
          ...project.lineOf(['declaration']),
        }),
      );
    }
    const usedTerms = new Set((glossaryTermsOf(chapters.map((chapter) => chapter.tree)) as GlossaryTerm[]).map((term) => term.key));
    return { markup: frontMatterArguments(project.config, parts, { ...context, referenceList: '' }, usedTerms), diagnostics };
  }

  /** A character no font has would print as an empty box: a warning at its place instead. */
  private checkGlyphs(chapters: Chapter[], bibliography: Bibliography, formatted: FormattedCitations): Diagnostic[] {
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
        found.push(diagnostic('glyph-missing', `no font has the character "${ch}" (${codePoint(ch)}); it would print as an empty box`, { file: chapter.file, line, column, end: { line, column: column + ch.length } }));
      }
      this.glyphChecks.set(chapter.file, { source: chapter.source, diagnostics: found });
      diagnostics.push(...found);
    }
    for (const reference of formatted.references) {
      const entry = bibliography.entries.get(reference.key);
      for (const ch of uncoveredCharacters(plainText(reference.content))) {
        diagnostics.push(diagnostic('glyph-missing', `no font has the character "${ch}" (${codePoint(ch)}) in entry "${reference.key}"`, entry ? { file: entry.file, line: entry.line, column: entry.column } : {}));
      }
    }
    return diagnostics;
  }
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
