// The numbers the PDF gives headings, figures, tables, listings and
// equations, worked out the way the template's Typst numbering does, so the
// Word and HTML outputs print the same "Figure 3", "Table 2", "Section 2.1",
// "Equation (1)" and "Appendix A". In Typst order: the chapters, then the
// appendices, whose headings restart at A and whose figures and tables are
// A.1, A.2 within each appendix (templates/thesis.typ, `appendix`).
import type { Figure, Heading, Nodes, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { Supplements } from '../compile/typst-compiler.js';
import { nodeLabel } from '../parse/labels.js';

export interface ChapterToNumber {
  tree: Root;
  /** The chapter's title from its front matter, typeset as its heading when it has no level-1 heading. */
  title?: string;
  appendix?: boolean;
}

export interface Numbered {
  /** The supplement and number as a cross-reference prints it: "Figure 3", "Anhang A". */
  reference: string;
  /** The number alone, as `\ref{…}` prints it: "3", "A", "1". */
  number: string;
}

export interface ThesisNumbers {
  /** A heading's number ("2.1", "Appendix A"); absent for unnumbered headings. */
  headings: Map<Heading, string>;
  /** A chapter's own title heading when it has none in its text (by chapter index). */
  titleHeadings: Map<number, string>;
  /** A figure's number ("3", "A.1") and its kind's word ("Figure"). */
  figures: Map<Figure, { supplement: string; number: string }>;
  /** A labelled equation's number, "(1)". */
  equations: Map<Nodes, string>;
  /** Every label, with what a cross-reference to it prints. */
  labels: Map<string, Numbered>;
}

const letter = (n: number) => {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(65 + ((k - 1) % 26)) + out;
  return out;
};

/**
 * The nodes of a tree that may take a number (headings, figures, equations),
 * in document order: found once per tree, as a kept chapter's tree is the
 * same object from build to build (the preview's draft numbers the whole
 * thesis on every save; the walk was 15 ms of it at book length). What they
 * are given is read from them each time (a heading's automatic id is given
 * on every build).
 */
const numberedNodesOfTree = new WeakMap<Root, Nodes[]>();

function numberedNodes(tree: Root): Nodes[] {
  let found = numberedNodesOfTree.get(tree);
  if (!found) {
    const nodes: Nodes[] = [];
    visit(tree, (node: Nodes) => {
      if (node.type === 'heading' || node.type === 'figure' || node.type === 'math' || node.type === 'displayMath') nodes.push(node);
    });
    numberedNodesOfTree.set(tree, (found = nodes));
  }
  return found;
}

export function numberThesis(chapters: readonly ChapterToNumber[], supplements: Supplements, appendixWord: string): ThesisNumbers {
  const numbers: ThesisNumbers = { headings: new Map(), titleHeadings: new Map(), figures: new Map(), equations: new Map(), labels: new Map() };
  const counter: number[] = [];
  const figureCounts = { image: 0, table: 0, code: 0 };
  let equations = 0;
  let inAppendix = false;

  const headingNumber = (depth: number): string => {
    counter.length = Math.max(counter.length, depth);
    for (let level = 0; level < depth - 1; level++) counter[level] ??= 0;
    counter[depth - 1] = (counter[depth - 1] ?? 0) + 1;
    counter.length = depth;
    if (inAppendix && depth === 1) {
      // Each appendix numbers its figures and tables anew.
      figureCounts.image = figureCounts.table = figureCounts.code = 0;
      return `${appendixWord} ${letter(counter[0])}`;
    }
    const parts = counter.slice(0, depth).map((n, level) => (inAppendix && level === 0 ? letter(n) : String(n)));
    return parts.join('.');
  };

  const ordered = [...chapters.entries()].sort(([, a], [, b]) => Number(!!a.appendix) - Number(!!b.appendix));
  for (const [index, chapter] of ordered) {
    if (chapter.appendix && !inAppendix) {
      inAppendix = true;
      counter.length = 0;
    }
    const hasTitleHeading = chapter.tree.children.some((node) => node.type === 'heading' && node.depth === 1);
    if (!hasTitleHeading && chapter.title) numbers.titleHeadings.set(index, headingNumber(1));
    for (const node of numberedNodes(chapter.tree)) {
      if (node.type === 'heading') {
        if (node.data?.unnumbered) continue;
        const number = headingNumber(node.depth);
        numbers.headings.set(node, number);
        const label = node.data?.label ?? node.data?.autoId;
        // An appendix's level-1 heading is named by its number alone ("Appendix A"), as the template's `supplement: none` does.
        const reference = inAppendix ? number : `${supplements.heading} ${number}`;
        if (node.data?.label) numbers.labels.set(node.data.label, { reference, number: inAppendix && node.depth === 1 ? letter(counter[0]) : number });
        if (label && label !== node.data?.label) numbers.labels.set(label, { reference, number });
      } else if (node.type === 'figure') {
        const kind = node.kind;
        figureCounts[kind]++;
        const number = inAppendix ? `${letter(counter[0] ?? 1)}.${figureCounts[kind]}` : String(figureCounts[kind]);
        const supplement = supplements[kind];
        numbers.figures.set(node, { supplement, number });
        if (node.label) numbers.labels.set(node.label, { reference: `${supplement} ${number}`, number });
      } else if (node.type === 'math' || node.type === 'displayMath') {
        const label = nodeLabel(node);
        if (!label) continue;
        const number = String(++equations);
        // Set beside the formula in parentheses; a reference prints the number alone ("Equation 1"), as Typst does.
        numbers.equations.set(node, `(${number})`);
        numbers.labels.set(label, { reference: `${supplements.equation} ${number}`, number });
      }
    }
  }
  return numbers;
}
