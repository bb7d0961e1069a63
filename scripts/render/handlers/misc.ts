import type { Break, Html, Root, ThematicBreak, Yaml } from 'mdast';
import type { WriterState } from '../state.js';

export function thematicBreak(_node: ThematicBreak, _state: WriterState): string {
  return '#align(center, line(length: 30%, stroke: 0.5pt))';
}

export function lineBreak(_node: Break, _state: WriterState): string {
  return '\\\n';
}

export function html(node: Html, state: WriterState): string {
  // Comments are the writer's notes to herself: never typeset, never an error.
  if (/^<!--[\s\S]*-->$/.test(node.value.trim())) return '';
  state.warn('html-ignored', 'raw HTML is not typeset in the PDF; use Markdown, or a ```{=typst} block', node);
  return '';
}

/** Front matter is read by the parse stage (title, status, target), never typeset. */
export function yaml(_node: Yaml, _state: WriterState): string {
  return '';
}

export function root(node: Root, state: WriterState): string {
  return state.blocks(node.children);
}
