// Pandoc starts a definition with `:` or `~`; the definition-list extension
// reads only `:`. A `~` that starts a line of text (outside code, math and
// HTML) followed by spaces becomes a `:` before parsing: same length, so
// every offset stays where it is.
import { blockLines, type BlockLines } from './block-lines.js';

const TILDE_MARKER = /^( {0,3})~([ \t]+\S)/;

export function tildeDefinitionMarkers(source: string, blocks?: BlockLines): string {
  if (!/^ {0,3}~[ \t]/m.test(source)) return source;
  const { kinds } = blocks ?? blockLines(source);
  return source
    .split('\n')
    .map((line, index) => (kinds[index] === 'text' ? line.replace(TILDE_MARKER, '$1:$2') : line))
    .join('\n');
}
