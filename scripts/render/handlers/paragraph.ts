import type { Paragraph } from 'mdast';
import type { Writer } from '../writer.js';
import { isPageBreak } from './latex.js';

export function paragraph(node: Paragraph, writer: Writer): string {
  // `\newpage` on a line of its own between paragraphs, as Pandoc passes it to LaTeX: a page break.
  const commands = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
  if (writer.depth === 0 && commands.length > 0 && commands.every((child) => child.type === 'rawLatex' && isPageBreak(child))) return '#pagebreak(weak: true)';
  return writer.inline(node.children);
}
