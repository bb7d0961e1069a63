// Pandoc's bracketed spans: `[small capitals]{.smallcaps}`, `[Wort]{lang=de}`.
// micromark leaves `[…]` without a link definition as text, so the span is
// found on the tree: a `[`, its closing `]`, and an attribute list right
// after it. The nodes between become the span's children.
import type { Parent, PhrasingContent, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { findClosingBracket, slice } from './brackets.js';
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
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.type !== 'text') continue;
    for (let open = node.value.indexOf('['); open >= 0; open = node.value.indexOf('[', open + 1)) {
      const close = findClosingBracket(nodes, { index: i, offset: open + 1 });
      if (!close) continue;
      const closer = nodes[close.index];
      if (closer.type !== 'text') continue;
      const attributeText = /^\{([^{}]*)\}/.exec(closer.value.slice(close.offset + 1));
      const attributes = attributeText && parseAttributes(attributeText[1]);
      if (!attributes) continue;
      const before = slice(nodes, { index: 0, offset: 0 }, { index: i, offset: open });
      const inner = slice(nodes, { index: i, offset: open + 1 }, close);
      const after = slice(nodes, { index: close.index, offset: close.offset + 1 + attributeText[0].length }, { index: nodes.length, offset: 0 });
      // Exact positions where the brackets sit on one line each; else the nodes' own.
      const at = (text: typeof node, offset: number) => {
        const position = text.position;
        if (!position || position.start.line !== position.end.line) return undefined;
        return { line: position.start.line, column: position.start.column + offset, offset: (position.start.offset ?? 0) + offset };
      };
      const start = at(node, open) ?? node.position?.start;
      const end = at(closer, close.offset + 1 + attributeText[0].length) ?? closer.position?.end;
      const span: PhrasingContent = { type: 'span', attributes, children: spansIn(inner), ...(start && end ? { position: { start, end } } : {}) };
      return [...before, span, ...spansIn(after)];
    }
  }
  return nodes;
}
