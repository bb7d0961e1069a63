// Pandoc's bracketed spans: `[small capitals]{.smallcaps}`, `[Wort]{lang=de}`.
// micromark leaves `[…]` without a link definition as text, so the span is
// found on the tree: a `[`, its closing `]`, and an attribute list right
// after it. The nodes between become the span's children.
import type { Parent, PhrasingContent, Root, Text } from 'mdast';
import { visit } from 'unist-util-visit';
import { pointIn, rewriteBrackets, slice, type Cursor } from './brackets.js';
import { parseAttributes, type Attributes } from './labels.js';

declare module 'mdast' {
  interface Span extends Parent {
    type: 'span';
    attributes: Attributes;
    children: PhrasingContent[];
  }
  interface PhrasingContentMap {
    span: Span;
  }
  interface RootContentMap {
    span: Span;
  }
}

export function groupSpans(tree: Root): void {
  visit(tree, (node) => {
    if (!('children' in node)) return;
    const parent = node as Parent;
    if (!parent.children.some((child) => child.type === 'text' && child.value.includes(']{'))) return;
    parent.children = spansIn(parent.children as PhrasingContent[]) as Parent['children'];
  });
}

function spansIn(nodes: PhrasingContent[]): PhrasingContent[] {
  return rewriteBrackets(nodes, '[', (open, close) => {
    const opener = nodes[open.index] as Text;
    const closer = nodes[close.index];
    if (closer.type !== 'text') return null;
    // Sticky, not a slice of the rest: a long text node holds many bracket pairs.
    const attributePattern = /\{([^{}]*)\}/y;
    attributePattern.lastIndex = close.offset + 1;
    const attributeText = attributePattern.exec(closer.value);
    const attributes = attributeText && parseAttributes(attributeText[1]);
    if (!attributes) return null;
    const end: Cursor = { index: close.index, offset: close.offset + 1 + attributeText[0].length };
    // Exact positions where the brackets sit on one line each; else the nodes' own.
    const start = pointIn(opener, open.offset) ?? opener.position?.start;
    const stop = pointIn(closer, end.offset) ?? closer.position?.end;
    const inner = slice(nodes, { index: open.index, offset: open.offset + 1 }, close);
    const span: PhrasingContent = { type: 'span', attributes, children: spansIn(inner), ...(start && stop ? { position: { start, end: stop } } : {}) };
    return { replacement: [span], end };
  });
}
