// The preview's block switches. In a previewed thesis every top-level block
// of a chapter stands behind a switch, `#if thesis-shows(file, line) [...]`,
// and the switches are defined by a module of their own that the main file
// imports (`.thesis-draft.typ`). The full build's module shows every block;
// a draft's (preview/draft.ts) shows only the blocks of the pages around an
// edit, and sets the counters before the first of them. The main file is the
// same text in both, compiled as the same file: Typst's syntax nodes keep their
// spans, so the draft finds the paragraphs the full build laid out in Typst's
// memo, where a draft written as a file of its own is new text to Typst and
// laid out from scratch (45–160 ms for the four to nine pages of a draft at
// 1×, against 20–60 ms behind switches; /tmp/sx measurements, session 20).
// A block out of the draft is not even evaluated (`#if` skips its body).
//
// A switch is a content block, and what raw Typst defines or sets inside it
// would end with it: the statements of raw Typst at its top level (`#let`,
// `#set`, `#show`, `#import`) stand outside the switches, as they stand in
// the thesis, so they reach every later block in a draft as in the full
// build; only what raw Typst prints is switched.
import type { Nodes, RootContent } from 'mdast';
import { typstString } from '../core/typst-syntax.js';

/** Where the switches are defined: next to the main file, in memory only (core/layout.ts `draftSwitchFile`). */
export const SWITCH_MODULE = '/.thesis-draft.typ';

/** The module of the full build: every block shown, nothing set before any. */
export const FULL_BUILD_SWITCHES = '#let thesis-shows(file, line) = true\n#let thesis-starts(file, line) = none\n';

/**
 * Before the template's call in a previewed thesis: the switches imported, and
 * what a cross-reference or link to a label the draft does not hold prints.
 * The words come from a metadata element a draft sets before its first block
 * (preview/draft.ts), found by a query, not from a value the rules would hold:
 * a rule that holds a value differs from draft to draft, and Typst would lay
 * out every paragraph under it again. The full build holds every label, and the
 * rules give back each reference and link as it is.
 */
export const SWITCH_PREAMBLE = [
  `#import ${typstString(SWITCH_MODULE)}: thesis-shows, thesis-starts`,
  '#show ref: it => if query(it.target).len() > 0 { it } else { let outside = query(<thesis-outside>); let printed = if outside.len() > 0 { outside.first().value.at(str(it.target), default: ("??", "??")) } else { ("??", "??") }; if it.supplement == none { printed.at(1) } else { printed.at(0) } }',
  '#show link: it => if type(it.dest) == label and query(it.dest).len() == 0 { it.body } else { it }',
].join('\n');

/** The key of what is not a chapter's block (the reference list after the chapters): shown by the full build only. */
export const OUTSIDE_CHAPTERS: readonly [string, number] = ['', 0];

function switchOpen(file: string, line: number, first: boolean): string {
  const key = `${typstString(file)}, ${line}`;
  return `#if thesis-shows(${key}) [${first ? `#thesis-starts(${key})` : ''}`;
}

/** Lines behind one switch. */
export function switched(file: string, line: number, lines: readonly string[]): string[] {
  return [switchOpen(file, line, true), ...lines, ']'];
}

/** How much deeper in brackets a line of Typst leaves what follows (strings and line comments skipped). */
export function bracketDepth(line: string): number {
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
  return { lines, stretches, switched: true };
}
