// Pandoc's inline footnotes, `text^[the note, with *markup* and [@cites]]`,
// become an ordinary footnote reference plus a definition at the end of the
// chapter, so everything after (citations in notes, numbering) treats them
// like `[^1]` notes.
import type { FootnoteDefinition, Parent, PhrasingContent, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { findClosingBracket, slice } from './brackets.js';

export function inlineFootnotes(tree: Root, source: string): void {
  const definitions: FootnoteDefinition[] = [];
  visit(tree, (node) => {
    if (!('children' in node) || node.type === 'footnoteDefinition') return;
    const parent = node as Parent;
    if (!parent.children.some((c) => c.type === 'text' && c.value.includes('^['))) return;
    parent.children = extract(parent.children as PhrasingContent[], source, definitions) as Parent['children'];
  });
  tree.children.push(...definitions);
}

function extract(nodes: PhrasingContent[], source: string, definitions: FootnoteDefinition[]): PhrasingContent[] {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.type !== 'text') continue;
    for (let at = node.value.indexOf('^['); at >= 0; at = node.value.indexOf('^[', at + 1)) {
      if (isEscaped(node, at, source)) continue;
      const close = findClosingBracket(nodes, { index: i, offset: at + 2 });
      if (!close) continue;
      const identifier = `inline-${definitions.length + 1}-${node.position?.start.line ?? 0}`;
      definitions.push({
        type: 'footnoteDefinition',
        identifier,
        label: identifier,
        children: [{ type: 'paragraph', children: slice(nodes, { index: i, offset: at + 2 }, close) }],
      });
      const before = slice(nodes, { index: 0, offset: 0 }, { index: i, offset: at });
      const after = slice(nodes, { index: close.index, offset: close.offset + 1 }, { index: nodes.length, offset: 0 });
      return [...before, { type: 'footnoteReference', identifier, label: identifier, position: node.position }, ...extract(after, source, definitions)];
    }
  }
  return nodes;
}

/**
 * `\^[` is a literal caret. Unescaping shifts offsets, so the n-th `^[` of
 * the text is matched with the n-th `^[` of its source, and that one is
 * checked for a backslash before it.
 */
function isEscaped(node: PhrasingContent, at: number, source: string): boolean {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined || node.type !== 'text') return false;
  const nth = node.value.slice(0, at).split('^[').length - 1;
  let found = source.indexOf('^[', start);
  for (let k = 0; k < nth && found >= 0 && found < end; k++) found = source.indexOf('^[', found + 1);
  return found > 0 && found < end && source[found - 1] === '\\';
}
