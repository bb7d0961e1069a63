// What a formatted citation or reference entry is when it leaves the format
// step: a small rich-text tree, not markup for one writer. The Typst writer
// (render/rich-text-typst.ts) and the Pandoc writer (export/) each map it, so
// the PDF and the Word file print the same words from the same tree.
//
// The tree is made here from what Pandoc's citeproc returns (its document
// model's inlines), keeping what a reference list can hold: emphasis, bold,
// small caps, super- and subscripts, quotations, links (to the web, or from a
// citation to its entry), footnotes (note styles), and the number column of
// numeric styles.

export type RichText = RichNode[];

export type RichNode =
  | { type: 'text'; value: string }
  | { type: 'emphasis' | 'strong' | 'smallcaps' | 'superscript' | 'subscript' | 'underline'; children: RichText }
  | { type: 'quoted'; double: boolean; children: RichText }
  /** A link to the web (a URL or DOI in an entry). */
  | { type: 'link'; url: string; children: RichText }
  /** A citation's link to its entry in the reference list. */
  | { type: 'reference-link'; key: string; children: RichText }
  /** A note style's citation in running text: a footnote. */
  | { type: 'note'; children: RichText }
  /** The number column of a numeric style (`[1]`), and the entry beside it. */
  | { type: 'left-margin' | 'right-inline' | 'block' | 'indent'; children: RichText }
  /** A key the bibliography lacks, printed visibly. */
  | { type: 'missing'; key: string };

/** Pandoc's inline, as its JSON document model writes it. */
export type PandocInline = { t: string; c?: unknown };

/** The containers whose content is plain inlines in Pandoc's model. */
const CONTAINERS: Record<string, RichNode['type']> = {
  Emph: 'emphasis',
  Strong: 'strong',
  SmallCaps: 'smallcaps',
  Superscript: 'superscript',
  Subscript: 'subscript',
  Underline: 'underline',
};

const SPAN_CLASSES: Record<string, RichNode['type']> = {
  'csl-left-margin': 'left-margin',
  'csl-right-inline': 'right-inline',
  'csl-block': 'block',
  'csl-indent': 'indent',
};

/**
 * Pandoc's inlines as rich text. `linkable` says which keys have an entry in
 * the reference list: a citation's link (`#ref-key`) to an entry that is not
 * listed (a style without a reference list) is left out, keeping its words.
 */
export function fromPandocInlines(inlines: PandocInline[], linkable: (key: string) => boolean): RichText {
  const out: RichText = [];
  const text = (value: string) => {
    const last = out[out.length - 1];
    if (last?.type === 'text') last.value += value;
    else out.push({ type: 'text', value });
  };
  const children = (content: unknown) => fromPandocInlines(content as PandocInline[], linkable);
  for (const inline of inlines) {
    const container = CONTAINERS[inline.t];
    if (container) {
      out.push({ type: container, children: children(inline.c) } as RichNode);
      continue;
    }
    switch (inline.t) {
      case 'Str':
        text(inline.c as string);
        break;
      case 'Space':
      case 'SoftBreak':
      case 'LineBreak':
        text(' ');
        break;
      case 'Quoted': {
        const [kind, content] = inline.c as [{ t: string }, PandocInline[]];
        out.push({ type: 'quoted', double: kind.t === 'DoubleQuote', children: children(content) });
        break;
      }
      case 'Link': {
        const [, content, [target]] = inline.c as [unknown, PandocInline[], [string, string]];
        if (target.startsWith('#ref-')) {
          const key = target.slice('#ref-'.length);
          if (linkable(key)) out.push({ type: 'reference-link', key, children: children(content) });
          else out.push(...children(content));
        } else if (/^(https?|ftp|mailto):/i.test(target)) out.push({ type: 'link', url: target, children: children(content) });
        else out.push(...children(content));
        break;
      }
      case 'Span': {
        const [[, classes], content] = inline.c as [[string, string[]], PandocInline[]];
        const kind = classes.map((name) => SPAN_CLASSES[name]).find(Boolean);
        if (kind) out.push({ type: kind, children: children(content) } as RichNode);
        else out.push(...children(content));
        break;
      }
      case 'Note': {
        const blocks = inline.c as { t: string; c?: unknown }[];
        const content: RichText = [];
        for (const block of blocks) {
          if ((block.t === 'Para' || block.t === 'Plain') && Array.isArray(block.c)) {
            if (content.length) content.push({ type: 'text', value: ' ' });
            content.push(...children(block.c));
          }
        }
        out.push({ type: 'note', children: content });
        break;
      }
      case 'Strikeout':
      case 'Cite':
        out.push(...children(inline.t === 'Cite' ? (inline.c as [unknown, PandocInline[]])[1] : inline.c));
        break;
      case 'Code':
        text((inline.c as [unknown, string])[1]);
        break;
      case 'Math':
        text((inline.c as [unknown, string])[1]);
        break;
      // RawInline and Image: nothing a reference list prints.
      default:
        break;
    }
  }
  return mergeText(out);
}

function mergeText(nodes: RichText): RichText {
  const out: RichText = [];
  for (const node of nodes) {
    const last = out[out.length - 1];
    if (node.type === 'text' && last?.type === 'text') last.value += node.value;
    else out.push(node);
  }
  return out;
}

/** The words, without formatting (for searching, comparing, and telling an empty entry). */
export function plainText(rich: RichText): string {
  return rich
    .map((node) => {
      if (node.type === 'text') return node.value;
      if (node.type === 'missing') return `?${node.key}`;
      if (node.type === 'quoted') return (node.double ? '\u201c' : '\u2018') + plainText(node.children) + (node.double ? '\u201d' : '\u2019');
      return plainText(node.children);
    })
    .join('');
}

/** True when the tree has no visible words (a style that renders nothing for an entry). */
export function rendersNothing(rich: RichText): boolean {
  return plainText(rich).replace(/[\s.,;:()[\]]/g, '') === '';
}
