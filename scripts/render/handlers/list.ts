import type { List, ListItem } from 'mdast';
import type { WriterState } from '../state.js';

export function list(node: List, state: WriterState): string {
  const items = node.children.map((item) => listItem(item, state));
  if (node.ordered) {
    const start = node.start && node.start !== 1 ? `start: ${node.start}, ` : '';
    return `#enum(${start}tight: ${!node.spread}, ${items.map((i) => `[${i}]`).join(', ')})`;
  }
  return `#list(tight: ${!node.spread}, ${items.map((i) => `[${i}]`).join(', ')})`;
}

export function listItem(node: ListItem, state: WriterState): string {
  const checkbox = node.checked === true ? '☑ ' : node.checked === false ? '☐ ' : '';
  return checkbox + state.blocks(node.children);
}
