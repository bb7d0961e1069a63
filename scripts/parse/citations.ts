// Groups `citeKey` nodes into Pandoc citations on the syntax tree:
//   [see @a, p. 33; also -@b]   one bracketed citation, several items
//   @a [p. 33]                  author-in-text citation with a suffix
//   -@a                         suppressed author
// and turns pandoc-crossref keys (`@fig:x`, `@Sec:y`, …) into cross-references.
import type { Parent, PhrasingContent, Root, Text } from 'mdast';
import type { Position } from 'unist';
import { visit } from 'unist-util-visit';
import { BracketPairs, rewriteBrackets, slice, type Cursor } from './brackets.js';

export type CitationMode = 'normal' | 'in-text' | 'suppress-author';

export interface CitationItem {
  key: string;
  mode: CitationMode;
  prefix: PhrasingContent[];
  suffix: PhrasingContent[];
  position?: Position;
}

declare module 'mdast' {
  interface Cite extends Node {
    type: 'cite';
    items: CitationItem[];
    /** True when written in brackets ([@a]); false for @a and -@a. */
    bracketed: boolean;
  }
  interface Crossref extends Node {
    type: 'crossref';
    /** The label as written, without `@`: `fig:map`, `Sec:intro`. */
    label: string;
    /** LaTeX's `\ref{x}` (the number alone: "Figure \ref{x}") and `\eqref{x}` (the number in parentheses). */
    numberOnly?: 'ref' | 'eqref';
  }
  interface PhrasingContentMap {
    cite: Cite;
    crossref: Crossref;
  }
  interface RootContentMap {
    cite: Cite;
    crossref: Crossref;
  }
}

export const crossrefPrefixes = ['fig', 'sec', 'tbl', 'eq', 'lst'];
const crossrefPattern = new RegExp(`^(${crossrefPrefixes.join('|')}):`, 'i');

export function isCrossrefKey(key: string): boolean {
  return crossrefPattern.test(key);
}

/** A `[` before a citation key that no `]` closes: a half-typed citation. */
export interface UnclosedBracket {
  line: number;
  column: number;
  key: string;
}

/** Rewrites the tree in place; returns the brackets left open before a key. */
export function groupCitations(tree: Root): UnclosedBracket[] {
  const unclosed: UnclosedBracket[] = [];
  visit(tree, (node) => {
    if ('children' in node && (node as Parent).children.some((c) => c.type === 'citeKey')) {
      const parent = node as Parent;
      unclosed.push(...findUnclosed(parent.children as PhrasingContent[]));
      parent.children = groupChildren(parent.children as PhrasingContent[]) as Parent['children'];
    }
  });
  return unclosed;
}

function findUnclosed(nodes: PhrasingContent[]): UnclosedBracket[] {
  const found: UnclosedBracket[] = [];
  const pairs = new BracketPairs(nodes);
  // The first citation key at or after each index, read from the right once.
  const nextKey: (string | undefined)[] = new Array(nodes.length + 1);
  for (let index = nodes.length - 1; index >= 0; index--) {
    const node = nodes[index];
    nextKey[index] = node.type === 'citeKey' ? node.key : nextKey[index + 1];
  }
  nodes.forEach((node, index) => {
    if (node.type !== 'text') return;
    const key = nextKey[index + 1];
    if (!key || !node.position) return;
    // A `]` after the `[` in the same text means the bracket was closed around no key.
    const lastClosing = node.value.lastIndexOf(']');
    for (let offset = node.value.indexOf('['); offset >= 0; offset = node.value.indexOf('[', offset + 1)) {
      if (pairs.closing({ index, offset }) || lastClosing > offset) continue;
      const place = node.position.start.line === node.position.end.line ? { line: node.position.start.line, column: node.position.start.column + offset } : { line: node.position.start.line, column: node.position.start.column };
      found.push({ ...place, key });
    }
  });
  return found;
}


function groupChildren(children: PhrasingContent[]): PhrasingContent[] {
  let nodes = children;
  nodes = groupBracketed(nodes);
  nodes = groupBare(nodes);
  return nodes;
}

/** `[ … @key … ; … ]`. */
function groupBracketed(nodes: PhrasingContent[]): PhrasingContent[] {
  return rewriteBrackets(nodes, '[', (open, close) => {
    const items = parseCitationItems(slice(nodes, { index: open.index, offset: open.offset + 1 }, close), true);
    if (!items) return null;
    const end = { index: close.index, offset: close.offset + 1 };
    return { replacement: makeCitationOrCrossrefs(items, true, spanPosition(nodes, open, end)), end };
  });
}

/** `@key`, `-@key` and `@key [suffix]` outside brackets. */
function groupBare(nodes: PhrasingContent[]): PhrasingContent[] {
  if (!nodes.some((node) => node.type === 'citeKey')) return nodes;
  const pairs = new BracketPairs(nodes);
  const out: PhrasingContent[] = [];
  // Where a suffix in brackets ended inside a text node: the rest of that node is still to be copied.
  let resume: Cursor | null = null;
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    if (resume && resume.index === i) {
      out.push(...slice(nodes, resume, { index: i + 1, offset: 0 }));
      resume = null;
      continue;
    }
    if (node.type !== 'citeKey') {
      out.push(node);
      continue;
    }
    let mode: CitationMode = 'in-text';
    const previous = out[out.length - 1];
    if (previous?.type === 'text' && /(^|[^\p{L}\p{N}])-$/u.test(previous.value)) {
      mode = 'suppress-author';
      previous.value = previous.value.slice(0, -1);
      if (previous.value === '') out.pop();
    }
    // Pandoc's `@a [p. 33]`, and `@a [p. 33; @b]`: the bracket's first part is
    // the suffix of @a, the parts after `;` are more citations in the same
    // cluster. A bracket followed by `{` or `(` is a span or a link instead.
    let suffix: PhrasingContent[] = [];
    let more: CitationItem[] = [];
    let end = node.position?.end;
    const next = nodes[i + 1];
    if (next?.type === 'text' && /^\s?\[/.test(next.value) && !isCrossrefKey(node.key)) {
      const openOffset = next.value.indexOf('[');
      const close = pairs.closing({ index: i + 1, offset: openOffset });
      const closer = close ? nodes[close.index] : undefined;
      const followedBy = close && closer?.type === 'text' ? closer.value.charAt(close.offset + 1) : '';
      if (close && followedBy !== '{' && followedBy !== '(') {
        const [head, ...tail] = splitOnSemicolons(slice(nodes, { index: i + 1, offset: openOffset + 1 }, close));
        const items = tail.map((segment) => itemOf(segment, true));
        if (!head.some((n) => n.type === 'citeKey') && items.every((item): item is CitationItem => item !== null)) {
          suffix = tail.length ? trimNodes(head) : head;
          more = items;
          end = spanPosition(nodes, { index: i + 1, offset: 0 }, { index: close.index, offset: close.offset + 1 })?.end;
          // The nodes up to the `]` are the suffix; copying goes on after it.
          resume = { index: close.index, offset: close.offset + 1 };
        }
      }
    }
    const position = node.position && end ? { start: node.position.start, end } : node.position;
    out.push(...makeCitationOrCrossrefs([{ key: node.key, mode, prefix: [], suffix, position: node.position }, ...more], false, position));
    if (resume) i = resume.index - 1;
  }
  return out;
}

function makeCitationOrCrossrefs(items: CitationItem[], bracketed: boolean, position?: Position): PhrasingContent[] {
  // pandoc-crossref: [@fig:a; @fig:b] is a list of references, not a citation.
  if (items.every((item) => isCrossrefKey(item.key))) {
    const out: PhrasingContent[] = [];
    items.forEach((item, index) => {
      if (index > 0) out.push({ type: 'text', value: index === items.length - 1 ? ' and ' : ', ' });
      out.push(...item.prefix, { type: 'crossref', label: item.key, position: item.position }, ...item.suffix);
    });
    return out;
  }
  return [{ type: 'cite', items, bracketed, position }];
}

/** Split bracket contents on `;` into items; null when it is not a citation. */
function parseCitationItems(inner: PhrasingContent[], bracketed: boolean): CitationItem[] | null {
  if (!inner.some((n) => n.type === 'citeKey')) return null;
  const items = splitOnSemicolons(inner).map((segment) => itemOf(segment, bracketed));
  return items.every((item): item is CitationItem => item !== null) ? items : null;
}

/** Bracket contents cut at each `;` in the text. */
function splitOnSemicolons(inner: PhrasingContent[]): PhrasingContent[][] {
  const segments: PhrasingContent[][] = [[]];
  for (const node of inner) {
    if (node.type === 'text' && node.value.includes(';')) {
      const parts = node.value.split(';');
      parts.forEach((part, index) => {
        if (index > 0) segments.push([]);
        if (part) segments[segments.length - 1].push({ ...node, value: part });
      });
    } else {
      segments[segments.length - 1].push(node);
    }
  }
  return segments;
}

/** One citation item: a prefix, exactly one key, a suffix; null when the segment has no key or several. */
function itemOf(segment: PhrasingContent[], bracketed: boolean): CitationItem | null {
  const keys = segment.filter((n) => n.type === 'citeKey');
  if (keys.length !== 1) return null;
  const keyIndex = segment.indexOf(keys[0]);
  const prefix = trimNodes(segment.slice(0, keyIndex));
  let mode: CitationMode = 'normal';
  const last = prefix[prefix.length - 1];
  if (last?.type === 'text' && /(^|\s)-$/.test(last.value)) {
    mode = 'suppress-author';
    last.value = last.value.slice(0, -1).trimEnd();
    if (last.value === '') prefix.pop();
  }
  const key = keys[0];
  return {
    key: key.key,
    mode: bracketed ? mode : 'in-text',
    prefix,
    suffix: trimNodes(segment.slice(keyIndex + 1), 'start-only'),
    position: key.position,
  };
}

function trimNodes(nodes: PhrasingContent[], which: 'both' | 'start-only' = 'both'): PhrasingContent[] {
  const out = nodes.map((n) => (n.type === 'text' ? { ...n } : n));
  const first = out[0];
  if (first?.type === 'text') first.value = first.value.replace(/^\s+/, '');
  const last = out[out.length - 1];
  if (last?.type === 'text') last.value = last.value.replace(/\s+$/, '');
  void which;
  return out.filter((n) => n.type !== 'text' || n.value !== '');
}

function spanPosition(nodes: PhrasingContent[], from: Cursor, to: Cursor): Position | undefined {
  const first = nodes[from.index]?.position;
  const last = nodes[Math.min(to.index, nodes.length - 1)]?.position;
  if (!first || !last) return first ?? last;
  const startNode = nodes[from.index];
  const start =
    startNode.type === 'text' && first.start.line === first.end.line
      ? { ...first.start, column: first.start.column + from.offset, offset: (first.start.offset ?? 0) + from.offset }
      : first.start;
  const endNode = nodes[Math.min(to.index, nodes.length - 1)];
  const end =
    endNode.type === 'text' && last.start.line === last.end.line
      ? { ...last.start, column: last.start.column + to.offset, offset: (last.start.offset ?? 0) + to.offset }
      : last.end;
  return { start, end };
}
