// Pandoc's ordered lists beyond CommonMark's `1.` and `1)`: letters and roman
// numerals (`a)`, `(b)`, `A.`, `iv.`, `(ii)`), `#.` and example lists
// (`(@)`, numbered on through the chapter). CommonMark reads them as
// paragraphs; a paragraph that starts with such a marker becomes a list: a
// line with the next marker starts the next item, other lines continue it,
// and paragraphs that follow, each starting with a marker of the same
// style, are further items of a loose list.
import type { Cite, Code, List, ListItem, Nodes, Paragraph, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';
import { lineStart, paragraphLines } from './paragraph-lines.js';

declare module 'mdast' {
  interface ListData {
    /** The Typst numbering pattern of a Pandoc list: `a)`, `(i)`, `A.`, `(1)`. */
    numbering?: string;
    /** An example list `(@)`: numbered on through the document (`numberExampleLists`). */
    example?: boolean;
  }
  interface CiteData {
    /** `@good` where `good` labels an example: the example's number, printed instead of a citation. */
    exampleNumber?: number;
  }
  interface ListItemData {
    /** The label of an example item, `good` for `(@good)`: `@good` in the text is its number. */
    exampleLabel?: string;
  }
}

type Style = 'lower-alpha' | 'upper-alpha' | 'lower-roman' | 'upper-roman' | 'example' | 'default' | 'decimal';

interface Found {
  style: Style;
  delimiter: Marker['delimiter'];
  start: number;
  /** Each item's text; `nested`, lines indented under it that start a sublist. */
  items: { content: PhrasingContent[]; label?: string; nested?: PhrasingContent[][] }[];
  /** Lines from the first marker of another style on: the next list, as in Pandoc. */
  rest: PhrasingContent[][];
}

interface Marker {
  style: Style;
  /** `.`, `)` or `()` */
  delimiter: '.' | ')' | '()';
  value: number;
  /** Length of the marker and the spaces after it. */
  length: number;
  /** An example's label: `good` for `(@good)`. */
  label?: string;
}

const MARKER = /^(\()?(#|@[\w-]*|\d{1,9}|[ivxlcdm]+|[IVXLCDM]+|[a-z]|[A-Z])([.)])( +|\t|$)/;

function romanValue(text: string): number {
  const values: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };
  let total = 0;
  const lower = text.toLowerCase();
  for (let i = 0; i < lower.length; i++) {
    const value = values[lower[i]];
    total += value < (values[lower[i + 1]] ?? 0) ? -value : value;
  }
  return total;
}

/** The marker at the start of a line of text; `previous` decides whether `i` is a letter or a numeral. */
function markerAt(line: string, list: { style: Style; delimiter: Marker['delimiter'] } | null): Marker | null {
  const match = MARKER.exec(line);
  if (!match) return null;
  const [whole, open, body, close, spaces] = match;
  if (open && close !== ')') return null;
  const delimiter = open ? '()' : (close as '.' | ')');
  // The list being continued decides whether `i` is a letter or a numeral; a new delimiter starts a new list.
  const previous = list && list.delimiter === delimiter ? list.style : null;
  let style: Style;
  if (body === '#') style = 'default';
  else if (/^\d+$/.test(body)) {
    // `1.` and `1)` are CommonMark's own lists; `(1)` is Pandoc's.
    if (delimiter !== '()') return null;
    style = 'decimal';
  }
  else if (body.startsWith('@')) {
    if (delimiter !== '()') return null;
    style = 'example';
  } else if (/^[ivxlcdm]+$/.test(body) && (body.length > 1 || previous === 'lower-roman' || (previous !== 'lower-alpha' && body === 'i'))) style = 'lower-roman';
  else if (/^[IVXLCDM]+$/.test(body) && (body.length > 1 || previous === 'upper-roman' || (previous !== 'upper-alpha' && body === 'I'))) style = 'upper-roman';
  else if (/^[a-z]$/.test(body)) style = 'lower-alpha';
  else if (/^[A-Z]$/.test(body)) style = 'upper-alpha';
  else return null;
  // Pandoc: a capital letter or numeral with a period needs two spaces after it (`A. Smith`, `I. Kant` are names).
  if ((style === 'upper-alpha' || style === 'upper-roman') && delimiter === '.' && spaces.length < 2) return null;
  if (!spaces && whole.length === line.length) return null;
  const value =
    style === 'lower-alpha' || style === 'upper-alpha' ? body.toLowerCase().charCodeAt(0) - 96 : style.endsWith('roman') ? romanValue(body) : style === 'decimal' ? Number(body) : 1;
  return { style, delimiter, value, length: whole.length, ...(style === 'example' && body.length > 1 ? { label: body.slice(1) } : {}) };
}

/**
 * `(@good)` at the start of a line was read as `(`, the citation key `good`
 * and `)`: as one text again, so the marker is seen; other lines as they are.
 */
function withExampleMarker(line: PhrasingContent[]): PhrasingContent[] {
  const [open, key, close, ...rest] = line;
  if (open?.type !== 'text' || open.value !== '(' || key?.type !== 'citeKey' || close?.type !== 'text' || !close.value.startsWith(')')) return line;
  const position = open.position && close.position ? { start: open.position.start, end: close.position.end } : undefined;
  return [{ type: 'text', value: `(@${key.key}${close.value}`, ...(position ? { position } : {}) }, ...rest];
}

function numbering(style: Style, delimiter: Marker['delimiter']): string {
  const symbol = { 'lower-alpha': 'a', 'upper-alpha': 'A', 'lower-roman': 'i', 'upper-roman': 'I', example: '1', default: '1', decimal: '1' }[style];
  return delimiter === '()' ? `(${symbol})` : `${symbol}${delimiter}`;
}

/**
 * Items of one paragraph, or null when its first line has no marker.
 * `indents`: how far each line is indented in the source; a line with a
 * marker indented under an item starts a sublist of that item, as in Pandoc.
 */
function itemsOf(paragraph: Paragraph, previous: { style: Style; delimiter: Marker['delimiter'] } | null, indents?: number[]): Found | null {
  const lines = paragraphLines(paragraph.children).map(withExampleMarker);
  const first = markerAt(lineStart(lines[0]), previous);
  if (!first) return null;
  const items: Found['items'] = [];
  let nested = false;
  for (const [index, line] of lines.entries()) {
    const marker = markerAt(lineStart(line), first);
    // Indented at least to the first item's text: inside the item (Pandoc's rule for sublists).
    const deeper = indents !== undefined && index > 0 && indents[index] >= indents[0] + first.length;
    if (deeper && (nested || (marker && markerAt(lineStart(line), null)))) {
      const item = items[items.length - 1];
      (item.nested ??= []).push(line);
      nested = true;
      continue;
    }
    nested = false;
    if (marker && (marker.style !== first.style || marker.delimiter !== first.delimiter)) {
      return { style: first.style, delimiter: first.delimiter, start: first.value, items, rest: lines.slice(index) };
    }
    if (marker) {
      const [head, ...rest] = line;
      const text = (head as Text).value.slice(marker.length);
      items.push({ content: text ? [{ ...(head as Text), value: text }, ...rest] : rest, label: marker.label });
    } else {
      // A line without a marker continues the item (a lazy continuation line).
      items[items.length - 1].content.push({ type: 'text', value: '\n' }, ...line);
    }
  }
  return { style: first.style, delimiter: first.delimiter, start: first.value, items, rest: [] };
}

/** Reads an indented code block again as the Markdown blocks it holds, placed where they sit; null if it is a fenced one. */
export type ContinuationReader = (code: Code) => RootContent[] | null;

export function readFancyLists(tree: Root, readContinuation?: ContinuationReader, source?: string): void {
  let sourceLines: string[] | undefined;
  // How far each line of a paragraph is indented in the source (block-quote markers aside).
  const indentsOf = (paragraph: Paragraph): number[] | undefined => {
    const start = paragraph.position?.start.line;
    if (source === undefined || start === undefined) return undefined;
    sourceLines ??= source.split('\n');
    const count = (paragraph.position!.end.line - start) + 1;
    return Array.from({ length: count }, (_, k) => /^[ \t]*/.exec((sourceLines![start - 1 + k] ?? '').replace(/^(?: {0,3}> ?)+/, ''))![0].length);
  };
  const walk = (parent: Parent) => {
    const out: RootContent[] = [];
    let current = null as { list: List; style: Style; delimiter: Marker['delimiter'] } | null;
    // The children still to read, the next one last (shift() per child made a paragraph of many inline nodes quadratic).
    const pending = [...(parent.children as RootContent[])].reverse();
    while (pending.length) {
      const child = pending.pop()!;
      const found: Found | null = child.type === 'paragraph' ? itemsOf(child, current, indentsOf(child)) : null;
      if (found?.rest.length) {
        // The lines from another style's marker on are read again, as a paragraph of their own.
        pending.push({ type: 'paragraph', children: found.rest.flatMap((line, i) => (i === 0 ? line : [{ type: 'text', value: '\n' } as Text, ...line])), position: child.position });
      }
      // Blocks indented under a Pandoc list read as code to CommonMark; they belong to its last item (a sublist, more paragraphs).
      if (!found && current && child.type === 'code' && !child.lang && readContinuation) {
        const item = current.list.children[current.list.children.length - 1];
        const blocks = readContinuation(child);
        if (blocks) {
          item.children.push(...(blocks as ListItem['children']));
          item.spread = current.list.spread = true;
          walk(item);
          if (current.list.position && child.position) current.list.position.end = child.position.end;
          continue;
        }
      }
      if (!found) {
        current = null;
        if ('children' in child) walk(child as Parent);
        out.push(child);
        continue;
      }
      const items: ListItem[] = found.items.map(({ content, label, nested }) => {
        const item: ListItem = {
          type: 'listItem',
          spread: false,
          children: [{ type: 'paragraph', children: content }],
          ...(label ? { data: { exampleLabel: label } } : {}),
        };
        if (nested) {
          // The sublist's lines, read as a paragraph of the item: a list again if they start with a marker.
          item.children.push({ type: 'paragraph', children: nested.flatMap((line, i) => (i === 0 ? line : [{ type: 'text', value: '\n' } as Text, ...line])) });
          walk(item);
        }
        return item;
      });
      if (current && current.style === found.style && current.delimiter === found.delimiter) {
        // A further paragraph in the same style: the list is loose.
        current.list.children.push(...items);
        current.list.spread = true;
        if (current.list.position && child.position) current.list.position.end = child.position.end;
        continue;
      }
      const list: List = {
        type: 'list',
        ordered: true,
        start: found.start,
        spread: false,
        children: items,
        position: child.position && { ...child.position },
        data: { numbering: numbering(found.style, found.delimiter), ...(found.style === 'example' ? { example: true } : {}) },
      };
      current = { list, style: found.style, delimiter: found.delimiter };
      out.push(list);
    }
    parent.children = out as Parent['children'];
  };
  walk(tree);
}

/**
 * Example lists are numbered on through the document, as in Pandoc: from
 * `first` on, in reading order (a chapter when it is assembled from its
 * sections; the thesis, chapter after chapter, when it is resolved). Returns
 * the labels with their numbers and the next number.
 */
export function numberExampleLists(nodes: RootContent[], first = 1): { labels: Map<string, number>; next: number } {
  let next = first;
  const labels = new Map<string, number>();
  const walk = (node: RootContent) => {
    if (node.type === 'list' && node.data?.example) {
      node.start = next;
      node.children.forEach((item, index) => {
        const label = item.data?.exampleLabel;
        if (label && !labels.has(label)) labels.set(label, next + index);
      });
      next += node.children.length;
    }
    if ('children' in node) (node.children as RootContent[]).forEach(walk);
  };
  nodes.forEach(walk);
  return { labels, next };
}


/** A bare `@label` that names an example: Pandoc prints the example's number, and it cites nothing. */
export function isExampleReference(node: Cite): boolean {
  return node.data?.exampleNumber !== undefined;
}

/**
 * Marks the bare citations `@label` whose label is an example's with its
 * number, and unmarks those whose label no longer is (trees are reused
 * between builds, so every mark is set or cleared each time).
 */
export function markExampleReferences(nodes: readonly Nodes[], labels: Map<string, number>): void {
  const walk = (node: Nodes) => {
    if (node.type === 'cite') return markExampleReference(node, labels);
    if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  nodes.forEach(walk);
}

function markExampleReference(node: Cite, labels: Map<string, number>): void {
  const [item] = node.items;
  const number = !node.bracketed && node.items.length === 1 && item.mode === 'in-text' ? labels.get(item.key) : undefined;
  if (number !== undefined) node.data = { ...node.data, exampleNumber: number };
  else if (node.data?.exampleNumber !== undefined) delete node.data.exampleNumber;
}

/**
 * A tree's example lists and citations, in reading order: found once per
 * tree (a kept chapter's tree is the same object from build to build; the
 * walks were 5 ms of every save at book length). Their numbers and marks
 * are set on every build: an earlier chapter may have gained an example.
 */
const exampleNodesOfTree = new WeakMap<Root, { lists: List[]; cites: Cite[] }>();

function exampleNodes(tree: Root): { lists: List[]; cites: Cite[] } {
  let found = exampleNodesOfTree.get(tree);
  if (found) return found;
  const lists: List[] = [];
  const cites: Cite[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'cite') return void cites.push(node);
    if (node.type === 'list' && node.data?.example) lists.push(node);
    if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  walk(tree);
  exampleNodesOfTree.set(tree, (found = { lists, cites }));
  return found;
}

/** The example lists of a thesis numbered on from chapter to chapter, and `@label` references marked. */
export function numberExamplesInThesis(trees: readonly Root[]): void {
  const labels = new Map<string, number>();
  let next = 1;
  for (const tree of trees) {
    for (const list of exampleNodes(tree).lists) {
      list.start = next;
      list.children.forEach((item, index) => {
        const label = item.data?.exampleLabel;
        if (label && !labels.has(label)) labels.set(label, next + index);
      });
      next += list.children.length;
    }
  }
  for (const tree of trees) for (const cite of exampleNodes(tree).cites) markExampleReference(cite, labels);
}

/**
 * Pandoc does not tell bullets apart: `*`, `+` and `-` items one after
 * another are one list, where CommonMark starts a new list at each new
 * bullet character. Blank lines between them make the list loose.
 */
export function mergeBulletLists(tree: Root): void {
  const walk = (parent: Parent) => {
    const children = parent.children as RootContent[];
    for (let index = 0; index < children.length; index++) {
      const list = children[index];
      if ('children' in list) walk(list as Parent);
      if (list.type !== 'list' || list.ordered) continue;
      for (let next = children[index + 1]; next?.type === 'list' && !next.ordered && !next.data?.numbering; next = children[index + 1]) {
        next.children.forEach((item) => walk(item));
        const gap = (next.position?.start.line ?? 0) > (list.position?.end.line ?? 0) + 1;
        list.spread = Boolean(list.spread || next.spread || gap);
        list.children.push(...next.children);
        if (list.position && next.position) list.position.end = next.position.end;
        children.splice(index + 1, 1);
      }
    }
  };
  walk(tree);
}
