// Every problem a user sees is a Diagnostic: a place, a severity, a message and
// a rule id from the catalogue below. Stages collect them; they never throw for
// problems in the user's files.
import path from 'node:path';

export type Severity = 'error' | 'warning' | 'info';

export interface Place {
  file: string; // absolute path
  line: number; // 1-based
  column: number; // 1-based
}

export interface Diagnostic extends Partial<Place> {
  severity: Severity;
  rule: RuleId;
  message: string;
  /** Another place the message is about ("first defined here"). */
  related?: Place & { message: string };
  /** A fatal diagnostic stops the stages after the one that raised it. */
  fatal?: boolean;
}

/** Rule ids with their default severity, in one place. */
export const rules = {
  'config-invalid': 'error',
  'config-missing': 'error',
  'chapter-missing': 'error',
  'chapter-unreadable': 'error',
  'front-matter-invalid': 'error',
  'bib-syntax': 'error',
  'bib-unreadable': 'error',
  'bib-duplicate-key': 'error',
  'bib-unformattable': 'error',
  'citation-unknown': 'warning',
  'citation-unclosed': 'warning',
  'crossref-unknown': 'warning',
  'style-missing': 'error',
  'style-invalid': 'error',
  'locale-unknown': 'warning',
  'image-missing': 'error',
  'node-unsupported': 'error',
  'html-ignored': 'warning',
  'glyph-missing': 'warning',
  'typst-error': 'error',
  'typst-warning': 'warning',
  'footnote-undefined': 'warning',
  'usage': 'error',
  'output-unwritable': 'error',
  // check / progress (deadline check)
  'milestone-overdue': 'error',
  'milestone-invalid': 'error',
  'todo-marker': 'error',
  'section-empty': 'error',
  'chapter-not-final': 'error',
  'words-over-limit': 'error',
  'words-under-limit': 'error',
  'pdf-missing': 'error',
  'pdf-stale': 'error',
  'bib-unused': 'warning',
  // refs
  'bib-likely-duplicate': 'warning',
  'bib-field-missing': 'error',
  'bib-field-malformed': 'error',
} as const satisfies Record<string, Severity>;

export type RuleId = keyof typeof rules;

export function diagnostic(
  rule: RuleId,
  message: string,
  place?: Partial<Place>,
  extra: Partial<Diagnostic> = {},
): Diagnostic {
  return { severity: rules[rule], rule, message, ...place, ...extra };
}

/** `path:line:col: severity: message [rule]`, the form editors and terminals link. */
export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  const where = d.file
    ? `${relativePath(d.file, cwd)}:${d.line ?? 1}:${d.column ?? 1}: `
    : '';
  let text = `${where}${d.severity}: ${d.message} [${d.rule}]`;
  if (d.related) {
    text += `\n${relativePath(d.related.file, cwd)}:${d.related.line}:${d.related.column}: info: ${d.related.message} [${d.rule}]`;
  }
  return text;
}

export function relativePath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sort by file, then position, so output is stable between runs. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  // Plain code-point order for file names: stable everywhere, and fast for thousands of messages.
  const byFile = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...diagnostics].sort(
    (a, b) =>
      byFile(a.file ?? '', b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}

/**
 * Line and column (1-based) of character offsets in one text. Build it once
 * per file and ask it many times: a binary search over the line starts.
 */
export function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - starts[low] + 1 };
  };
}

/** Line and column of one offset (for a single lookup; use lineIndex for many). */
export function placeOfOffset(text: string, offset: number): { line: number; column: number } {
  return lineIndex(text)(offset);
}
