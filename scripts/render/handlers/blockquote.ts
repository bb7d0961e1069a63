import type { Blockquote } from 'mdast';
import type { Writer } from '../writer.js';

export function blockquote(node: Blockquote, state: Writer): string {
  return `#quote(block: true)[\n${state.blocks(node.children)}\n]`;
}
