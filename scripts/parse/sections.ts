// Where a chapter can be cut into sections that parse on their own: before
// every ATX heading (`#` at the start of a line) after a blank line that the
// whole-chapter parse would also read as a top-level heading. A heading line ends any open
// paragraph, list, block quote or footnote definition, so the only places a
// `#` line is not a heading are inside a fenced code block, a `$$` math
// block, an HTML block, the YAML front matter, a fenced div, a row of one
// of Pandoc's tables, or a raw LaTeX block (an environment, or a command
// whose braces run over lines: raw-tex-block.ts reads it whole); those are
// tracked line by line, erring towards not cutting. Watch re-parses only the section that changed (see
// incremental.ts).

import { blockLines } from './block-lines.js';
import { DIV_CLOSING, DIV_OPENING, takeDivFences } from './fenced-divs.js';
import { takePandocTables } from './pandoc-tables.js';

export interface SourceSection {
  text: string;
  /** Character offset of the section in the chapter. */
  offset: number;
  /** 1-based line the section starts on. */
  line: number;
}

const ATX_HEADING = /^#{1,6}(?:[ \t]|$)/;

/**
 * The sections of a chapter, or null when it cannot be cut safely (front
 * matter or a block left open at the end): then the chapter parses whole.
 */
export function splitSections(source: string): SourceSection[] | null {
  const lines = source.split('\n');
  const blocks = blockLines(source);
  const { kinds, openAtEnd } = blocks;
  if (openAtEnd) return null;
  // A simple or multiline table's row may start with `#`.
  const divs = takeDivFences(source, blocks);
  const inTable = new Set(takePandocTables(divs.text, blocks, divs.fences, null).lines.flatMap(([from, to]) => Array.from({ length: to - from }, (_, k) => from + k)));
  const starts: number[] = [0]; // line indexes where sections start
  // A fenced div (fenced-divs.ts) holds its headings: no cut inside one.
  let divDepth = 0;
  // Nor a raw LaTeX block: environments (`\begin`/`\end`, ConTeXt's `\start`/`\stop`) and braces a command line leaves open.
  let latexDepth = 0;
  let braceDepth = 0;
  lines.forEach((raw, index) => {
    if (kinds[index] !== 'text') return;
    const line = raw.replace(/\r$/, '');
    if (ATX_HEADING.test(line)) {
      // After a blank line only: a table's last line reads differently before a heading than at the end of a text.
      if (index > 0 && divDepth === 0 && latexDepth === 0 && braceDepth === 0 && !inTable.has(index) && (kinds[index - 1] !== 'text' || lines[index - 1].trim() === '')) starts.push(index);
    } else if (DIV_OPENING.test(line)) divDepth++;
    else if (DIV_CLOSING.test(line) && divDepth > 0) divDepth--;
    if (line.includes('\\')) {
      const opened = (line.match(/\\begin\s*\{|\\start[A-Za-z[]/g) ?? []).length;
      const closed = (line.match(/\\end\s*\{|\\stop[A-Za-z[]/g) ?? []).length;
      latexDepth = Math.max(0, latexDepth + opened - closed);
    }
    if (braceDepth > 0 || /^\s{0,3}\\[A-Za-z]/.test(line)) {
      for (let i = 0; i < line.length; i++) {
        if (line[i] === '\\') i++;
        else if (line[i] === '{') braceDepth++;
        else if (line[i] === '}' && braceDepth > 0) braceDepth--;
      }
    }
  });
  if (divDepth > 0 || latexDepth > 0 || braceDepth > 0) return null;

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
