import path from 'node:path';
import type { Figure, Image } from 'mdast';
import { typstLabel, typstString } from '../escape.js';
import type { WriterState } from '../state.js';

function imageCall(node: Image, state: WriterState, width?: string): string | null {
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

function placeholder(node: Image, state: WriterState): string {
  return `box(stroke: 0.5pt + red, inset: 6pt)[${state.text(`missing image: ${node.url}`)}]`;
}

export function image(node: Image, state: WriterState): string {
  return '#' + (imageCall(node, state) ?? placeholder(node, state));
}

export function figure(node: Figure, state: WriterState): string {
  const body = imageCall(node.image, state, node.width) ?? placeholder(node.image, state);
  const label = node.label ? ` <${typstLabel(node.label)}>` : '';
  return `#figure(\n  ${body},\n  caption: [${state.inline(node.caption)}],\n)${label}`;
}
