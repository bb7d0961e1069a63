// Splits a BibTeX/BibLaTeX file into its entries before anything parses them,
// so a malformed entry becomes one positioned message while every other entry
// still loads (citation-js alone throws on the first error and loses them all).

export interface BibChunk {
  kind: 'entry' | 'string' | 'preamble' | 'comment';
  /** Entry type as written, lower-cased: article, book, string, … */
  type: string;
  key: string;
  /** Character offsets of `@` and one past the closing delimiter. */
  start: number;
  end: number;
  text: string;
  /** Set when the entry cannot be used; offset is where the problem is. */
  error?: { message: string; offset: number };
}

const entryStartAtLine = /^[ \t]*@[A-Za-z]+[ \t]*[{(]/;

export function splitBibtex(text: string): BibChunk[] {
  const chunks: BibChunk[] = [];
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('@', i);
    if (at < 0) break;
    const typeMatch = /^@[ \t]*([A-Za-z]+)[ \t]*([{(])/.exec(text.slice(at, at + 64));
    if (!typeMatch || !isAtLineStartOrAfterSpace(text, at)) {
      i = at + 1;
      continue;
    }
    const type = typeMatch[1].toLowerCase();
    const opener = typeMatch[2];
    const bodyStart = at + typeMatch[0].length;
    const kind: BibChunk['kind'] =
      type === 'string' ? 'string' : type === 'preamble' ? 'preamble' : type === 'comment' ? 'comment' : 'entry';
    const close = findClose(text, bodyStart, opener === '{' ? '}' : ')', kind !== 'comment');
    if (close.end < 0) {
      const end = close.nextEntry ?? text.length;
      chunks.push({
        kind,
        type,
        key: kind === 'entry' ? readKey(text.slice(bodyStart, end)) : '',
        start: at,
        end,
        text: text.slice(at, end),
        error: {
          message:
            close.nextEntry !== undefined
              ? `unclosed entry: expected \`${opener === '{' ? '}' : ')'}\` before the next entry`
              : `unclosed entry: expected \`${opener === '{' ? '}' : ')'}\` before the end of the file`,
          offset: at,
        },
      });
      i = end;
      continue;
    }
    const chunk: BibChunk = { kind, type, key: '', start: at, end: close.end, text: text.slice(at, close.end) };
    if (kind === 'entry') {
      chunk.key = readKey(text.slice(bodyStart, close.end));
      if (!chunk.key) chunk.error = { message: 'entry has no citation key; expected `@type{key, …}`', offset: bodyStart };
      else if (!/^[^\s,{}"#%'()=\\]+$/.test(chunk.key))
        chunk.error = { message: `invalid citation key "${chunk.key}"`, offset: bodyStart };
    }
    chunks.push(chunk);
    i = close.end;
  }
  return chunks;
}

function isAtLineStartOrAfterSpace(text: string, at: number): boolean {
  return at === 0 || /\s/.test(text[at - 1]);
}

function readKey(body: string): string {
  const comma = body.indexOf(',');
  return (comma < 0 ? body.replace(/[})]\s*$/, '') : body.slice(0, comma)).trim();
}

/** The `"` that ends a quoted value starting at `from` (braces inside it nest), or -1 before the next line that starts an entry. */
function closingQuote(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    else if (ch === '"' && depth === 0) return i;
    else if (ch === '\n' && entryStartAtLine.test(text.slice(i + 1, i + 65))) return -1;
  }
  return -1;
}

/** The entry as citation-js reads it: `@type(…)` written with braces. */
export function withBraces(chunk: BibChunk): string {
  const open = /^@[ \t]*[A-Za-z]+[ \t]*\(/.exec(chunk.text);
  if (!open || !chunk.text.endsWith(')')) return chunk.text;
  return `${open[0].slice(0, -1)}{${chunk.text.slice(open[0].length, -1)}}`;
}

/**
 * Finds the closing delimiter, counting braces. When `stopAtEntry` is set, a
 * line that starts a new entry while braces are still open ends the search:
 * that is almost always a missing `}` in the entry before it.
 */
function findClose(
  text: string,
  from: number,
  closer: '}' | ')',
  stopAtEntry: boolean,
): { end: number; nextEntry?: number } {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    // A quoted value at the top level may hold the closing delimiter: `title = "A (short) title"`.
    if (ch === '"' && depth === 0 && stopAtEntry) {
      const quoteEnd = closingQuote(text, i + 1);
      if (quoteEnd >= 0) {
        i = quoteEnd;
        continue;
      }
    }
    if (ch === '{') depth++;
    else if (ch === '}') {
      if (depth === 0 && closer === '}') return { end: i + 1 };
      depth--;
      if (depth < 0) depth = 0;
    } else if (ch === ')' && closer === ')' && depth === 0) return { end: i + 1 };
    else if (ch === '\n' && stopAtEntry) {
      const lineEnd = text.indexOf('\n', i + 1);
      const line = text.slice(i + 1, lineEnd < 0 ? text.length : lineEnd);
      if (entryStartAtLine.test(line)) return { end: -1, nextEntry: i + 1 + line.indexOf('@') };
    }
  }
  return { end: -1 };
}
