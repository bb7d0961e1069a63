// Pandoc's line blocks, for verse and addresses: every line of a paragraph
// starts with `| `, and the lines (and their leading spaces) are kept as
// written. CommonMark reads them as one paragraph; it becomes a `lineBlock`
// whose children are one `line` each.
import type { Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';
import { lineStart, paragraphLines } from './paragraph-lines.js';

declare module 'mdast' {
  interface LineBlock extends Parent {
    type: 'lineBlock';
    children: Line[];
  }
  interface Line extends Parent {
    type: 'line';
    children: PhrasingContent[];
  }
  interface RootContentMap {
    lineBlock: LineBlock;
    line: Line;
  }
  interface BlockContentMap {
    lineBlock: LineBlock;
  }
}

export function readLineBlocks(tree: Root): void {
  const walk = (parent: Parent) => {
    parent.children = parent.children.map((child) => {
      if (child.type === 'paragraph' && isLineBlock(child.children)) return toLineBlock(child.children, child.position) as RootContent;
      if ('children' in child) walk(child as Parent);
      return child;
    }) as Parent['children'];
  };
  walk(tree);
}

/** Every line of the paragraph starts with `| ` (or is a lone `|`). */
function isLineBlock(children: PhrasingContent[]): boolean {
  return paragraphLines(children).every((line) => /^\|( |$)/.test(lineStart(line)));
}

/** The lines without their `| `; leading spaces kept as no-break spaces, as Pandoc keeps them. */
function toLineBlock(children: PhrasingContent[], position: Parent['position']): RootContent {
  const lines = paragraphLines(children).map(([head, ...rest]) => {
    const text = (head as Text).value.replace(/^\| ?/, '').replace(/^ +/, (spaces) => '\u00a0'.repeat(spaces.length));
    return text ? [{ ...(head as Text), value: text }, ...rest] : rest;
  });
  return { type: 'lineBlock', children: lines.map((line) => ({ type: 'line', children: line })), position };
}
