// Pandoc's automatic heading identifiers (its `auto_identifiers` extension):
// every heading without an id of its own gets one made from its text, so
// `[the method](#method)` and LaTeX's `\ref{method}` reach it, as they do in
// Pandoc's output. Made once per build for the whole thesis, in reading
// order, since a repeated identifier takes `-1`, `-2` (and one that an
// explicit label already uses is never given again).
import type { Heading, Nodes, PhrasingContent, Root } from 'mdast';
import { nodeLabel } from './labels.js';

declare module 'mdast' {
  interface HeadingData {
    /** The identifier Pandoc would make from the heading's text, when it has no label of its own. */
    autoId?: string;
  }
}

/** The heading's text as Pandoc makes an identifier of it. */
export function headingIdentifier(heading: Heading): string {
  const text = plainText(heading.children);
  const id = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_.-]/gu, '')
    .trim()
    .replace(/\s+/g, '-')
    .replace(/^[^\p{L}]+/u, '');
  return id || 'section';
}

/**
 * Text without markup. A note reference counts with its label, as it does in
 * Pandoc (whose reader makes the identifier before it reads the note); an
 * inline note (`^[…]`, numbered `inline-…` by parse/inline-notes.ts) does not.
 */
function plainText(nodes: readonly PhrasingContent[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'footnoteReference') return node.identifier.startsWith('inline-') ? '' : (node.label ?? node.identifier);
      if (node.type === 'rawLatex') return '';
      if ('value' in node && typeof node.value === 'string') return node.value;
      if ('children' in node) return plainText(node.children as PhrasingContent[]);
      return '';
    })
    .join('');
}

export function assignHeadingIds(trees: readonly Root[]): void {
  const taken = new Set<string>();
  const headings: Heading[] = [];
  const walk = (node: Nodes) => {
    const label = nodeLabel(node);
    if (label) taken.add(label);
    if (node.type === 'heading' && !node.data?.label) headings.push(node);
    if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  trees.forEach((tree) => walk(tree));
  for (const heading of headings) {
    const base = headingIdentifier(heading);
    let id = base;
    for (let n = 1; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    heading.data = { ...heading.data, autoId: id };
  }
}
