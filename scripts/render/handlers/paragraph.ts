import type { Paragraph } from 'mdast';
import type { Writer } from '../writer.js';

export function paragraph(node: Paragraph, state: Writer): string {
  return state.inline(node.children);
}
