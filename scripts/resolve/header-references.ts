// Pandoc's implicit header references: `see [Methodology]`, `[the method][Methodology]`
// or `[Methodology][]` link to the heading with that text, anywhere in the
// thesis, when no link reference of that name is defined (micromark has made
// a link of those already). Matching ignores case and runs of spaces; with
// two headings of the same text the first is meant, as in Pandoc.
//
// The chapters' trees outlive a build (watch reparses only what changed), and
// the headings they point to may be renamed in another chapter, so each run
// first puts back what the previous run replaced, then links anew.
import type { Heading, Nodes, Parent, PhrasingContent, Root, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { rewriteBrackets, slice, type Cursor } from '../parse/brackets.js';

/** A parent's children as they were before the last run linked them. */
const written = new WeakMap<Parent, Parent['children']>();

const normal = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** `[text][]` or `[text][name]` right after a closing bracket, in the same text node. */
const referenceSuffix = /\[([^[\]]*)\]/y;

/** A tree's headings (with their text as matched) and the parents whose text may hold a reference. */
interface TreeReferences {
  headings: { heading: Heading; text: string }[];
  parents: Parent[];
}

/**
 * Found once per tree, before any run linked it (a kept chapter's tree is the
 * same object from build to build; the walk was 5 ms of every save at book
 * length). A heading's id is read each run: automatic ids are given anew.
 */
const referencesOfTree = new WeakMap<Root, TreeReferences>();

function treeReferences(tree: Root): TreeReferences {
  let found = referencesOfTree.get(tree);
  if (found) return found;
  found = { headings: [], parents: [] };
  const walk = (node: Nodes) => {
    if (!('children' in node)) return;
    const parent = node as Parent;
    // A tree first met already linked (a copy of a linked tree): read as it was written.
    const before = written.get(parent);
    if (before) {
      parent.children = before;
      written.delete(parent);
    }
    if (node.type === 'heading') found!.headings.push({ heading: node as Heading, text: normal(toString(node)) });
    else if (node.type !== 'link' && node.type !== 'linkReference' && parent.children.some((child) => child.type === 'text' && child.value.includes(']'))) found!.parents.push(parent);
    parent.children.forEach((child) => walk(child as Nodes));
  };
  walk(tree);
  referencesOfTree.set(tree, found);
  return found;
}

export function linkHeaderReferences(trees: readonly Root[]): void {
  const targets = new Map<string, string>();
  const found = trees.map(treeReferences);
  for (const { headings } of found) {
    for (const { heading, text } of headings) {
      const id = heading.data?.label ?? heading.data?.autoId;
      if (id && text && !targets.has(text)) targets.set(text, id);
    }
  }
  for (const { parents } of found) {
    for (const parent of parents) {
      // What the previous run replaced is put back, then linked anew (a heading may have been renamed since).
      const before = written.get(parent);
      if (before) {
        parent.children = before;
        written.delete(parent);
      }
      if (targets.size === 0) continue;
      const linked = linksIn(parent.children as PhrasingContent[], targets);
      if (linked !== parent.children) {
        written.set(parent, parent.children);
        parent.children = linked as Parent['children'];
      }
    }
  }
}

/**
 * The same links in a tree made apart from the thesis (the preview's quick draft parses a changed paragraph
 * alone), to the headings of the thesis's trees as the last run linked them; those trees are not changed.
 */
export function linkHeaderReferencesIn(tree: Root, thesis: readonly Root[]): void {
  const targets = new Map<string, string>();
  for (const { headings } of thesis.map(treeReferences)) {
    for (const { heading, text } of headings) {
      const id = heading.data?.label ?? heading.data?.autoId;
      if (id && text && !targets.has(text)) targets.set(text, id);
    }
  }
  if (targets.size === 0) return;
  const walk = (node: Nodes) => {
    if (!('children' in node)) return;
    const parent = node as Parent;
    if (node.type !== 'link' && node.type !== 'linkReference' && parent.children.some((child) => child.type === 'text' && child.value.includes(']'))) {
      parent.children = linksIn(parent.children as PhrasingContent[], targets) as Parent['children'];
    }
    parent.children.forEach((child) => walk(child as Nodes));
  };
  walk(tree);
}

function linksIn(nodes: PhrasingContent[], targets: ReadonlyMap<string, string>): PhrasingContent[] {
  return rewriteBrackets(nodes, '[', (open, close) => {
    const first = nodes[open.index] as Text;
    const closer = nodes[close.index];
    // An image's `![`, or the second bracket of `[text][name]`, is not a reference of its own.
    const before = first.value[open.offset - 1];
    if (before === '!' || before === ']') return null;
    const after = closer.type === 'text' ? closer.value[close.offset + 1] : undefined;
    // `[x](…)` and `[x]{…}` are other constructs Pandoc tries first.
    if (after === '(' || after === '{') return null;
    const inner = slice(nodes, { index: open.index, offset: open.offset + 1 }, close);
    let name = toString({ type: 'paragraph', children: inner });
    let end: Cursor = { index: close.index, offset: close.offset + 1 };
    if (after === '[' && closer.type === 'text') {
      referenceSuffix.lastIndex = close.offset + 1;
      const suffix = referenceSuffix.exec(closer.value);
      if (!suffix) return null;
      if (suffix[1].trim()) name = suffix[1];
      end = { index: close.index, offset: close.offset + 1 + suffix[0].length };
    }
    const id = targets.get(normal(name));
    if (!id) return null;
    const position = first.position && closer.position ? { position: { start: first.position.start, end: closer.position.end } } : {};
    return { replacement: [{ type: 'link', url: `#${id}`, title: null, children: inner, ...position }], end };
  });
}
