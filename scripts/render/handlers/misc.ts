import type { Break, Html, Root, ThematicBreak, Yaml } from 'mdast';
import type { Writer } from '../writer.js';

export function thematicBreak(_node: ThematicBreak, _state: Writer): string {
  return '#align(center, line(length: 30%, stroke: 0.5pt))';
}

export function lineBreak(_node: Break, _state: Writer): string {
  return '\\\n';
}

export function html(node: Html, state: Writer): string {
  // Comments are the writer's notes to herself: never typeset, never an error.
  if (/^<!--[\s\S]*-->$/.test(node.value.trim())) return '';
  state.warn('html-ignored', 'raw HTML is not typeset in the PDF; use Markdown, or a ```{=typst} block', node);
  return '';
}

/** Front matter is read by the parse stage (title, status, target), never typeset. */
export function yaml(_node: Yaml, _state: Writer): string {
  return '';
}

export function root(node: Root, state: Writer): string {
  return state.blocks(node.children);
}
