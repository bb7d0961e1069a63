// Tables: pipe tables and Pandoc's simple, multiline and grid tables (all
// mdast `table`s, see parse/pandoc-tables.ts), as a Typst `table`.
import type { CellBlocks, Table, TableCell } from 'mdast';
import type { Writer } from '../writer.js';

/** The `table(…)` call, without `#`, for a bare table or inside a figure. */
export function tableCall(node: Table, writer: Writer): string {
  const rows = node.children;
  const spans = rows.some((row) => row.children.some((cell) => cell.data?.colspan || cell.data?.rowspan));
  // Spanning cells are placed by Typst, which skips the places they cover; otherwise short rows are filled up.
  const columns = node.align?.length && spans ? node.align.length : Math.max(...rows.map((row) => row.children.length));
  const align = Array.from({ length: columns }, (_, i) => {
    const a = node.align?.[i];
    return a === 'right' ? 'right' : a === 'center' ? 'center' : 'left';
  });
  // Pandoc's relative widths are fractions of the line, as in its LaTeX output.
  const widths = node.data?.widths;
  const columnSpec = widths?.length === columns ? `(${widths.map((width) => `${(width * 100).toFixed(2)}%`).join(', ')}${columns === 1 ? ',' : ''})` : String(columns);
  const row = (cells: TableCell[]) => {
    const written = cells.map((cell) => tableCell(cell, writer));
    if (!spans) while (written.length < columns) written.push('[]');
    return written.join(', ');
  };
  const headerRows = node.data?.headerRows ?? 1;
  const footerRows = node.data?.footerRows ?? 0;
  const header = rows.slice(0, headerRows);
  const body = rows.slice(headerRows, rows.length - footerRows);
  const footer = rows.slice(rows.length - footerRows);
  return [
    `table(`,
    `  columns: ${columnSpec},`,
    `  align: (${align.join(', ')}${columns === 1 ? ',' : ''}),`,
    ...(header.length ? [`  table.header(${header.map((r) => row(r.children)).join(', ')}),`] : []),
    ...body.map((r) => `  ${row(r.children)},`),
    ...(footer.length ? [`  table.footer(${footer.map((r) => row(r.children)).join(', ')}),`] : []),
    `)`,
  ].join('\n');
}

export function table(node: Table, writer: Writer): string {
  return '#' + tableCall(node, writer);
}

/** Rows and cells are written by their table. */
export function tableRow(node: Table['children'][number], writer: Writer): string {
  return node.children.map((cell) => tableCell(cell, writer)).join(', ');
}

export function tableCell(node: TableCell, writer: Writer): string {
  const content = `[${writer.inline(node.children)}]`;
  const { colspan, rowspan } = node.data ?? {};
  if (!colspan && !rowspan) return content;
  return `table.cell(${[colspan ? `colspan: ${colspan}` : '', rowspan ? `rowspan: ${rowspan}` : ''].filter(Boolean).join(', ')})${content}`;
}

/** A grid-table cell holding blocks (a list, several paragraphs). */
export function cellBlocks(node: CellBlocks, writer: Writer): string {
  return writer.blocks(node.children);
}
