import path from 'node:path';
import type { FootnoteDefinition, FootnoteReference } from 'mdast';
import { typstLabel } from '../../core/typst-syntax.js';
import type { Writer } from '../writer.js';

export function footnoteReference(node: FootnoteReference, state: Writer): string {
  const definition = state.footnotes.get(node.identifier);
  // Chapters share one folder, so the file name keeps labels unique across chapters.
  const label = typstLabel(`fn-${path.basename(state.file, '.md')}-${node.identifier}`);
  if (!definition) {
    state.warn('footnote-undefined', `footnote [^${node.label ?? node.identifier}] has no definition; add a line \`[^${node.label ?? node.identifier}]: …\``, node);
    return state.text(`[^${node.label ?? node.identifier}]`);
  }
  // A second reference to the same note repeats its number, as in LaTeX.
  if (state.writtenFootnotes.has(node.identifier)) return `#footnote(<${label}>)`;
  state.writtenFootnotes.add(node.identifier);
  const body = state.blocks(definition.children);
  // Labelled only when referenced again: a label on a note in a labelled heading
  // would be a second label on the heading, which Typst ignores.
  return (state.footnoteReferences.get(node.identifier) ?? 0) > 1 ? `#footnote[${body}] <${label}>` : `#footnote[${body}]`;
}

/** Written where it is referenced; nothing at the definition. */
export function footnoteDefinition(_node: FootnoteDefinition, _state: Writer): string {
  return '';
}
