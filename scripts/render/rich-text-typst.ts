// A formatted citation or reference entry (format/rich-text.ts) as Typst
// markup. Every word from a bibliography field is escaped: a title written
// `#read("/etc/passwd")` prints as text.
import { escapeMarkup, guardAfterCalls, keepLocatorTogether, referenceLabel, typstString } from '../core/typst-syntax.js';
import type { FormattedCitations } from '../format/citeproc.js';
import type { RichNode, RichText } from '../format/rich-text.js';

const CALLS: Partial<Record<RichNode['type'], string>> = {
  emphasis: '#emph',
  strong: '#strong',
  smallcaps: '#smallcaps',
  superscript: '#super',
  subscript: '#sub',
  underline: '#underline',
  note: '#footnote',
  block: '#block',
  indent: '#block(inset: (left: 2em))',
  'left-margin': '#box(width: 2.2em)',
};

function markup(rich: RichText): string {
  return rich
    .map((node) => {
      switch (node.type) {
        case 'text':
          return escapeMarkup(node.value);
        case 'missing':
          return `#text(fill: red.darken(20%))[*?${escapeMarkup(node.key)}*]`;
        case 'quoted':
          // Typst sets the quotation marks of the document's language.
          return `#smartquote(double: ${node.double})${markup(node.children)}#smartquote(double: ${node.double})`;
        case 'link':
          return `#link(${typstString(node.url)})[${markup(node.children)}]`;
        case 'reference-link':
          return `#link(<${referenceLabel(node.key)}>)[${markup(node.children)}]`;
        case 'right-inline':
          return markup(node.children);
        default: {
          const call = CALLS[node.type];
          return call ? `${call}[${markup(node.children)}]` : markup(node.children);
        }
      }
    })
    .join('');
}

/** The rich text as Typst markup, with "p. 33" kept on one line as Pandoc keeps it. */
export function richTextToTypst(rich: RichText): string {
  return keepLocatorTogether(guardAfterCalls(markup(rich)));
}

const markupOf = new WeakMap<FormattedCitations, Map<string, string>>();

/** Each citation's Typst markup, written once per formatting (watch renders many times from one). */
export function citationMarkup(formatted: FormattedCitations): Map<string, string> {
  let markup = markupOf.get(formatted);
  if (!markup) {
    markup = new Map([...formatted.citations].map(([id, rich]) => [id, richTextToTypst(rich)]));
    markupOf.set(formatted, markup);
  }
  return markup;
}
