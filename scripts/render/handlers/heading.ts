import type { Heading } from 'mdast';
import { typstLabel } from '../../core/typst-syntax.js';
import type { Writer } from '../writer.js';

export function heading(node: Heading, state: Writer): string {
  const content = state.inline(node.children).replace(/\n/g, ' ');
  const label = node.data?.label ? ` <${typstLabel(node.data.label)}>` : '';
  if (node.data?.unnumbered) return `#heading(level: ${node.depth}, numbering: none)[${content}]${label}`;
  return `${'='.repeat(node.depth)} ${content}${label}`;
}
