// Pandoc's bracketed spans: the classes and attributes that have a meaning
// in print get it (`.insertion` and `.deletion` are Pandoc's tracked changes); other classes leave the text as it is, as Pandoc's LaTeX
// output does.
import type { Span } from 'mdast';
import { languageOf } from '../../core/language.js';
import type { Writer } from '../writer.js';

export function span(node: Span, writer: Writer): string {
  let markup = writer.inline(node.children);
  const { classes, keyValues } = node.attributes;
  if (classes.includes('smallcaps')) markup = `#smallcaps[${markup}]`;
  if (classes.includes('underline') || classes.includes('ul')) markup = `#underline[${markup}]`;
  if (classes.includes('mark')) markup = `#highlight[${markup}]`;
  // Tracked changes, as Pandoc marks them (and `thesis diff` does): added words underlined in blue, removed ones struck through in red.
  if (classes.includes('insertion')) markup = `#text(fill: rgb("#1a5fb4"))[#underline(stroke: 0.6pt + rgb("#1a5fb4"), offset: 2pt)[${markup}]]`;
  if (classes.includes('deletion')) markup = `#text(fill: rgb("#c01c28"))[#strike(stroke: 0.7pt)[${markup}]]`;
  if (keyValues.lang) {
    const language = languageOf(keyValues.lang).typstArguments();
    if (language) markup = `#text(${language})[${markup}]`;
    else writer.warn('attribute-ignored', `lang=${keyValues.lang} is not a language tag such as de or en-GB`, node);
  }
  return markup;
}
