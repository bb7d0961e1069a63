// What a node handler sees of the writer: the shapes only, so handlers and
// the writer's state (state.ts, which dispatches to the handlers) do not
// import each other.
import type { GlossaryEntry } from '../read/config-schema.js';
import type { Definition, FootnoteDefinition, Nodes, PhrasingContent, RootContent } from 'mdast';
import type { RuleId } from '../core/diagnostics.js';
import type { CitationStyle } from '../format/styles.js';

/** A document's own math macros: `\newcommand{\R}{\mathbb{R}}`, `\newcommand{\norm}[1]{\lVert #1 \rVert}`, `\def\R{…}`. */
export type MathMacros = Map<string, { parameters: number; body: string }>;

export interface RenderContext {
  projectDir: string;
  /** Typst markup for each citation id (from the format stage). */
  citations: Map<string, string>;
  style: CitationStyle;
  /** Every label defined anywhere in the thesis, for cross-references. */
  labels: Set<string>;
  /** Whether an image file exists (the build's read gate, which records it). */
  fileExists(file: string): boolean;
  /** The math macros the thesis defines (`\newcommand`), expanded in every formula. */
  mathMacros: MathMacros;
  /** The reference list's markup, for a `{#refs}` div that places it (empty without one). */
  referenceList: string;
  /** The PDF standard the build writes: an accessible one needs a text alternative for every image. */
  pdfStandard?: string;
  /** The template offers `flex-caption`, so a figure's short caption can go in the lists. */
  shortCaptions?: boolean;
  /** The glossary's terms by key (thesis.yaml). */
  glossary?: Record<string, GlossaryEntry>;
  /** Whether ```{=typst} blocks run (false: `--no-raw`, `raw: false`, or a link out of the project), and why not. */
  raw?: boolean;
  rawRefusal?: string;
  /**
   * The live preview's source markers: an invisible `metadata` before each
   * top-level block of a chapter, labelled `<thesis-block>`, holding the
   * block's file and line and where Typst placed it (compile/typst-compiler.ts
   * queries them). They change nothing that is typeset.
   */
  sourceMarkers?: boolean;
}

export interface Writer {
  readonly file: string;
  readonly context: RenderContext;
  readonly footnotes: Map<string, FootnoteDefinition>;
  readonly definitions: Map<string, Definition>;
  /** Footnotes already written, so a second reference repeats the number. */
  readonly writtenFootnotes: Set<string>;
  /** How often each footnote is referenced in the chapter. */
  readonly footnoteReferences: Map<string, number>;
  /** How deep the block being written is nested: 0 for the chapter's own blocks, more inside lists, quotes, notes. */
  readonly depth: number;
  /** How deep the inline content being written is: 1 for a paragraph's own text, more inside emphasis, links, spans. */
  readonly inlineDepth: number;
  /** One node to Typst markup. */
  one(node: Nodes): string;
  /** Inline content, concatenated. */
  inline(nodes: readonly PhrasingContent[]): string;
  /**
   * Block content, separated by blank lines, one level deeper; `sameLevel`
   * keeps the level, for wrappers that are not containers in print (a div).
   */
  blocks(nodes: readonly (RootContent | Nodes)[], sameLevel?: boolean): string;
  /** Text, escaped for Typst markup. */
  text(value: string): string;
  warn(rule: RuleId, message: string, node?: { position?: { start: { line: number; column: number } } }): void;
  /** A path from the chapter, as Typst sees it: absolute from the project root. */
  projectPath(url: string): { typstPath: string; file: string };
}

export type Handler<N extends Nodes = Nodes> = (node: N, writer: Writer) => string;
