// A glossary term (parse/glossary-terms.ts): its first use in the thesis is
// the long form with the short one in parentheses, later uses the short
// form; plural and capitalised as written. The first use carries a label,
// so the list of abbreviations links to it.
import type { GlossaryTerm } from 'mdast';
import { typstLabel } from '../../core/typst-syntax.js';
import type { Writer } from '../writer.js';
import { glossaryForms } from '../../parse/glossary-terms.js';

/** The label at a term's first use, which its entry in the list of abbreviations links to. */
export const firstUseLabel = (key: string) => typstLabel(`gls-${key}`);

export function glossaryTerm(node: GlossaryTerm, writer: Writer): string {
  const entry = writer.context.glossary?.[node.key];
  // An unknown key was reported when the thesis was resolved; it prints as written.
  if (!entry) return writer.text(`[+${node.key}]${node.plural ? 's' : ''}`);
  const { long, short, later } = glossaryForms(node, entry);
  if (!node.data?.first) return writer.text(later);
  // The parentheses are written bare: escaped, they would hide the ")" from
  // Typst's smart quotes, and "(CCP)'s" would get an opening quote.
  return `#metadata(none)<${firstUseLabel(node.key)}>${writer.text(long)} (${writer.text(short)})`;
}
