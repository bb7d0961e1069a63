// No silent loss, as a rule the code keeps: every node type the parser can
// produce has a handler (the typed map makes a missing one a compile error),
// and every block of a document that uses every construct either puts
// something in the PDF or says, at its line, why it does not.
import fs from 'node:fs';
import path from 'node:path';
import type { Nodes } from 'mdast';
import { describe, expect, it } from 'vitest';
import { loadStyle } from '../scripts/format/styles.js';
import { Inputs } from '../scripts/core/inputs.js';
import { ProjectLayout } from '../scripts/core/layout.js';
import { parseChapter } from '../scripts/parse/markdown.js';
import { collectLabels, renderChapter } from '../scripts/render/document.js';
import { handlers } from '../scripts/render/handlers/index.js';
import { collectMathMacros } from '../scripts/render/handlers/math.js';
import { checkImages } from '../scripts/resolve/images.js';
import { fixturesDir } from './helpers/project.js';

const file = path.join(fixturesDir, 'coverage', 'every-construct.md');

/** Node types that a parsed chapter never holds, and why. */
const neverInATree: Record<string, string> = {
  root: 'the tree itself, written block by block',
  yaml: 'front matter is taken off the tree by the parse step',
  citeKey: 'keys are grouped into citations and cross-references while parsing',
};

describe('every node type', () => {
  const chapter = parseChapter(file, fs.readFileSync(file, 'utf8'));
  const found = new Set<string>();
  const walk = (node: Nodes) => {
    found.add(node.type);
    if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  walk(chapter.tree);

  it('is produced by the all-constructs document, but for the few that never stay in a tree', () => {
    const missing = Object.keys(handlers).filter((type) => !found.has(type) && !(type in neverInATree));
    expect(missing).toEqual([]);
  });

  it('renders, or warns at the block that it does not', () => {
    const style = loadStyle('apa', new ProjectLayout(path.dirname(file)), new Inputs(), { line: 1, column: 1 }).style!;
    const citations = new Map<string, string>();
    const rendered = (block: Nodes) => {
      const single = { ...chapter.tree, children: [block] } as typeof chapter.tree;
      return renderChapter(
        { file, tree: single },
        { projectDir: path.dirname(file), citations, style, labels: collectLabels([chapter.tree]), fileExists: fs.existsSync, mathMacros: collectMathMacros([chapter.tree]), referenceList: '' },
      );
    };
    const images = checkImages(chapter, path.dirname(file), fs.existsSync, false);
    const silent: string[] = [];
    for (const block of chapter.tree.children) {
      if (block.type === 'definition' || block.type === 'footnoteDefinition') continue; // written where they are used
      if (block.type === 'html' && /^<!--[\s\S]*-->$/.test(block.value.trim())) continue; // the writer's notes to herself, dropped as Pandoc drops them
      const { markup, diagnostics } = rendered(block as Nodes);
      const start = block.position?.start.line ?? 0;
      const end = block.position?.end.line ?? 0;
      const warned = [...diagnostics, ...images].some((d) => (d.line ?? 0) >= start && (d.line ?? 0) <= end);
      if (markup.trim() === '' && !warned) silent.push(`${block.type} at line ${start}`);
    }
    expect(silent).toEqual([]);
  });
});
