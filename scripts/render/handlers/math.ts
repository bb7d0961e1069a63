import type { DisplayMath } from 'mdast';
import type { InlineMath, Math } from 'mdast-util-math';
import { tex2typst } from 'tex2typst';
import { typstLabel } from '../../core/typst-syntax.js';
import type { Writer } from '../writer.js';

function convert(tex: string, state: Writer, node: { position?: InlineMath['position'] }): string {
  try {
    return tex2typst(tex);
  } catch (error) {
    state.warn('node-unsupported', `cannot read this LaTeX math: ${(error as Error).message}`, node);
    return `"${tex.replace(/[\\"]/g, (c) => '\\' + c)}"`;
  }
}

export function inlineMath(node: InlineMath, state: Writer): string {
  return `$${convert(node.value, state, node)}$`;
}

function display(value: string, label: string | undefined, state: Writer, node: { position?: InlineMath['position'] }): string {
  const equation = `$ ${convert(value, state, node)} $`;
  return label ? `${equation} <${typstLabel(label)}>` : `#math.equation(block: true, numbering: none, ${equation})`;
}

export function math(node: Math, state: Writer): string {
  return display(node.value, (node.data as { label?: string } | undefined)?.label, state, node);
}

export function displayMath(node: DisplayMath, state: Writer): string {
  return display(node.value, node.label, state, node);
}
