// Glossary terms in the text, pandoc-acro style: `[+ai]` is the term `ai` of
// thesis.yaml's `glossary`; `[+ai]s` its plural, `[+Ai]` capitalised (at the
// start of a sentence). Read here as syntax only; which use is the first,
// and whether the key exists, is decided for the whole thesis when it is
// resolved (resolve/glossary.ts), and the writer prints the forms.
import type { Data, Node, Parent, PhrasingContent, Root, Text } from 'mdast';
import type { GlossaryEntry } from '../read/config-schema.js';

declare module 'mdast' {
  interface GlossaryTermData extends Data {
    /** The term's first use in the thesis: the long form is printed, with the short one after it. */
    first?: boolean;
  }
  interface GlossaryTerm extends Node {
    type: 'glossaryTerm';
    /** The key, lower-cased for the lookup. */
    key: string;
    plural: boolean;
    capital: boolean;
    data?: GlossaryTermData;
  }
  interface PhrasingContentMap {
    glossaryTerm: GlossaryTerm;
  }
  interface RootContentMap {
    glossaryTerm: GlossaryTerm;
  }
}

const TERM = /\[\+([A-Za-z][\w-]*)\](s?)(?![\w])/g;

export function readGlossaryTerms(nodes: readonly Parent[]): void {
  const walk = (parent: Parent) => {
    parent.children = (parent.children as PhrasingContent[]).flatMap((child): PhrasingContent[] => {
      if (child.type === 'text') return child.value.includes('[+') ? splitTerms(child) : [child];
      if ('children' in child) walk(child as Parent);
      return [child];
    }) as Parent['children'];
  };
  nodes.forEach(walk);
}

function splitTerms(text: Text): PhrasingContent[] {
  const out: PhrasingContent[] = [];
  const start = text.position?.start;
  let last = 0;
  // An apostrophe right after a term ("[+ccp]'s") is one: Typst would set an
  // opening quote after the first use's "(CCP)".
  const afterTerm = (value: string) => (last > 0 ? value.replace(/^'(?=\p{L})/u, '\u2019') : value);
  for (const match of text.value.matchAll(TERM)) {
    const at = match.index!;
    if (at > last) out.push({ type: 'text', value: afterTerm(text.value.slice(last, at)) });
    const [whole, written, plural] = match;
    const place = start && !text.value.slice(0, at).includes('\n') ? { line: start.line, column: start.column + at, offset: (start.offset ?? 0) + at } : undefined;
    out.push({
      type: 'glossaryTerm',
      key: written.toLowerCase(),
      plural: plural === 's',
      capital: /^[A-Z][a-z]/.test(written),
      ...(place ? { position: { start: place, end: { ...place, column: place.column + whole.length, offset: place.offset + whole.length } } } : {}),
    });
    last = at + whole.length;
  }
  if (last === 0) return [text];
  if (last < text.value.length) out.push({ type: 'text', value: afterTerm(text.value.slice(last)) });
  return out;
}

/** The glossary terms of trees, in reading order. */
export function glossaryTermsOf(trees: readonly Root[]): Node[] {
  return trees.flatMap(termsOfTree);
}

/** Each tree's terms, found once (they are made when it is parsed; a kept chapter's tree is the same object from build to build). */
const termsOfTrees = new WeakMap<Root, Node[]>();

function termsOfTree(tree: Root): Node[] {
  let terms = termsOfTrees.get(tree);
  if (terms) return terms;
  terms = [];
  const walk = (node: Node) => {
    if (node.type === 'glossaryTerm') terms!.push(node);
    if ('children' in node) (node as Parent).children.forEach(walk);
  };
  walk(tree);
  termsOfTrees.set(tree, terms);
  return terms;
}

/**
 * The words a term prints, as every output sets them: the long form with the
 * short one after it at its first use in the thesis (`long`, `short`), the
 * short form later (`later`); plural (`[+ai]s`) and capitalised (`[+Ai]`:
 * the first letter of what is printed) as written.
 */
export function glossaryForms(term: { plural: boolean; capital: boolean }, entry: GlossaryEntry): { long: string; short: string; later: string } {
  const capitalised = (text: string) => (term.capital ? text.charAt(0).toUpperCase() + text.slice(1) : text);
  const short = term.plural ? (entry['short-plural'] ?? `${entry.short}s`) : entry.short;
  const long = term.plural ? (entry['long-plural'] ?? `${entry.long}s`) : entry.long;
  return { long: capitalised(long), short, later: capitalised(short) };
}
