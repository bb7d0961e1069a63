// Pandoc's fenced divs:
//
//   ::: {.note lang=de}        or   ::: note
//   Blocks, parsed as usual.
//   :::
//
// The fence lines are blanked out before parsing (same length, so every
// offset stays where it is, and the content parses as the blocks it is);
// afterwards the blocks between a pair of fences become the children of a
// `div` node. Fences are read at the top level of a chapter (not inside a
// list or a quote), outside code and math blocks; a div that is never
// closed runs to the end of the text, as in Pandoc.
import type { Parent, Root, RootContent } from 'mdast';
import { blockLines, type BlockLines } from './block-lines.js';
import { parseAttributes, type Attributes } from './labels.js';

declare module 'mdast' {
  interface Div extends Parent {
    type: 'div';
    attributes: Attributes;
    children: RootContent[];
  }
  interface RootContentMap {
    div: Div;
  }
  interface BlockContentMap {
    div: Div;
  }
}

export interface DivFence {
  /** 1-based line of the fence, its offset in the text and its length. */
  line: number;
  offset: number;
  length: number;
  /** The attributes of an opening fence; absent for a closing one. */
  attributes?: Attributes;
  /** A closing fence that is not written: the div runs to the end of the text, as in Pandoc. */
  implied?: boolean;
}

export const DIV_OPENING = /^ {0,3}:{3,}[ \t]*(?:\{([^{}]*)\}|([\w-]+))[ \t]*:*[ \t]*\r?$/;
export const DIV_CLOSING = /^ {0,3}:{3,}[ \t]*\r?$/;

/** The fence lines that pair up, blanked out in the returned text. */
export function takeDivFences(source: string, blocks: BlockLines = blockLines(source)): { text: string; fences: DivFence[] } {
  const lines = source.split('\n');
  const { kinds } = blocks;
  const candidates: DivFence[] = [];
  let offset = 0;
  lines.forEach((line, index) => {
    const at = { line: index + 1, offset, length: line.replace(/\r$/, '').length };
    offset += line.length + 1;
    if (kinds[index] !== 'text') return;
    const opening = DIV_OPENING.exec(line);
    const attributes = opening && (opening[1] !== undefined ? parseAttributes(opening[1]) : { classes: [opening[2]], keyValues: {} });
    if (attributes) candidates.push({ ...at, attributes });
    else if (DIV_CLOSING.test(line)) candidates.push(at);
  });
  // Pair them: a closing fence closes the nearest open one; a closing fence
  // with nothing open stays text; an opening one never closed runs to the end.
  const paired: DivFence[] = [];
  const stack: DivFence[] = [];
  for (const fence of candidates) {
    if (fence.attributes) stack.push(fence);
    else {
      const opening = stack.pop();
      if (opening) paired.push(opening, fence);
    }
  }
  const end = { line: lines.length + 1, offset: source.length, length: 0, implied: true };
  for (const opening of stack.reverse()) paired.push(opening, end);
  if (paired.length === 0) return { text: source, fences: [] };
  for (const fence of paired) if (!fence.implied) lines[fence.line - 1] = lines[fence.line - 1].replace(/[^\r]/g, ' ');
  return { text: lines.join('\n'), fences: paired.sort((a, b) => a.line - b.line) };
}

/** Wraps the blocks between each pair of fences into a `div`. */
export function wrapDivs(tree: Root, fences: DivFence[]): void {
  if (fences.length) tree.children = wrap(tree.children, fences);
}

function wrap(nodes: RootContent[], fences: DivFence[]): RootContent[] {
  const out: RootContent[] = [];
  let index = 0;
  let remaining = nodes;
  while (index < fences.length) {
    const opening = fences[index];
    // Its closing fence: the one that brings the nesting back to zero.
    let depth = 0;
    let closeIndex = index;
    for (; closeIndex < fences.length; closeIndex++) {
      depth += fences[closeIndex].attributes ? 1 : -1;
      if (depth === 0) break;
    }
    const closing = fences[closeIndex];
    const lineOf = (node: RootContent) => node.position?.start.line ?? 0;
    const before = remaining.filter((node) => lineOf(node) < opening.line);
    const inside = remaining.filter((node) => lineOf(node) > opening.line && lineOf(node) < closing.line);
    remaining = remaining.filter((node) => lineOf(node) > closing.line);
    out.push(...before, {
      type: 'div',
      attributes: opening.attributes!,
      children: wrap(inside, fences.slice(index + 1, closeIndex)),
      position: {
        start: { line: opening.line, column: 1, offset: opening.offset },
        end: closing.implied ? (inside[inside.length - 1]?.position?.end ?? { line: opening.line, column: opening.length + 1, offset: opening.offset + opening.length }) : { line: closing.line, column: closing.length + 1, offset: closing.offset + closing.length },
      },
    });
    index = closeIndex + 1;
  }
  return [...out, ...remaining];
}
