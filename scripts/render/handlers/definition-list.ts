// Pandoc's definition lists as Typst term lists: each term with its
// definitions (a term may have several; they are set one after another).
import type { DefListDescriptionNode, DefListNode, DefListTermNode } from 'mdast-util-definition-list';
import type { Writer } from '../writer.js';

export function defList(node: DefListNode, writer: Writer): string {
  const items: { term: DefListTermNode; descriptions: DefListDescriptionNode[] }[] = [];
  for (const child of node.children) {
    if (child.type === 'defListTerm') items.push({ term: child, descriptions: [] });
    else if (items.length > 0) items[items.length - 1].descriptions.push(child);
  }
  const entries = items.map(({ term, descriptions }) => `terms.item[${defListTerm(term, writer)}][${descriptions.map((d) => defListDescription(d, writer)).join('\n\n')}]`);
  return `#terms(\n${entries.map((entry) => `  ${entry},`).join('\n')}\n)`;
}

export function defListTerm(node: DefListTermNode, writer: Writer): string {
  return writer.inline(node.children);
}

export function defListDescription(node: DefListDescriptionNode, writer: Writer): string {
  return writer.blocks(node.children);
}
