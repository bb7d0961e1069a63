import type { Cite, CiteKey, Crossref } from 'mdast';
import { typstLabel } from '../../core/typst-syntax.js';
import type { Writer } from '../writer.js';

export function cite(node: Cite, state: Writer): string {
  // `@good` naming an example: its number, as Pandoc prints it.
  if (node.data?.exampleNumber !== undefined) return String(node.data.exampleNumber);
  // In a note style, a citation in running text comes formatted as a footnote (Pandoc's citeproc makes it one).
  return state.context.citations.get(node.data?.citationId ?? '') ?? '';
}

export function crossref(node: Crossref, state: Writer): string {
  const label = node.label.charAt(0).toLowerCase() + node.label.slice(1);
  if (!state.context.labels.has(label)) {
    state.warn('crossref-unknown', `cross-reference "@${node.label}" points to no label; add {#${label}} to a heading, figure, table or equation`, node);
    return `#text(fill: red.darken(20%))[*??${state.text(node.label)}*]`;
  }
  // Typst names the target (Figure 1, Table 2, Section 3.1) in the document's language.
  if (!node.numberOnly) return `#ref(<${typstLabel(label)}>)`;
  const number = `#ref(<${typstLabel(label)}>, supplement: none)`;
  return node.numberOnly === 'eqref' ? `(${number})` : number;
}

/** Keys are grouped into citations before writing; a stray one prints as typed. */
export function citeKey(node: CiteKey, state: Writer): string {
  return state.text('@' + node.key);
}
