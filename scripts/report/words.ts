// Words as a reader counts them: prose only. Citations, footnote markers,
// cross-references, code, math, raw HTML, front matter and URLs are not
// words; footnote text is counted on its own. Each Han character counts as
// one word, as word counts for Chinese do.
import type { Nodes, Root } from 'mdast';

const wordPattern = /\p{Script=Han}|[\p{L}\p{N}]+(?:['’.\-][\p{L}\p{N}]+)*/gu;

export function countWords(text: string): number {
  return text.match(wordPattern)?.length ?? 0;
}

export interface WordCount {
  words: number;
  footnoteWords: number;
}

const notProse = new Set(['code', 'inlineCode', 'html', 'math', 'inlineMath', 'displayMath', 'yaml', 'definition', 'cite', 'citeKey', 'crossref', 'footnoteReference', 'image', 'imageReference']);

export function chapterWords(tree: Root): WordCount {
  const count: WordCount = { words: 0, footnoteWords: 0 };
  const walk = (node: Nodes, inFootnote: boolean) => {
    if (notProse.has(node.type)) return;
    if (node.type === 'text') {
      count[inFootnote ? 'footnoteWords' : 'words'] += countWords(node.value);
      return;
    }
    // A bare URL shown as its own link text is not prose.
    if (node.type === 'link' && node.children.length === 1 && node.children[0].type === 'text' && /^(https?:|mailto:|www\.)/.test(node.children[0].value)) return;
    const footnote = inFootnote || node.type === 'footnoteDefinition';
    if ('children' in node) for (const child of node.children) walk(child as Nodes, footnote);
  };
  walk(tree, false);
  return count;
}

/** A chapter's count as the thesis totals take it. */
export interface CountedChapter {
  words: number;
  target?: number | null;
  appendix?: boolean;
}

/**
 * The rule for the thesis's total, stated once for progress, its HTML page,
 * the history and check: the chapters' prose, without footnotes; the
 * appendices only when `words: { appendices: true }` says so.
 */
export function thesisWords(chapters: readonly CountedChapter[], countAppendices: boolean): number {
  return chapters.reduce((sum, chapter) => (chapter.appendix && !countAppendices ? sum : sum + chapter.words), 0);
}

/** The thesis's target: the chapters' targets added up, the same chapters counted; null when no chapter has one. */
export function thesisTarget(chapters: readonly CountedChapter[], countAppendices: boolean): number | null {
  const counted = chapters.filter((chapter) => !(chapter.appendix && !countAppendices) && typeof chapter.target === 'number');
  return counted.length ? counted.reduce((sum, chapter) => sum + (chapter.target as number), 0) : null;
}
