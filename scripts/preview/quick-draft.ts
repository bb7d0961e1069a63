// The preview's quick draft. Most saves while writing change the paragraphs
// of one chapter and nothing else: a word typed, a sentence rewritten, a
// paragraph added. For those the thesis the last build rendered is changed
// in place: the new paragraphs are parsed alone (with the chapter's note and
// link labels) and written as that build writes them, and their Typst lines
// replace the lines it wrote for the paragraphs they replace; the draft of
// the pages around them (draft.ts) is planned from that text at once. A
// whole run's steps before Typst (read, parse, resolve, format, render) took
// 20–30 ms of such a save at 1× and 60–100 ms at 10×; this takes a few.
//
// It is made only when the text is the one the next run renders, line for
// line (tests/quick-draft.test.ts holds it to that): what a paragraph could
// change beyond its own lines must be as it was. The citations (their ids,
// numbers and notes follow from their order in the thesis), the footnote
// references (a note is written at its first reference), the labels, the
// glossary terms (a first use is spelled out) and math macros of the
// paragraphs replaced and of the new ones are the same; the new ones are
// plain paragraphs, not a term of a definition list or a table's caption,
// with no image and no inline note; the thesis has no example lists. Else
// there is none, and the run's own draft follows (the preview's `draft`).
import type { Nodes, Root, RootContent } from 'mdast';
import path from 'node:path';
import type { SourceMapping } from '../core/source-map.js';
import { definitionLabels, parseStretch } from '../parse/markdown.js';
import { splitSections } from '../parse/sections.js';
import { nodeLabel } from '../parse/labels.js';
import { glossaryTermsOf } from '../parse/glossary-terms.js';
import type { DraftBase } from '../pipeline.js';
import type { RenderedThesis } from '../render/step.js';
import { markerLine, sourceMarker, keyNodes } from '../render/document.js';
import { switchBlock, switchLine, switchOpen } from '../render/block-switch.js';
import { collectMathMacros } from '../render/handlers/math.js';
import { linkHeaderReferencesIn } from '../resolve/header-references.js';

/** The thesis as the next run would render it after the save, made from the last run's. */
export interface QuickRendered extends RenderedThesis {
  lines: readonly string[];
  /** As the last build's (its paragraphs hold no raw Typst): whether every block stands behind a switch. */
  switchable: boolean;
}


/** A chapter's note and link labels, which its paragraphs are parsed with, found once per tree. */
const labelsOf = new WeakMap<Root, string[]>();

/** A line that would make the paragraph before it a term, or it a caption or a list item's text: not plain. */
const NOT_PLAIN_START = /^(?:[ \t]|[:~](?:[ \t]|$)|Table:)/;

/** What in a run of blocks reaches beyond them: what must stay as it was for the quick draft. */
function reach(blocks: readonly RootContent[]): { cites: Nodes[]; terms: Nodes[]; outward: string } {
  const cites: Nodes[] = [];
  const notes: string[] = [];
  const labels: string[] = [];
  let images = 0;
  let inlineNotes = 0;
  const walk = (node: Nodes) => {
    if (node.type === 'cite') cites.push(node);
    else if (node.type === 'footnoteReference') notes.push(node.identifier);
    else if (node.type === 'image' || node.type === 'imageReference') images++;
    else if (node.type === 'footnoteDefinition') inlineNotes++;
    const label = nodeLabel(node);
    if (label) labels.push(label);
    if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  blocks.forEach((block) => walk(block as Nodes));
  const root: Root = { type: 'root', children: [...blocks] };
  const terms = glossaryTermsOf([root]) as Nodes[];
  const macros = [...collectMathMacros([root]).keys()];
  // Citations compared as written (their data is the run's: ids, numbers).
  const written = cites.map((cite) => JSON.stringify(cite, (key, value) => (key === 'position' || key === 'data' ? undefined : value)));
  const outward = JSON.stringify({ written, notes, labels, terms: terms.map((term) => (term as { key?: string }).key), macros, images, inlineNotes });
  return { cites, terms, outward };
}

function chapterLabels(tree: Root): string[] {
  let labels = labelsOf.get(tree);
  if (!labels) labelsOf.set(tree, (labels = [...new Set(definitionLabels(tree))]));
  return labels;
}

/**
 * What a quick draft of the next save needs of a build's chapters, found now (after the build, while the writer
 * reads) rather than then: the labels a chapter's paragraphs are parsed with, and its notes (render/document.ts).
 */
export function prepareQuickDraft(base: DraftBase): void {
  for (const chapter of base.chapters) {
    chapterLabels(chapter.tree);
    base.writeBlocks(chapter.file, 0, []);
  }
}

/**
 * The thesis the next run would render after `after` replaced the text of one chapter, or null when the save is
 * not one the quick draft makes (see above).
 */
export function quickRender(base: DraftBase, chapterFile: string, after: string, projectDir: string): QuickRendered | null {
  const chapter = base.chapters.find((c) => c.file === chapterFile);
  if (!chapter || chapter.source === after) return null;
  // A chapter the incremental parser reads whole (front matter left open, a block open to the end): what its
  // first lines are changes how the rest reads, so a stretch of it is not read alone either.
  if (!splitSections(after)) return null;
  // The thesis's example lists number across chapters and turn citations into their numbers: not here.
  if (base.chapters.some((c) => keyNodes(c.tree).exampleLists.length > 0)) return null;
  const a = chapter.source.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const delta = b.length - a.length;
  // The changed lines, 1-based and inclusive, of the old text (empty when lines were only added: last < first).
  const first = head + 1;
  const last = a.length - tail;

  // The lines read again: the changed ones and the lines next to them up to a blank line or the text's ends (a
  // line typed under a paragraph is more of it), and the chapter's blocks among them: paragraphs, one after another.
  let from = first;
  let to = last;
  while (from > 1 && a[from - 2].trim() !== '') from--;
  while (to < a.length && a[to].trim() !== '') to++;
  const blocks = chapter.tree.children;
  const touched: number[] = [];
  blocks.forEach((block, index) => {
    if ((block.position?.start.line ?? 0) <= to && (block.position?.end.line ?? 0) >= from) touched.push(index);
  });
  if (touched.some((index, k) => blocks[index].type !== 'paragraph' || (k > 0 && index !== touched[k - 1] + 1))) return null;
  if (from < 2 || touched.some((index) => blocks[index].position!.start.line < from || blocks[index].position!.end.line > to)) return null;
  const newTo = to + delta;
  // What comes after may make the last paragraph a term of a definition list.
  const next = b.slice(newTo).find((line) => line.trim() !== '');
  if (next !== undefined && /^ {0,3}[:~](?:[ \t]|$)/.test(next)) return null;

  const text = b.slice(from - 1, newTo).join('\n');
  const offset = b.slice(0, from - 1).reduce((sum, line) => sum + line.length + 1, 0);
  const parsed = parseStretch(text, chapterLabels(chapter.tree), from, offset);
  const made = parsed.tree.children;
  if (made.length === 0) return null;
  if (parsed.notes.length || parsed.definitions.length || parsed.deep.length) return null;
  if (made.some((node) => node.type !== 'paragraph' || NOT_PLAIN_START.test(b[node.position!.start.line - 1]))) return null;
  // Pandoc's implicit header references, as the run links them.
  linkHeaderReferencesIn(parsed.tree, base.chapters.map((c) => c.tree));

  const was = reach(touched.map((index) => blocks[index]));
  const now = reach(made);
  if (was.outward !== now.outward) return null;
  // The run's data for them (citation ids, first uses), as they are the same citations and terms in the same order.
  now.cites.forEach((cite, k) => (cite.data = { ...was.cites[k].data }));
  now.terms.forEach((term, k) => (term.data = { ...was.terms[k].data }));

  // Where the paragraphs are written now: after the block before them (the first of a chapter is not here).
  const at = touched.length ? touched[0] : blocks.findIndex((block) => (block.position?.start.line ?? 0) > to);
  const index = at < 0 ? blocks.length : at;
  const written = base.writeBlocks(chapterFile, index, made);
  if (!written || index === 0) return null;
  const relative = path.relative(projectDir, chapterFile).split(path.sep).join('/');
  const own = (mapping: SourceMapping, line: number) => mapping.file === chapterFile && mapping.line === line;
  const sourceMap = base.rendered.sourceMap;
  const lines = base.rendered.lines ?? base.rendered.main.split('\n');
  // The Typst lines replaced (0-based, end excluded): each block behind its switch (render/block-switch.ts), from
  // the first touched paragraph's switch to the last one's end.
  let cut: number;
  let cutEnd: number;
  if (touched.length) {
    const firstMapping = sourceMap.find((m) => own(m, blocks[touched[0]].position!.start.line));
    const lastMapping = sourceMap.find((m) => own(m, blocks[touched.at(-1)!].position!.start.line));
    if (!firstMapping || !lastMapping) return null;
    cut = firstMapping.typLine - 3;
    cutEnd = lastMapping.typLine + lastMapping.typLines;
    if (!switchLine(lines[cut] ?? '', relative) || lines[cutEnd - 1] !== ']') return null;
  } else {
    const before = sourceMap.find((m) => own(m, blocks[index - 1].position?.start.line ?? -1));
    if (!before) return null;
    // After the block before (one switch, no raw Typst cut in stretches), each paragraph behind a blank line.
    cut = cutEnd = before.typLine + before.typLines;
    if (lines[cut - 1] !== ']') return null;
  }
  const inserted: string[] = [];
  const mappings: SourceMapping[] = [];
  made.forEach((node, k) => {
    if (k > 0 || !touched.length) inserted.push('');
    const line = node.position!.start.line;
    const block = switchBlock(node, relative, line, written.markup[k].split('\n'), sourceMarker(relative, line));
    for (const stretch of block.stretches) {
      mappings.push({ typLine: cut + inserted.length + stretch.at + 1, typLines: stretch.length, file: chapterFile, line: line + stretch.markupLine, endLine: node.position!.end.line });
    }
    inserted.push(...block.lines);
  });
  const moved = inserted.length - (cutEnd - cut);
  const out = [...lines.slice(0, cut), ...inserted, ...lines.slice(cutEnd)];
  const shifted: SourceMapping[] = [];
  let chapterEnd = cut + inserted.length;
  for (const mapping of sourceMap) {
    const startsAt = mapping.typLine - 1;
    if (startsAt < cut) shifted.push(mapping);
    else if (startsAt >= cutEnd) {
      const typLine = mapping.typLine + moved;
      if (mapping.file !== chapterFile || delta === 0) shifted.push({ ...mapping, typLine });
      else {
        shifted.push({ ...mapping, typLine, line: mapping.line + delta, endLine: mapping.endLine + delta });
        chapterEnd = typLine + mapping.typLines;
      }
    }
  }
  // The chapter's later blocks moved by `delta` lines: so do the lines their switches and markers name.
  if (delta !== 0) {
    const lineNow = (line: number) => (line > last ? line + delta : line);
    for (let at = cut + inserted.length; at < chapterEnd && at < out.length; at++) {
      const switchAt = switchLine(out[at], relative);
      const markerAt = switchAt ? null : markerLine(out[at], relative);
      if (switchAt) out[at] = switchOpen(relative, lineNow(switchAt.line), switchAt.first);
      else if (markerAt) out[at] = sourceMarker(relative, lineNow(markerAt.line), markerAt.heading);
    }
  }
  // The new paragraphs' places, in order among the others.
  const firstAfter = shifted.findIndex((mapping) => mapping.typLine - 1 >= cut);
  shifted.splice(firstAfter < 0 ? shifted.length : firstAfter, 0, ...mappings);
  // The chapters' files (compile/step.ts): the edited one's end and the later ones moved with the lines.
  const parts = base.rendered.parts?.map((part) => (part.from >= cutEnd ? { from: part.from + moved, to: part.to + moved } : part.to > cut ? { from: part.from, to: part.to + moved } : part));
  return {
    // Joined only when asked (a thesis compiled in chapters' files is not: compile/step.ts).
    get main() {
      return out.join('\n');
    },
    lines: out,
    sourceMap: shifted,
    switchable: base.rendered.switchable ?? false,
    ...(parts ? { parts } : {}),
  };
}
