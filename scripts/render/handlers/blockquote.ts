import type { Blockquote } from 'mdast';
import type { WriterState } from '../state.js';

export function blockquote(node: Blockquote, state: WriterState): string {
  return `#quote(block: true)[\n${state.blocks(node.children)}\n]`;
}
