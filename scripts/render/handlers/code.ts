import type { Code, InlineCode } from 'mdast';
import { typstString } from '../../core/typst-syntax.js';
import type { Writer } from '../writer.js';

/** Longest run of backticks in the text, so the fence can be longer. */
function fenceFor(value: string, minimum: number): string {
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(minimum, longest + 1));
}

export function inlineCode(node: InlineCode, _state: Writer): string {
  return `#raw(${typstString(node.value)})`;
}

export function code(node: Code, _state: Writer): string {
  // ```{=typst} is the one way to write raw Typst, as in Pandoc.
  if (node.lang === '{=typst}') return node.value;
  const fence = fenceFor(node.value, 3);
  const lang = node.lang && /^[\w+#-]+$/.test(node.lang) ? node.lang : '';
  if (node.value.includes(fence.slice(0, 3)) || /^\s|\s$/.test(node.value)) {
    return `#raw(block: true, ${lang ? `lang: ${typstString(lang)}, ` : ''}${typstString(node.value)})`;
  }
  return `${fence}${lang}\n${node.value}\n${fence}`;
}
