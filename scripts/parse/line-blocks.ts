// Pandoc's line blocks, for verse and addresses: every line of a paragraph
// starts with `| `, and the lines (and their leading spaces) are kept as
// written. CommonMark reads them as one paragraph; it becomes a `lineBlock`
// whose children are one `line` each.
import type { Paragraph, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';
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

export function readLineBlocks(tree: Root, source: string): void {
  let sourceLines: string[] | undefined;
  const walk = (parent: Parent) => {
    parent.children = parent.children.map((child) => {
      if (child.type === 'paragraph' && lineStart(child.children).startsWith('|')) {
        const lines = lineBlockLines(child, (sourceLines ??= source.split('\n')));
        if (lines) return toLineBlock(lines, child.position) as RootContent;
      }
      if ('children' in child) walk(child as Parent);
      return child;
    }) as Parent['children'];
  };
  walk(tree);
}

/**
 * The lines of a line block: every line of the paragraph starts with `| `
 * (or is a lone `|`), or, starting with a space in the source, continues the
 * line before it (Pandoc joins the two with a space). Null for any other paragraph.
 */
function lineBlockLines(paragraph: Paragraph, sourceLines: string[]): PhrasingContent[][] | null {
  const firstLine = (paragraph.position?.start.line ?? 1) - 1;
  const column = (paragraph.position?.start.column ?? 1) - 1;
  const lines: PhrasingContent[][] = [];
  for (const [k, line] of paragraphLines(paragraph.children).entries()) {
    if (/^\|( |$)/.test(lineStart(line))) lines.push(line);
    else if (k > 0 && /[ \t]/.test(sourceLines[firstLine + k]?.[column] ?? '')) lines[lines.length - 1].push({ type: 'text', value: ' ' }, ...line);
    else return null;
  }
  return lines;
}

/** The lines without their `| `; leading spaces kept as no-break spaces, as Pandoc keeps them. */
function toLineBlock(lines: PhrasingContent[][], position: Parent['position']): RootContent {
  const cut = lines.map(([head, ...rest]) => {
    const text = (head as Text).value.replace(/^\| ?/, '').replace(/^ +/, (spaces) => '\u00a0'.repeat(spaces.length));
    return text ? [{ ...(head as Text), value: text }, ...rest] : rest;
  });
  return { type: 'lineBlock', children: cut.map((line) => ({ type: 'line', children: line })), position };
}
