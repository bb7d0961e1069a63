import type { Caption, Figure, Image } from 'mdast';
import { typstLabel, typstString } from '../../core/typst-syntax.js';
import { figureBody, figureCaption } from '../../parse/labels.js';
import { isRemote } from '../../resolve/images.js';
import type { Writer } from '../writer.js';
import { tableCall } from './table.js';
import { accessibleStandards } from '../../read/config-schema.js';
import { code } from './code.js';

/**
 * A length from an attribute as Typst writes it: Pandoc's units (`50%`,
 * `5cm`, `2in`, `300px`, a bare number of pixels at 96 per inch); null when
 * it is none of those.
 */
function typstLength(value: string): string | null {
  const match = /^(\d+(?:\.\d+)?)(%|cm|mm|pt|em|in|px)?$/.exec(value.trim());
  if (!match) return null;
  const [, number, unit = 'px'] = match;
  return unit === 'px' ? `${Math.round(Number(number) * 0.75 * 100) / 100}pt` : `${number}${unit}`;
}

interface ImageOptions {
  width?: string;
  height?: string;
  alt?: string;
}

function imageCall(node: Image, state: Writer, options: ImageOptions = {}): string | null {
  // A missing or remote image was reported by the resolve step (resolve/images.ts): a placeholder here.
  if (isRemote(node.url)) return null;
  const { typstPath, file } = state.projectPath(node.url);
  if (!state.context.fileExists(file)) return null;
  const size: string[] = [];
  for (const dimension of ['width', 'height'] as const) {
    const value = options[dimension];
    if (value === undefined) continue;
    const length = typstLength(value);
    if (length) size.push(`${dimension}: ${length}`);
    else state.warn('attribute-ignored', `${dimension}=${value} is not a length; write it as 50%, 8cm, 3in or 300px`, node);
  }
  // Pandoc's default: an image no wider than the text; ours, a little narrower.
  if (size.length === 0) size.push('width: 80%');
  const alt = options.alt ?? node.alt;
  if (!alt?.trim() && state.context.pdfStandard && accessibleStandards.has(state.context.pdfStandard)) {
    state.warn('alt-text-missing', `this image has no text alternative, which ${state.context.pdfStandard.toUpperCase()} requires; write one: ![A map of the pilot cities](${node.url}) or {fig-alt="…"}`, node);
  }
  return `image(${[typstString(typstPath), ...size, ...(alt ? [`alt: ${typstString(alt)}`] : [])].join(', ')})`;
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
  const long = `[${state.inline(figureCaption(node))}]`;
  const { 'short-caption': short, ...others } = node.attributes ?? {};
  // The lists of figures and tables show the short caption (the template's `flex-caption`).
  let caption = long;
  if (short !== undefined) {
    if (state.context.shortCaptions) caption = `flex-caption(${long}, [${state.text(short)}])`;
    else state.warn('attribute-ignored', 'short-caption is not used: the project\'s template has no flex-caption (see templates/thesis.typ); the lists show the full caption', node);
  }
  for (const key of Object.keys(others)) state.warn('attribute-ignored', `the figure attribute ${key} is not used in the PDF`, node);
  if (body.type === 'table') return `#figure(\n${tableCall(body, state)},\n  kind: table,\n  caption: ${caption},\n)${label}`;
  // A listing: the code block as content; Typst names it ("Listing 1") in the document's language.
  if (body.type === 'code') return `#figure(\n  [${code(body, state)}],\n  kind: raw,\n  caption: ${caption},\n)${label}`;
  const definition = body.type === 'imageReference' ? state.definitions.get(body.identifier) : undefined;
  const image: Image = body.type === 'imageReference' ? { type: 'image', url: definition?.url ?? '', alt: body.alt, position: body.position } : body;
  const call = imageCall(image, state, { width: node.width, height: node.height, alt: node.alt }) ?? placeholder(image, state);
  return `#figure(\n  ${call},\n  caption: ${caption},\n)${label}`;
}

/** Written by the figure it belongs to. */
export function caption(node: Caption, state: Writer): string {
  return state.inline(node.children);
}
