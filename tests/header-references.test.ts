// Pandoc's implicit header references across builds that keep a chapter's
// tree (watch, the preview, the language server): a heading renamed in
// another chapter takes the link away, and naming it back brings it back.
import path from 'node:path';
import type { Link, Nodes, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { describe, expect, it } from 'vitest';
import { ThesisBuild } from '../scripts/pipeline.js';
import { copyProject, edit } from './helpers/project.js';

function links(tree: Root): string[] {
  const found: string[] = [];
  visit(tree, 'link', (node: Link) => {
    found.push(node.url);
  });
  return found;
}

describe('implicit header references over builds that keep trees', () => {
  it('follow a heading renamed in another chapter, and back', () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/one.md', (text) => `${text}\nSee [Second chapter] and [the chapter][Second chapter] for more.\n`);
    const build = new ThesisBuild(dir);
    try {
      const one = (run: ReturnType<ThesisBuild['run']>) => run.analysis!.chapters.find((chapter) => chapter.file === path.join(dir, 'thesis', 'one.md'))!.tree;
      const first = build.run({ preview: true, until: 'resolve' });
      const tree = one(first);
      expect(links(tree)).toEqual(['#sec:second', '#sec:second']);
      edit(dir, 'thesis/two.md', (text) => text.replace('# Second chapter', '# Later chapter'));
      const renamed = build.run({ preview: true, until: 'resolve' });
      // The same tree, kept: its links undone.
      expect(one(renamed)).toBe(tree);
      expect(links(tree)).toEqual([]);
      const text: string[] = [];
      visit(tree, 'text', (node: Nodes) => void text.push((node as { value: string }).value));
      expect(text.join('')).toContain('See [Second chapter] and [the chapter][Second chapter] for more.');
      edit(dir, 'thesis/two.md', (text) => text.replace('# Later chapter', '# Second chapter'));
      expect(links(one(build.run({ preview: true, until: 'resolve' })))).toEqual(['#sec:second', '#sec:second']);
    } finally {
      build.stop();
    }
  });
});
