// A depth limit for nested block quotes and lists. Pandoc reads 2,000
// nested quotes; our tree walks are recursive and would run out of stack
// (or, for quotes, take minutes), and no thesis nests past a few levels. So
// a line that nests deeper than the limit is read at the limit, and the
// writer is told where (`nesting-too-deep`): nothing is lost, the text is
// set at the deepest level allowed.
export const MAX_QUOTE_DEPTH = 16;
/** List nesting is indentation: at 2 to 4 columns a level, 48 columns is 12 to 24 levels (Typst lays out no deeper). */
export const MAX_INDENT = 48;

export interface DeepLine {
  line: number;
  kind: 'quote' | 'list';
  depth: number;
}

/** The text with each line's nesting cut to the limits (line count kept), and the lines that were cut. */
export function limitNesting(text: string): { text: string; deep: DeepLine[] } {
  if (!/(?:(?:>|[-*+]|\d[.)])[ \t]*){17}|^[ \t]{49}/m.test(text)) return { text, deep: [] };
  // Only list items are cut: a table row or a code line may start far to the right.
  const listItem = /^[ \t]*(?:[-*+]|\d{1,9}[.)]|[a-zA-Z][.)]|\(?[ivxIVX]+[.)])[ \t]/;
  const deep: DeepLine[] = [];
  const lines = text.split('\n').map((line, index) => {
    // Quote markers, and list markers between them (`- > - > …`), each a level opened on this line.
    const opened = /^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?)+/.exec(line);
    if (opened) {
      const markers = opened[0].match(/>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])/g) ?? [];
      if (markers.length > MAX_QUOTE_DEPTH) {
        deep.push({ line: index + 1, kind: 'quote', depth: markers.length });
        // The first levels as written, the rest of the line as the deepest level's text.
        let kept = 0;
        let cut = 0;
        for (const match of opened[0].matchAll(/[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]?/g)) {
          if (++kept > MAX_QUOTE_DEPTH) break;
          cut = match.index! + match[0].length;
        }
        return line.slice(0, cut) + line.slice(opened[0].length);
      }
    }
    const indent = /^[ \t]*/.exec(line)![0];
    const width = [...indent].reduce((columns, ch) => columns + (ch === '\t' ? 4 - (columns % 4) : 1), 0);
    if (width > MAX_INDENT && listItem.test(line)) {
      deep.push({ line: index + 1, kind: 'list', depth: width });
      return ' '.repeat(MAX_INDENT) + line.slice(indent.length);
    }
    return line;
  });
  return { text: lines.join('\n'), deep };
}
