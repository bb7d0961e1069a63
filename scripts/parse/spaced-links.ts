// Links and images whose destination holds spaces, as Pandoc reads them:
// `[the report](/reports/annual report.pdf)`, `![Map](figures/pilot cities.png "Pilot cities")`.
// CommonMark takes a destination with spaces only inside `<…>`, so micromark
// leaves these as text; Pandoc reads them as links with the spaces encoded
// (`%20`), the line breaks and runs of spaces inside read as one space. A
// student's figure named "pilot cities.png" is the common case.
import type { Parent, PhrasingContent, Root, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { pointIn, rewriteBrackets, slice, type Cursor } from './brackets.js';

/** `(destination with spaces "optional title")` right after the `]`. */
const spacedDestination = /\(\s*([^\s()<>"]+(?:\s+[^\s()<>"]+)+)(?:\s+"([^"]*)")?\s*\)/y;

export function readSpacedLinks(tree: Root): void {
  visit(tree, (node) => {
    if (!('children' in node) || node.type === 'link' || node.type === 'linkReference') return;
    const parent = node as Parent;
    if (!parent.children.some((child) => child.type === 'text' && child.value.includes('](') && /\]\(\s*\S+\s+\S/.test(child.value))) return;
    parent.children = linksIn(parent.children as PhrasingContent[]) as Parent['children'];
  });
}

function linksIn(nodes: PhrasingContent[]): PhrasingContent[] {
  return withSpacedDestinations(withSpacedDestinations(nodes, '!['), '[');
}

/** One pass for images (`opener` is `![`) or links (`[`). */
function withSpacedDestinations(nodes: PhrasingContent[], opener: '![' | '['): PhrasingContent[] {
  return rewriteBrackets(nodes, opener, (open, close) => {
    const first = nodes[open.index] as Text;
    const closer = nodes[close.index];
    if (closer.type !== 'text' || closer.value[close.offset + 1] !== '(') return null;
    // A `[` after `!` that the image pass did not take is no link either.
    if (opener === '[' && first.value[open.offset - 1] === '!') return null;
    spacedDestination.lastIndex = close.offset + 1;
    const found = spacedDestination.exec(closer.value);
    if (!found) return null;
    const end: Cursor = { index: close.index, offset: close.offset + 1 + found[0].length };
    const url = found[1].replace(/\s+/g, ' ').replace(/ /g, '%20');
    const title = found[2] ?? null;
    const inner = slice(nodes, { index: open.index, offset: open.offset + opener.length }, close);
    const start = pointIn(first, open.offset) ?? first.position?.start;
    const stop = pointIn(closer, end.offset) ?? closer.position?.end;
    const position = start && stop ? { position: { start, end: stop } } : {};
    const replacement: PhrasingContent =
      opener === '![' ? { type: 'image', url, title, alt: toString({ type: 'paragraph', children: inner }), ...position } : { type: 'link', url, title, children: linksIn(inner), ...position };
    return { replacement: [replacement], end };
  });
}
