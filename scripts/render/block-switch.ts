// The preview's block switches. In a previewed thesis every top-level block
// of a chapter stands behind a switch, `#if thesis-file == none or (…) [...]`
// on its file and line, and what the switches compare with is defined by a
// module of their own that the main file imports (`.thesis-draft.typ`). The
// full build's module shows every block; a draft's (preview/draft.ts) shows
// only the blocks of the pages around an edit, and sets the counters before
// the first of them. The main text is the same in both, compiled as the same
// files: Typst's syntax nodes keep their spans, so the draft finds the
// paragraphs the full build laid out in Typst's memo, where a draft written
// as a file of its own is new text to Typst and laid out from scratch (45–160
// ms of Typst for the four to nine pages of a draft at 1×, against 20–40 ms
// behind switches; `npm run bench`, "save half way through the chapter"). A
// block out of the draft is not even evaluated (`#if` skips its body).
//
// A switch is a content block, and what raw Typst defines or sets inside it
// would end with it: the statements of raw Typst at its top level (`#let`,
// `#set`, `#show`, `#import`) stand outside the switches, as they stand in
// the thesis, so they reach every later block in a draft as in the full
// build; only what raw Typst prints is switched. Raw Typst that sets
// something in the middle of what it prints cannot be cut so: it stands
// unswitched, and the thesis gets no drafts.
import type { Nodes, RootContent } from 'mdast';
import { typstString } from '../core/typst-syntax.js';

/** Where the switches are defined: next to the main file, in memory only (core/layout.ts `draftSwitchFile`). */
const SWITCH_MODULE = '/.thesis-draft.typ';

/** The line that imports the switches (the first of SWITCH_PREAMBLE). */
export const SWITCH_IMPORT = `#import ${typstString(SWITCH_MODULE)}: thesis-file, thesis-from, thesis-to, thesis-starts`;

/** The module of the full build: every block shown (no file), nothing set before any. */
export const FULL_BUILD_SWITCHES = '#let thesis-file = none\n#let thesis-from = 0\n#let thesis-to = 0\n#let thesis-starts(file, line) = none\n';

/**
 * A draft's module: the blocks of one chapter from line `from` to before `to` (null: to its end) shown, and
 * `starts` (Typst markup) set before the first of them.
 */
export function draftSwitches(file: string, from: number, to: number | null, starts: string): string {
  return [
    `#let thesis-file = ${typstString(file)}`,
    `#let thesis-from = ${from}`,
    `#let thesis-to = ${to ?? 2 ** 31 - 1}`,
    `#let thesis-starts(file, line) = if file == thesis-file and line == thesis-from [${starts}]`,
    '',
  ].join('\n');
}

/**
 * Before the template's call in a previewed thesis: the switches imported, and
 * what a cross-reference, link or second reference to a note whose label the draft does not hold prints.
 * The words come from a metadata element a draft sets before its first block
 * (preview/draft.ts), found by a query, not from a value the rules would hold:
 * a rule that holds a value differs from draft to draft, and Typst would lay
 * out every paragraph under it again. The full build holds every label, and the
 * rules give back each reference and link as it is.
 */
export const SWITCH_PREAMBLE = [
  SWITCH_IMPORT,
  '#show ref: it => if query(it.target).len() > 0 { it } else { let outside = query(<thesis-outside>); let printed = if outside.len() > 0 { outside.first().value.at(str(it.target), default: ("??", "??")) } else { ("??", "??") }; if it.supplement == none { printed.at(1) } else { printed.at(0) } }',
  '#show link: it => if type(it.dest) == label and query(it.dest).len() == 0 { it.body } else { it }',
  // A second reference to a note the draft does not hold: its number as the full build printed it (a footnote
  // pointing at a label the document lacks is an error), as Typst prints a note's mark.
  '#show footnote: it => if type(it.body) == label and query(it.body).len() == 0 { let outside = query(<thesis-outside>); h(0pt, weak: true) + super(if outside.len() > 0 { outside.first().value.at(str(it.body), default: "?") } else { "?" }) } else { it }',
].join('\n');

/** The key of what is not a chapter's block (the reference list after the chapters): shown by the full build only. */
export const OUTSIDE_CHAPTERS: readonly [string, number] = ['', 0];

/**
 * A switch's first line. Compared in place, not by a function of the module: a call is memoised by Typst
 * (its arguments hashed, looked up), and a call for each of the 1,848 blocks of a thesis at 10× cost a
 * draft 10–15 ms.
 */
export function switchOpen(file: string, line: number, first: boolean): string {
  const name = typstString(file);
  return `#if thesis-file == none or (thesis-file == ${name} and ${line} >= thesis-from and ${line} < thesis-to) [${first ? `#thesis-starts(${name}, ${line})` : ''}`;
}

/** The line a switch's first line names (switchOpen's), or null when the line is not one. */
export function switchLine(text: string, file: string): { line: number; first: boolean } | null {
  const head = `#if thesis-file == none or (thesis-file == ${typstString(file)} and `;
  if (!text.startsWith(head)) return null;
  const line = /^\d+/.exec(text.slice(head.length));
  return line && switchOpen(file, Number(line[0]), true) === text ? { line: Number(line[0]), first: true } : line && switchOpen(file, Number(line[0]), false) === text ? { line: Number(line[0]), first: false } : null;
}

/** Lines behind one switch. */
export function switched(file: string, line: number, lines: readonly string[]): string[] {
  return [switchOpen(file, line, true), ...lines, ']'];
}

/** How much deeper in brackets a line of Typst leaves what follows (strings and line comments skipped). */
function bracketDepth(line: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '\\') i++;
    else if (char === '"') inString = true;
    else if (char === '/' && line[i + 1] === '/') break;
    else if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
  }
  return depth;
}

const STATEMENT = /^#(let|set|show|import)\b/;
/** The names the switches' module gives (SWITCH_IMPORT), as a statement of raw Typst might name them. */
const SWITCH_NAMES = /(?<![\w-])thesis-(file|from|to|starts)(?![\w-])/;
const ANY_STATEMENT = /#(let|set|show|import)\b/;

/** Stretches of a block's lines: raw Typst's statements at its top level, and what is printed between them. */
interface Run {
  statement: boolean;
  /** Index of the run's first line in the block. */
  at: number;
  lines: string[];
}

/**
 * A block's lines cut where raw Typst's statements begin and end at the top
 * level (brackets closed), or null when its brackets do not close, or a
 * statement stands inside a printed line (`Words #set text(red) more`): its
 * switch would end what the statement sets.
 */
function runsOf(lines: readonly string[]): Run[] | null {
  const runs: Run[] = [];
  let depth = 0;
  lines.forEach((line, at) => {
    const statement = depth === 0 && STATEMENT.test(line);
    const last = runs.at(-1);
    if (depth > 0 && last) last.lines.push(line);
    else if (last && !statement && !last.statement) last.lines.push(line);
    else runs.push({ statement, at, lines: [line] });
    depth += bracketDepth(line);
    if (depth < 0) depth = -Infinity;
  });
  if (depth !== 0) return null;
  // A statement that names what the switches compare with would turn them (a thesis's raw Typst is anyone's).
  if (runs.some((run) => run.statement && SWITCH_NAMES.test(run.lines.join('\n')))) return null;
  // What is printed may not hold a statement at its own top level: only whole lines are told apart.
  for (const run of runs) {
    if (run.statement) continue;
    let level = 0;
    for (const line of run.lines) {
      if (level === 0 && ANY_STATEMENT.test(line.replace(/\\#/g, ''))) return null;
      level += bracketDepth(line);
    }
  }
  return runs;
}

function holdsRawTypst(node: Nodes): boolean {
  if (node.type === 'code' && node.lang === '{=typst}') return true;
  return 'children' in node && (node.children as Nodes[]).some(holdsRawTypst);
}

/** One block's lines in a previewed thesis: `marker` before the markup (after a heading's). */
export interface SwitchedBlock {
  lines: string[];
  /** Stretches of the block's markup among `lines`: where each begins (0-based), how long, and its first line in the markup. */
  stretches: { at: number; length: number; markupLine: number }[];
  /** False when raw Typst in it could not be switched: it stands unswitched, and no draft can leave it out. */
  switched: boolean;
  /** Raw Typst in it defines or sets something for the blocks after it (its statements stand outside the switches). */
  lasting?: true;
}

/**
 * A chapter's block behind its switch, its marker inside: for a heading after
 * it (a heading may begin a new page, and a marker before it would stay on
 * the page before), else before it.
 */
export function switchBlock(node: RootContent, file: string, line: number, markup: readonly string[], marker: string): SwitchedBlock {
  const heading = node.type === 'heading';
  if (!holdsRawTypst(node as Nodes)) {
    const lines = [switchOpen(file, line, true), ...(heading ? [] : [marker]), ...markup, ...(heading ? [marker] : []), ']'];
    return { lines, stretches: [{ at: heading ? 1 : 2, length: markup.length + (heading ? 1 : 0), markupLine: 0 }], switched: true };
  }
  const runs = runsOf(markup);
  if (!runs) return { lines: [marker, ...markup], stretches: [{ at: 1, length: markup.length, markupLine: 0 }], switched: false };
  // The marker (and a draft's counters) in a switch of its own; then the statements as they are, and what is printed switched.
  const lines = [switchOpen(file, line, true), marker, ']'];
  const stretches: SwitchedBlock['stretches'] = [];
  for (const run of runs) {
    if (run.statement) {
      stretches.push({ at: lines.length, length: run.lines.length, markupLine: run.at });
      lines.push(...run.lines);
    } else {
      lines.push(switchOpen(file, line, false));
      stretches.push({ at: lines.length, length: run.lines.length, markupLine: run.at });
      lines.push(...run.lines, ']');
    }
  }
  return { lines, stretches, switched: true, ...(runs.some((run) => run.statement) ? { lasting: true as const } : {}) };
}
