// Pandoc's inline footnotes, `text^[the note, with *markup* and [@cites]]`,
// become an ordinary footnote reference plus a definition (which the chapter
// puts at its end), so everything after (citations in notes, numbering)
// treats them like `[^1]` notes.
import type { FootnoteDefinition, FootnoteReference, Parent, PhrasingContent, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { findClosingBracket, slice } from './brackets.js';

export interface InlineNote {
  reference: FootnoteReference;
  definition: FootnoteDefinition;
}

/**
 * Replaces the inline notes of a tree by references and returns them in
 * document order. Identifiers are given by `numberInlineNotes` once the
 * notes of the whole chapter are known.
 */
export function inlineFootnotes(tree: Root, source: string): InlineNote[] {
  const notes: InlineNote[] = [];
  visit(tree, (node) => {
    if (!('children' in node) || node.type === 'footnoteDefinition') return;
    const parent = node as Parent;
    if (!parent.children.some((c) => c.type === 'text' && c.value.includes('^['))) return;
    parent.children = extract(parent.children as PhrasingContent[], source, notes) as Parent['children'];
  });
  return notes;
}

/** `inline-<n>-<line>`: numbered through the chapter, with the line the note is on. */
export function numberInlineNotes(notes: InlineNote[]): void {
  notes.forEach((note, index) => {
    const identifier = `inline-${index + 1}-${note.reference.position?.start.line ?? 0}`;
    note.reference.identifier = note.reference.label = identifier;
    note.definition.identifier = note.definition.label = identifier;
  });
}

function extract(nodes: PhrasingContent[], source: string, notes: InlineNote[]): PhrasingContent[] {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.type !== 'text') continue;
    for (let at = node.value.indexOf('^['); at >= 0; at = node.value.indexOf('^[', at + 1)) {
      if (isEscaped(node, at, source)) continue;
      const close = findClosingBracket(nodes, { index: i, offset: at + 2 });
      if (!close) continue;
      const definition: FootnoteDefinition = {
        type: 'footnoteDefinition',
        identifier: '',
        children: [{ type: 'paragraph', children: slice(nodes, { index: i, offset: at + 2 }, close) }],
      };
      const reference: FootnoteReference = { type: 'footnoteReference', identifier: '', position: node.position };
      notes.push({ reference, definition });
      const before = slice(nodes, { index: 0, offset: 0 }, { index: i, offset: at });
      const after = slice(nodes, { index: close.index, offset: close.offset + 1 }, { index: nodes.length, offset: 0 });
      return [...before, reference, ...extract(after, source, notes)];
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
