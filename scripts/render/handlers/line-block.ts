import type { Line, LineBlock } from 'mdast';
import type { Writer } from '../writer.js';

/** Lines kept as written: a forced line break between them, no justification. */
export function lineBlock(node: LineBlock, writer: Writer): string {
  return `#block(par(justify: false)[${node.children.map((line) => lineOf(line, writer)).join(' \\\n')}])`;
}

export function lineOf(node: Line, writer: Writer): string {
  return writer.inline(node.children);
}
