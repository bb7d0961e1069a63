import type { Text } from 'mdast';
import type { Writer } from '../writer.js';

export function text(node: Text, state: Writer): string {
  // GFM leaves a reference to an undefined footnote as plain text.
  const undefinedNote = /\[\^([^\]\s]+)\]/.exec(node.value);
  if (undefinedNote) {
    state.warn('footnote-undefined', `footnote [^${undefinedNote[1]}] has no definition; add a line \`[^${undefinedNote[1]}]: …\``, node);
  }
  return state.text(smartPunctuation(node.value));
}

/** Pandoc's `smart` typography for prose: dashes and ellipses. */
function smartPunctuation(text: string): string {
  return text.replace(/---/g, '\u2014').replace(/--/g, '\u2013').replace(/\.\.\./g, '\u2026');
}
