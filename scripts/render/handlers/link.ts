import type { Link } from 'mdast';
import { typstString } from '../../core/typst-syntax.js';
import type { Writer } from '../writer.js';

export function link(node: Link, state: Writer): string {
  const body = state.inline(node.children);
  return `#link(${typstString(node.url)})[${body || state.text(node.url)}]`;
}
