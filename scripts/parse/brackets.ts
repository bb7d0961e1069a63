// Brackets in inline Markdown as micromark leaves them: literal `[` and `]`
// in text nodes, with other inline nodes between. Citations and Pandoc's
// inline footnotes both group the nodes between a bracket pair.
import type { PhrasingContent, Text } from 'mdast';

export interface Cursor {
  index: number; // child index
  offset: number; // character offset within a text child
}

/** The `]` that closes a bracket opened just before `from`, counting nesting in text. */
export function findClosingBracket(nodes: PhrasingContent[], from: Cursor): Cursor | null {
  let depth = 0;
  for (let i = from.index; i < nodes.length; i++) {
    const node = nodes[i];
    if (node.type !== 'text') continue;
    const start = i === from.index ? from.offset : 0;
    for (let j = start; j < node.value.length; j++) {
      const ch = node.value[j];
      if (ch === '[') depth++;
      else if (ch === ']') {
        if (depth === 0) return { index: i, offset: j };
        depth--;
      }
    }
  }
  return null;
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

