// The parse stage: Markdown (CommonMark + GFM, YAML front matter, footnotes,
// math, Pandoc citations and pandoc-crossref labels) -> one mdast per chapter.
import { limitNesting, MAX_INDENT, MAX_QUOTE_DEPTH, type DeepLine } from './nesting.js';
import type { BlockContent, Nodes, PhrasingContent, Root, RootContent, Yaml } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Position } from 'unist';
import remarkFrontmatter from 'remark-frontmatter';
import { gfmFootnoteFromMarkdown } from 'mdast-util-gfm-footnote';
import { gfmStrikethroughFromMarkdown } from 'mdast-util-gfm-strikethrough';
import { gfmTableFromMarkdown } from 'mdast-util-gfm-table';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { defListFromMarkdown } from 'mdast-util-definition-list';
import { mathFromMarkdown } from 'mdast-util-math';
import { defList } from 'micromark-extension-definition-list';
import remarkParse from 'remark-parse';
import { unified, type Processor } from 'unified';
import { LineCounter, parseDocument } from 'yaml';
import { diagnostic, lineIndex, type Diagnostic } from '../core/diagnostics.js';
import { chapterStatuses, type ChapterStatus } from '../read/config-schema.js';
import { citeKeyFromMarkdown, citeKeySyntax } from './citation-syntax.js';
import { groupCitations, type UnclosedBracket } from './citations.js';
import { applyLabels, takeMathBlockLabels } from './labels.js';
import { blockLines, literalUnclosedMath } from './block-lines.js';
import { escapedSpaceFromMarkdown, escapedSpaceSyntax } from './escaped-space.js';
import { takeDivFences, wrapDivs } from './fenced-divs.js';
import { pandocMathSyntax } from './pandoc-math.js';
import { groupSpans } from './spans.js';
import { readSpacedLinks } from './spaced-links.js';
import { tildeDefinitionMarkers } from './definition-markers.js';
import { hideEscapedBrackets, restoreEscapedBrackets } from './escaped-brackets.js';
import { readLineBlocks } from './line-blocks.js';
import { markExampleReferences, mergeBulletLists, numberExampleLists, readFancyLists, type ContinuationReader } from './fancy-lists.js';
import { interpretLatex, rawLatexFromMarkdown, rawLatexSyntax, wrapLandscapes } from './raw-latex.js';
import { rawTexBlockFromMarkdown, rawTexBlockSyntax } from './raw-tex-block.js';
import { readLatexBlocks, type SkippedLatex } from './latex-blocks.js';
import { superSubscriptFromMarkdown, superSubscriptSyntax } from './super-subscript.js';
import { inlineFootnotes, numberInlineNotes, type InlineNote } from './inline-notes.js';
import { paragraphLines } from './paragraph-lines.js';
import { readGlossaryTerms } from './glossary-terms.js';
import { readHtmlBlocks } from './html-blocks.js';
import { continueParagraphs, type ContinuedParagraph } from './paragraph-continuation.js';
import { insertTables, pipeTableWidths, takePandocTables, type CellLine, type CellParser } from './pandoc-tables.js';

export interface ChapterFrontMatter {
  title?: string;
  status?: ChapterStatus;
  /** Word target for this chapter. */
  target?: number;
}

export interface ParsedChapter {
  file: string;
  tree: Root;
  frontMatter: ChapterFrontMatter;
  /** Problems found while parsing (front matter, unclosed citation brackets). */
  diagnostics: Diagnostic[];
}

/** A unified plugin adding one micromark syntax extension and the mdast extension that builds its nodes. */
function syntax(micromark: unknown, fromMarkdown: unknown) {
  return function (this: Processor) {
    const data = this.data() as { micromarkExtensions?: unknown[]; fromMarkdownExtensions?: unknown[] };
    (data.micromarkExtensions ??= []).push(micromark);
    (data.fromMarkdownExtensions ??= []).push(fromMarkdown);
  };
}

const processor = unified()
  .use(remarkParse)
  .use(remarkFrontmatter, ['yaml'])
  // GFM's footnotes, tables and task lists, which Pandoc reads too. A single
  // `~` is Pandoc's subscript, never strikethrough; `~~` still is. Not GFM's
  // links from bare URLs (`https://…`, `www.…`, `a@b.org`): Pandoc's Markdown
  // keeps them as text (its `autolink_bare_uris` is off), and looking for one
  // at every word was a fifth of the time a long paragraph took to read.
  .use(syntax(gfmFootnote(), gfmFootnoteFromMarkdown()))
  .use(syntax(gfmStrikethrough({ singleTilde: false }), gfmStrikethroughFromMarkdown()))
  .use(syntax(gfmTable(), gfmTableFromMarkdown()))
  .use(syntax(gfmTaskListItem(), gfmTaskListItemFromMarkdown()))
  // Pandoc's `2^10^` and `H~2~O`.
  .use(syntax(superSubscriptSyntax(), superSubscriptFromMarkdown()))
  // Raw LaTeX commands in running text, and environments and block commands at the start of a block, as Pandoc's `raw_tex` reads them.
  .use(syntax(rawLatexSyntax(), rawLatexFromMarkdown()))
  .use(syntax(rawTexBlockSyntax(), rawTexBlockFromMarkdown()))
  // Pandoc's escaped space, `\ `, a no-break space.
  .use(syntax(escapedSpaceSyntax(), escapedSpaceFromMarkdown()))
  // Pandoc's definition lists: a term, then `:` and its definition.
  .use(syntax(defList, defListFromMarkdown))
  // Math with Pandoc's dollar rules instead of remark-math's.
  .use(syntax(pandocMathSyntax(), mathFromMarkdown()))
  .use(syntax(citeKeySyntax(), citeKeyFromMarkdown()));

/** One chapter, parsed whole. */
export function parseChapter(file: string, source: string): ParsedChapter {
  return assembleChapter(file, source, [{ parsed: parseSection(source, []), line: 1, offset: 0 }]);
}

/**
 * A stretch of a chapter parsed on its own (see sections.ts), with every
 * step that only looks inside a block done: labels and captions, inline
 * notes, citation grouping. Positions are the section's own until
 * `placeSection` moves them to where the section sits in its chapter.
 */
export interface ParsedSection {
  tree: Root;
  unclosed: UnclosedBracket[];
  /** Blocks that are text of the paragraph before them, as in Pandoc (paragraph-continuation.ts). */
  continued: ContinuedParagraph[];
  notes: InlineNote[];
  /** Labels this section defines: `^x` for footnotes, `x` for link references. */
  definitions: string[];
  /** Lines nested deeper than the toolchain reads (nesting.ts), read at the limit. */
  deep: DeepLine[];
  /** LaTeX in raw blocks that Pandoc's LaTeX reader skipped (latex-blocks.ts): left out, reported. */
  latexSkipped: SkippedLatex[];
  /** Where the positions in the tree currently point. */
  placed: { line: number; offset: number };
}

/**
 * Parses a section. References to footnotes and links defined in other
 * sections (`externalDefinitions`) are only recognised when a definition
 * exists, so stand-in definitions are appended and dropped again.
 */
export function parseSection(written: string, externalDefinitions: string[]): ParsedSection {
  const limited = limitNesting(written);
  const deep = limited.deep;
  let text = limited.text;
  const standIns = standInDefinitions(externalDefinitions, text);
  // Where code, math and HTML blocks are, read once for the three rewrites below (none moves a block).
  let blocks = blockLines(text);
  const literal = literalUnclosedMath(text, blocks);
  if (literal !== null) {
    text = literal;
    blocks = blockLines(text);
  }
  const math = takeMathBlockLabels(text, blocks);
  const divs = takeDivFences(tildeDefinitionMarkers(math.text, blocks), blocks);
  // Table cells are read once the section's own definitions are known (below): their content waits in `cells`.
  const cells: { content: PhrasingContent[]; lines: CellLine[]; mode: 'inline' | 'blocks' }[] = [];
  const tables = takePandocTables(divs.text, blocks, divs.fences, (lines, mode) => {
    const content: PhrasingContent[] = [];
    cells.push({ content, lines, mode });
    return content;
  });
  const tree = processor.parse(tables.text + standIns) as Root;
  if (standIns) tree.children = tree.children.filter((node) => (node.position?.start.offset ?? 0) < text.length);
  // The labels this section defines, as CommonMark reads them (not those inside HTML blocks or table cells, read later).
  const definitions = definitionLabels(tree);
  const parseLines = linesParser([...externalDefinitions, ...definitions]);
  const parseCell = cellParser(parseLines);
  for (const cell of cells) cell.content.push(...parseCell(cell.lines, cell.mode));
  trimDefinitionListEnds(tree, tables.text);
  pipeTableWidths(tree, text);
  insertTables(tree, tables.tables, text);
  wrapDivs(tree, divs.fences);
  readHtmlBlocks(tree, text, parseLines);
  const continued = continueParagraphs(tree, text, parseInline);
  // Pandoc's reading of a raw LaTeX block is Markdown read here again, once: its own raw blocks stay raw.
  const latexSkipped = readingLatexBlock ? [] : readLatexBlocks(tree, readPandocMarkdown);
  const escapedBrackets = hideEscapedBrackets(tree, text);
  // Before labels, so that an image with spaces in its name alone in a paragraph is a figure.
  readSpacedLinks(tree);
  applyLabels(tree, text, parseInline, math.labels);
  interpretLatex(tree, parseInline, text);
  groupSpans(tree);
  readLineBlocks(tree, text);
  readFancyLists(tree, indentedBlocks(text, parseLines), text);
  mergeBulletLists(tree);
  const notes = inlineFootnotes(tree, text);
  // Citations inside inline notes are grouped too.
  const unclosed = groupCitations({ type: 'root', children: [...tree.children, ...notes.map((note) => note.definition)] });
  readGlossaryTerms([tree, ...notes.map((note) => note.definition)]);
  if (escapedBrackets) restoreEscapedBrackets({ type: 'root', children: [...tree.children, ...notes.map((note) => note.definition)] });
  return { tree, unclosed, continued, notes, definitions, deep, latexSkipped, placed: { line: 1, offset: 0 } };
}

/**
 * A stretch of a chapter's text (whole lines, blank lines around it) parsed on its own and placed where it
 * sits: the preview's quick draft reads the paragraphs a save changed this way (preview/quick-draft.ts).
 */
export function parseStretch(text: string, definitions: string[], line: number, offset: number): ParsedSection {
  const parsed = parseSection(text, definitions);
  placeSection(parsed, line, offset);
  return parsed;
}

let readingLatexBlock = false;

/** Markdown Pandoc wrote for a raw LaTeX block, read as a section of its own. */
function readPandocMarkdown(markdown: string): Root {
  readingLatexBlock = true;
  try {
    return parseSection(markdown, []).tree;
  } finally {
    readingLatexBlock = false;
  }
}

/**
 * A definition list's end, as the extension reports it, runs on over the
 * line ending and blank lines after it when more text follows (another
 * section, or the stand-in definitions appended to a section): it is moved
 * back to the end of its last character, so a section parsed on its own and
 * the whole chapter agree.
 */
function trimDefinitionListEnds(tree: Root, text: string): void {
  const place = lineIndex(text);
  const walk = (node: Nodes) => {
    const end = node.position?.end;
    if ((node.type === 'defList' || node.type === 'defListDescription' || node.type === 'defListTerm') && end?.offset !== undefined) {
      let offset = Math.min(end.offset, text.length);
      while (offset > 0 && /\s/.test(text[offset - 1])) offset--;
      if (offset !== end.offset) node.position!.end = { ...place(offset), offset };
    }
    if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  tree.children.forEach((child) => walk(child));
}

/**
 * Stand-in definitions for footnotes and links defined elsewhere, so references to them in `text` are read as
 * such. Only labels `text` can refer to get one: each costs the parse of a definition, and a chapter with sixty
 * footnotes gave every section sixty (a 6 KB section of the 10× thesis: 14–29 ms to read against 2 ms). A label
 * is matched as micromark matches a reference to its definition (normalizeIdentifier: runs of white space as
 * one space, case folded), so a label kept out appears nowhere in the text: no reference to it can be there.
 */
function standInDefinitions(labels: string[], text: string): string {
  if (labels.length === 0) return '';
  const searched = matchingForm(text);
  const used = labels.filter((label) => searched.includes(matchingForm(label).trim()));
  return used.length ? `\n\n${used.map((label) => `[${label}]: x`).join('\n\n')}\n` : '';
}

/** Text as micromark compares reference labels (micromark-util-normalize-identifier), ends not trimmed. */
function matchingForm(text: string): string {
  return text.replace(/[\t\n\r ]+/g, ' ').toLowerCase().toUpperCase();
}

// A line of a simple or multiline table cell that CommonMark would read as
// the start of a block (a list item, a heading, a quote, a rule): Pandoc
// reads those cells as inline text only, so the marker is escaped.
const CELL_BLOCK_START = /^(?:#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|(?:[-*_][ \t]*){3,}$|=+[ \t]*$|`{3,}|~{3,}|:(?=[ \t]))/;
const CELL_ORDERED_MARKER = /^\d{1,9}(?=[.)](?:[ \t]|$))/;

/**
 * Parses lines that are not next to each other in the chapter (the cells of
 * Pandoc's tables, the text inside HTML tags) with the same processor, each
 * line placed where it sits. With `inlineOnly`, a line that CommonMark would
 * read as the start of a block is text. Footnotes and links with the
 * `definitions` given (the section's and the other sections') resolve.
 */
function linesParser(definitions: string[]): (lines: CellLine[], inlineOnly: boolean) => RootContent[] {
  const labels = [...new Set(definitions)];
  return (lines, inlineOnly) => {
    // Where a backslash was put in each line (-1: none), to place positions back.
    const escapes = lines.map((line) => {
      if (!inlineOnly) return -1;
      if (CELL_BLOCK_START.test(line.text)) return 0;
      return CELL_ORDERED_MARKER.exec(line.text)?.[0].length ?? -1;
    });
    const text = lines.map((line, k) => (escapes[k] < 0 ? line.text : `${line.text.slice(0, escapes[k])}\\${line.text.slice(escapes[k])}`)).join('\n');
    const standIns = standInDefinitions(labels, text);
    let tree = processor.parse(text + standIns) as Root;
    // A block left open in the text (`$$` with no end) would hold the stand-ins: then it is read without them.
    if (tree.children.some((node) => (node.position?.end.offset ?? 0) > text.length && (node.position?.start.offset ?? 0) < text.length)) tree = processor.parse(text) as Root;
    const blocks = tree.children.filter((node) => (node.position?.start.offset ?? 0) < text.length);
    // The lines are not next to each other in the chapter: text running over a line end is cut there, so every node sits on one line and can be placed.
    if (lines.length > 1) blocks.forEach((block) => splitTextAtLineEnds(block, text));
    const moved = new Set<object>();
    const move = (point: { line: number; column: number; offset?: number } | undefined) => {
      if (!point || moved.has(point)) return;
      moved.add(point);
      const line = lines[Math.min(point.line, lines.length) - 1];
      const escape = escapes[Math.min(point.line, lines.length) - 1];
      const index = escape >= 0 && point.column - 1 > escape ? point.column - 2 : point.column - 1;
      point.line = line.line;
      point.column = line.column + index;
      point.offset = line.offset + index;
    };
    const walk = (node: Nodes) => {
      move(node.position?.start);
      move(node.position?.end);
      if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
    };
    blocks.forEach((block) => walk(block));
    return blocks;
  };
}

/**
 * The cells of Pandoc's tables (pandoc-tables.ts): `inline` as Pandoc reads
 * simple and multiline cells, `blocks` as it reads grid cells (one paragraph
 * is inline content; more blocks are held by a `cellBlocks` node).
 */
function cellParser(parseLines: ReturnType<typeof linesParser>): CellParser {
  return (lines, mode) => {
    const blocks = parseLines(lines, mode === 'inline');
    const [first] = blocks;
    if (blocks.length === 1 && first.type === 'paragraph') return first.children;
    if (mode === 'blocks') return blocks.length ? [{ type: 'cellBlocks', children: blocks as BlockContent[] }] : [];
    // Inline cells whose text still made blocks (raw HTML, a definition): their inline content in order.
    return blocks.flatMap((block): PhrasingContent[] => {
      if (block.type === 'paragraph' || block.type === 'heading') return block.children;
      if (block.type === 'html') return [block];
      return [{ type: 'text', value: toString(block), position: block.position }];
    });
  };
}

/** An indented code block's lines read as Markdown blocks again, each line where it sits (fancy-lists.ts). */
function indentedBlocks(text: string, parseLines: ReturnType<typeof linesParser>): ContinuationReader {
  return (code) => {
    const start = code.position?.start;
    if (!start || start.offset === undefined || /^ {0,3}(?:`{3}|~{3})/.test(text.slice(start.offset - start.column + 1, start.offset + 3))) return null;
    let offset = start.offset - (start.column - 1);
    const lines: CellLine[] = code.value.split('\n').map((value, k) => {
      const lineStart = offset;
      const lineEnd = text.indexOf('\n', lineStart);
      offset = lineEnd < 0 ? text.length : lineEnd + 1;
      const raw = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
      const at = Math.max(0, raw.length - value.length);
      return { text: value, line: start.line + k, column: at + 1, offset: lineStart + at };
    });
    return parseLines(lines, false);
  };
}

/** Text nodes cut at their line ends, each part placed on its own line of `text`. */
function splitTextAtLineEnds(node: Nodes, text: string): void {
  if (!('children' in node)) return;
  node.children = node.children.flatMap((child) => {
    const start = child.position?.start;
    if (child.type !== 'text' || !child.value.includes('\n') || start?.offset === undefined) {
      splitTextAtLineEnds(child as Nodes, text);
      return [child];
    }
    let offset = start.offset;
    let column = start.column;
    return child.value.split(/(?<=\n)/).map((value, k) => {
      if (k > 0) {
        offset = text.indexOf('\n', offset) + 1;
        column = 1;
        // The indentation CommonMark strips from a paragraph's continuation line.
        while ((text[offset] === ' ' || text[offset] === '\t') && value[0] !== text[offset]) {
          offset++;
          column++;
        }
      }
      const line = start.line + k;
      const part = { type: 'text' as const, value, position: { start: { line, column, offset }, end: { line, column: column + value.length, offset: offset + value.length } } };
      offset += value.length - 1;
      return part;
    });
  }) as typeof node.children;
}

/** A stretch of a chapter (an image's description) parsed as inline Markdown, placed where it sits. */
function parseInline(text: string, at: { line: number; column: number; offset: number }): PhrasingContent[] | null {
  const tree = processor.parse(text) as Root;
  const [paragraph] = tree.children;
  if (tree.children.length !== 1 || paragraph.type !== 'paragraph') return null;
  const moved = new Set<object>();
  const move = (point: { line: number; column: number; offset?: number } | undefined) => {
    if (!point || moved.has(point)) return;
    moved.add(point);
    if (point.line === 1) point.column += at.column - 1;
    point.line += at.line - 1;
    if (point.offset !== undefined) point.offset += at.offset;
  };
  const walk = (node: Nodes) => {
    move(node.position?.start);
    move(node.position?.end);
    if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  paragraph.children.forEach((child) => walk(child));
  return paragraph.children;
}

export function definitionLabels(tree: Root): string[] {
  const labels: string[] = [];
  const walk = (node: Root | RootContent) => {
    if (node.type === 'footnoteDefinition') labels.push(`^${node.label ?? node.identifier}`);
    else if (node.type === 'definition') labels.push(node.label ?? node.identifier);
    if ('children' in node) for (const child of node.children) walk(child as RootContent);
  };
  walk(tree);
  return labels;
}

/** Moves a parsed section's positions so they point into the chapter at `line`/`offset`. */
function placeSection(section: ParsedSection, line: number, offset: number): void {
  const lines = line - section.placed.line;
  const chars = offset - section.placed.offset;
  section.placed = { line, offset };
  if (lines === 0 && chars === 0) return;
  // Nodes made by the later steps share position objects (and points) with
  // the nodes they came from: each point moves once.
  const moved = new Set<object>();
  const movePoint = (point: { line: number; offset?: number } | undefined) => {
    if (!point || moved.has(point)) return;
    moved.add(point);
    point.line += lines;
    if (point.offset !== undefined) point.offset += chars;
  };
  const seen = new Set<object>();
  const walk = (value: unknown) => {
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    for (const child of Object.values(value)) {
      // `position`, and positions kept under other names (a table caption's).
      if (isPosition(child)) {
        movePoint(child.start);
        movePoint(child.end);
      } else if (child && typeof child === 'object') walk(child);
    }
  };
  walk([section.tree.children, section.notes]);
}

function isPosition(value: unknown): value is Position {
  const position = value as Position | null;
  return typeof position?.start?.line === 'number' && typeof position.end?.line === 'number';
}

/** The chapter made of its sections, in order, placed where they sit. */
export function assembleChapter(file: string, source: string, sections: { parsed: ParsedSection; line: number; offset: number }[]): ParsedChapter {
  const children: RootContent[] = [];
  const notes: InlineNote[] = [];
  const unclosed: UnclosedBracket[] = [];
  const continued: ContinuedParagraph[] = [];
  const deep: DeepLine[] = [];
  const latexSkipped: SkippedLatex[] = [];
  for (const { parsed, line, offset } of sections) {
    deep.push(...parsed.deep.map((found) => ({ ...found, line: found.line + line - 1 })));
    latexSkipped.push(...parsed.latexSkipped.map((found) => ({ ...found, line: found.line + line - 1 })));
    placeSection(parsed, line, offset);
    children.push(...parsed.tree.children);
    notes.push(...parsed.notes);
    unclosed.push(...parsed.unclosed.map((bracket) => ({ ...bracket, line: bracket.line + line - 1 })));
    continued.push(...parsed.continued.map((block) => ({ ...block, line: block.line + line - 1 })));
  }
  numberInlineNotes(notes);
  markExampleReferences([...children, ...notes.map((note) => note.definition)], numberExampleLists(children).labels);
  const lastLine = source.split('\n');
  const tree: Root = {
    type: 'root',
    children: [...wrapLandscapes(children), ...notes.map((note) => note.definition)],
    position: { start: { line: 1, column: 1, offset: 0 }, end: { line: lastLine.length, column: lastLine[lastLine.length - 1].length + 1, offset: source.length } },
  };
  const diagnostics: Diagnostic[] = [];
  // `---` and keys, but no closing `---`: Pandoc prints it as a rule and text; the writer meant front matter.
  if (/^---[ \t]*\r?\n[ \t]*[A-Za-z][\w-]*:/.test(source) && tree.children[0]?.type !== 'yaml') {
    diagnostics.push(diagnostic('front-matter-invalid', 'the front matter opened on line 1 is never closed, so it is printed as text (as Pandoc does); end it with a line of three dashes (---)', { file, line: 1, column: 1 }, { severity: 'warning' }));
  }
  const frontMatter = readTitleBlock(file, source, tree, diagnostics) ?? readFrontMatter(file, tree, diagnostics);
  for (const block of continued) {
    diagnostics.push(
      diagnostic('blank-line-missing', `this ${block.kind} is text of the paragraph above it, as in Pandoc: without a blank line before it, it does not start a ${block.kind}`, { file, line: block.line, column: block.column }, { hint: `put a blank line before it to make it a ${block.kind}` }),
    );
  }
  // One message for a run of deep lines (a list nested 1,000 levels is 900 of them).
  for (let k = 0; k < deep.length; ) {
    const first = deep[k];
    let last = first;
    while (k + 1 < deep.length && deep[k + 1].kind === first.kind && deep[k + 1].line === last.line + 1) last = deep[++k];
    k++;
    const lines = last === first ? 'this line is' : `this line and the ${last.line - first.line} after it are`;
    const what = first.kind === 'quote' ? `nested ${Math.max(first.depth, last.depth)} quotes and lists deep; read ${MAX_QUOTE_DEPTH} deep` : `indented up to ${Math.max(first.depth, last.depth)} columns; read at ${MAX_INDENT} (lists nest by indentation)`;
    diagnostics.push(diagnostic('nesting-too-deep', `${lines} ${what}, the deepest the toolchain reads`, { file, line: first.line, column: 1 }));
  }
  for (const found of latexSkipped) {
    const first = found.text.split('\n')[0];
    const shown = first.length > 60 || found.text.includes('\n') ? `${first.slice(0, 60)}…` : first;
    diagnostics.push(diagnostic('raw-latex-ignored', `\`${shown}\` is left out: Pandoc's LaTeX reader, which reads this LaTeX block, skips it`, { file, line: found.line, column: found.column }));
  }
  for (const bracket of unclosed) {
    diagnostics.push(diagnostic('citation-unclosed', `unclosed bracket before @${bracket.key}: expected \`]\` to end the citation`, { file, line: bracket.line, column: bracket.column }));
  }
  return { file, tree, frontMatter, diagnostics };
}

/**
 * Pandoc's title block: `% Title`, `% Author`, `% Date` on the first lines
 * (a line starting with a space continues the one before). The title is the
 * chapter's title, as `title:` in YAML front matter is; the author and date
 * are the thesis's, from thesis.yaml, so those lines are reported and left out.
 */
function readTitleBlock(file: string, source: string, tree: Root, diagnostics: Diagnostic[]): ChapterFrontMatter | null {
  const first = tree.children[0];
  if (!source.startsWith('%') || first?.type !== 'paragraph' || first.position?.start.line !== 1) return null;
  const fields: string[] = [];
  const lines = source.split('\n');
  let index = 0;
  // Up to three fields; the block ends at the first other line, which starts the text.
  for (; index < lines.length; index++) {
    const line = lines[index].replace(/\r$/, '');
    if (line.startsWith('%') && fields.length < 3) fields.push(line.slice(1).trim());
    else if (/^[ \t]+\S/.test(line) && fields.length) fields[fields.length - 1] += ` ${line.trim()}`;
    else break;
  }
  const rest = paragraphLines(first.children).slice(index);
  if (rest.length && rest[0].length) first.children = rest.flatMap((line, k) => (k ? [{ type: 'text', value: '\n' } as const, ...line] : line));
  else tree.children.shift();
  if (fields.slice(1).some(Boolean)) {
    diagnostics.push(diagnostic('attribute-ignored', 'the author and date lines of a Pandoc title block are not used in a chapter; the thesis\'s author and date come from thesis.yaml', { file, line: 2, column: 1 }));
  }
  return fields[0] ? { title: fields[0] } : {};
}

function readFrontMatter(file: string, tree: Root, diagnostics: Diagnostic[]): ChapterFrontMatter {
  const node = tree.children[0];
  if (node?.type !== 'yaml') return {};
  tree.children.shift();
  const yamlNode = node as Yaml;
  const firstLine = (yamlNode.position?.start.line ?? 1) + 1; // after the opening ---
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlNode.value, { lineCounter });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { file, line: firstLine + pos.line - 1, column: pos.col };
  };
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      diagnostics.push(diagnostic('front-matter-invalid', `invalid front matter: ${error.message.split('\n')[0]}`, at(error.pos[0])));
    }
    return {};
  }
  let raw: Record<string, unknown> | null;
  try {
    // An alias with no anchor (`a: *b`) or a chain of aliases that would grow without bound is refused here, not thrown.
    raw = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown> | null;
  } catch (error) {
    const alias = /\*[^\s,\]}]+/.exec(yamlNode.value);
    diagnostics.push(diagnostic('front-matter-invalid', `invalid front matter: ${(error as Error).message.split('\n')[0].replace(/\.$/, '')}; the chapter is read without it (Pandoc stops on it)`, at(alias?.index ?? 0), { severity: 'warning' }));
    return {};
  }
  if (!raw || typeof raw !== 'object') return {};
  const frontMatter: ChapterFrontMatter = {};
  const keyOffset = (key: string) => {
    const value = doc.get(key, true) as { range?: [number, number] } | undefined;
    return value?.range?.[0] ?? 0;
  };
  if (raw.title !== undefined) frontMatter.title = String(raw.title);
  if (raw.status !== undefined) {
    const status = String(raw.status);
    if ((chapterStatuses as readonly string[]).includes(status)) frontMatter.status = status as ChapterStatus;
    else
      diagnostics.push(
        diagnostic('front-matter-invalid', `unknown status "${status}", expected one of ${chapterStatuses.join(', ')}`, at(keyOffset('status'))),
      );
  }
  if (raw.target !== undefined) {
    if (typeof raw.target === 'number' && Number.isInteger(raw.target) && raw.target > 0) frontMatter.target = raw.target;
    else diagnostics.push(diagnostic('front-matter-invalid', `target must be a whole number of words, found "${String(raw.target)}"`, at(keyOffset('target'))));
  }
  return frontMatter;
}
