// Brackets the writer escaped (`\[`, `\]`) are text, never the start or end
// of a citation, a span or an inline note. micromark keeps them as plain
// `[` in text nodes, indistinguishable from unescaped ones, so before those
// are grouped the escaped ones are swapped for private-use stand-ins (found
// by reading each text node against its source), and swapped back after.
import type { Nodes, Root, Text } from 'mdast';

const OPEN = '\uE010';
const CLOSE = '\uE011';
const isAsciiPunctuation = (ch: string) => /^[!-/:-@[-`{-~]$/.test(ch);

function eachText(tree: Root, visit: (node: Text) => void): void {
  const walk = (node: Nodes) => {
    if (node.type === 'text') visit(node);
    else if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  walk(tree);
}

/** Replaces escaped brackets in text with stand-ins; returns whether any were found. */
export function hideEscapedBrackets(tree: Root, source: string): boolean {
  let found = false;
  eachText(tree, (node) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start === undefined || end === undefined || !/[[\]]/.test(node.value)) return;
    const written = source.slice(start, end);
    if (written === node.value || !written.includes('\\')) return;
    const value = [...node.value];
    let i = 0;
    for (let j = 0; j < value.length && i < written.length; ) {
      if (written[i] === '\\' && isAsciiPunctuation(written[i + 1] ?? '') && value[j] === written[i + 1]) {
        if (value[j] === '[' || value[j] === ']') {
          value[j] = value[j] === '[' ? OPEN : CLOSE;
          found = true;
        }
        i += 2;
        j++;
      } else if (written[i] === value[j]) {
        i++;
        j++;
      } else if (/[ \t>]/.test(written[i])) i++; // indentation and quote markers that the text leaves out
      else return; // an entity or other rewriting: leave the node as it is
    }
    node.value = value.join('');
  });
  return found;
}

export function restoreEscapedBrackets(tree: Root): void {
  eachText(tree, (node) => {
    if (node.value.includes(OPEN) || node.value.includes(CLOSE)) node.value = node.value.replaceAll(OPEN, '[').replaceAll(CLOSE, ']');
  });
}
