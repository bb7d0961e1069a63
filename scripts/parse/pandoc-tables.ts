// Pandoc's plain-text tables: simple, multiline and grid tables (pipe tables
// are GFM's, read by micromark-extension-gfm-table). No npm package reads the first two, and the
// three share their column logic, so they are read here, line by line, by
// Pandoc's rules (its Markdown reader and the `gridtables` library):
//
//   simple      header line, a dashed line with one run of dashes per column,
//               one line per row, ended by a blank line; without a header, a
//               dashed line above and below the rows
//   multiline   a dashed line, header lines, a dashed line, rows separated by
//               blank lines, a closing dashed line
//   grid        `+---+` borders, `+===+` under the header, cells holding any
//               blocks, cells spanning rows and columns
//
// Columns are cut where the dashes of each run begin, counted in display
// columns (a Chinese character is two wide, as in Pandoc). A column's
// alignment is read from where its header text sits against its dashes (for
// grid tables, from `:` in the separator line). Multiline and grid tables get
// relative column widths, as Pandoc computes them.
//
// Tables are read at the top level of a chapter (also inside fenced divs,
// whose fences are blanked before this runs), outside code, math and HTML
// blocks, where a block may start. Their lines are blanked out (same length,
// so every offset stays put) and the tables are put back into the tree after
// parsing, each an mdast `table` like a pipe table's, so captions (`Table:`)
// and everything after work on all four kinds alike.
import type { AlignType, BlockContent, Parent, PhrasingContent, Root, RootContent, Table, TableCell, TableRow } from 'mdast';
import { eastAsianWidth } from 'get-east-asian-width';
import { toString } from 'mdast-util-to-string';
import type { BlockLines } from './block-lines.js';
import type { DivFence } from './fenced-divs.js';
import { isTableCaption } from './labels.js';

declare module 'mdast' {
  interface TableData {
    /** How many rows at the top are the header: 1 if absent (a pipe table); 0 for a headerless table. */
    headerRows?: number;
    /** How many rows at the bottom are the table's foot (grid tables). */
    footerRows?: number;
    /** Column widths as fractions of the line width, where Pandoc gives them (multiline, grid and long pipe tables). */
    widths?: number[];
  }
  interface TableCellData {
    colspan?: number;
    rowspan?: number;
  }
  /** A grid-table cell's content when it is more than one paragraph: a list, several paragraphs. */
  interface CellBlocks extends Parent {
    type: 'cellBlocks';
    children: BlockContent[];
  }
  interface PhrasingContentMap {
    cellBlocks: CellBlocks;
  }
  interface RootContentMap {
    cellBlocks: CellBlocks;
  }
}

/** One source line of a cell's text, and where its first character sits in the chapter. */
export interface CellLine {
  text: string;
  line: number;
  column: number;
  offset: number;
}

/**
 * Parses a cell's lines: `inline` as Pandoc reads simple and multiline cells
 * (inline text only; a line that looks like a list or a heading is text),
 * `blocks` as it reads grid cells (any blocks; one paragraph is inline text).
 */
export type CellParser = (lines: CellLine[], mode: 'inline' | 'blocks') => PhrasingContent[];

interface SourceLine {
  /** The line without its line ending and without the `> ` of the block quotes it is in. */
  text: string;
  /** How many block quotes the line is in. */
  depth: number;
  /** A fenced div's fence (blanked out in the text): an opening one ends a table, a closing one is like a blank line. */
  fence?: 'open' | 'close';
  /** 1-based line number, and the 1-based column and the offset where `text` starts. */
  number: number;
  column: number;
  offset: number;
}

interface Found {
  table: Table;
  /** The line after the table's last line. */
  end: number;
}

/** A table found, and how deep in block quotes it is. */
export interface FoundTable {
  table: Table;
  depth: number;
}

const QUOTE_PREFIX = /^(?: {0,3}> ?)*/;

/**
 * The tables found, and the text with their lines blanked out (the `>` of
 * block quotes kept). `fences` are the fenced-div fences, already blanked
 * out of `source`; `parseCell` null only finds where the tables are.
 */
export function takePandocTables(source: string, blocks: BlockLines, fences: DivFence[], parseCell: CellParser | null): { text: string; tables: FoundTable[]; lines: [number, number][] } {
  const raw = source.split('\n');
  // The quote markers taken first (QUOTE_PREFIX matches at once), then what follows them: one pattern for both,
  // `^(?: {0,3}> ?)* {0,3}[-+]`, tries every way of sharing the spaces between the markers before it fails
  // (recheck: exponential; thirty markers and a word, 15 s). Lines reach it with at most sixteen markers
  // (parse/nesting.ts takes deeper ones first), where it took milliseconds: taken apart all the same.
  if (!raw.some((line) => /^ {0,3}[-+]/.test(line.slice(QUOTE_PREFIX.exec(line)![0].length)))) return { text: source, tables: [], lines: [] };
  const fenceAt = new Map(fences.filter((fence) => !fence.implied).map((fence) => [fence.line, fence.attributes ? ('open' as const) : ('close' as const)]));
  let offset = 0;
  const lines: SourceLine[] = raw.map((line, index) => {
    const prefix = QUOTE_PREFIX.exec(line)![0];
    const text = line.slice(prefix.length).replace(/\r$/, '');
    const at: SourceLine = { text, depth: prefix.split('>').length - 1, fence: fenceAt.get(index + 1), number: index + 1, column: prefix.length + 1, offset: offset + prefix.length };
    offset += line.length + 1;
    return at;
  });
  const reader = new TableReader(lines, blocks, parseCell ?? (() => []));
  const tables: FoundTable[] = [];
  const regions: [number, number][] = [];
  for (let index = 0; index < lines.length; index++) {
    if (!reader.mayStartTable(index)) continue;
    const found = reader.read(index);
    if (!found) continue;
    tables.push({ table: found.table, depth: lines[index].depth });
    regions.push([index, found.end]);
    for (let blank = index; blank < found.end; blank++) {
      const prefix = lines[blank].column - 1;
      raw[blank] = raw[blank].slice(0, prefix) + raw[blank].slice(prefix).replace(/[^\r]/g, ' ');
    }
    index = found.end - 1;
  }
  return { text: tables.length ? raw.join('\n') : source, tables, lines: regions };
}

/**
 * Puts the tables back among the blocks, in source order. A table indented
 * as far as a list item's content belongs to that item, as in Pandoc: inside
 * it when the item goes on after the table, or at its end.
 */
export function insertTables(tree: Root, tables: FoundTable[], source: string): void {
  for (const { table, depth } of tables) {
    const start = table.position!.start.offset!;
    const indent = /^ */.exec(source.slice(start))![0].length;
    insertInto(tree, table, start, indent, depth);
  }
}

/**
 * Pandoc gives a pipe table relative column widths, from the dashes of its
 * delimiter row, when a row's text is longer than its 72-column line; the
 * cells then wrap instead of the table running off the page.
 */
export function pipeTableWidths(tree: Root, source: string): void {
  const lineStarts = [0];
  const walk = (node: Parent) => {
    for (const child of node.children as RootContent[]) {
      if (child.type === 'table' && !child.data?.headerRows && child.position) {
        if (lineStarts.length === 1) for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
        const line = child.position.start.line; // header row; the delimiter row is the next line (within a section)
        const delimiter = source.slice(lineStarts[line] ?? source.length, (lineStarts[line + 1] ?? source.length + 1) - 1);
        const parts = /(\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?)[ \t]*\r?$/.exec(delimiter)?.[1].split('|').map((part) => part.trim()).filter(Boolean);
        const longest = Math.max(...child.children.map((row) => row.children.reduce((sum, cell) => sum + [...toString(cell)].length, 0)));
        if (parts && parts.length === child.align?.length && longest > 72) {
          const total = parts.reduce((sum, part) => sum + part.length, 0);
          child.data = { ...child.data, widths: parts.map((part) => part.length / total) };
        }
      } else if ('children' in child) walk(child as Parent);
    }
  };
  walk(tree);
}

const BLOCK_CONTAINERS = new Set(['list', 'listItem', 'blockquote', 'footnoteDefinition', 'defList', 'defListDescription', 'div']);

function insertInto(parent: Parent, table: Table, start: number, indent: number, depth: number): void {
  const children = parent.children as RootContent[];
  let at = children.findIndex((child) => (child.position?.start.offset ?? 0) > start);
  if (at < 0) at = children.length;
  const before = children[at - 1];
  if (before && BLOCK_CONTAINERS.has(before.type)) {
    if ((before.position?.end.offset ?? 0) > start) return insertInto(before as Parent, table, start, indent, before.type === 'blockquote' ? depth - 1 : depth);
    // The last block quote before a quoted table ends where the table begins.
    if (before.type === 'blockquote' && depth > 0) return insertInto(before, table, start, indent, depth - 1);
    if (before.type === 'list' && before.children.length) {
      const item = before.children[before.children.length - 1];
      const contentColumn = (item.children[0]?.position?.start.column ?? Infinity) - 1;
      if (indent >= contentColumn) {
        item.spread = true;
        return insertInto(item, table, start, indent, depth);
      }
    }
    if (before.type === 'defList' && !isTableCaption(before)) {
      const description = before.children[before.children.length - 1];
      const contentColumn = (description?.children[0]?.position?.start.column ?? Infinity) - 1;
      if (description?.type === 'defListDescription' && indent >= contentColumn) return insertInto(description, table, start, indent, depth);
    }
  }
  children.splice(at, 0, table);
}

const ATX_HEADING = /^ {0,3}#{1,6}(?:[ \t]|$)/;

const blank = (line: SourceLine | undefined) => line !== undefined && line.fence !== 'open' && /^[ \t]*$/.test(line.text);

/** A line of dashes in runs (one per column), each run with the spaces after it; at most three spaces before. */
interface DashedLine {
  indent: number;
  runs: { dashes: number; width: number }[];
}

function dashedLine(line: SourceLine | undefined): DashedLine | null {
  // A dash, then dashes and spaces: `(?:-+[ \t]*)+` split a run of dashes in every way before it failed on the word
  // after it (a table's dashed line typed on: 40 dashes and a word held the parser for minutes).
  const match = line && /^( {0,3})(-[- \t]*)$/.exec(line.text);
  if (!match) return null;
  const runs = [...match[2].matchAll(/(-+)([ \t]*)/g)].map((run) => ({ dashes: run[1].length, width: run[0].length }));
  return { indent: match[1].length, runs };
}

/** Display width: East Asian wide characters count two, combining marks none (Pandoc's `charWidth`). */
function charWidth(char: string): number {
  if (/\p{M}/u.test(char)) return 0;
  return eastAsianWidth(char.codePointAt(0)!, { ambiguousAsWide: false });
}

/** A line cut into columns at display positions; each piece with its string index. */
function cutAt(text: string, starts: number[]): { text: string; index: number }[] {
  const pieces = starts.map(() => ({ text: '', index: -1 }));
  let column = 0;
  let index = 0;
  for (const char of text) {
    let piece = -1;
    for (let k = starts.length - 1; k >= 0; k--) {
      if (column >= starts[k]) {
        piece = k;
        break;
      }
    }
    if (piece >= 0) {
      if (pieces[piece].index < 0) pieces[piece].index = index;
      pieces[piece].text += char;
    }
    column += charWidth(char);
    index += char.length;
  }
  for (const piece of pieces) if (piece.index < 0) piece.index = text.length;
  return pieces;
}

/** Pandoc's `alignType`: where the shortest non-empty header text sits against its dashes. */
function alignment(texts: string[], dashes: number): AlignType {
  const nonEmpty = texts.map((text) => text.trimEnd()).filter((text) => text.length > 0);
  if (!nonEmpty.length) return null;
  const shortest = nonEmpty.reduce((best, text) => ([...text].length < [...best].length ? text : best));
  const leftSpace = /^[ \t]/.test(shortest);
  const rightSpace = [...shortest].length < dashes;
  return leftSpace ? (rightSpace ? 'center' : 'right') : rightSpace ? 'left' : null;
}

/** Pandoc's `widthsFromIndices` with its 72-column line. */
function widthsFromIndices(indices: number[]): number[] {
  const columns = Math.max(72, indices[indices.length - 1]);
  const lengths = indices.map((index, k) => index - (k ? indices[k - 1] : 0));
  // Inter-column spaces count in every column but the last.
  const [last, beforeLast] = [lengths[lengths.length - 1], lengths[lengths.length - 2]];
  if (lengths.length > 1 && last < beforeLast && beforeLast - last <= 2) lengths[lengths.length - 1] = beforeLast;
  const total = lengths.reduce((sum, length) => sum + length, 0);
  const quotient = total > columns ? total : columns;
  return normaliseWidths(lengths.slice(1).map((length) => length / quotient));
}

/** Widths adding up to more than the line are scaled to it. */
function normaliseWidths(widths: number[]): number[] {
  const sum = widths.reduce((total, width) => total + width, 0);
  return sum < 1 ? widths : widths.map((width) => width / sum);
}

/** A cell at the start of its row's line; its content is placed by the cell parser (filled in once the section is parsed). */
function cell(children: PhrasingContent[], line: SourceLine | undefined, data?: TableCell['data']): TableCell {
  const node: TableCell = { type: 'tableCell', children };
  if (data) node.data = data;
  if (line) node.position = { start: { line: line.number, column: line.column, offset: line.offset }, end: { line: line.number, column: line.column, offset: line.offset } };
  return node;
}

class TableReader {
  constructor(
    private readonly lines: SourceLine[],
    private readonly blocks: BlockLines,
    private readonly parseCell: CellParser,
  ) {}

  /** The block-quote depth of the table being read: its lines all have it. */
  private depth = 0;

  /**
   * A table starts a block: after a blank line, a closed code or math block
   * or a heading, where a block quote starts, or at the start.
   */
  mayStartTable(index: number): boolean {
    const line = this.lines[index];
    if (this.blocks.kinds[index] !== 'text' || line.fence || blank(line)) return false;
    // A heading is read before a table (Pandoc's order of blocks), so a heading line never starts one.
    // (A simple table's header line may be indented any amount: only its dashes may not.)
    if (ATX_HEADING.test(line.text)) return false;
    const previous = this.lines[index - 1];
    return !previous || blank(previous) || previous.fence !== undefined || previous.depth !== line.depth || this.blocks.kinds[index - 1] !== 'text' || ATX_HEADING.test(previous.text);
  }

  /** Pandoc's order: a multiline table, a simple one (headerless first), a headerless multiline one, a grid table. */
  read(index: number): Found | null {
    this.depth = this.lines[index].depth;
    return this.multiline(index, false) ?? this.simple(index, true) ?? this.simple(index, false) ?? this.multiline(index, true) ?? this.grid(index);
  }

  /** Lines of the table are plain text lines, not inside code or math, as deep in block quotes as its first. */
  private textLine(index: number): SourceLine | undefined {
    const line = this.lines[index];
    return this.blocks.kinds[index] === 'text' && line?.depth === this.depth && line.fence !== 'open' ? line : undefined;
  }

  /** A dashed line followed by a blank line or the end: the end of a table. */
  private footer(index: number): boolean {
    return dashedLine(this.textLine(index)) !== null && (index + 1 >= this.lines.length || blank(this.lines[index + 1]));
  }

  /** Where each column starts, in display columns; the last entry is where the dashes end. */
  private static indices(dashed: DashedLine): number[] {
    const indices = [dashed.indent];
    for (const run of dashed.runs) indices.push(indices[indices.length - 1] + run.width);
    return indices;
  }

  /** Cuts a row line into its columns, each trimmed, placed where it sits. */
  private columns(line: SourceLine, indices: number[]): CellLine[] {
    return cutAt(line.text, indices.slice(0, -1)).map((piece) => {
      const lead = piece.text.length - piece.text.trimStart().length;
      const index = piece.index + lead;
      return { text: piece.text.trim(), line: line.number, column: line.column + index, offset: line.offset + index };
    });
  }

  private simple(index: number, headless: boolean): Found | null {
    let at = index;
    const header = headless ? undefined : this.textLine(at++);
    const dashed = dashedLine(this.textLine(at));
    // One run of dashes under a line of text is a setext heading (Pandoc reads headings first).
    if (!dashed || (!headless && dashed.runs.length === 1)) return null;
    at++;
    const indices = TableReader.indices(dashed);
    const rows: SourceLine[] = [];
    for (; at < this.lines.length && this.textLine(at) && !blank(this.lines[at]) && !this.footer(at); at++) rows.push(this.lines[at]);
    if (!rows.length) return null;
    if (this.footer(at)) at++;
    else if (headless) return null;
    const alignFrom = cutAt((header ?? rows[0]).text, indices.slice(0, -1));
    const align = dashed.runs.map((run, k) => alignment([alignFrom[k].text], run.dashes));
    const toRow = (line: SourceLine): TableRow => this.row(this.columns(line, indices).map((column) => [column]), line, 'inline');
    const body = [...(header ? [header] : []), ...rows].map(toRow);
    return { table: this.table(body, align, header ? 1 : 0, undefined, index, at), end: at };
  }

  private multiline(index: number, headless: boolean): Found | null {
    let at = index;
    const headerLines: SourceLine[] = [];
    if (!headless) {
      if (!dashedLine(this.textLine(at)) || blank(this.lines[at + 1])) return null;
      at++;
      // Header lines run to the next dashed line, blank lines and all (Pandoc drops the text after a blank line; we keep it).
      for (; at < this.lines.length && this.textLine(at) && !dashedLine(this.lines[at]); at++) headerLines.push(this.lines[at]);
      if (!headerLines.length) return null;
    }
    const dashed = dashedLine(this.textLine(at));
    if (!dashed) return null;
    at++;
    const indices = TableReader.indices(dashed);
    // The last column's width counts one space more (Pandoc's compensation for the spaces between columns).
    const widthIndices = [...indices.slice(0, -1), indices[indices.length - 1] + 1];
    const rows: SourceLine[][] = [];
    while (at < this.lines.length) {
      const rowLines: SourceLine[] = [];
      for (; at < this.lines.length && this.textLine(at) && !blank(this.lines[at]) && !this.footer(at); at++) rowLines.push(this.lines[at]);
      if (!rowLines.length) break;
      rows.push(rowLines);
      let after = at;
      while (after < this.lines.length && blank(this.lines[after])) after++;
      if (after === at) break;
      at = after;
    }
    if (!rows.length || !this.footer(at)) return null;
    at++;
    const columnsOf = (lines: SourceLine[]) => {
      const cut = lines.map((line) => this.columns(line, indices));
      return dashed.runs.map((_, k) => cut.map((columns) => columns[k]));
    };
    const alignFrom = (headless ? [rows[0][0]] : headerLines).map((line) => cutAt(line.text, indices.slice(0, -1)));
    const align = dashed.runs.map((run, k) => alignment(alignFrom.map((pieces) => pieces[k].text), run.dashes));
    const body = [...(headless ? [] : [headerLines]), ...rows].map((lines) => this.row(columnsOf(lines), lines[0], 'inline'));
    return { table: this.table(body, align, headless ? 0 : 1, widthsFromIndices(widthIndices), index, at), end: at };
  }

  private grid(index: number): Found | null {
    const first = this.textLine(index);
    const indent = first ? /^ {0,3}(?=\+[-:]*-[-:]*\+)/.exec(first.text)?.[0].length : undefined;
    if (indent === undefined) return null;
    let end = index;
    while (end < this.lines.length && this.textLine(end) && /^[+|]/.test(this.lines[end].text.slice(indent)) && this.lines[end].text.startsWith(' '.repeat(indent))) end++;
    const grid = this.lines.slice(index, end).map((line) => line.text.slice(indent).trimEnd());
    // The table ends at its last full separator line.
    while (grid.length > 1 && !/^\+(?:[-=:]+\+)+$/.test(grid[grid.length - 1])) grid.pop();
    if (grid.length < 3) return null;
    // A content line cut short of its right border still ends at the table's width (Pandoc is lenient there too).
    const width = grid[0].length;
    for (let row = 1; row < grid.length - 1; row++) if (grid[row].startsWith('|') && grid[row].length < width) grid[row] = grid[row].padEnd(width - 1) + '|';
    const cells = gridCells(grid);
    if (!cells) return null;
    end = index + grid.length;
    const tops = [...new Set(cells.map((c) => c.top))].sort((a, b) => a - b);
    // Columns are cut at every corner on a border, also where no cell of a row ends there.
    const corners = new Set(cells.flatMap((c) => [c.left, c.right]));
    grid.forEach((line) => {
      for (let column = line.indexOf('+'); column >= 0 && column < width; column = line.indexOf('+', column + 1)) if (/[-=:]/.test(line[column - 1] ?? '') || /[-=:]/.test(line[column + 1] ?? '')) corners.add(column);
    });
    const boundaries = [...corners].sort((a, b) => a - b);
    const lefts = boundaries.slice(0, -1);
    const rights = boundaries.slice(1);
    // The first `=` line ends the header; a second one, when the table ends with `=` too, starts the foot.
    const parts = grid.map((line, row) => (/^\+(?:[-=:]+\+)+$/.test(line) && line.includes('=') ? row : -1)).filter((row) => row >= 0);
    const headerEnd = parts[0] !== undefined && parts[0] < grid.length - 1 ? parts[0] : 0;
    const footStart = parts.length >= 3 && parts[parts.length - 1] === grid.length - 1 ? parts[parts.length - 2] : grid.length - 1;
    const alignLine = headerEnd ? grid[headerEnd] : grid[0];
    const align: AlignType[] = boundaries.slice(1).map((right, k) => {
      const segment = alignLine.slice(boundaries[k] + 1, right);
      const left = segment.startsWith(':');
      const rightColon = segment.endsWith(':') && segment.length > 1;
      return left ? (rightColon ? 'center' : 'left') : rightColon ? 'right' : null;
    });
    const rows: TableRow[] = tops.map((top) => {
      const rowCells = cells.filter((c) => c.top === top).sort((a, b) => a.left - b.left);
      const tableCells = rowCells.map((c) => {
        const colspan = lefts.filter((left) => left >= c.left && left < c.right).length;
        const rowspan = tops.filter((t) => t >= c.top && t < c.bottom).length;
        const lines = this.gridCellLines(grid, c, index, indent);
        const data = colspan > 1 || rowspan > 1 ? { ...(colspan > 1 ? { colspan } : {}), ...(rowspan > 1 ? { rowspan } : {}) } : undefined;
        return cell(lines.some((line) => line.text.trim()) ? this.parseCell(lines, 'blocks') : [], this.lines[index + c.top + 1], data);
      });
      return { type: 'tableRow', children: tableCells, position: this.span(index + top + 1, index + top + 1) };
    });
    const headerRows = tops.filter((top) => top < headerEnd).length;
    const footerRows = tops.filter((top) => top >= footStart && footStart < grid.length - 1).length;
    const columns = rights.length;
    const charWidths = boundaries.slice(1).map((right, k) => right - boundaries[k] - 1);
    const norm = Math.max(charWidths.reduce((sum, width) => sum + width + 1, 0) + columns - 2, 72);
    const table = this.table(rows, align, headerRows, normaliseWidths(charWidths.map((width) => (width + 1) / norm)), index, end);
    if (footerRows) table.data = { ...table.data, footerRows };
    return { table, end };
  }

  /** A grid cell's lines, without the borders, right-trimmed, one leading space removed when all have one. */
  private gridCellLines(grid: string[], c: GridCell, index: number, indent: number): CellLine[] {
    const lines = grid.slice(c.top + 1, c.bottom).map((text, k) => ({ text: text.slice(c.left + 1, c.right).trimEnd(), row: c.top + 1 + k }));
    const drop = lines.every((line) => line.text === '' || line.text.startsWith(' ')) ? 1 : 0;
    return lines.map(({ text, row }) => {
      const source = this.lines[index + row];
      const column = indent + c.left + 1 + drop;
      return { text: text.slice(drop), line: source.number, column: source.column + column, offset: source.offset + column };
    });
  }

  private row(columns: CellLine[][], line: SourceLine, mode: 'inline'): TableRow {
    const children = columns.map((lines) => {
      const filled = lines.filter((l) => l.text !== '');
      return cell(filled.length ? this.parseCell(filled, mode) : [], line);
    });
    return { type: 'tableRow', children, position: this.span(line.number - 1, line.number - 1) };
  }

  private table(rows: TableRow[], align: AlignType[], headerRows: number, widths: number[] | undefined, start: number, end: number): Table {
    const data: Table['data'] = { headerRows, ...(widths ? { widths } : {}) };
    return { type: 'table', align, children: rows, data, position: this.span(start, end - 1) };
  }

  /** The position from the start of line `from` to the end of line `to` (0-based). */
  private span(from: number, to: number): Table['position'] {
    const [a, b] = [this.lines[from], this.lines[to]];
    return {
      start: { line: a.number, column: a.column, offset: a.offset },
      end: { line: b.number, column: b.column + b.text.length, offset: b.offset + b.text.length },
    };
  }
}

interface GridCell {
  /** Rows and columns of the cell's corners in the grid of characters. */
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * The cells of a grid table, found by following each cell's border from its
 * top-left corner (right along the top, down the right side, back along the
 * bottom, up the left side), as docutils and Pandoc's `gridtables` do; a
 * cell spanning columns or rows is simply a larger rectangle. Null when the
 * borders do not close.
 */
function gridCells(grid: string[]): GridCell[] | null {
  const at = (row: number, column: number) => grid[row]?.[column] ?? ' ';
  const cells: GridCell[] = [];
  const corners: [number, number][] = [[0, 0]];
  const done = new Set<string>();
  const covered = new Set<string>();
  const scan = (top: number, left: number): GridCell | null => {
    for (let right = left + 1; right < grid[top].length; right++) {
      const c = at(top, right);
      if (c === '+') {
        // Down the right side to a corner where the bottom border runs back left.
        for (let bottom = top + 1; bottom < grid.length; bottom++) {
          const d = at(bottom, right);
          if (d === '+') {
            if (closes(top, left, bottom, right)) return { top, left, bottom, right };
          } else if (d !== '|') break;
        }
      } else if (!'-=:'.includes(c)) return null;
    }
    return null;
  };
  const closes = (top: number, left: number, bottom: number, right: number) => {
    if (at(bottom, left) !== '+') return false;
    for (let column = left + 1; column < right; column++) if (!'-=:+'.includes(at(bottom, column))) return false;
    for (let row = top + 1; row < bottom; row++) if (!'|+'.includes(at(row, left))) return false;
    return true;
  };
  while (corners.length) {
    const [top, left] = corners.shift()!;
    const key = `${top},${left}`;
    if (done.has(key) || covered.has(key)) continue;
    done.add(key);
    if (top >= grid.length - 1 || left >= grid[top].length - 1) continue;
    const found = scan(top, left);
    if (!found) continue;
    cells.push(found);
    for (let row = found.top; row < found.bottom; row++) for (let column = found.left; column < found.right; column++) if (row !== found.top || column !== found.left) covered.add(`${row},${column}`);
    corners.push([found.top, found.right], [found.bottom, found.left]);
    corners.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }
  // Every character inside the table belongs to a cell: otherwise the borders are broken.
  const area = cells.reduce((sum, c) => sum + (c.bottom - c.top) * (c.right - c.left), 0);
  const width = grid[0].length - 1;
  return cells.length && area === (grid.length - 1) * width ? cells : null;
}
