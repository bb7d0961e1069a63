import type { Delete, Emphasis, Strong } from 'mdast';
import type { WriterState } from '../state.js';

// Function-call syntax rather than `_…_`: it nests and cannot be closed early
// by a character in the text.
export function emphasis(node: Emphasis, state: WriterState): string {
  return `#emph[${state.inline(node.children)}]`;
}

export function strong(node: Strong, state: WriterState): string {
  return `#strong[${state.inline(node.children)}]`;
}

export function strikethrough(node: Delete, state: WriterState): string {
  return `#strike[${state.inline(node.children)}]`;
}
