import type { List, ListItem } from 'mdast';
import type { Writer } from '../writer.js';

export function list(node: List, state: Writer): string {
  const items = node.children.map((item) => listItem(item, state));
  if (node.ordered) {
    const start = node.start && node.start !== 1 ? `start: ${node.start}, ` : '';
    return `#enum(${start}tight: ${!node.spread}, ${items.map((i) => `[${i}]`).join(', ')})`;
  }
  return `#list(tight: ${!node.spread}, ${items.map((i) => `[${i}]`).join(', ')})`;
}

export function listItem(node: ListItem, state: Writer): string {
  const checkbox = node.checked === true ? '☑ ' : node.checked === false ? '☐ ' : '';
  return checkbox + state.blocks(node.children);
}
