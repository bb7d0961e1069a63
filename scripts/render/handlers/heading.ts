import type { Heading } from 'mdast';
import { typstLabel } from '../../core/typst-syntax.js';
import type { Writer } from '../writer.js';

export function heading(node: Heading, writer: Writer): string {
  const content = writer.inline(node.children).replace(/\n/g, ' ');
  // Its own label, else the identifier Pandoc would give it (parse/heading-ids.ts).
  const id = node.data?.label ?? node.data?.autoId;
  const label = id ? ` <${typstLabel(id)}>` : '';
  // A chapter heading starts a new page, which Typst cannot do inside a quote,
  // a list or a note: there it is set in place and left out of the contents.
  if (node.depth === 1 && writer.depth > 0) return `#heading(level: 1, outlined: false${node.data?.unnumbered ? ', numbering: none' : ''})[${content}]${label}`;
  if (node.data?.unnumbered) return `#heading(level: ${node.depth}, numbering: none)[${content}]${label}`;
  return `${'='.repeat(node.depth)} ${content}${label}`;
}
