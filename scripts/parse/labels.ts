// pandoc-crossref attributes: `{#sec:x}` on headings, `![cap](img){#fig:x}`,
// `: Caption {#tbl:x}` beside a table, `$$ … $$ {#eq:x}`. The attribute text is
// removed from the tree and the node gets a label, so the writer can emit
// Typst labels. A captioned image or table becomes a `figure` whose children
// are the image or table and its `caption`: everything a figure holds is a
// child, so every walk over the tree (citations, words, images) reaches it.
import type { Caption, Code, Figure, Heading, Image, ImageReference, Nodes, Paragraph, PhrasingContent, Root, RootContent, Table, Text } from 'mdast';
import { visit } from 'unist-util-visit';
import { blockLines, type BlockLines } from './block-lines.js';
import type { DefListDescriptionNode, DefListNode, DefListTermNode } from 'mdast-util-definition-list';

declare module 'mdast-util-math' {
  interface MathData {
    /** pandoc-crossref's `{#eq:x}`. */
    label?: string;
  }
}

declare module 'mdast' {
  interface Figure extends Parent {
    type: 'figure';
    /** What the figure shows: an image, a table (Typst's `kind: table`) or code (a listing, `kind: raw`). */
    kind: 'image' | 'table' | 'code';
    children: (Image | ImageReference | Table | Code | Caption)[];
    label?: string;
    /** The image's size, from `{width=… height=…}`. */
    width?: string;
    height?: string;
    /** The image's alternative text for readers who cannot see it (`fig-alt`). */
    alt?: string;
    /** Other attributes, which the writer reports it does not use. */
    attributes?: Record<string, string>;
  }
  interface Caption extends Parent {
    type: 'caption';
    children: PhrasingContent[];
  }
  interface DisplayMath extends Node {
    type: 'displayMath';
    value: string;
    label?: string;
  }
  interface RootContentMap {
    figure: Figure;
    caption: Caption;
    displayMath: DisplayMath;
  }
  interface BlockContentMap {
    figure: Figure;
    displayMath: DisplayMath;
  }
  interface HeadingData {
    label?: string;
    unnumbered?: boolean;
  }
}

/** The label a node carries, written by the user: a heading's, a figure's, a table's or an equation's. */
export function nodeLabel(node: Nodes): string | undefined {
  if (node.type === 'heading' || node.type === 'table' || node.type === 'math') return (node.data as { label?: string } | undefined)?.label;
  if (node.type === 'figure' || node.type === 'displayMath') return node.label;
  return undefined;
}

/** The image or table a figure shows. */
export function figureBody(figure: Figure): Image | ImageReference | Table | Code {
  return figure.children.find((child): child is Image | ImageReference | Table | Code => child.type !== 'caption')!;
}

/** A figure's caption text (empty when it has none). */
export function figureCaption(figure: Figure): PhrasingContent[] {
  return figure.children.find((child): child is Caption => child.type === 'caption')?.children ?? [];
}

export interface Attributes {
  id?: string;
  classes: string[];
  keyValues: Record<string, string>;
}

const trailingAttributes = /\s*\{([^{}]*)\}\s*$/;

/** One part of a Pandoc attribute list: `#id`, `.class`, `-`, `key=value`, `key="a value"`. */
const attributePart = /\s*(?:#([^\s{}"']+)|\.([^\s{}"'=]+)|(-)(?=\s|$)|([\w:-]+)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"'{}]+)))/y;

/** Pandoc's attribute list (the text between `{` and `}`); null when it is not one. */
export function parseAttributes(text: string): Attributes | null {
  const attrs: Attributes = { classes: [], keyValues: {} };
  const input = text.trim();
  attributePart.lastIndex = 0;
  while (attributePart.lastIndex < input.length) {
    const match = attributePart.exec(input);
    if (!match) return null;
    const [, id, className, dash, key, doubleQuoted, singleQuoted, bare] = match;
    if (id !== undefined) attrs.id = id;
    else if (className !== undefined) attrs.classes.push(className);
    else if (dash !== undefined) attrs.classes.push('unnumbered');
    else attrs.keyValues[key] = doubleQuoted !== undefined ? doubleQuoted.replace(/\\(.)/g, '$1') : (singleQuoted ?? bare);
  }
  return input === '' ? null : attrs;
}

/**
 * Removes `{…}` from the end of the last text child of `children` (the array
 * is changed; the text node is replaced, never mutated, so a caller that
 * passed a copy leaves the tree as it was).
 */
function takeTrailingAttributes(children: PhrasingContent[]): Attributes | null {
  const last = children[children.length - 1];
  if (last?.type !== 'text') return null;
  const match = trailingAttributes.exec(last.value);
  if (!match) return null;
  const attrs = parseAttributes(match[1]);
  if (!attrs) return null;
  const rest = last.value.slice(0, match.index);
  if (rest === '') children.pop();
  else children[children.length - 1] = { ...last, value: rest };
  return attrs;
}

/**
 * A LaTeX `\label{x}` in a heading or a caption, as theses written for
 * Pandoc's LaTeX output use them with `\ref{x}`: taken out (with the space
 * before it) and returned as the label.
 */
function takeLatexLabel(children: PhrasingContent[]): string | undefined {
  const index = children.findIndex((child) => child.type === 'rawLatex' && child.command === 'label' && child.args.some((arg) => arg.kind === 'required'));
  if (index < 0) return undefined;
  const node = children[index] as Extract<PhrasingContent, { type: 'rawLatex' }>;
  children.splice(index, 1);
  const before = children[index - 1];
  if (before?.type === 'text') {
    const trimmed = before.value.replace(/\s+$/, '');
    if (trimmed) children[index - 1] = { ...before, value: trimmed };
    else children.splice(index - 1, 1);
  }
  return node.args.find((arg) => arg.kind === 'required')!.text.trim() || undefined;
}

// LaTeX's display math environments, as raw LaTeX in a paragraph of their own.
const MATH_ENVIRONMENT = /^\s*\\begin\{(equation|align|gather|multline|eqnarray|displaymath)(\*?)\}([\s\S]*?)\\end\{\1\2\}\s*$/;
const ALIGNED: Record<string, string> = { align: 'aligned', eqnarray: 'aligned', gather: 'gathered' };

/**
 * `\begin{equation} … \end{equation}` (also `align`, `gather`, `multline`,
 * starred or not) in a paragraph of its own: display math, as LaTeX typesets
 * it from Pandoc's output; a `\label{x}` inside labels it for `\ref{x}`.
 */
function latexMathEnvironment(paragraph: Paragraph, source: string): RootContent | null {
  const start = paragraph.position?.start.offset;
  const end = paragraph.position?.end.offset;
  if (start === undefined || end === undefined || paragraph.children[0]?.type !== 'rawLatex') return null;
  const match = MATH_ENVIRONMENT.exec(source.slice(start, end));
  if (!match) return null;
  const [, name, , body] = match;
  let label: string | undefined;
  const formula = body.replace(/\\label\{([^{}]*)\}/g, (_all, id: string) => ((label ??= id.trim()), '')).trim();
  const value = ALIGNED[name] ? `\\begin{${ALIGNED[name]}}${formula}\\end{${ALIGNED[name]}}` : formula;
  return { type: 'displayMath', value, label, position: paragraph.position };
}

const LABELLED_MATH_CLOSE = /^( {0,3}\$\$)([ \t]*)(\{[^{}]*\})[ \t]*\r?$/;

/**
 * pandoc-crossref's labelled math block: `$$` on a line of its own, the
 * equation, then `$$ {#eq:x}`. A CommonMark math fence cannot carry text
 * after its closing `$$` (it would never close, and the rest of the chapter
 * would be math), so the attributes are blanked out before parsing, keeping
 * every offset where it is, and given to the math block afterwards
 * (`applyLabels`). Returns the text to parse and the attributes by line.
 */
export function takeMathBlockLabels(source: string, blocks: BlockLines = blockLines(source)): { text: string; labels: Map<number, string> } {
  const labels = new Map<number, string>();
  const lines = source.split('\n');
  for (const index of blocks.mathCloses) {
    const labelled = LABELLED_MATH_CLOSE.exec(lines[index]);
    const attrs = labelled && parseAttributes(labelled[3].slice(1, -1));
    if (!labelled || !attrs?.id) continue;
    labels.set(index + 1, attrs.id);
    lines[index] = labelled[1] + ' '.repeat(lines[index].length - labelled[1].length);
  }
  return { text: labels.size ? lines.join('\n') : source, labels };
}

/** `mathBlockLabels`: the labels `takeMathBlockLabels` took, by the line of their closing fence. */
export function applyLabels(tree: Root, source: string, parseInline: InlineParser, mathBlockLabels: Map<number, string> = new Map()): void {
  visit(tree, 'heading', (heading: Heading) => {
    const attrs = takeTrailingAttributes(heading.children);
    const latexLabel = takeLatexLabel(heading.children);
    if (!attrs && !latexLabel) return;
    heading.data = { ...heading.data, label: attrs?.id ?? latexLabel, unnumbered: attrs?.classes.includes('unnumbered') ?? false };
  });
  if (mathBlockLabels.size) {
    visit(tree, 'math', (math) => {
      const label = mathBlockLabels.get(math.position?.end.line ?? 0);
      if (label) math.data = { ...math.data, label } as typeof math.data;
    });
  }

  transformBlocks(tree.children, source, parseInline);
  takeInlineCodeAttributes(tree);
}

/**
 * `` `\label{x}`{.latex} ``: attributes right after inline code (Pandoc's
 * `inline_code_attributes`) name its language for highlighting, which the
 * PDF does not do in running text; they are taken out, not printed.
 */
function takeInlineCodeAttributes(tree: Root): void {
  visit(tree, 'inlineCode', (code, index, parent) => {
    const next = parent && index !== undefined ? parent.children[index + 1] : undefined;
    if (next?.type !== 'text' || code.position?.end.offset !== next.position?.start.offset) return;
    const match = /^\{([^{}]*)\}/.exec(next.value);
    if (!match || !parseAttributes(match[1])) return;
    const rest = next.value.slice(match[0].length);
    if (rest) parent!.children[index! + 1] = { ...next, value: rest };
    else parent!.children.splice(index! + 1, 1);
  });
}

/** Walks block lists by hand: captions and labels remove siblings as they go. */
function transformBlocks(blocks: RootContent[], source: string, parseInline: InlineParser): void {
  for (let index = 0; index < blocks.length; index++) {
    const node = blocks[index];
    if (node.type === 'paragraph') {
      const replacement = figureFrom(node, source, parseInline) ?? displayMathFrom(node, source) ?? latexMathEnvironment(node, source);
      if (replacement) blocks[index] = replacement;
    } else if (node.type === 'table') {
      index += captionFromDefinitionList(index, blocks);
      index -= captionTable(node, index, blocks);
    } else if (node.type === 'code') {
      const listing = codeWithAttributes(node, parseInline);
      if (listing) blocks[index] = listing;
    } else if (node.type === 'math') {
      // `$$` fenced display math followed by a paragraph holding only `{#eq:x}`.
      const latexLabel = takeMathLabel(node);
      if (latexLabel && !node.data?.label) node.data = { ...node.data, label: latexLabel } as typeof node.data;
      const next = blocks[index + 1];
      if (next?.type === 'paragraph' && next.children.length === 1 && next.children[0].type === 'text') {
        const attrs = /^\{([^{}]*)\}$/.exec(next.children[0].value.trim());
        const parsed = attrs && parseAttributes(attrs[1]);
        if (parsed?.id) {
          node.data = { ...node.data, label: parsed.id };
          blocks.splice(index + 1, 1);
        }
      }
    } else if ('children' in node && node.type !== 'heading') {
      transformBlocks(node.children as RootContent[], source, parseInline);
    }
  }
}

/**
 * Pandoc's implicit figure: an image alone in a paragraph, its description
 * the caption (read as Markdown, so citations and emphasis in it work), with
 * an optional attribute list: `{#fig:x width=50% short-caption="…" fig-alt="…"}`.
 */
function figureFrom(paragraph: Paragraph, source: string, parseInline: InlineParser): RootContent | null {
  const children = [...paragraph.children];
  const attrs = children.length === 2 ? takeTrailingAttributes(children) : null;
  // A reference image (`![A map][map]`) alone is a figure too; its URL is looked up when it is written.
  if (children.length !== 1 || (children[0].type !== 'image' && children[0].type !== 'imageReference')) return null;
  const image = children[0];
  const { width, height, 'fig-alt': alt, ...others } = attrs?.keyValues ?? {};
  const captionText = imageDescription(image, source, parseInline);
  const latexLabel = takeLatexLabel(captionText);
  if (latexLabel && image.alt) image.alt = image.alt.replace(/\s*\\label\{[^{}]*\}/, '');
  const caption: Caption = { type: 'caption', children: captionText, position: image.position };
  return {
    type: 'figure',
    kind: 'image',
    children: [image, caption],
    label: attrs?.id ?? latexLabel,
    ...(width !== undefined ? { width } : {}),
    ...(height !== undefined ? { height } : {}),
    ...(alt !== undefined ? { alt } : {}),
    ...(Object.keys(others).length ? { attributes: others } : {}),
    position: paragraph.position,
  };
}

/** Parses a stretch of Markdown as inline content placed at `at`; null when it is not one paragraph. */
export type InlineParser = (text: string, at: { line: number; column: number; offset: number }) => PhrasingContent[] | null;

/** An image's description as Markdown (`![see [@a]](x.png)`), else its plain alt text. */
function imageDescription(image: Image | ImageReference, source: string, parseInline: InlineParser): PhrasingContent[] {
  const plain: PhrasingContent[] = image.alt ? [{ type: 'text', value: image.alt, position: image.position }] : [];
  const start = image.position?.start;
  if (start?.offset === undefined || source.slice(start.offset, start.offset + 2) !== '![') return plain;
  let depth = 0;
  let end = -1;
  for (let i = start.offset + 1; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) {
      end = i;
      break;
    }
  }
  if (end < 0) return plain;
  return parseInline(source.slice(start.offset + 2, end), { line: start.line, column: start.column + 2, offset: start.offset + 2 }) ?? plain;
}

function displayMathFrom(paragraph: Paragraph, source: string): RootContent | null {
  const children = [...paragraph.children];
  const attrs = takeTrailingAttributes(children);
  if (children.length !== 1 || children[0].type !== 'inlineMath') return null;
  const math = children[0];
  const offset = math.position?.start.offset;
  // Pandoc reads `$$…$$` inside a paragraph as display math.
  if (offset === undefined || source.slice(offset, offset + 2) !== '$$') return null;
  const display = { type: 'displayMath' as const, value: math.value, position: paragraph.position };
  const latexLabel = takeMathLabel(display);
  return { ...display, label: attrs?.id ?? latexLabel };
}

/** `\label{x}` inside display math, as in LaTeX's equation environment: taken out of the formula and returned. */
function takeMathLabel(math: { value: string }): string | undefined {
  let label: string | undefined;
  math.value = math.value.replace(/\\label\{([^{}]*)\}/, (_all, id: string) => ((label = id.trim()), '')).trim();
  return label || undefined;
}

/**
 * A code block with Pandoc's attributes (```` ```{.python #lst:x caption="…"} ````):
 * the first class is its language; with a caption (pandoc-crossref's listings)
 * it is a figure of code, labelled by its id. Sets the language in place and
 * returns the figure, or null when there is no caption.
 */
function codeWithAttributes(code: Code, parseInline: InlineParser): RootContent | null {
  const info = `${code.lang ?? ''}${code.meta ? ` ${code.meta}` : ''}`.trim();
  const match = /^\{([^{}=][^{}]*)\}$/.exec(info);
  const attrs = match && parseAttributes(match[1]);
  if (!attrs) return null;
  code.lang = attrs.classes[0] ?? null;
  code.meta = null;
  const captionText = attrs.keyValues.caption;
  if (captionText === undefined) return null;
  const at = code.position?.start;
  const children = (at && parseInline(captionText, { line: at.line, column: at.column, offset: at.offset ?? 0 })) ?? [{ type: 'text' as const, value: captionText }];
  return { type: 'figure', kind: 'code', children: [code, { type: 'caption', children, position: code.position }], label: attrs.id, position: code.position };
}

/**
 * `Text`, a blank line, `: Caption`, a blank line, a table: Pandoc reads the
 * `:` line as the table's caption, not as a definition (see below).
 */
export function isTableCaption(list: DefListNode): boolean {
  if (list.children.length !== 2) return false;
  const [term, description] = list.children;
  return (
    term.type === 'defListTerm' &&
    description.type === 'defListDescription' &&
    description.children.length === 1 &&
    description.children[0].type === 'paragraph' &&
    (description.position?.start.line ?? 0) > (term.position?.end.line ?? 0) + 1
  );
}

/**
 * `Text`, a blank line, `: Caption` reads as a definition list, but not when
 * a table follows: then, as in Pandoc, `: Caption` is the table's caption
 * and `Text` a paragraph. Returns how many blocks were added before the table.
 */
function captionFromDefinitionList(index: number, siblings: RootContent[]): number {
  const list = siblings[index - 1];
  if (list?.type !== 'defList' || !isTableCaption(list)) return 0;
  const [term, description] = list.children as [DefListTermNode, DefListDescriptionNode];
  const marker: Text = { type: 'text', value: ': ' };
  const caption: Paragraph = { type: 'paragraph', children: [marker, ...(description.children[0] as Paragraph).children], position: description.position };
  siblings.splice(index - 1, 1, { type: 'paragraph', children: term.children as PhrasingContent[], position: term.position }, caption);
  return 1;
}

/**
 * Pandoc's table captions: a paragraph `Table: …` or `: …` right before or
 * after. The table and its caption become one figure in the table's place;
 * returns how many siblings before the table were removed.
 */
function captionTable(table: Table, index: number, siblings: RootContent[]): number {
  for (const at of [index + 1, index - 1]) {
    const candidate = siblings[at];
    if (candidate?.type !== 'paragraph') continue;
    const first = candidate.children[0];
    if (first?.type !== 'text' || !/^(Table)?:\s/.test(first.value)) continue;
    const text = candidate.children.map((c) => ({ ...c })) as PhrasingContent[];
    (text[0] as Text).value = (text[0] as Text).value.replace(/^(Table)?:\s+/, '');
    const attrs = takeTrailingAttributes(text);
    const latexLabel = takeLatexLabel(text);
    const caption: Caption = { type: 'caption', children: text, position: candidate.position };
    const [start, end] = at < index ? [candidate.position, table.position] : [table.position, candidate.position];
    const figure: Figure = {
      type: 'figure',
      kind: 'table',
      children: [table, caption],
      label: attrs?.id ?? latexLabel,
      ...(attrs && Object.keys(attrs.keyValues).length ? { attributes: attrs.keyValues } : {}),
      position: start && end ? { start: start.start, end: end.end } : table.position,
    };
    siblings[index] = figure;
    siblings.splice(at, 1);
    return at < index ? 1 : 0;
  }
  return 0;
}
