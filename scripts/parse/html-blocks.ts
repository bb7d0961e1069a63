// HTML blocks as Pandoc's PDF output treats them: the tags are not typeset,
// the Markdown between them is (Pandoc's `markdown_in_html_blocks`), and a
// `<div>` is a div (`native_divs`), its `class`, `id` and `lang` kept as a
// fenced div's. The tags that are dropped stay in the tree as an `html`
// node, which the writer reports; comments and `<script>`, `<style>`,
// `<pre>` and `<textarea>` blocks are left as they are (nothing in them is
// Markdown).
import type { Parent, Root, RootContent } from 'mdast';
import type { CellLine } from './pandoc-tables.js';
import type { Attributes } from './labels.js';

type LinesParser = (lines: CellLine[], inlineOnly: boolean) => RootContent[];

const VERBATIM = /^\s*<(?:!--|script|style|pre|textarea|\?|![A-Za-z]|!\[CDATA\[)/i;
const TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(?:\s+[^\s"'=<>`/]+(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<!--[\s\S]*?-->/g;
const DIV = /^\s*<div(\s[^>]*)?>([\s\S]*)<\/div>\s*$/i;

export function readHtmlBlocks(tree: Root, source: string, parseLines: LinesParser): void {
  let lineStarts: number[] | undefined;
  const startOf = (line: number) => {
    if (!lineStarts) {
      lineStarts = [0];
      for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    }
    return lineStarts[line - 1] ?? source.length;
  };
  const walk = (parent: Parent) => {
    parent.children = (parent.children as RootContent[]).flatMap((child) => {
      if (child.type === 'html' && child.position && !VERBATIM.test(child.value) && /^\s*</.test(child.value)) return read(child, startOf, parseLines).map((node) => (walkInto(node), node));
      if ('children' in child) walk(child as Parent);
      return [child];
    }) as Parent['children'];
  };
  const walkInto = (node: RootContent) => {
    if ('children' in node) walk(node as Parent);
  };
  walk(tree);
}

/** An HTML block's Markdown, with its tags (an `html` node) or as a div. */
function read(node: Extract<RootContent, { type: 'html' }>, startOf: (line: number) => number, parseLines: LinesParser): RootContent[] {
  const { start } = node.position!;
  const div = DIV.exec(node.value);
  // A div's own tags go; the HTML inside it is read again (a div in a div). Any other block loses all its tags.
  const value = div ? node.value.replace(/^(\s*)<div[^>]*>/i, (tag) => ' '.repeat(tag.length)).replace(/<\/div>(\s*)$/i, (tag) => ' '.repeat(tag.length)) : node.value;
  const strip = (line: string) => (div ? line : line.replace(TAG, (tag) => ' '.repeat(tag.length)));
  // Each line of the block without its tags, placed where its text starts.
  const lines: CellLine[] = value.split('\n').map((raw, k) => {
    const line = start.line + k;
    const column = k === 0 ? start.column : 1;
    const offset = k === 0 ? start.offset! : startOf(line);
    // Tags become spaces, so the text keeps its columns; lines lose their indentation (as Pandoc reads them).
    const text = strip(raw.replace(/\r$/, ''));
    const at = text.search(/\S|$/);
    return { text: text.trim(), line, column: column + at, offset: offset + at };
  });
  const blocks = lines.some((line) => line.text) ? parseLines(lines, false) : [];
  if (div) {
    const attributes = htmlAttributes(div[1] ?? '');
    return [{ type: 'div', attributes, children: blocks, position: node.position } as RootContent];
  }
  const tags = node.value.match(TAG)?.join('') ?? node.value;
  return [{ type: 'html', value: tags, position: node.position }, ...blocks];
}

/** `class`, `id` and the other attributes of an HTML tag, as a fenced div's attributes. */
function htmlAttributes(text: string): Attributes {
  const attributes: Attributes = { classes: [], keyValues: {} };
  for (const [, name, , double, single, bare] of text.matchAll(/([^\s"'=<>`/]+)(\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    const value = double ?? single ?? bare ?? '';
    if (name === 'class') attributes.classes.push(...value.split(/\s+/).filter(Boolean));
    else if (name === 'id') attributes.id = value;
    else attributes.keyValues[name] = value;
  }
  return attributes;
}
