// Brackets in inline Markdown as micromark leaves them: literal `[` and `]`
// in text nodes, with other inline nodes between. Citations, Pandoc's
// bracketed spans and inline footnotes all group the nodes between a pair.
//
// Every rewrite here is one pass from left to right over a node list, with
// the pairs matched once beforehand: a paragraph of thousands of citations,
// spans or unclosed brackets is read in time linear in its length (searching
// for each `[`'s `]` anew, and copying the rest of the paragraph per
// construct, made such a paragraph quadratic).
import type { PhrasingContent, Text } from 'mdast';

export interface Cursor {
  index: number; // child index
  offset: number; // character offset within a text child
}

/** The `[`/`]` pairs of a node list, matched with a stack: `]` closes the nearest open `[` before it, counting nesting in text. */
export class BracketPairs {
  private readonly closers = new Map<number, Cursor>();

  constructor(nodes: readonly PhrasingContent[]) {
    const open: number[] = [];
    nodes.forEach((node, index) => {
      if (node.type !== 'text') return;
      const value = node.value;
      for (let offset = 0; offset < value.length; offset++) {
        const ch = value.charCodeAt(offset);
        if (ch === 0x5b) open.push(BracketPairs.key(index, offset));
        else if (ch === 0x5d && open.length) this.closers.set(open.pop()!, { index, offset });
      }
    });
  }

  /** The `]` closing the `[` at `open`, or null when none does. */
  closing(open: Cursor): Cursor | null {
    return this.closers.get(BracketPairs.key(open.index, open.offset)) ?? null;
  }

  private static key(index: number, offset: number): number {
    return index * 2 ** 32 + offset;
  }
}

/** A construct found at a bracket: what replaces it, and where it ends (just after its last character). */
export interface BracketConstruct {
  replacement: PhrasingContent[];
  end: Cursor;
}

/**
 * Replaces bracketed constructs in one pass. `opener` is the text that starts
 * one and ends in `[` (`[`, `^[`); `construct` is asked at each opener whose
 * `[` is closed, with the opener's position and the closing `]`, and returns
 * the replacement or null (then the opener stays text). The nodes between
 * constructs are copied once. Returns `nodes` itself when nothing was replaced.
 */
export function rewriteBrackets(
  nodes: PhrasingContent[],
  opener: string,
  construct: (open: Cursor, close: Cursor, pairs: BracketPairs) => BracketConstruct | null,
): PhrasingContent[] {
  if (!nodes.some((node) => node.type === 'text' && node.value.includes(opener))) return nodes;
  const pairs = new BracketPairs(nodes);
  const out: PhrasingContent[] = [];
  // Everything before `done` is in `out`.
  let done: Cursor = { index: 0, offset: 0 };
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.type !== 'text' || i < done.index) continue;
    let from = i === done.index ? done.offset : 0;
    while (true) {
      const at = node.value.indexOf(opener, from);
      if (at < 0) break;
      from = at + 1;
      const close = pairs.closing({ index: i, offset: at + opener.length - 1 });
      if (!close) continue;
      const found = construct({ index: i, offset: at }, close, pairs);
      if (!found) continue;
      out.push(...slice(nodes, done, { index: i, offset: at }), ...found.replacement);
      done = found.end;
      if (done.index !== i) {
        // Scanning goes on in the node the construct ended in.
        i = done.index - 1;
        break;
      }
      from = done.offset;
    }
  }
  if (done.index === 0 && done.offset === 0) return nodes;
  out.push(...slice(nodes, done, { index: nodes.length, offset: 0 }));
  return out;
}

/** The nodes between two cursors, splitting text nodes at the cursor offsets. */
export function slice(nodes: PhrasingContent[], from: Cursor, to: Cursor): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  for (let i = from.index; i <= to.index && i < nodes.length; i++) {
    const node = nodes[i];
    const start = i === from.index ? from.offset : 0;
    if (node.type === 'text') {
      const end = i === to.index ? to.offset : node.value.length;
      if (end > start) out.push(splitText(node, start, end));
    } else if (i < to.index || (i === to.index && to.offset > 0)) {
      if (i !== from.index || from.offset === 0) out.push(node);
    }
  }
  return out;
}

/** The point `offset` characters into a text node on one line; undefined for other nodes (their positions are not exact inside). */
export function pointIn(node: PhrasingContent, offset: number): { line: number; column: number; offset: number } | undefined {
  const position = node.position;
  if (node.type !== 'text' || !position || position.start.line !== position.end.line) return undefined;
  return { line: position.start.line, column: position.start.column + offset, offset: (position.start.offset ?? 0) + offset };
}

function splitText(node: Text, start: number, end: number): Text {
  const text: Text = { type: 'text', value: node.value.slice(start, end) };
  const pos = node.position;
  // Positions stay exact only within a single line; good enough for messages.
  if (pos && pos.start.line === pos.end.line && pos.start.offset !== undefined) {
    text.position = {
      start: { line: pos.start.line, column: pos.start.column + start, offset: pos.start.offset + start },
      end: { line: pos.start.line, column: pos.start.column + end, offset: pos.start.offset + end },
    };
  } else if (pos) {
    text.position = pos;
  }
  return text;
}
