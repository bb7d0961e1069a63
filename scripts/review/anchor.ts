// Placing a comment made in Word back in the Markdown. The Word file was
// made from an earlier state of the chapters, so offsets mean nothing: the
// comment's paragraph is found by its words (the chapter paragraph sharing
// most of its word pairs), and the commented words inside it; the place is
// the source line and column of the first of them. What cannot be found is
// reported apart, never dropped.
import type { Nodes, Root } from 'mdast';

/** A paragraph-like piece of a chapter (a paragraph, heading, table cell) with its text mapped to source offsets. */
interface Unit {
  file: string;
  source: string;
  /** The text, normalised (see `normalise`), and the source offset of each of its characters. */
  text: string;
  offsets: number[];
  /** Word pairs, for finding the paragraph. */
  pairs: Set<string>;
  words: Set<string>;
}

export interface ChapterText {
  file: string;
  source: string;
  tree: Root;
}

export interface Placed {
  file: string;
  line: number;
  column: number;
}

/** Letters compared without case, quotes and dashes of any kind alike, runs of spaces as one. */
function normaliseChar(ch: string): string {
  if (/[\u2018\u2019\u201a\u201b\u2032]/.test(ch)) return "'";
  if (/[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]/.test(ch)) return '"';
  if (/[\u2013\u2014\u2212]/.test(ch)) return '-';
  if (/\s/.test(ch)) return ' ';
  return ch.toLowerCase();
}

export function normalise(text: string): string {
  return [...text].map(normaliseChar).join('').replace(/ +/g, ' ').trim();
}

const wordsOf = (text: string) => normalise(text).split(/[^\p{L}\p{N}']+/u).filter(Boolean);
const pairsOf = (words: string[]) => new Set(words.slice(1).map((word, index) => `${words[index]} ${word}`));

function unitsOf(chapter: ChapterText): Unit[] {
  const units: Unit[] = [];
  const collect = (node: Nodes) => {
    if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell' || node.type === 'defListTerm') {
      let text = '';
      const offsets: number[] = [];
      const add = (value: string, at: (index: number) => number) => {
        for (let index = 0; index < value.length; index++) {
          const ch = normaliseChar(value[index]);
          if (ch === ' ' && (text === '' || text.endsWith(' '))) continue;
          text += ch;
          offsets.push(at(index));
        }
      };
      const inline = (child: Nodes) => {
        if (child.type === 'text') {
          const start = child.position?.start.offset;
          add(child.value, start === undefined ? () => -1 : sourceOffsets(chapter.source, child.value, start));
        } else if (child.type === 'inlineCode' || child.type === 'inlineMath') {
          const start = child.position?.start.offset ?? -1;
          add(child.value, () => start);
        }
        else if (child.type === 'break') add(' ', () => child.position?.start.offset ?? -1);
        else if ('children' in child) (child.children as Nodes[]).forEach(inline);
      };
      (node.children as Nodes[]).forEach(inline);
      const trimmed = text.trimEnd();
      const words = wordsOf(trimmed);
      units.push({ file: chapter.file, source: chapter.source, text: trimmed, offsets: offsets.slice(0, trimmed.length), pairs: pairsOf(words), words: new Set(words) });
      return;
    }
    if ('children' in node) (node.children as Nodes[]).forEach(collect);
  };
  collect(chapter.tree);
  return units;
}

/**
 * Where a text node's text begins in the source, from its recorded start on:
 * text after an inline note or a citation carries the start of the text
 * before them, so its first words are looked for (spaces and line breaks
 * alike) up to a few thousand characters on.
 */
function findText(source: string, value: string, start: number): number {
  const lead = value.length - value.trimStart().length;
  const words = value.trimStart().slice(0, 40).trim();
  if (!words) return start;
  const pattern = new RegExp(words.split(/\s+/).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'), 'g');
  pattern.lastIndex = start;
  const found = pattern.exec(source.slice(0, start + 4000));
  return found ? Math.max(start, found.index - lead) : start;
}

/**
 * Where each character of a text node's value is in the source. The value
 * is not always the source as written (escapes, smart punctuation, a line's
 * indentation, text re-made around a citation), so each character is looked
 * for a few characters ahead of the last one found; one not found (a curly
 * quote typed straight) takes the place after the last one.
 */
function sourceOffsets(source: string, value: string, start: number): (index: number) => number {
  const offsets: number[] = [];
  let at = findText(source, value, start);
  for (const ch of value) {
    let found = -1;
    for (let k = at; k < Math.min(source.length, at + 8); k++) {
      if (source[k] === ch || (/\s/.test(ch) && /\s/.test(source[k]))) {
        found = k;
        break;
      }
    }
    if (found >= 0) at = found + 1;
    offsets.push(found >= 0 ? found : Math.min(at, source.length - 1));
    for (let extra = 1; extra < ch.length; extra++) offsets.push(offsets[offsets.length - 1]);
  }
  return (index) => offsets[index] ?? start;
}

function lineColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export class Anchorer {
  private readonly units: Unit[];

  constructor(chapters: readonly ChapterText[]) {
    this.units = chapters.flatMap(unitsOf);
  }

  /** Where the words `anchor`, found at `at` in a Word paragraph reading `context`, are now; null when the paragraph is gone. */
  place(context: string, anchor: string, at: number): Placed | null {
    const words = wordsOf(context);
    if (words.length === 0) return null;
    const pairs = pairsOf(words);
    // The paragraph sharing the most of the Word paragraph's word pairs (single words for a one-word paragraph).
    let best: Unit | null = null;
    let bestScore = 0;
    for (const unit of this.units) {
      const score = pairs.size
        ? [...pairs].filter((pair) => unit.pairs.has(pair)).length / pairs.size
        : words.filter((word) => unit.words.has(word)).length / words.length;
      if (score > bestScore) {
        best = unit;
        bestScore = score;
      }
    }
    if (!best || bestScore < 0.3) return null;
    const target = normalise(anchor);
    // Where the anchor is in the paragraph now: its first occurrence nearest to where it was, else its first words.
    const wanted = Math.round((normalise(context.slice(0, at)).length / Math.max(1, normalise(context).length)) * best.text.length);
    const attempts = target ? [target, target.split(' ').slice(0, 3).join(' '), target.split(' ')[0]] : [];
    let index = -1;
    for (const attempt of attempts) {
      const found: number[] = [];
      for (let from = best.text.indexOf(attempt); from >= 0; from = best.text.indexOf(attempt, from + 1)) found.push(from);
      if (found.length) {
        index = found.reduce((a, b) => (Math.abs(b - wanted) < Math.abs(a - wanted) ? b : a));
        break;
      }
    }
    // An insertion, or words no longer there: the place in the paragraph where they were.
    if (index < 0) index = Math.min(wanted, best.text.length - 1);
    let offset = best.offsets[Math.max(0, index)] ?? -1;
    for (let k = index; offset < 0 && k < best.offsets.length; k++) offset = best.offsets[k];
    if (offset < 0) return null;
    return { file: best.file, ...lineColumn(best.source, offset) };
  }
}
