import type { Heading } from 'mdast';
import { typstLabel } from '../../core/typst-syntax.js';
import type { WriterState } from '../state.js';

export function heading(node: Heading, state: WriterState): string {
  const content = state.inline(node.children).replace(/\n/g, ' ');
  const label = node.data?.label ? ` <${typstLabel(node.data.label)}>` : '';
  if (node.data?.unnumbered) return `#heading(level: ${node.depth}, numbering: none)[${content}]${label}`;
  return `${'='.repeat(node.depth)} ${content}${label}`;
}
