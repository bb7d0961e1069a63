import type { Table, TableCell, TableRow } from 'mdast';
import type { Writer } from '../writer.js';

/** The `table(…)` call, without `#`, for a bare table or inside a figure. */
export function tableCall(node: Table, state: Writer): string {
  const columns = Math.max(...node.children.map((row) => row.children.length));
  const align = Array.from({ length: columns }, (_, i) => {
    const a = node.align?.[i];
    return a === 'right' ? 'right' : a === 'center' ? 'center' : 'left';
  });
  const row = (r: TableRow) => Array.from({ length: columns }, (_, i) => (r.children[i] ? tableCell(r.children[i], state) : '[]')).join(', ');
  const [header, ...body] = node.children;
  return [
    `table(`,
    `  columns: ${columns},`,
    `  align: (${align.join(', ')}${columns === 1 ? ',' : ''}),`,
    `  table.header(${row(header)}),`,
    ...body.map((r) => `  ${row(r)},`),
    `)`,
  ].join('\n');
}

export function table(node: Table, state: Writer): string {
  return '#' + tableCall(node, state);
}

/** Rows and cells are written by their table. */
export function tableRow(node: TableRow, state: Writer): string {
  return node.children.map((cell) => tableCell(cell, state)).join(', ');
}

export function tableCell(node: TableCell, state: Writer): string {
  return `[${state.inline(node.children)}]`;
}
