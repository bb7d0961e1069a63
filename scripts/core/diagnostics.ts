// Every problem a user sees is a Diagnostic, one shape for every stage (the
// fields follow vfile-message): a place with start and end, a severity, a
// message, a rule id from the catalogue below, and as data what an editor can
// show or apply: a hint, the text found and the replacements expected, and a
// cause at another place. Stages return their diagnostics; they never throw
// for problems in the user's files. The terminal, `--format json` and the
// watch status line all print from this shape.
import path from 'node:path';

export type Severity = 'error' | 'warning' | 'info' | 'note';

export interface Point {
  line: number; // 1-based
  column: number; // 1-based
}

export interface Place extends Point {
  file: string; // absolute path
}

export interface Diagnostic extends Partial<Place> {
  severity: Severity;
  rule: RuleId;
  message: string;
  /** Where the problem ends (exclusive), when it spans more than a point. */
  end?: Point;
  /** What to do about it, when the message alone does not say. */
  hint?: string;
  /** The text at the place, and what could replace it ("did you mean"): a fix an editor can apply. */
  actual?: string;
  expected?: string[];
  /** Another place the message is about ("first defined here", "cited here"). */
  cause?: Place & { message: string };
  /**
   * The stage that raised it could not produce its result (no project, no
   * style, no bibliography): the stages that need that result do not run.
   * Every stage means the same by it; the pipeline checks it after each step.
   */
  fatal?: boolean;
}

/** Rule ids with their default severity, in one place. */
export const rules = {
  'config-invalid': 'error',
  /** A path that leads out of the project folder (absolute, `..`, a symbolic link): refused, the build goes on without it. */
  'path-outside-project': 'warning',
  'config-missing': 'error',
  'font-missing': 'error',
  'chapter-missing': 'error',
  'chapter-unreadable': 'error',
  /** A file that is not valid UTF-8: read with U+FFFD where the bytes are wrong. */
  'encoding-invalid': 'warning',
  'front-matter-invalid': 'error',
  'bib-syntax': 'error',
  'bib-unreadable': 'error',
  'bib-lookup-failed': 'error',
  'bib-duplicate-key': 'error',
  'bib-unformattable': 'error',
  /** An entry Pandoc's BibTeX reader refuses (Pandoc would stop on the file): formatted as our reader reads it. */
  'bib-pandoc-refused': 'warning',
  /** `[text]()`: a link with no target, printed as its text. */
  'link-empty': 'warning',
  /** TeX in a field that Pandoc's reader does not know: left out of the reference, as Pandoc leaves it out. */
  'bib-tex-dropped': 'warning',
  'citation-unknown': 'warning',
  'citation-unclosed': 'warning',
  'blank-line-missing': 'warning',
  /** Quotes or lists nested deeper than the toolchain reads: read at the limit. */
  'nesting-too-deep': 'warning',
  'crossref-unknown': 'warning',
  'glossary-unknown': 'warning',
  'glossary-unused': 'warning',
  'style-missing': 'error',
  'style-invalid': 'error',
  'locale-unknown': 'warning',
  'image-missing': 'warning',
  'alt-text-missing': 'error',
  'node-unsupported': 'warning',
  'html-ignored': 'warning',
  'attribute-ignored': 'warning',
  'raw-latex-ignored': 'warning',
  /** A raw Typst block not run: raw Typst is switched off, or a symbolic link leads out of the project. */
  'raw-typst-refused': 'warning',
  'math-unsupported': 'warning',
  'glyph-missing': 'warning',
  'typst-error': 'error',
  /** The Typst compiler's process ended (a panic in Typst, or a compile over time): the build fails, the previous PDF stays. */
  'typst-stopped': 'error',
  'typst-warning': 'warning',
  /** What Pandoc says while writing Word, HTML, ODT or EPUB. */
  'pandoc-warning': 'warning',
  'footnote-undefined': 'warning',
  'usage': 'error',
  'output-unwritable': 'error',
  /** Another command is writing the project and did not finish in time. */
  'project-busy': 'error',
  /** A bug in the toolchain, not a problem in the thesis. */
  'internal-error': 'error',
  // check / progress (deadline check)
  'milestone-overdue': 'error',
  'milestone-open': 'warning',
  spelling: 'warning',
  /** English grammar and style from Harper: advice, never a failed check. */
  grammar: 'warning',
  'milestone-invalid': 'error',
  'todo-marker': 'error',
  'section-empty': 'error',
  'chapter-not-final': 'error',
  'words-over-limit': 'error',
  'words-under-limit': 'error',
  'pdf-missing': 'error',
  'pdf-stale': 'error',
  /** A Word, HTML, ODT or EPUB output older than its sources: a warning, as the PDF is what is submitted. */
  'output-stale': 'warning',
  'bib-unused': 'warning',
  // diff: the revision compared with
  'diff-revision': 'error',
  // review: a supervisor's Word comments and changes, at their Markdown lines
  'review-comment': 'note',
  'review-change': 'note',
  'review-unplaced': 'note',
  'review-foreign': 'warning',
  'review-unreadable': 'error',
  // refs
  'bib-likely-duplicate': 'warning',
  'bib-field-missing': 'error',
  'bib-field-malformed': 'error',
} as const satisfies Record<string, Severity>;

export type RuleId = keyof typeof rules;

export function diagnostic(
  rule: RuleId,
  message: string,
  place?: Partial<Place> & { end?: Point },
  extra: Partial<Diagnostic> = {},
): Diagnostic {
  return { severity: rules[rule], rule, message, ...place, ...extra };
}

/** The message with its suggestion and hint, as one sentence for the terminal. */
function fullMessage(d: Diagnostic): string {
  const suggestion = d.expected?.length ? `; did you mean ${d.expected.map((c) => `"${c}"`).join(' or ')}?` : '';
  return `${d.message}${suggestion}${d.hint ? ` (${d.hint})` : ''}`;
}

/**
 * Text from a thesis (a TODO line, a title, a key, a file name) made safe for
 * a terminal: control characters — an escape sequence could clear the screen
 * or set the window title — and the bidirectional overrides that reorder what
 * is shown become visible symbols (␛ for ESC, <U+202E>), never acted on.
 */
export function terminalSafe(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const code = ch.codePointAt(0)!;
    if (code < 0x20) return String.fromCodePoint(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
  });
}

/** `path:line:col: severity: message [rule]`, the form editors and terminals link. */
export function formatDiagnostic(d: Diagnostic, cwd: string): string {
  return terminalSafe(formatDiagnosticText(d, cwd));
}

function formatDiagnosticText(d: Diagnostic, cwd: string): string {
  const where = d.file ? `${relativePath(d.file, cwd)}:${d.line ?? 1}:${d.column ?? 1}: ` : '';
  let text = `${where}${d.severity}: ${fullMessage(d)} [${d.rule}]`;
  if (d.cause) {
    text += `\n${relativePath(d.cause.file, cwd)}:${d.cause.line}:${d.cause.column}: info: ${d.cause.message} [${d.rule}]`;
  }
  return text;
}

/** The shape `--format json` prints: every field, paths relative to `base`. */
export function diagnosticJson(d: Diagnostic, base: string) {
  return {
    file: d.file ? relativePath(d.file, base) : null,
    line: d.line ?? null,
    column: d.column ?? null,
    end: d.end ?? null,
    severity: d.severity,
    rule: d.rule,
    message: d.message,
    hint: d.hint ?? null,
    actual: d.actual ?? null,
    expected: d.expected ?? [],
    cause: d.cause ? { ...d.cause, file: relativePath(d.cause.file, base) } : null,
    fatal: d.fatal ?? false,
    text: formatDiagnostic(d, base),
  };
}

export function relativePath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  // From a subfolder of the thesis, `../thesis/a.md` (as git and compilers print it); from far away, the absolute path.
  const climbs = rel.split(path.sep).filter((part) => part === '..').length;
  return path.isAbsolute(rel) || climbs > 2 ? file : rel;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function hasFatal(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.fatal);
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
export function lineIndex(text: string): (offset: number) => Point {
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
