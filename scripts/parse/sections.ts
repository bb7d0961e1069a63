// Where a chapter can be cut into sections that parse on their own: before
// every ATX heading (`#` at the start of a line) that the whole-chapter
// parse would also read as a top-level heading. A heading line ends any open
// paragraph, list, block quote, table or footnote definition, so the only
// places a `#` line is not a heading are inside a fenced code block, a `$$`
// math block, an HTML block or the YAML front matter; those are tracked line
// by line, erring towards not cutting. Watch re-parses only the section
// that changed (see incremental.ts).

export interface SourceSection {
  text: string;
  /** Character offset of the section in the chapter. */
  offset: number;
  /** 1-based line the section starts on. */
  line: number;
}

const ATX_HEADING = /^#{1,6}(?:[ \t]|$)/;
const CODE_FENCE_OPEN = /^ {0,3}(?:(`{3,})[^`]*|(~{3,}).*)$/;
const MATH_FENCE_OPEN = /^ {0,3}(\${2,})[^$]*$/;
const HTML_START = /^ {0,3}</;
// HTML blocks of CommonMark types 1-5 end at a marker, not at a blank line.
const HTML_UNTIL_MARKER: [RegExp, RegExp][] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<![A-Za-z]/, />/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
];

type Open = { kind: 'fence'; close: RegExp } | { kind: 'html'; end: RegExp | 'blank-line' };

/**
 * The sections of a chapter, or null when it cannot be cut safely (front
 * matter or a block left open at the end): then the chapter parses whole.
 */
export function splitSections(source: string): SourceSection[] | null {
  const lines = source.split('\n');
  const starts: number[] = [0]; // line indexes where sections start
  let index = 0;
  if (/^---[ \t]*\r?$/.test(lines[0] ?? '')) {
    const close = lines.findIndex((line, i) => i > 0 && /^(?:---|\.\.\.)[ \t]*\r?$/.test(line));
    if (close < 0) return null;
    index = close + 1;
  }
  let open: Open | null = null;
  for (; index < lines.length; index++) {
    const line = lines[index].replace(/\r$/, '');
    if (open?.kind === 'fence') {
      if (open.close.test(line)) open = null;
      continue;
    }
    if (open?.kind === 'html') {
      if (open.end === 'blank-line' ? line.trim() === '' : open.end.test(line)) open = null;
      continue;
    }
    if (ATX_HEADING.test(line)) {
      if (index > 0) starts.push(index);
      continue;
    }
    const code = CODE_FENCE_OPEN.exec(line);
    if (code) {
      const fence = code[1] ?? code[2];
      open = { kind: 'fence', close: new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*$`) };
      continue;
    }
    const math = MATH_FENCE_OPEN.exec(line);
    if (math) {
      // pandoc-crossref closes a labelled equation with `$$ {#eq:x}` (see labels.ts).
      open = { kind: 'fence', close: new RegExp(`^ {0,3}\\\${${math[1].length},}[ \\t]*(\\{[^{}]*\\}[ \\t]*)?$`) };
      continue;
    }
    if (HTML_START.test(line)) {
      const marker = HTML_UNTIL_MARKER.find(([start]) => start.test(line));
      // A block ended by a marker can end on its first line.
      if (marker && marker[1].test(line.replace(marker[0], ''))) continue;
      open = { kind: 'html', end: marker ? marker[1] : 'blank-line' };
    }
  }
  if (open && !(open.kind === 'html' && open.end === 'blank-line')) return null;

  const offsets: number[] = [];
  let offset = 0;
  for (const line of lines) {
    offsets.push(offset);
    offset += line.length + 1;
  }
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? offsets[starts[i + 1]] : source.length;
    return { text: source.slice(offsets[start], end), offset: offsets[start], line: start + 1 };
  });
}
