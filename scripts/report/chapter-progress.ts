// Per chapter: words, status, target, the sources it cites, leftover
// TODO/FIXME/XXX markers and empty sections, each with its position.
import type { Heading, Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { ChapterStatus } from '../read/config-schema.js';
import type { ParsedChapter } from '../parse/markdown.js';
import { chapterWords } from './words.js';
import { isExampleReference } from '../parse/fancy-lists.js';

export interface Marker {
  kind: 'TODO' | 'FIXME' | 'XXX';
  line: number;
  column: number;
  text: string;
}

export interface EmptySection {
  title: string;
  line: number;
  column: number;
}

export interface ChapterProgress {
  name: string;
  file: string;
  title: string;
  status: ChapterStatus | null;
  words: number;
  footnoteWords: number;
  target: number | null;
  cites: string[];
  markers: Marker[];
  emptySections: EmptySection[];
}

export function findMarkers(source: string): Marker[] {
  const markers: Marker[] = [];
  source.split('\n').forEach((line, index) => {
    for (const match of line.matchAll(/\b(TODO|FIXME|XXX)\b:?\s*(.*)/g)) {
      markers.push({ kind: match[1] as Marker['kind'], line: index + 1, column: (match.index ?? 0) + 1, text: match[2].replace(/\s*-->\s*$/, '').trim() });
    }
  });
  return markers;
}

/** A heading followed by nothing but a heading of the same or a higher level (or the end). */
export function findEmptySections(tree: Root): EmptySection[] {
  const empty: EmptySection[] = [];
  const blocks = tree.children.filter((node) => node.type !== 'definition' && node.type !== 'footnoteDefinition' && !(node.type === 'html' && /^<!--/.test(node.value)));
  blocks.forEach((node, index) => {
    if (node.type !== 'heading') return;
    const next = blocks[index + 1];
    if (!next || (next.type === 'heading' && next.depth <= (node as Heading).depth)) {
      empty.push({ title: toString(node), line: node.position?.start.line ?? 1, column: node.position?.start.column ?? 1 });
    }
  });
  return empty;
}

export function citedKeysIn(tree: Root): string[] {
  const keys = new Set<string>();
  const walk = (node: Nodes) => {
    if (node.type === 'cite' && !isExampleReference(node)) for (const item of node.items) keys.add(item.key);
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(tree);
  return [...keys];
}

export function chapterProgress(name: string, chapter: ParsedChapter, source: string): ChapterProgress {
  const { words, footnoteWords } = chapterWords(chapter.tree);
  const heading = chapter.tree.children.find((n): n is Heading => n.type === 'heading' && n.depth === 1);
  return {
    name,
    file: chapter.file,
    title: chapter.frontMatter.title ?? (heading ? toString(heading) : name),
    status: chapter.frontMatter.status ?? null,
    words,
    footnoteWords,
    target: chapter.frontMatter.target ?? null,
    cites: citedKeysIn(chapter.tree),
    markers: findMarkers(source),
    emptySections: findEmptySections(chapter.tree),
  };
}
