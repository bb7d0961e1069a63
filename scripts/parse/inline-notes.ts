// Pandoc's inline footnotes, `text^[the note, with *markup* and [@cites]]`,
// become an ordinary footnote reference plus a definition (which the chapter
// puts at its end), so everything after (citations in notes, numbering)
// treats them like `[^1]` notes.
import type { FootnoteDefinition, FootnoteReference, Parent, PhrasingContent, Root, Text } from 'mdast';
import { visit } from 'unist-util-visit';
import { pointIn, rewriteBrackets, slice } from './brackets.js';

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
  const escaped = new Map<Text, Set<number>>();
  return rewriteBrackets(nodes, '^[', (open, close) => {
    const opener = nodes[open.index] as Text;
    if (!escaped.has(opener)) escaped.set(opener, escapedCarets(opener, source));
    if (escaped.get(opener)!.has(open.offset)) return null;
    const definition: FootnoteDefinition = {
      type: 'footnoteDefinition',
      identifier: '',
      children: [{ type: 'paragraph', children: slice(nodes, { index: open.index, offset: open.offset + 2 }, close) }],
    };
    const start = pointIn(opener, open.offset);
    const end = pointIn(nodes[close.index], close.offset + 1);
    const reference: FootnoteReference = { type: 'footnoteReference', identifier: '', position: start && end ? { start, end } : opener.position };
    notes.push({ reference, definition });
    return { replacement: [reference], end: { index: close.index, offset: close.offset + 1 } };
  });
}

/**
 * The offsets of the text's `^[` that are a literal caret, `\^[`. Unescaping
 * shifts offsets, so the n-th `^[` of the text is matched with the n-th `^[`
 * of its source, and that one is checked for a backslash before it.
 */
function escapedCarets(node: Text, source: string): Set<number> {
  const escaped = new Set<number>();
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return escaped;
  let found = source.indexOf('^[', start);
  for (let at = node.value.indexOf('^['); at >= 0 && found >= 0 && found < end; at = node.value.indexOf('^[', at + 1)) {
    if (found > 0 && source[found - 1] === '\\') escaped.add(at);
    found = source.indexOf('^[', found + 1);
  }
  return escaped;
}
