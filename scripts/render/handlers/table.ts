import type { Table } from 'mdast';
import { typstLabel } from '../escape.js';
import type { WriterState } from '../state.js';

export function table(node: Table, state: WriterState): string {
  const columns = Math.max(...node.children.map((row) => row.children.length));
  const align = Array.from({ length: columns }, (_, i) => {
    const a = node.align?.[i];
    return a === 'right' ? 'right' : a === 'center' ? 'center' : 'left';
  });
  const cell = (cellNode: Table['children'][number]['children'][number] | undefined) =>
    `[${cellNode ? state.inline(cellNode.children) : ''}]`;
  const row = (r: Table['children'][number]) => Array.from({ length: columns }, (_, i) => cell(r.children[i])).join(', ');
  const [header, ...body] = node.children;
  const lines = [
    `table(`,
    `  columns: ${columns},`,
    `  align: (${align.join(', ')}${columns === 1 ? ',' : ''}),`,
    `  table.header(${row(header)}),`,
    ...body.map((r) => `  ${row(r)},`),
    `)`,
  ];
  const caption = node.data?.caption ? state.inline(node.data.caption) : '';
  const label = node.data?.label ? ` <${typstLabel(node.data.label)}>` : '';
  if (!caption && !label) return '#' + lines.join('\n');
  return `#figure(\n${lines.join('\n')},\n  kind: table,\n  caption: [${caption}],\n)${label}`;
}
