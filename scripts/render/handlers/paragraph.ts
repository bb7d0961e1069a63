import type { Paragraph } from 'mdast';
import type { WriterState } from '../state.js';

export function paragraph(node: Paragraph, state: WriterState): string {
  return state.inline(node.children);
}
