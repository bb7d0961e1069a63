import path from 'node:path';
import type { Caption, Figure, Image } from 'mdast';
import { typstLabel, typstString } from '../../core/typst-syntax.js';
import { figureBody, figureCaption } from '../../parse/labels.js';
import type { Writer } from '../writer.js';
import { tableCall } from './table.js';

function imageCall(node: Image, state: Writer, width?: string): string | null {
  if (/^[a-z]+:/i.test(node.url)) {
    state.warn('image-missing', `remote image "${node.url}" cannot be included offline; download it into the thesis folder`, node);
    return null;
  }
  const { typstPath, file } = state.projectPath(node.url);
  if (!state.context.fileExists(file)) {
    state.warn('image-missing', `image "${node.url}" not found (looked for ${path.relative(state.context.projectDir, file)} in the project folder)`, node);
    return null;
  }
  const size = width && /^\d+(\.\d+)?(%|cm|mm|pt|em|in)$/.test(width) ? `, width: ${width}` : ', width: 80%';
  return `image(${typstString(typstPath)}${size})`;
}

function placeholder(node: Image, state: Writer): string {
  return `box(stroke: 0.5pt + red, inset: 6pt)[${state.text(`missing image: ${node.url}`)}]`;
}

export function image(node: Image, state: Writer): string {
  return '#' + (imageCall(node, state) ?? placeholder(node, state));
}

export function figure(node: Figure, state: Writer): string {
  const body = figureBody(node);
  const label = node.label ? ` <${typstLabel(node.label)}>` : '';
  const caption = state.inline(figureCaption(node));
  if (body.type === 'table') return `#figure(\n${tableCall(body, state)},\n  kind: table,\n  caption: [${caption}],\n)${label}`;
  const call = imageCall(body, state, node.width) ?? placeholder(body, state);
  return `#figure(\n  ${call},\n  caption: [${caption}],\n)${label}`;
}

/** Written by the figure it belongs to. */
export function caption(node: Caption, state: Writer): string {
  return state.inline(node.children);
}
