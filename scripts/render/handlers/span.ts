// Pandoc's bracketed spans: the classes and attributes that have a meaning
// in print get it; other classes leave the text as it is, as Pandoc's LaTeX
// output does.
import type { Span } from 'mdast';
import { languageArguments } from '../language.js';
import type { Writer } from '../writer.js';

export function span(node: Span, writer: Writer): string {
  let markup = writer.inline(node.children);
  const { classes, keyValues } = node.attributes;
  if (classes.includes('smallcaps')) markup = `#smallcaps[${markup}]`;
  if (classes.includes('underline') || classes.includes('ul')) markup = `#underline[${markup}]`;
  if (classes.includes('mark')) markup = `#highlight[${markup}]`;
  if (keyValues.lang) {
    const language = languageArguments(keyValues.lang);
    if (language) markup = `#text(${language})[${markup}]`;
    else writer.warn('attribute-ignored', `lang=${keyValues.lang} is not a language tag such as de or en-GB`, node);
  }
  return markup;
}
