// Today's chapters beside their earlier texts, for `thesis diff`: by name
// (followed through git's rename detection), a chapter renamed without git
// knowing by its words; earlier chapters left over are rows of their own.
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { parseChapter } from '../parse/markdown.js';
import type { Chapter } from '../parse/step.js';
import { similarity, wordCount, type ChangeMarker } from './mark.js';
import type { OldThesis } from './revision.js';
import type { ChapterRow } from './summary-page.js';

/** Pairs the chapters, marks every change in today's trees with `marker`, and gives one row per chapter. */
export function pairChapters(chapters: Chapter[], old: OldThesis, marker: ChangeMarker): ChapterRow[] {
  const earlier = old.chapters.map((chapter) => ({ ...chapter, tree: parseChapter(chapter.name, chapter.text).tree as Root }));
  const used = new Set<string>();
  const oldFor = new Map<Chapter, { name: string; tree: Root }>();
  const renamedTo = new Map([...old.renamed].map(([from, to]) => [to, from]));
  for (const chapter of chapters) {
    const name = renamedTo.get(chapter.name) ?? chapter.name;
    const same = earlier.find((candidate) => candidate.name === name);
    if (same) {
      oldFor.set(chapter, same);
      used.add(same.name);
    }
  }
  for (const chapter of chapters) {
    if (oldFor.has(chapter)) continue;
    const text = toString(chapter.tree);
    const renamed = earlier.filter((candidate) => !used.has(candidate.name)).map((candidate) => ({ candidate, score: similarity(toString(candidate.tree), text) })).sort((a, b) => b.score - a.score)[0];
    if (renamed && renamed.score >= 0.4) {
      oldFor.set(chapter, renamed.candidate);
      used.add(renamed.candidate.name);
    }
  }
  marker.markThesis(chapters.map((chapter) => ({ tree: chapter.tree, ...(oldFor.has(chapter) ? { old: oldFor.get(chapter)!.tree } : {}) })));
  const rows: ChapterRow[] = chapters.map((chapter) => {
    const before = oldFor.get(chapter);
    const title = chapter.frontMatter.title ?? toString(chapter.tree.children.find((node) => node.type === 'heading') ?? { type: 'text', value: chapter.name });
    const changes = marker.changes.get(chapter.tree);
    if (!before) return { title, status: 'new', ...(changes ? { changes } : {}) };
    if (before.name !== chapter.name) return { title, status: 'renamed', renamedFrom: before.name, ...(changes ? { changes } : {}) };
    return { title, status: 'kept', ...(changes ? { changes } : {}) };
  });
  for (const gone of earlier.filter((candidate) => !used.has(candidate.name))) rows.push({ title: gone.name, status: 'removed', removedWords: wordCount(toString(gone.tree)) });
  return rows;
}
