// The preview's draft: after a save, the pages around the edit are compiled
// alone and shown at once, and the whole thesis follows. A long thesis costs
// Typst about a millisecond a page after any edit (it lays out every page
// after the edit again, then writes them all), so at book length the whole
// thesis cannot be on screen 0.3 s after a save; the few pages in view can.
//
// A draft starts where a page of the last full build starts cleanly (a
// chapter's heading, or a block that is the first thing on its page, no
// paragraph running over from the page before) and ends at the next such
// start two pages past the edit, or at the end of the chapter. It is the
// thesis's own text, compiled as its main file, under other block switches
// (render/block-switch.ts): only the draft's blocks are shown, and before the
// first of them the counters are set as the full build had them there (page
// number, heading numbers, figures, equations, footnotes), so the draft's
// pages are numbered as the full build's. The template, its title page and
// everything else outside the chapters' blocks are the thesis's own, and so
// is what raw Typst before the draft defines and sets. Cross-references and
// citation links to places outside the draft print what the thesis's
// numbering gives them (export/numbering.ts) and link nowhere. What the
// draft shows is replaced by the full build's pages as soon as they are there
// (preview/page.ts).
import path from 'node:path';
import type { Heading, Root } from 'mdast';
import type { BlockPlace, PlaceCounters } from '../compile/typst-compiler.js';
import type { SourceMapping } from '../core/source-map.js';
import { typstLabel, typstString } from '../core/typst-syntax.js';
import type { Numbered } from '../export/numbering.js';
import { draftSwitches } from '../render/block-switch.js';

/**
 * A draft starts at most this many pages before the edited block (further back, only the full build runs). Six
 * left 309 of the 1,848 blocks of the generated 10× thesis without a draft (its paragraphs often run over a page
 * break, and a page that begins inside one is no start), so a save there waited 1.0–1.5 s for the whole thesis;
 * twelve left 64 (21 once drafts were the thesis's own text under switches). Since then the paragraphs before the
 * edit are the full build's layouts, and a draft starting 13–17 pages before the edit costs Typst 41–84 ms at 10×
 * (measured over every block of the generated 10× thesis: median 35 ms a draft); twenty-four leave none there.
 */
const MAX_PAGES_BEFORE = 24;
/** The draft runs on at least this many pages past the page of the edited block, when the chapter does. */
const PAGES_AFTER = 2;

/** The one chapter a save changed: its lines before and after, as the previous build and this one read them. */
export interface ChapterChange {
  /** Relative to the project, with `/` (as the markers name files). */
  file: string;
  absolute: string;
  /** First line that differs (1-based, the same in both texts; the save's place, revealed in the preview). */
  firstLine: number;
  /** Last line of the old text that differs; lines after it moved by `delta`. */
  lastOldLine: number;
  delta: number;
}

/** The lines that differ between two texts of a chapter: the common head and tail kept. */
export function chapterChange(file: string, absolute: string, before: string, after: string): ChapterChange | null {
  if (before === after) return null;
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  // A change that only removed lines at the end is placed at the new text's last line.
  const firstLine = Math.min(head, b.length - 1) + 1;
  return { file, absolute, firstLine, lastOldLine: Math.max(firstLine, a.length - tail), delta: b.length - a.length };
}

export interface DraftPlan {
  /** The draft's block switches: the module a previewed thesis imports (render/block-switch.ts). */
  switches: string;
  /** The full build's block where the draft starts, and where it ends (the first block not in it; null: the chapter's end). */
  start: BlockPlace;
  end: BlockPlace | null;
  /** Pages of the last full build the draft stands in for: from `start.page`, this many. */
  replaces: number;
}

export interface DraftInput {
  /** The thesis as this build rendered it (its text, or its lines), and its source map. */
  main: string | readonly string[];
  sourceMap: readonly SourceMapping[];
  /** Whether every block stands behind a switch (the render step's `switchable`): else no draft can leave one out. */
  switchable: boolean;
  /** Where the blocks were in the last full build (old line numbers). */
  blocks: readonly BlockPlace[];
  change: ChapterChange;
  /** This build's chapters: which headings begin a chapter (and so a page). */
  chapters: readonly { file: string; tree: Root }[];
  /** What a cross-reference to each label prints (export/numbering.ts), for labels outside the draft: asked only when the draft has one. */
  labels: () => ReadonlyMap<string, Numbered>;
  /** What each note referenced again printed as its number in the last full build, by its label (none: "?"). */
  notes?: Readonly<Record<string, string>>;
}

/** Where a block of the last build is in this build's text (its line moved by the edit), or null when the edit took it. */
function lineNow(block: BlockPlace, change: ChapterChange): number | null {
  if (block.file !== change.file || block.line < change.firstLine) return block.line;
  if (block.line > change.lastOldLine) return block.line + change.delta;
  return block.line === change.firstLine ? block.line : null;
}

/** Level-1 headings of the chapters, by `file:line`: they begin a page (the template's chapter rule). */
function chapterHeadings(chapters: DraftInput['chapters'], relative: (file: string) => string): Set<string> {
  const found = new Set<string>();
  for (const chapter of chapters) {
    for (const node of chapter.tree.children) {
      if (node.type === 'heading' && (node as Heading).depth === 1 && node.position) found.add(`${relative(chapter.file)}:${node.position.start.line}`);
    }
  }
  return found;
}

/**
 * Blocks that begin their page with nothing of the block before on it: the
 * first block of a page that begins at the top of the text area (the highest
 * place a page's first block begins in the thesis), or a chapter's heading;
 * and no
 * footnote of an earlier page runs on to its foot, where a draft would not
 * have it (found by the draft property of tests/fuzz.test.ts; the full build
 * says where notes end, render/document.ts NOTE_END_RULE).
 */
function cleanStarts(blocks: readonly BlockPlace[], chapterStarts: ReadonlySet<string>): boolean[] {
  // The top of the text area, as the full build read it (render/document.ts PLACES_QUERY). Without it, the highest
  // place a page's first block begins (a heading's own top, not its marker's; not a chapter's heading, which the
  // template may set lower): wrong when no page of the thesis but a chapter's first begins cleanly (found by the
  // draft property of tests/fuzz.test.ts: a list ran over every page break of a short chapter).
  let top = blocks.find((block) => block.counters?.textTop !== undefined)?.counters?.textTop ?? Infinity;
  for (const block of top === Infinity ? blocks : []) {
    if (!block.counters || (block.heading && chapterStarts.has(`${block.file}:${block.line}`))) continue;
    const begins = block.heading ? block.counters.headingTop : block.y;
    if (begins !== undefined) top = Math.min(top, begins);
  }
  return blocks.map((block) => {
    if (!block.counters || block.counters.notesRunOn) return false;
    if (!block.heading) return Math.abs(block.y - top) < 0.5;
    // A chapter's heading opens its page; a lower heading does when it begins where the text area does.
    const headingTop = block.counters.headingTop;
    return chapterStarts.has(`${block.file}:${block.line}`) || (headingTop !== undefined && Math.abs(headingTop - top) < 0.5);
  });
}

/** Typst that sets the counters as they were where the draft begins. */
function counterPresets(counters: PlaceCounters, heading: boolean): string {
  // A heading's marker stands after it: its own step is taken off, the heading takes it again.
  const numbers = heading ? counters.heading.slice(0, -1).concat(Math.max(0, (counters.heading.at(-1) ?? 1) - 1)) : counters.heading;
  return [
    `#counter(page).update(${counters.page})`,
    `#counter(heading).update((${numbers.length ? numbers.join(', ') + ',' : '0,'}))`,
    `#counter(figure.where(kind: image)).update(${counters.image})`,
    `#counter(figure.where(kind: table)).update(${counters.table})`,
    `#counter(figure.where(kind: raw)).update(${counters.raw})`,
    `#counter(math.equation).update(${counters.equation})`,
    `#counter(footnote).update(${counters.footnote})`,
    // One after another, no space between: they stand at the start of the draft's first paragraph.
  ].join('');
}

/**
 * What cross-references to labels the draft does not hold print: the thesis's words for them, in the metadata
 * the rules of every previewed thesis look up (render/block-switch.ts SWITCH_PREAMBLE).
 */
function outsideLabels(text: string, labels: DraftInput['labels'], notes: DraftInput['notes'] = {}): string {
  const entries: string[] = [];
  // Second references to notes (render/handlers/footnote.ts): their numbers, for those whose note is before the draft.
  for (const name of new Set([...text.matchAll(/#footnote\(<([^<>\s]+)>\)/g)].map(([, name]) => name))) {
    if (Object.hasOwn(notes, name)) entries.push(`${typstString(name)}: ${typstString(notes[name])}`);
  }
  const names = new Set([...text.matchAll(/#ref\(<([^<>\s]+)>/g)].map(([, name]) => name));
  if (names.size) {
    // By the label as the Typst writes it (cross-references lower-case a label's first letter).
    const byName = new Map<string, Numbered>();
    for (const [label, numbered] of labels()) {
      byName.set(typstLabel(label), numbered);
      byName.set(typstLabel(label.charAt(0).toLowerCase() + label.slice(1)), numbered);
    }
    for (const name of names) {
      const numbered = byName.get(name);
      // Typst joins the supplement and the number with a space no line breaks at ("Section~1"): so does the draft,
      // or a line breaks where the full build's does not (found by the draft property of tests/fuzz.test.ts).
      const reference = numbered?.reference.endsWith(` ${numbered.number}`) ? `${numbered.reference.slice(0, -numbered.number.length - 1)}\u00a0${numbered.number}` : numbered?.reference;
      if (numbered) entries.push(`${typstString(name)}: (${typstString(reference!)}, ${typstString(numbered.number)})`);
    }
  }
  return `#metadata((${entries.join(', ')}${entries.length ? ',' : ':'}))<thesis-outside>`;
}

/**
 * The draft for a save, or null when there is none to make (the edit is not
 * inside the chapters' blocks of the last full build, or no page starts
 * cleanly near it): then the preview waits for the full build.
 */
export function planDraft(input: DraftInput, projectDir: string): DraftPlan | null {
  // As the markers name files; asked for every block of the thesis, worked out once a file.
  const relatives = new Map<string, string>();
  const relative = (file: string) => relatives.get(file) ?? relatives.set(file, path.relative(projectDir, file).split(path.sep).join('/')).get(file)!;
  const { blocks, change } = input;
  if (!input.switchable) return null;
  const clean = cleanStarts(blocks, chapterHeadings(input.chapters, relative));
  let edited = -1;
  for (let i = 0; i < blocks.length; i++) if (blocks[i].file === change.file && blocks[i].line <= change.firstLine) edited = i;
  if (edited < 0) return null;
  let first = edited;
  while (first >= 0 && !clean[first]) first--;
  if (first < 0 || blocks[edited].page - blocks[first].page > MAX_PAGES_BEFORE) return null;
  let last = edited + 1;
  while (last < blocks.length && blocks[last].file === change.file && !(clean[last] && blocks[last].page >= blocks[edited].page + PAGES_AFTER && lineNow(blocks[last], change) !== null)) last++;
  const end = last < blocks.length && blocks[last].file === change.file ? blocks[last] : null;

  const startLine = lineNow(blocks[first], change);
  const endLine = end ? lineNow(end, change) : null;
  if (startLine === null || (end && endLine === null)) return null;
  // The words for cross-references out of the draft: those its lines and the template's arguments name.
  const lines = typeof input.main === 'string' ? input.main.split('\n') : input.main;
  const own = input.sourceMap.filter((mapping) => mapping.file === change.absolute && mapping.line >= startLine && (endLine === null || mapping.line < endLine));
  const open = lines.findIndex((line) => line.startsWith('#show: thesis.with('));
  const close = open < 0 ? -1 : lines.indexOf(')', open);
  const named = [...lines.slice(open, close + 1), ...own.flatMap((mapping) => lines.slice(mapping.typLine - 1, mapping.typLine - 1 + mapping.typLines))].join('\n');
  const start = blocks[first];
  const starts = [counterPresets(start.counters!, start.heading), outsideLabels(named, input.labels, input.notes)].join(' ');
  const replaces = (end ? end.page : Math.max(...blocks.filter((block) => block.file === change.file).map((block) => block.page)) + 1) - start.page;
  return { switches: draftSwitches(change.file, startLine, endLine, starts), start, end, replaces };
}
