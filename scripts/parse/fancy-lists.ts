// Pandoc's ordered lists beyond CommonMark's `1.` and `1)`: letters and roman
// numerals (`a)`, `(b)`, `A.`, `iv.`, `(ii)`), `#.` and example lists
// (`(@)`, numbered on through the chapter). CommonMark reads them as
// paragraphs; a paragraph that starts with such a marker becomes a list: a
// line with the next marker starts the next item, other lines continue it,
// and paragraphs that follow, each starting with a marker of the same
// style, are further items of a loose list.
import type { List, ListItem, Paragraph, Parent, PhrasingContent, Root, RootContent, Text } from 'mdast';
import { lineStart, paragraphLines } from './paragraph-lines.js';

declare module 'mdast' {
  interface ListData {
    /** The Typst numbering pattern of a Pandoc list: `a)`, `(i)`, `A.`, `(1)`. */
    numbering?: string;
    /** An example list `(@)`: numbered on through the chapter (`numberExampleLists`). */
    example?: boolean;
  }
}

type Style = 'lower-alpha' | 'upper-alpha' | 'lower-roman' | 'upper-roman' | 'example' | 'default' | 'decimal';

interface Found {
  style: Style;
  delimiter: Marker['delimiter'];
  start: number;
  items: PhrasingContent[][];
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
  return { style, delimiter, value, length: whole.length };
}

function numbering(style: Style, delimiter: Marker['delimiter']): string {
  const symbol = { 'lower-alpha': 'a', 'upper-alpha': 'A', 'lower-roman': 'i', 'upper-roman': 'I', example: '1', default: '1', decimal: '1' }[style];
  return delimiter === '()' ? `(${symbol})` : `${symbol}${delimiter}`;
}

/** Items of one paragraph, or null when its first line has no marker. */
function itemsOf(paragraph: Paragraph, previous: { style: Style; delimiter: Marker['delimiter'] } | null): Found | null {
  const lines = paragraphLines(paragraph.children);
  const first = markerAt(lineStart(lines[0]), previous);
  if (!first) return null;
  const items: PhrasingContent[][] = [];
  for (const [index, line] of lines.entries()) {
    const marker = markerAt(lineStart(line), first);
    if (marker && (marker.style !== first.style || marker.delimiter !== first.delimiter)) {
      return { style: first.style, delimiter: first.delimiter, start: first.value, items, rest: lines.slice(index) };
    }
    if (marker) {
      const [head, ...rest] = line;
      const text = (head as Text).value.slice(marker.length);
      items.push(text ? [{ ...(head as Text), value: text }, ...rest] : rest);
    } else {
      // A line without a marker continues the item (a lazy continuation line).
      items[items.length - 1].push({ type: 'text', value: '\n' }, ...line);
    }
  }
  return { style: first.style, delimiter: first.delimiter, start: first.value, items, rest: [] };
}

export function readFancyLists(tree: Root): void {
  const walk = (parent: Parent) => {
    const out: RootContent[] = [];
    let current = null as { list: List; style: Style; delimiter: Marker['delimiter'] } | null;
    const queue = [...(parent.children as RootContent[])];
    while (queue.length) {
      const child = queue.shift()!;
      const found: Found | null = child.type === 'paragraph' ? itemsOf(child, current) : null;
      if (found?.rest.length) {
        // The lines from another style's marker on are read again, as a paragraph of their own.
        queue.unshift({ type: 'paragraph', children: found.rest.flatMap((line, i) => (i === 0 ? line : [{ type: 'text', value: '\n' } as Text, ...line])), position: child.position });
      }
      if (!found) {
        current = null;
        if ('children' in child) walk(child as Parent);
        out.push(child);
        continue;
      }
      const items: ListItem[] = found.items.map((item: PhrasingContent[]) => ({ type: 'listItem', spread: false, children: [{ type: 'paragraph', children: item }] }));
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
 * Example lists are numbered on through the chapter; done once the chapter
 * is assembled from its sections, in reading order.
 */
export function numberExampleLists(nodes: RootContent[]): void {
  let next = 1;
  const walk = (node: RootContent) => {
    if (node.type === 'list' && node.data?.example) {
      node.start = next;
      next += node.children.length;
    }
    if ('children' in node) (node.children as RootContent[]).forEach(walk);
  };
  nodes.forEach(walk);
}

