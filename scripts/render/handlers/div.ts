// Pandoc's fenced divs. `{#refs}` is where the reference list goes (as with
// Pandoc's citeproc); `lang=` sets the language of what it holds
// (hyphenation, quotes); `.landscape` sets it on turned pages; other classes and ids leave the blocks as they are,
// as Pandoc's LaTeX output does.
import type { Div } from 'mdast';
import { escapeMarkup } from '../../core/typst-syntax.js';
import { languageOf } from '../../core/language.js';
import type { Writer } from '../writer.js';

export function div(node: Div, writer: Writer): string {
  if (node.attributes.id === 'refs') {
    if (node.children.length) writer.warn('attribute-ignored', 'the {#refs} div is replaced by the reference list; its content is not typeset', node);
    return writer.context.referenceList;
  }
  // A div is no container in print: a chapter heading in it still starts a page.
  const body = writer.blocks(node.children, true);
  if (node.attributes.classes.includes('landscape')) {
    // `::: landscape`, or `\begin{landscape}` … `\end{landscape}` (parse/raw-latex.ts): pages of their own, turned.
    if (writer.depth === 0) return `#page(flipped: true)[\n${body}\n]`;
    writer.warn('attribute-ignored', 'a landscape page cannot start inside a list, a quote or a table; its content is set on upright pages', node);
  }
  // `thesis diff`'s change bars: a line in the margin beside a block that changed, another colour for one moved here.
  if (node.attributes.classes.includes('diff-changed')) return `#block(width: 100%, breakable: true, stroke: (left: 2pt + rgb("#e5a50a")), outset: (left: 0.8cm))[\n${body}\n]`;
  if (node.attributes.classes.includes('diff-moved')) {
    return `#block(width: 100%, breakable: true, stroke: (left: 2pt + rgb("#813d9c")), outset: (left: 0.8cm))[#place(left, dx: -2.1cm)[#text(size: 7pt, fill: rgb("#813d9c"))[${escapeMarkup(node.attributes.keyValues.label ?? 'moved')}]]\n${body}\n]`;
  }
  const lang = node.attributes.keyValues.lang;
  if (!lang) return body;
  const language = languageOf(lang).typstArguments();
  if (!language) {
    writer.warn('attribute-ignored', `lang=${lang} is not a language tag such as de or en-GB`, node);
    return body;
  }
  return `#text(${language})[\n${body}\n]`;
}
