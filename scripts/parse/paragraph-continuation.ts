// Pandoc's paragraphs run on to the next blank line. A list, a block quote,
// an ATX heading or a rule written on the line right after a paragraph is
// text of that paragraph in Pandoc's Markdown (a list needs a blank line
// before it, `blank_before_header`, `blank_before_blockquote`), where
// CommonMark starts the new block. Read as Pandoc reads it, so the PDF says
// what Pandoc's would, and reported, since the writer most likely meant the
// block: a blank line before it makes it one in both.
import type { Div, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';

type InlineParser = (text: string, at: { line: number; column: number; offset: number }) => PhrasingContent[] | null;

export interface ContinuedParagraph {
  /** Where the block that became text starts, in the section. */
  line: number;
  column: number;
  /** What CommonMark would have made of it. */
  kind: 'list' | 'block quote' | 'heading' | 'rule';
}

const KIND: Partial<Record<RootContent['type'], ContinuedParagraph['kind']>> = { list: 'list', blockquote: 'block quote', heading: 'heading', thematicBreak: 'rule' };

// The marker a line of such a block starts with: kept as text, the rest read as inline Markdown.
const MARKER = /^[ \t]*(?:[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$)|(?:> ?)+|#{1,6}(?=[ \t]|$))?/;

/** At the top level and in fenced divs (block quotes and list items keep CommonMark's reading). */
export function continueParagraphs(tree: Root, source: string, parseInline: InlineParser): ContinuedParagraph[] {
  const found: ContinuedParagraph[] = [];
  const walk = (parent: Root | Div) => {
    const children = parent.children as RootContent[];
    for (let index = 0; index < children.length; index++) {
      const child = children[index];
      if (child.type === 'div') walk(child);
      if (child.type !== 'paragraph' || !child.position) continue;
      for (let next = children[index + 1]; next && continues(child, next, source); next = children[index + 1]) {
        found.push({ line: next.position!.start.line, column: next.position!.start.column, kind: KIND[next.type]! });
        child.children.push({ type: 'text', value: '\n' }, ...asText(next, source, parseInline));
        child.position.end = next.position!.end;
        children.splice(index + 1, 1);
      }
    }
  };
  walk(tree);
  return found;
}

/** The block starts on the paragraph's next line and holds no blank line: Pandoc's paragraph takes it whole. */
function continues(paragraph: Parent, next: RootContent, source: string): boolean {
  const start = next.position?.start;
  const end = next.position?.end;
  if (!KIND[next.type] || !start || !end || start.offset === undefined || end.offset === undefined) return false;
  if (start.line !== paragraph.position!.end.line + 1) return false;
  const text = source.slice(start.offset, end.offset);
  // A setext heading's underline is the paragraph's own; only `#` headings interrupt it.
  if (next.type === 'heading' && !/^[ \t]*#/.test(text)) return false;
  return !/\n[ \t>]*\r?\n/.test(text);
}

/** The block's lines as inline content: each line's marker as text, the rest read as Markdown. */
function asText(block: RootContent, source: string, parseInline: InlineParser): PhrasingContent[] {
  const { start, end } = block.position!;
  const content: PhrasingContent[] = [];
  let offset = source.lastIndexOf('\n', start.offset! - 1) + 1;
  for (let line = start.line; line <= end.line; line++) {
    const lineEnd = source.indexOf('\n', offset) < 0 ? source.length : source.indexOf('\n', offset);
    const text = source.slice(offset, lineEnd).replace(/\r$/, '');
    const marker = MARKER.exec(text)![0];
    const restStart = marker.length + (/^[ \t]*/.exec(text.slice(marker.length))![0].length);
    const rest = text.slice(restStart);
    if (line > start.line) content.push({ type: 'text', value: '\n' });
    const markerText = marker.trim();
    if (markerText) content.push({ type: 'text', value: rest ? `${markerText} ` : markerText } as Text);
    if (rest) content.push(...(parseInline(rest, { line, column: restStart + 1, offset: offset + restStart }) ?? [{ type: 'text', value: rest } as Text]));
    offset = lineEnd + 1;
  }
  return content;
}
