// Which block each line of a chapter's source belongs to, read line by line
// the way CommonMark opens and closes blocks that can hold any line: the
// YAML front matter, fenced code, `$$` math, HTML blocks. Three readers of
// the raw text use it, so they agree on where those blocks are: the section
// cutter (sections.ts), the fenced-div fences (fenced-divs.ts) and
// pandoc-crossref's labelled math blocks (labels.ts). Errs towards "inside a
// block" where CommonMark's rules are subtler than a line test.

export type LineKind = 'front-matter' | 'code' | 'math' | 'html' | 'text';

export interface BlockLines {
  kinds: LineKind[];
  /** Lines (0-based) that close a `$$` math block. */
  mathCloses: Set<number>;
  /** A code or math block, a marker-ended HTML block or the front matter is still open at the end. */
  openAtEnd: boolean;
}

const CODE_FENCE_OPEN = /^ {0,3}(?:(`{3,})[^`]*|(~{3,}).*)$/;
const MATH_FENCE_OPEN = /^ {0,3}(\${2,})[^$]*$/;
// Type 6: a block-level tag name; type 7: a complete tag alone on its line (which cannot interrupt a paragraph).
const HTML_BLOCK_TAG = /^ {0,3}<\/?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[\s/>]|$)/i;
const HTML_COMPLETE_TAG = /^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)*\s*\/?>|<\/[A-Za-z][A-Za-z0-9-]*\s*>)\s*$/;
// HTML blocks of CommonMark types 1-5 end at a marker, not at a blank line.
const HTML_UNTIL_MARKER: [RegExp, RegExp][] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];

type Open = { kind: 'code' | 'math'; close: RegExp } | { kind: 'html'; end: RegExp | 'blank-line' };

export function blockLines(source: string): BlockLines {
  const lines = source.split('\n').map((line) => line.replace(/\r$/, ''));
  const kinds: LineKind[] = lines.map(() => 'text');
  const mathCloses = new Set<number>();
  let index = 0;
  if (/^---[ \t]*$/.test(lines[0] ?? '')) {
    const close = lines.findIndex((line, i) => i > 0 && /^(?:---|\.\.\.)[ \t]*$/.test(line));
    const end = close < 0 ? lines.length - 1 : close;
    for (let i = 0; i <= end; i++) kinds[i] = 'front-matter';
    if (close < 0) return { kinds, mathCloses, openAtEnd: true };
    index = close + 1;
  }
  let open: Open | null = null;
  let inParagraph = false;
  for (; index < lines.length; index++) {
    const line = lines[index];
    const paragraphBefore = inParagraph;
    inParagraph = false;
    if (open?.kind === 'code' || open?.kind === 'math') {
      kinds[index] = open.kind;
      if (open.close.test(line)) {
        if (open.kind === 'math') mathCloses.add(index);
        open = null;
      }
      continue;
    }
    if (open?.kind === 'html') {
      if (open.end === 'blank-line' ? line.trim() === '' : open.end.test(line)) open = null;
      kinds[index] = 'html';
      continue;
    }
    if (/^#{1,6}(?:[ \t]|$)/.test(line)) continue;
    const code = CODE_FENCE_OPEN.exec(line);
    if (code) {
      const fence = code[1] ?? code[2];
      open = { kind: 'code', close: new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`) };
      kinds[index] = 'code';
      continue;
    }
    const math = MATH_FENCE_OPEN.exec(line);
    if (math) {
      // pandoc-crossref closes a labelled equation with `$$ {#eq:x}` (labels.ts).
      open = { kind: 'math', close: new RegExp(`^ {0,3}\\\${${math[1].length},}[ \\t]*(\\{[^{}]*\\}[ \\t]*)?$`) };
      kinds[index] = 'math';
      continue;
    }
    const marker = HTML_UNTIL_MARKER.find(([start]) => start.test(line));
    if (marker || HTML_BLOCK_TAG.test(line) || (!paragraphBefore && HTML_COMPLETE_TAG.test(line))) {
      kinds[index] = 'html';
      // A block ended by a marker can end on its first line.
      if (marker && marker[1].test(line.replace(marker[0], ''))) continue;
      open = { kind: 'html', end: marker ? marker[1] : 'blank-line' };
      continue;
    }
    inParagraph = line.trim() !== '';
  }
  return { kinds, mathCloses, openAtEnd: open !== null && !(open.kind === 'html' && open.end === 'blank-line') };
}

/**
 * `$$` that no `$$` closes before a blank line is no display math in Pandoc
 * (a formula never holds a blank line): its dollars are text. They are
 * escaped here, so the math block reader (remark-math's, which would run to
 * the end of the chapter and swallow it) does not open either. Null when
 * every `$$` block closes.
 */
export function literalUnclosedMath(source: string, blocks: BlockLines): string | null {
  const lines = source.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    if (blocks.kinds[i] !== 'math' || (i > 0 && blocks.kinds[i - 1] === 'math' && !blocks.mathCloses.has(i - 1))) continue;
    let close = -1;
    for (let j = i + 1; j < lines.length && blocks.kinds[j] === 'math'; j++) {
      if (blocks.mathCloses.has(j)) {
        close = j;
        break;
      }
    }
    const blankInside = close >= 0 && lines.slice(i + 1, close).some((line) => line.trim() === '');
    if (close < 0 || blankInside) {
      lines[i] = lines[i].replace(/^( {0,3})(\$+)/, (_, indent: string, dollars: string) => indent + dollars.replace(/\$/g, '\\$'));
      changed = true;
    }
  }
  return changed ? lines.join('\n') : null;
}
