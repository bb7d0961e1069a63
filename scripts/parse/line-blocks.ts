// Pandoc's line blocks, for verse and addresses: every line of a paragraph
// starts with `| `, and the lines (and their leading spaces) are kept as
// written. CommonMark reads them as one paragraph; it becomes a `lineBlock`
// whose children are one `line` each.
import type { Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';

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

/** Every line of the paragraph's text starts with `| ` (or is a lone `|`). */
function isLineBlock(children: PhrasingContent[]): boolean {
  const first = children[0];
  if (first?.type !== 'text' || !/^\|( |$)/.test(first.value)) return false;
  return children.every((child) => child.type !== 'text' || child.value.split('\n').slice(child === first ? 0 : 1).every((line) => /^\|( |$)/.test(line)));
}

function toLineBlock(children: PhrasingContent[], position: Parent['position']): RootContent {
  const lines: PhrasingContent[][] = [[]];
  for (const child of children) {
    if (child.type !== 'text') {
      lines[lines.length - 1].push(child);
      continue;
    }
    child.value.split('\n').forEach((part, index) => {
      if (index > 0) lines.push([]);
      const text = lines[lines.length - 1].length === 0 ? part.replace(/^\| ?/, '').replace(/^ +/, (spaces) => '\u00a0'.repeat(spaces.length)) : part;
      if (text) lines[lines.length - 1].push({ ...child, value: text } as Text);
    });
  }
  return { type: 'lineBlock', children: lines.map((line) => ({ type: 'line', children: line })), position };
}
