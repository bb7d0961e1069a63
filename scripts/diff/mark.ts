// What changed in a thesis since an earlier revision, marked in the trees
// of today's chapters the way Pandoc marks tracked changes: words added in
// `insertion` spans, words removed (from the earlier text) in `deletion`
// spans, word by word within a sentence; blocks that changed in a
// `diff-changed` div (the change bar), blocks moved from elsewhere in a
// `diff-moved` div and not as deleted and added. The PDF writer colours the
// spans and draws the bars; Pandoc turns the spans into Word's tracked changes.
import type { Heading, Nodes, Paragraph, Parent, PhrasingContent, Root, RootContent, Span, Text } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { diffArrays } from 'diff';

export interface ChapterPair {
  /** The chapter as it is now, and its earlier text's tree (absent for a chapter added since). */
  tree: Root;
  old?: Root;
}

export interface ChapterChanges {
  added: number;
  removed: number;
  moved: number;
  /** The titles of the sections with a change, in order. */
  sections: string[];
}

/** Who made the changes and when, carried to Word's tracked changes. */
export interface ChangeAuthor {
  author: string;
  date: string;
  /** What the margin says beside a paragraph moved from elsewhere, in the thesis's language. */
  movedLabel: string;
}

/** The words of a text, as the summary counts them. */
export const wordCount = (text: string) => text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The share of words two texts have in common (of the longer one's), 0 to 1. */
export function similarity(a: string, b: string): number {
  const words = (text: string) => new Set(text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  const left = words(a);
  const right = words(b);
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / Math.max(left.size, right.size);
}

/** A leaf of a paragraph's inline content: a run of text (a word or the spaces between) or a node such as a citation. */
interface Token {
  value: string;
  node: Nodes;
  /** For a text token: where it is in its text node's value. */
  start?: number;
  end?: number;
}

const containers = new Set(['emphasis', 'strong', 'delete', 'link', 'linkReference', 'span', 'superscript', 'subscript']);

/** The text a glossary term prints ("SCS"), so an abbreviation written out earlier and as `[+scs]` now is no change. */
export type TermText = (key: string, plural: boolean) => string | undefined;

/** How a node that is not text reads, for comparing and for printing it struck through. */
function readable(node: Nodes, term: TermText): string {
  switch (node.type) {
    case 'cite':
      return `[${node.items.map((item) => `@${item.key}`).join('; ')}]`;
    case 'crossref':
      return `@${node.label}`;
    case 'inlineMath':
      return `$${node.value}$`;
    case 'inlineCode':
      return node.value;
    case 'footnoteReference':
      return `[^${node.identifier}]`;
    case 'glossaryTerm':
      return term(node.key, node.plural) ?? `[+${node.key}]${node.plural ? 's' : ''}`;
    default:
      return toString(node);
  }
}

function tokensOf(parent: Parent, term: TermText): Token[] {
  const out: Token[] = [];
  for (const child of parent.children as Nodes[]) {
    if (child.type === 'text') {
      let at = 0;
      // Words, spaces and punctuation apart, so "cell." against "cell and every corridor." keeps "cell" and ".".
      for (const piece of child.value.split(/(\s+|[.,;:!?()[\]"“”„«»])/)) {
        if (piece) out.push({ value: piece, node: child, start: at, end: at + piece.length });
        at += piece.length;
      }
    } else if (containers.has(child.type) && 'children' in child) out.push(...tokensOf(child as Parent, term));
    // A term compares as the words it prints; other nodes as themselves.
    else if (child.type === 'glossaryTerm' && term(child.key, child.plural) !== undefined) out.push({ value: term(child.key, child.plural)!, node: child });
    else out.push({ value: `\u0000${readable(child, term)}`, node: child });
  }
  return out;
}

const isSpace = (value: string) => /^\s+$/.test(value);

interface Marks {
  added: Set<Token>;
  /** Removed words, to print struck through before a token (or at the end: `null`). */
  removedBefore: Map<Token | null, string>;
  addedWords: number;
  removedWords: number;
}

function wordDiff(oldParent: Parent, newParent: Parent, term: TermText): Marks {
  const before = tokensOf(oldParent, term);
  const after = tokensOf(newParent, term);
  const parts = diffArrays(before.map((t) => t.value), after.map((t) => t.value), {
    comparator: (a: string, b: string) => a === b || (isSpace(a) && isSpace(b)),
  });
  const marks: Marks = { added: new Set(), removedBefore: new Map(), addedWords: 0, removedWords: 0 };
  // Words changed one by one with only spaces kept between them read as one
  // change: "old words" struck through, then "new words" (as latexdiff does).
  const grouped: typeof parts = [];
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    const between = !part.added && !part.removed && part.value.every(isSpace) && p > 0 && p < parts.length - 1;
    if (between && (parts[p - 1].added || parts[p - 1].removed) && (parts[p + 1].added || parts[p + 1].removed)) {
      grouped.push({ ...part, removed: true, added: false }, { ...part, added: true, removed: false });
    } else grouped.push(part);
  }
  const ordered: typeof parts = [];
  for (let p = 0; p < grouped.length; ) {
    if (!grouped[p].added && !grouped[p].removed) {
      ordered.push(grouped[p++]);
      continue;
    }
    const removedValues: string[] = [];
    const addedValues: string[] = [];
    for (; p < grouped.length && (grouped[p].added || grouped[p].removed); p++) (grouped[p].added ? addedValues : removedValues).push(...grouped[p].value);
    if (removedValues.length) ordered.push({ value: removedValues, count: removedValues.length, added: false, removed: true });
    if (addedValues.length) ordered.push({ value: addedValues, count: addedValues.length, added: true, removed: false });
  }
  let index = 0;
  let removed: string[] = [];
  const flushRemoved = () => {
    // A space after the removed words is kept, so they do not run into the next word.
    const text = removed.join('').trimStart().replace(/\s+$/, ' ');
    if (text.trim()) {
      const at = after[index] ?? null;
      marks.removedBefore.set(at, (marks.removedBefore.get(at) ?? '') + text);
      marks.removedWords += wordCount(text.replace(/\u0000/g, ''));
    }
    removed = [];
  };
  for (const part of ordered) {
    if (part.removed) {
      removed.push(...part.value.map((value) => value.replace(/^\u0000/, '')));
      continue;
    }
    flushRemoved();
    for (let k = 0; k < part.count!; k++, index++) {
      const token = after[index];
      if (part.added && !isSpace(token.value)) {
        marks.added.add(token);
        marks.addedWords += wordCount(token.value.replace(/^\u0000/, '')) || (token.value.startsWith('\u0000') ? 1 : 0);
      }
    }
  }
  flushRemoved();
  return marks;
}

export class ChangeMarker {
  readonly changes = new Map<Root, ChapterChanges>();

  constructor(
    private readonly who: ChangeAuthor,
    private readonly term: TermText = () => undefined,
  ) {}

  /** What a block is compared by: its kind and its text as printed. */
  private signature(node: Nodes): string {
    return `${node.type}:${normalise(this.text(node))}`;
  }

  /** A block's text as the thesis prints it (glossary terms as their short forms). */
  private text(node: Nodes): string {
    if (node.type === 'glossaryTerm') return this.term(node.key, node.plural) ?? '';
    if (node.type === 'text' || node.type === 'inlineCode') return node.value;
    if ('children' in node) return (node.children as Nodes[]).map((child) => this.text(child)).join('');
    return toString(node);
  }

  private span(kind: 'insertion' | 'deletion', children: PhrasingContent[]): Span {
    return { type: 'span', attributes: { classes: [kind], keyValues: { author: this.who.author, date: this.who.date } }, children };
  }

  /** Marks every chapter; a block removed in one chapter and added in another (or the same) is moved, not deleted and added. */
  markThesis(pairs: readonly ChapterPair[]): void {
    const plans = pairs.map((pair) => ({ pair, plan: this.plan(pair.old?.children ?? [], pair.tree.children) }));
    const addedBySignature = new Map<string, RootContent[]>();
    for (const { plan } of plans) for (const step of plan) if (step.kind === 'inserted') addedBySignature.set(this.signature(step.node), [...(addedBySignature.get(this.signature(step.node)) ?? []), step.node]);
    const moved = new Set<RootContent>();
    for (const { plan } of plans) {
      for (const step of plan) {
        if (step.kind !== 'deleted') continue;
        const candidates = addedBySignature.get(this.signature(step.node))?.filter((node) => !moved.has(node));
        if (candidates?.length && normalise(toString(step.node)).length > 0) {
          moved.add(candidates[0]);
          step.kind = 'gone';
        }
      }
    }
    for (const { pair, plan } of plans) {
      const changes: ChapterChanges = { added: 0, removed: 0, moved: 0, sections: [] };
      this.changes.set(pair.tree, changes);
      this.apply(pair.tree, plan, moved, changes, pair.old === undefined);
    }
  }

  /** How the blocks of one level line up: kept, modified (with their earlier form), inserted, or deleted (placed before a block). */
  private plan(oldBlocks: readonly RootContent[], newBlocks: readonly RootContent[]): Step[] {
    const relevant = (blocks: readonly RootContent[]) => blocks.filter((block) => block.type !== 'yaml' && block.type !== 'definition');
    const before = relevant(oldBlocks);
    const after = relevant(newBlocks);
    const parts = diffArrays(before.map((node) => this.signature(node)), after.map((node) => this.signature(node)));
    const steps: Step[] = [];
    let oldIndex = 0;
    let newIndex = 0;
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      if (!part.added && !part.removed) {
        for (let k = 0; k < part.count!; k++) steps.push({ kind: 'kept', node: after[newIndex++] });
        oldIndex += part.count!;
        continue;
      }
      // A run removed and a run added side by side: pair the blocks that are recognisably the same.
      const removed = part.removed ? before.slice(oldIndex, (oldIndex += part.count!)) : [];
      const nextPart = part.removed ? parts[p + 1] : undefined;
      const addedCount = part.added ? part.count! : nextPart?.added ? nextPart.count! : 0;
      if (nextPart?.added) p++;
      const added = after.slice(newIndex, (newIndex += addedCount));
      const used = new Set<RootContent>();
      const pairedWith = new Map<RootContent, RootContent>();
      for (const block of added) {
        let best: RootContent | undefined;
        let bestScore = 0.4;
        for (const earlier of removed) {
          if (used.has(earlier) || earlier.type !== block.type) continue;
          const score = similarity(this.text(earlier), this.text(block));
          if (score > bestScore) {
            best = earlier;
            bestScore = score;
          }
        }
        if (best) {
          used.add(best);
          pairedWith.set(block, best);
        }
      }
      // A deleted block is shown where it stood: before the first block paired with something that came after it.
      const deleted = removed.filter((block) => !used.has(block));
      for (const block of added) {
        const earlier = pairedWith.get(block);
        if (earlier) {
          const at = (removed as RootContent[]).indexOf(earlier);
          while (deleted.length && (removed as RootContent[]).indexOf(deleted[0]) < at) steps.push({ kind: 'deleted', node: deleted.shift()! });
        }
        steps.push(earlier ? { kind: 'modified', node: block, old: earlier } : { kind: 'inserted', node: block });
      }
      for (const block of deleted) steps.push({ kind: 'deleted', node: block });
    }
    return steps;
  }

  private apply(parent: Parent, plan: Step[], moved: Set<RootContent>, changes: ChapterChanges, wholeChapterNew: boolean): void {
    const children: RootContent[] = [];
    let section: string | null = null;
    const touch = () => {
      const title = section ?? '(before the first heading)';
      if (!changes.sections.includes(title)) changes.sections.push(title);
    };
    const bar = (node: RootContent, kind = 'diff-changed'): RootContent =>
      node.type === 'heading' ? node : { type: 'div', attributes: { classes: [kind], keyValues: kind === 'diff-moved' ? { label: this.who.movedLabel } : {} }, children: [node] };
    for (const step of plan) {
      const node = step.node;
      if (node.type === 'heading') section = normalise(this.text(node));
      switch (step.kind) {
        case 'kept':
          children.push(node);
          break;
        case 'gone':
          // Moved elsewhere: shown there; this section still changed.
          touch();
          break;
        case 'deleted': {
          const text = normalise(toString(node));
          if (!text) break;
          changes.removed += wordCount(text);
          touch();
          const paragraph: Paragraph = { type: 'paragraph', children: [this.span('deletion', [{ type: 'text', value: node.type === 'heading' ? `§ ${text}` : text }])] };
          children.push(bar(paragraph));
          break;
        }
        case 'inserted': {
          if (moved.has(node)) {
            changes.moved++;
            touch();
            children.push(bar(node, 'diff-moved'));
            break;
          }
          changes.added += wordCount(toString(node));
          if (!wholeChapterNew) touch();
          if (node.type === 'paragraph' || node.type === 'heading') node.children = [this.span('insertion', node.children)];
          else this.markAllInserted(node);
          children.push(bar(node));
          break;
        }
        case 'modified': {
          touch();
          if (node.type === 'paragraph' || node.type === 'heading') {
            const marks = wordDiff(step.old as Parent, node, this.term);
            this.applyMarks(node, marks);
            changes.added += marks.addedWords;
            changes.removed += marks.removedWords;
            children.push(bar(node));
          } else if ((node.type === 'blockquote' || node.type === 'div' || node.type === 'footnoteDefinition') && 'children' in step.old!) {
            this.apply(node, this.plan((step.old as Parent).children as RootContent[], node.children as RootContent[]), moved, changes, false);
            children.push(node);
          } else if (node.type === 'list' && step.old!.type === 'list') {
            const items = node.children;
            const earlier = step.old.children;
            // Items line up by position; each item's blocks are compared as a level of their own.
            items.forEach((item, index) => {
              const before = earlier[index];
              this.apply(item, this.plan((before?.children ?? []) as RootContent[], item.children as RootContent[]), moved, changes, false);
            });
            for (const gone of earlier.slice(items.length)) {
              changes.removed += wordCount(toString(gone));
              items.push({ type: 'listItem', spread: false, children: [{ type: 'paragraph', children: [this.span('deletion', [{ type: 'text', value: normalise(toString(gone)) }])] }] });
            }
            children.push(node);
          } else {
            // A table, a code block, a formula: marked as changed as a whole.
            const before = wordCount(toString(step.old!));
            const now = wordCount(toString(node));
            if (now > before) changes.added += now - before;
            else changes.removed += before - now;
            children.push(bar(node));
          }
          break;
        }
      }
    }
    // Blocks the plan does not see (front matter, link definitions) stay where they were, first.
    const unseen = (parent.children as RootContent[]).filter((child) => child.type === 'yaml' || child.type === 'definition');
    (parent as Parent).children = [...unseen, ...children] as Parent['children'];
  }

  /** Every paragraph and heading inside a new block, marked as inserted. */
  private markAllInserted(node: Nodes): void {
    if (node.type === 'paragraph' || node.type === 'heading') {
      (node as Paragraph | Heading).children = [this.span('insertion', (node as Paragraph).children)];
      return;
    }
    if (node.type === 'tableCell') {
      node.children = [this.span('insertion', node.children)];
      return;
    }
    if ('children' in node) (node.children as Nodes[]).forEach((child) => this.markAllInserted(child));
  }

  /** The word marks written into a paragraph's inline content. */
  private applyMarks(root: Parent, marks: Marks): void {
    const rewrite = (parent: Parent) => {
      const out: PhrasingContent[] = [];
      const removedBefore = (token: Token | undefined) => {
        const text = token ? marks.removedBefore.get(token) : undefined;
        if (!text) return;
        out.push(this.span('deletion', [{ type: 'text', value: text.trimEnd() }]));
        if (text !== text.trimEnd()) out.push({ type: 'text', value: ' ' });
      };
      for (const child of parent.children as PhrasingContent[]) {
        if (child.type === 'text') {
          const tokens = tokensOf({ type: 'paragraph', children: [child] } as Paragraph, this.term).map((token) => ({ ...token, node: child }));
          // The tokens of this text node as the diff saw them (same node, same offsets).
          const known = [...marks.added].filter((token) => token.node === child);
          let run: { added: boolean; value: string } | null = null;
          const flush = () => {
            if (run?.value) out.push(run.added ? this.span('insertion', [{ type: 'text', value: run.value }]) : ({ type: 'text', value: run.value } as Text));
            run = null;
          };
          for (const token of tokens) {
            const original = this.findToken(marks, child, token.start!);
            if (original && marks.removedBefore.has(original)) {
              flush();
              removedBefore(original);
            }
            const added = known.some((k) => k.start === token.start);
            // Spaces join the run they are in; a space between an added and a kept word stays plain.
            if (!run) run = { added, value: token.value };
            else if (run.added === added || (isSpace(token.value) && !added)) run.value += token.value;
            else {
              flush();
              run = { added, value: token.value };
            }
          }
          flush();
        } else if (containers.has(child.type) && 'children' in child) {
          rewrite(child as Parent);
          out.push(child);
        } else {
          const token = this.findNodeToken(marks, child);
          if (token && marks.removedBefore.has(token)) removedBefore(token);
          out.push(token && marks.added.has(token) ? this.span('insertion', [child]) : child);
        }
      }
      parent.children = out as Parent['children'];
    };
    rewrite(root);
    const tail = marks.removedBefore.get(null)?.trim();
    if (tail) (root.children as PhrasingContent[]).push({ type: 'text', value: ' ' }, this.span('deletion', [{ type: 'text', value: tail }]));
  }

  private tokenIndex = new Map<Marks, Map<Nodes, Token[]>>();

  private tokensByNode(marks: Marks): Map<Nodes, Token[]> {
    let index = this.tokenIndex.get(marks);
    if (!index) {
      index = new Map();
      for (const token of [...marks.added, ...[...marks.removedBefore.keys()].filter((t): t is Token => t !== null)]) index.set(token.node, [...(index.get(token.node) ?? []), token]);
      this.tokenIndex.set(marks, index);
    }
    return index;
  }

  private findToken(marks: Marks, node: Nodes, start: number): Token | undefined {
    return this.tokensByNode(marks).get(node)?.find((token) => token.start === start);
  }

  private findNodeToken(marks: Marks, node: Nodes): Token | undefined {
    return this.tokensByNode(marks).get(node)?.[0];
  }
}

type Step =
  | { kind: 'kept' | 'inserted'; node: RootContent }
  | { kind: 'deleted' | 'gone'; node: RootContent }
  | { kind: 'modified'; node: RootContent; old?: RootContent };

