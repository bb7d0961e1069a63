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
  /** A closing fence that is not written: the div runs to the end of the text (or of its block quote), as in Pandoc. */
  implied?: boolean;
  /** How many block quotes the fence is in (`> ::: note`), and which quote (a number per quote in the text). */
  depth: number;
  quote?: number;
}

const QUOTE_PREFIX = /^(?: {0,3}> ?)*/;

export const DIV_OPENING = /^ {0,3}:{3,}[ \t]*(?:\{([^{}]*)\}|([\w-]+))[ \t]*:*[ \t]*\r?$/;
export const DIV_CLOSING = /^ {0,3}:{3,}[ \t]*\r?$/;

/**
 * The fence lines that pair up, blanked out in the returned text (the `>`
 * of a block quote kept). Fences pair within one block quote: a div opened
 * in a quote and not closed there runs to the quote's end.
 */
export function takeDivFences(source: string, blocks: BlockLines = blockLines(source)): { text: string; fences: DivFence[] } {
  const lines = source.split('\n');
  if (!source.includes(':::')) return { text: source, fences: [] };
  const { kinds } = blocks;
  const paired: DivFence[] = [];
  // Open fences by quote depth; pairing as in Pandoc: a closing fence closes
  // the nearest open one, one with nothing open stays text.
  const stacks = new Map<number, DivFence[]>();
  const runToEnd = (depth: number, line: number, offset: number) => {
    for (const opening of (stacks.get(depth) ?? []).reverse()) paired.push(opening, { line, offset, length: 0, implied: true, depth, quote: opening.quote });
    stacks.delete(depth);
  };
  // The quote each depth is in now: a line less deep ends it (CommonMark's lazy lines aside).
  const quotes = new Map<number, number>();
  let quoteCount = 0;
  let offset = 0;
  lines.forEach((line, index) => {
    const prefix = QUOTE_PREFIX.exec(line)![0];
    const depth = prefix.split('>').length - 1;
    for (const open of [...quotes.keys()]) {
      if (open <= depth) continue;
      quotes.delete(open);
      // The divs opened in a quote end with it.
      runToEnd(open, index + 1, offset);
    }
    for (let d = 1; d <= depth; d++) if (!quotes.has(d)) quotes.set(d, ++quoteCount);
    const at = { line: index + 1, offset, length: line.replace(/\r$/, '').length, depth, ...(depth ? { quote: quotes.get(depth) } : {}) };
    offset += line.length + 1;
    if (kinds[index] !== 'text') return;
    const rest = line.slice(prefix.length);
    const opening = DIV_OPENING.exec(rest);
    const attributes = opening && (opening[1] !== undefined ? parseAttributes(opening[1]) : { classes: [opening[2]], keyValues: {} });
    if (attributes) stacks.set(depth, [...(stacks.get(depth) ?? []), { ...at, attributes }]);
    else if (DIV_CLOSING.test(rest)) {
      const opened = stacks.get(depth)?.pop();
      if (opened) paired.push(opened, at);
    }
  });
  for (const depth of [...stacks.keys()]) runToEnd(depth, lines.length + 1, source.length);
  if (paired.length === 0) return { text: source, fences: [] };
  for (const fence of paired) {
    if (fence.implied) continue;
    const line = lines[fence.line - 1];
    const prefix = QUOTE_PREFIX.exec(line)![0];
    lines[fence.line - 1] = prefix + line.slice(prefix.length).replace(/[^\r]/g, ' ');
  }
  return { text: lines.join('\n'), fences: paired.sort((a, b) => a.line - b.line || Number(Boolean(a.implied)) - Number(Boolean(b.implied))) };
}

/** Wraps the blocks between each pair of fences into a `div`: at the top level, and inside the block quotes the quoted fences are in. */
export function wrapDivs(tree: Root, fences: DivFence[]): void {
  if (!fences.length) return;
  tree.children = wrap(tree.children, fences.filter((fence) => fence.depth === 0));
  const quoted = fences.filter((fence) => fence.depth > 0);
  if (!quoted.length) return;
  const walk = (parent: Parent, depth: number) => {
    for (const child of parent.children as RootContent[]) {
      if (child.type === 'blockquote' && child.position) {
        const { start, end } = child.position;
        const quotes = new Set(quoted.filter((fence) => fence.depth === depth + 1 && !fence.implied && fence.line >= start.line && fence.line <= end.line).map((fence) => fence.quote));
        const inside = quoted.filter((fence) => fence.depth === depth + 1 && quotes.has(fence.quote));
        walk(child, depth + 1);
        if (inside.length) child.children = wrap(child.children, inside) as typeof child.children;
      } else if ('children' in child) walk(child as Parent, depth);
    }
  };
  walk(tree, 0);
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
