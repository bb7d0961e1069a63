import type { Blockquote } from 'mdast';
import type { Writer } from '../writer.js';

/**
 * How deep a quote is set by the template's quote rule. Typst stops at 64
 * nested show rules; a quote costs about four (the template's rule, its
 * block and text), so past this depth a quote is indented the same way by
 * `pad`, which no rule matches: 16 quotes around a citation failed the
 * build with "maximum show rule depth exceeded".
 */
const STYLED_QUOTE_DEPTH = 8;

export function blockquote(node: Blockquote, state: Writer): string {
  if (state.depth >= STYLED_QUOTE_DEPTH) return `#pad(left: 1.5em)[\n${state.blocks(node.children)}\n]`;
  return `#quote(block: true)[\n${state.blocks(node.children)}\n]`;
}
