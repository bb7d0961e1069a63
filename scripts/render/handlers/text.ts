import type { Text } from 'mdast';
import { smartPunctuation } from '../escape.js';
import type { WriterState } from '../state.js';

export function text(node: Text, state: WriterState): string {
  return state.text(smartPunctuation(node.value));
}
