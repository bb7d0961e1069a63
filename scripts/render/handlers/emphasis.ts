import type { Delete, Emphasis, Strong, Subscript, Superscript } from 'mdast';
import type { Writer } from '../writer.js';

// Function-call syntax rather than `_…_`: it nests and cannot be closed early
// by a character in the text.
export function emphasis(node: Emphasis, state: Writer): string {
  return `#emph[${state.inline(node.children)}]`;
}

export function strong(node: Strong, state: Writer): string {
  return `#strong[${state.inline(node.children)}]`;
}

export function strikethrough(node: Delete, state: Writer): string {
  return `#strike[${state.inline(node.children)}]`;
}

export function superscript(node: Superscript, writer: Writer): string {
  return `#super[${writer.inline(node.children)}]`;
}

export function subscript(node: Subscript, writer: Writer): string {
  return `#sub[${writer.inline(node.children)}]`;
}
