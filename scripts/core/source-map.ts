// The Typst side of the source map: which Markdown lines each stretch of
// generated Typst came from, so a Typst error points at the chapter line
// that produced it.

/** One stretch of generated lines that came from one block of a chapter. */
export interface SourceMapping {
  typLine: number; // 1-based, first generated line of the block
  typLines: number;
  file: string;
  line: number; // 1-based Markdown line of the block
  endLine: number;
}

/** The Markdown place a generated line came from. */
export function mapTypstLine(sourceMap: SourceMapping[], typLine: number): { file: string; line: number } | null {
  let best: SourceMapping | null = null;
  for (const mapping of sourceMap) {
    if (mapping.typLine <= typLine) best = mapping;
    else break;
  }
  if (!best || typLine >= best.typLine + best.typLines) return best ? { file: best.file, line: best.endLine } : null;
  return { file: best.file, line: Math.min(best.line + (typLine - best.typLine), best.endLine) };
}
