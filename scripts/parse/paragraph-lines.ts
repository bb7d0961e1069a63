// A paragraph's inline content cut into its source lines (text nodes hold
// the line ends as `\n`), for the Pandoc constructs read line by line:
// line blocks and lists with Pandoc's own markers.
import type { PhrasingContent, Text } from 'mdast';

export function paragraphLines(children: PhrasingContent[]): PhrasingContent[][] {
  const lines: PhrasingContent[][] = [[]];
  for (const child of children) {
    if (child.type !== 'text') {
      lines[lines.length - 1].push(child);
      continue;
    }
    child.value.split('\n').forEach((part, index) => {
      if (index > 0) lines.push([]);
      if (part) lines[lines.length - 1].push({ ...child, value: part } as Text);
    });
  }
  return lines;
}

/** The text a line starts with ('' when it starts with another node). */
export function lineStart(line: PhrasingContent[]): string {
  return line[0]?.type === 'text' ? line[0].value : '';
}
