import type { List, ListItem } from 'mdast';
import { typstString } from '../../core/typst-syntax.js';
import type { Writer } from '../writer.js';

export function list(node: List, state: Writer): string {
  const items = node.children.map((item) => listItem(item, state));
  if (node.ordered) {
    const start = node.start && node.start !== 1 ? `start: ${node.start}, ` : '';
    // Pandoc's letters, roman numerals and parentheses (parse/fancy-lists.ts).
    const numbering = node.data?.numbering ? `numbering: ${typstString(node.data.numbering)}, ` : '';
    return `#enum(${numbering}${start}tight: ${!node.spread}, ${items.map((i) => `[${i}]`).join(', ')})`;
  }
  return `#list(tight: ${!node.spread}, ${items.map((i) => `[${i}]`).join(', ')})`;
}

export function listItem(node: ListItem, state: Writer): string {
  const checkbox = node.checked === true ? '☑ ' : node.checked === false ? '☐ ' : '';
  return checkbox + state.blocks(node.children);
}
