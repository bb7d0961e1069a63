import type { Definition, ImageReference, LinkReference } from 'mdast';
import type { Writer } from '../writer.js';
import { image } from './figure.js';
import { link } from './link.js';

// Reference-style links: `[text][id]` with `[id]: url` elsewhere in the chapter.
export function linkReference(node: LinkReference, state: Writer): string {
  const definition = state.definitions.get(node.identifier);
  if (!definition) return state.text(`[`) + state.inline(node.children) + state.text(`]`);
  return link({ type: 'link', url: definition.url, children: node.children, position: node.position }, state);
}

export function imageReference(node: ImageReference, state: Writer): string {
  const definition = state.definitions.get(node.identifier);
  if (!definition) return state.text(`![${node.alt ?? ''}]`);
  return image({ type: 'image', url: definition.url, alt: node.alt, position: node.position }, state);
}

export function definition(_node: Definition, _state: Writer): string {
  return '';
}
