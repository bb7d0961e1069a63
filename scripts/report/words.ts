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
