import type { Text } from 'mdast';
import { smartPunctuation } from '../../core/typography.js';
import type { Writer } from '../writer.js';

export function text(node: Text, state: Writer): string {
  // GFM leaves a reference to an undefined footnote as plain text.
  const undefinedNote = /\[\^([^\]\s]+)\]/.exec(node.value);
  if (undefinedNote) {
    state.warn('footnote-undefined', `footnote [^${undefinedNote[1]}] has no definition; add a line \`[^${undefinedNote[1]}]: …\``, node);
  }
  return state.text(smartPunctuation(node.value));
}
