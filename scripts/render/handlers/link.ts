import type { Link } from 'mdast';
import { typstString } from '../../core/typst-syntax.js';
import type { WriterState } from '../state.js';

export function link(node: Link, state: WriterState): string {
  const body = state.inline(node.children);
  return `#link(${typstString(node.url)})[${body || state.text(node.url)}]`;
}
