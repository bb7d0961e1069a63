import type { Link } from 'mdast';
import { typstLabel, typstString } from '../../core/typst-syntax.js';
import type { Writer } from '../writer.js';

export function link(node: Link, state: Writer): string {
  const body = state.inline(node.children);
  // `[the method](#method)`: a link inside the thesis, to a heading's identifier or a label.
  if (node.url.startsWith('#') && node.url.length > 1) {
    let target = node.url.slice(1);
    try {
      target = decodeURIComponent(target);
    } catch {
      // A malformed escape: the identifier as written.
    }
    if (state.context.labels.has(target)) return `#link(<${typstLabel(target)}>)[${body || state.text(node.url)}]`;
    state.warn('crossref-unknown', `link to "${node.url}" points to no heading or label in the thesis`, node);
  }
  // `[text]()` is valid Markdown, a link to nowhere: Typst takes no empty URL, so it is its text.
  if (node.url.trim() === '' || node.url === '#') {
    state.warn('link-empty', 'this link has no target; its text is printed without a link', node);
    return body;
  }
  return `#link(${typstString(node.url)})[${body || state.text(node.url)}]`;
}
