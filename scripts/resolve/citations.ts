// The resolve stage for citations: every `cite` node in document order (a
// citation inside a footnote counts where the footnote is referenced), with the
// footnote number citeproc needs, and each key checked against the bibliography.
import type { Cite, Data, FootnoteDefinition, Nodes, Root } from 'mdast';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { Bibliography } from './bibliography.js';
import { closest } from '../core/suggest.js';
import { isExampleReference } from '../parse/fancy-lists.js';

export interface CitationUse {
  id: string;
  node: Cite;
  file: string;
  /** The footnote the citation sits in or becomes; 0 for running text in author-date styles. */
  noteIndex: number;
  inFootnote: boolean;
  /** The citation is the first thing in its footnote (a note style then sets it without parentheses, as Pandoc does). */
  opensNote?: boolean;
}

declare module 'mdast' {
  interface CiteData extends Data {
    citationId?: string;
  }
  interface Cite {
    data?: CiteData;
  }
}

export interface ChapterTree {
  file: string;
  tree: Root;
}

export function footnoteDefinitions(tree: Root): Map<string, FootnoteDefinition> {
  const definitions = new Map<string, FootnoteDefinition>();
  const walk = (node: Nodes) => {
    if (node.type === 'footnoteDefinition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node);
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(tree);
  return definitions;
}

/**
 * What collecting a chapter's citations meets, in reading order: a footnote opening (at its first reference) and
 * closing, and each citation (whether it opens its footnote). It depends on the tree alone, so it is kept per tree:
 * watch keeps the trees of the chapters a save did not touch, and walking every chapter on every save cost 10 ms at
 * 10×. Which citations are examples' numbers, and the note numbers, are decided each run from these.
 */
type CiteEvent = { open: true } | { close: true } | { cite: Cite; opensNote: boolean };
const citeEventsOfTree = new WeakMap<Root, CiteEvent[]>();

function citeEvents(tree: Root): CiteEvent[] {
  const known = citeEventsOfTree.get(tree);
  if (known) return known;
  const events: CiteEvent[] = [];
  const definitions = footnoteDefinitions(tree);
  const seen = new Set<string>();
  let opener: Nodes | undefined;
  const walk = (node: Nodes, inNote: boolean) => {
    if (node.type === 'footnoteDefinition') return; // visited at its reference
    if (node.type === 'footnoteReference') {
      const definition = definitions.get(node.identifier);
      if (definition && !seen.has(node.identifier)) {
        seen.add(node.identifier);
        events.push({ open: true });
        const outer = opener;
        opener = firstInline(definition);
        for (const child of definition.children) walk(child as Nodes, true);
        opener = outer;
        events.push({ close: true });
      }
      return;
    }
    if (node.type === 'cite') {
      events.push({ cite: node, opensNote: inNote && node === opener });
      return;
    }
    if ('children' in node) for (const child of node.children) walk(child as Nodes, inNote);
  };
  walk(tree, false);
  citeEventsOfTree.set(tree, events);
  return events;
}

/** Citations in reading order; in a note style, running-text citations become footnotes. */
export function collectCitations(chapters: ChapterTree[], noteStyle: boolean): CitationUse[] {
  const uses: CitationUse[] = [];
  let footnotes = 0;
  for (const chapter of chapters) {
    // The numbers of the footnotes open where the walk is (a note may hold the reference of another).
    const open: number[] = [];
    for (const event of citeEvents(chapter.tree)) {
      if ('open' in event) open.push(++footnotes);
      else if ('close' in event) open.pop();
      else {
        const node = event.cite;
        if (isExampleReference(node)) continue;
        const footnote = open.at(-1) ?? 0;
        let noteIndex = footnote;
        if (!footnote && noteStyle) noteIndex = ++footnotes;
        const id = `c${uses.length + 1}`;
        node.data = { ...node.data, citationId: id };
        uses.push({ id, node, file: chapter.file, noteIndex, inFootnote: footnote > 0, ...(footnote > 0 && event.opensNote ? { opensNote: true } : {}) });
      }
    }
  }
  return uses;
}

/** The first inline of a footnote's first paragraph, blank text skipped. */
function firstInline(definition: FootnoteDefinition): Nodes | undefined {
  const first = definition.children[0];
  if (first?.type !== 'paragraph') return undefined;
  return first.children.find((child) => !(child.type === 'text' && child.value.trim() === ''));
}

/** Where a cited key is written (the key itself, else the whole citation). */
export function citationKeyPlace(use: CitationUse, item: CitationUse['node']['items'][number]): { line: number; column: number; end?: { line: number; column: number } } {
  const position = item.position ?? use.node.position;
  const start = position?.start;
  const end = position?.end;
  return { line: start?.line ?? 1, column: start?.column ?? 1, ...(end ? { end: { line: end.line, column: end.column } } : {}) };
}

/** Unknown keys: a warning with suggestions (an error with --strict). */
export function checkCitationKeys(uses: CitationUse[], bibliography: Bibliography, strict: boolean): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const use of uses) {
    for (const item of use.node.items) {
      if (bibliography.entries.has(item.key)) continue;
      diagnostics.push(
        diagnostic(
          'citation-unknown',
          `citation key "${item.key}" is not in the bibliography`,
          { file: use.file, ...citationKeyPlace(use, item) },
          { actual: item.key, expected: closest(item.key, bibliography.entries.keys()), ...(strict ? { severity: 'error' as const } : {}) },
        ),
      );
    }
  }
  return diagnostics;
}

/** Keys every citation uses, in first-use order. */
export function citedKeys(uses: CitationUse[]): string[] {
  const keys = new Set<string>();
  for (const use of uses) for (const item of use.node.items) keys.add(item.key);
  return [...keys];
}
