// Raw LaTeX in running text, as Pandoc's `raw_tex` extension reads it: a
// backslash, a command name of letters (and an optional `*`), and its
// `[optional]` and `{required}` arguments: `\newpage`, `\vspace*{\fill}`,
// `\textbf{bold}`, `\parencite[p. 3]{foucault1977}`. An escaped backslash
// (`\\newpage`) is text, as in Pandoc. The writer gives the commands theses
// use their Typst meaning and reports any other (render/handlers/latex.ts).
import type { Div, Parent, PhrasingContent, RawLatex, Root, RootContent, Text } from 'mdast';
import type { CitationItem } from './citations.js';
import type { CompileContext, Extension as FromMarkdownExtension, Token as FromMarkdownToken } from 'mdast-util-from-markdown';
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';

declare module 'mdast' {
  interface RawLatex extends Parent {
    type: 'rawLatex';
    /** The whole command as written: `\vspace*{2cm}`. */
    value: string;
    /** Its name without the backslash: `vspace*`. */
    command: string;
    /** Its arguments in order, each with its kind and text without the brackets. */
    args: { kind: 'optional' | 'required'; text: string }[];
    /** For text commands (`\textbf{…}`, `\footnote{…}`): the argument, read as Markdown; empty for others. */
    children: PhrasingContent[];
  }
  interface PhrasingContentMap {
    rawLatex: RawLatex;
  }
  interface RootContentMap {
    rawLatex: RawLatex;
  }
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    rawLatex: 'rawLatex';
  }
}

const backslash = 92;
const star = 42;
const leftBrace = 123;
const rightBrace = 125;
const leftSquare = 91;
const rightSquare = 93;

/** The longest argument looked for: beyond it an unclosed `{` is text (a line of unclosed commands is still read in linear time). */
const MAX_ARGUMENT = 4000;

const isLetter = (code: Code) => code !== null && ((code >= 65 && code <= 90) || (code >= 97 && code <= 122));

const rawLatexConstruct: Construct = {
  name: 'rawLatex',
  tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    let depth = 0;
    let closer = 0;
    let argumentLength = 0;

    return (code) => {
      effects.enter('rawLatex');
      effects.consume(code);
      return firstLetter;
    };

    function firstLetter(code: Code): State | undefined {
      if (!isLetter(code)) return nok(code);
      effects.consume(code);
      return name;
    }

    function name(code: Code): State | undefined {
      if (isLetter(code)) {
        effects.consume(code);
        return name;
      }
      if (code === star) {
        effects.consume(code);
        return afterName;
      }
      return afterName(code);
    }

    function afterName(code: Code): State | undefined {
      // Arguments follow the name directly; a bracket after a space is text.
      if (code === leftBrace || code === leftSquare) {
        closer = code === leftBrace ? rightBrace : rightSquare;
        depth = 1;
        effects.consume(code);
        return argument;
      }
      effects.exit('rawLatex');
      return ok(code);
    }

    function argument(code: Code): State | undefined {
      // An argument may run over lines (`\textit{` … `}`), as in Pandoc; one
      // never closed in its paragraph is text. The search for the end stops
      // after a few thousand characters, so a paragraph of unclosed commands
      // is still read in linear time.
      // Arguments stay on one line here (micromark's subtokenizer loops for ever on a text
      // token that runs over a line ending); a text command whose braces run over lines at the
      // start of a block is read whole as a raw block (raw-tex-block.ts). An unclosed one is text.
      if (code === null || code < -2 || ++argumentLength > MAX_ARGUMENT) return nok(code);
      const opener = closer === rightBrace ? leftBrace : leftSquare;
      if (code === backslash) {
        effects.consume(code);
        return escapedInArgument;
      }
      if (code === opener) depth++;
      if (code === closer && --depth === 0) {
        effects.consume(code);
        return afterName;
      }
      effects.consume(code);
      return argument;
    }

    function escapedInArgument(code: Code): State | undefined {
      if (code === null) return nok(code);
      effects.consume(code);
      return argument;
    }
  },
};

export function rawLatexSyntax(): Extension {
  return { text: { [backslash]: rawLatexConstruct } };
}

/** `\name*[opt]{req}` split into its parts. */
export function splitLatexCommand(value: string): { command: string; args: { kind: 'optional' | 'required'; text: string }[] } {
  const name = /^\\([A-Za-z]+\*?)/.exec(value)!;
  const args: { kind: 'optional' | 'required'; text: string }[] = [];
  let i = name[0].length;
  while (i < value.length) {
    const open = value[i];
    const close = open === '{' ? '}' : ']';
    let depth = 0;
    let j = i;
    for (; j < value.length; j++) {
      if (value[j] === '\\') j++;
      else if (value[j] === open) depth++;
      else if (value[j] === close && --depth === 0) break;
    }
    args.push({ kind: open === '{' ? 'required' : 'optional', text: value.slice(i + 1, j) });
    i = j + 1;
  }
  return { command: name[1], args };
}

export function rawLatexFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      rawLatex(this: CompileContext, token: FromMarkdownToken) {
        const value = this.sliceSerialize(token);
        this.enter({ type: 'rawLatex', value, ...splitLatexCommand(value), children: [] }, token);
      },
    },
    exit: {
      rawLatex(this: CompileContext, token: FromMarkdownToken) {
        this.exit(token);
      },
    },
  };
}

/** Commands whose one required argument is text: its Markdown is read, so it can hold emphasis, citations, notes. */
const textArgumentCommands = new Set(['textbf', 'emph', 'textit', 'underline', 'textsc', 'mbox', 'footnote', 'textup', 'textrm']);
/** natbib and biblatex citation commands, and how Pandoc would write them. */
const citeCommands: Record<string, 'normal' | 'in-text'> = {
  cite: 'normal',
  parencite: 'normal',
  citep: 'normal',
  autocite: 'normal',
  textcite: 'in-text',
  citet: 'in-text',
};
const refCommands = new Set(['ref', 'autoref', 'cref', 'Cref', 'eqref']);

type InlineParser = (text: string, at: { line: number; column: number; offset: number }) => PhrasingContent[] | null;

/**
 * Gives raw LaTeX commands that have a Markdown meaning that meaning, in the
 * tree: citation commands become citations (so they are formatted and
 * listed like `[@key]`), reference commands cross-references, and text
 * commands get their argument read as Markdown as their children. Every
 * other command stays a `rawLatex` node for the writer.
 */
export function interpretLatex(tree: Root, parseInline: InlineParser, source: string): void {
  const walk = (parent: Parent) => {
    rawAttributeInlines(parent);
    if (parent.type === 'paragraph') {
      commandsOverLines(parent);
      commandsAcrossNodes(parent, source);
    }
    parent.children = parent.children.map((child) => {
      const node = child.type === 'rawLatex' ? interpret(child, parseInline) : child;
      if ('children' in node) walk(node as Parent);
      return node;
    }) as Parent['children'];
  };
  walk(tree);
}

/** `\textit{` … `}` with a line break inside, in text: what the inline construct cannot take (its arguments stay on one line). */
// The first line of the argument cannot cross a line break and each part is bounded, so a paragraph of unclosed commands is still read in linear time.
const COMMAND_OVER_LINES = /\\([A-Za-z]+\*?)((?:\[[^\]\n]*\])*)\{((?:[^{}\\\n]|\\.|\{[^{}\n]*\}){0,2000}\n(?:[^{}\\]|\\.|\{[^{}]*\}){0,2000})\}/g;

/**
 * A command whose braces run over lines in the middle of a paragraph
 * (`Some \textit{italic` / `text} more`) is one raw LaTeX command, as in
 * Pandoc, not text that prints its braces: found in the paragraph's text
 * nodes (an argument with emphasis or a citation inside stays as it is).
 */
function commandsOverLines(paragraph: Parent): void {
  const children = paragraph.children as PhrasingContent[];
  if (!children.some((child) => child.type === 'text' && child.value.includes('\n') && child.value.includes('\\'))) return;
  paragraph.children = children.flatMap((child): PhrasingContent[] => {
    if (child.type !== 'text' || !child.value.includes('\n')) return [child];
    const out: PhrasingContent[] = [];
    let last = 0;
    for (const match of child.value.matchAll(COMMAND_OVER_LINES)) {
      const start = match.index ?? 0;
      if (start > 0 && child.value[start - 1] === '\\') continue;
      if (start > last) out.push({ type: 'text', value: child.value.slice(last, start), position: placeIn(child, last, child.value.slice(last, start)) });
      const value = match[0];
      out.push({ type: 'rawLatex', value, ...splitLatexCommand(value), children: [], position: placeIn(child, start, value) });
      last = start + value.length;
    }
    if (last === 0) return [child];
    if (last < child.value.length) out.push({ type: 'text', value: child.value.slice(last), position: placeIn(child, last, child.value.slice(last)) });
    return out;
  }) as Parent['children'];
}

/** A command with its optional arguments and the opening brace of its first required one, at the end of what a text node holds open. */
const OPEN_COMMAND = /\\([A-Za-z]+\*?)((?:\[[^\]\n]*\])*)\{/g;

/** The brace depth a stretch of LaTeX leaves open, from `depth`; -1 where it closes to zero first (and the index just after). */
function braceScan(text: string, from: number, depth: number): { depth: number; closedAt: number } {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return { depth: 0, closedAt: i + 1 };
  }
  return { depth, closedAt: -1 };
}

/**
 * A text command whose argument runs over lines and holds Markdown
 * (`\textit{words that *run*` / `over the line [@key]}`): the emphasis or
 * citation splits it over several nodes, so it is found from the source,
 * and becomes one raw LaTeX command whose argument is read as Markdown
 * again (`interpret`), instead of printing its braces and name.
 */
function commandsAcrossNodes(paragraph: Parent, source: string): void {
  const children = [...(paragraph.children as PhrasingContent[])];
  if (children.length < 2 || !children.some((child) => child.type === 'text' && child.value.includes('\\'))) return;
  const out: PhrasingContent[] = [];
  let changed = false;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    const found = child.type === 'text' ? openCommandAcross(children, i, source) : null;
    if (!found) {
      out.push(child);
      continue;
    }
    changed = true;
    const text = child as Text;
    if (found.before > 0) out.push({ type: 'text', value: text.value.slice(0, found.before), position: placeIn(text, 0, text.value.slice(0, found.before)) });
    const value = source.slice(found.from, found.to);
    out.push({ type: 'rawLatex', value, ...splitLatexCommand(value), children: [], position: { start: pointAt(source, found.from), end: pointAt(source, found.to) } });
    // The rest of the node it ends in is looked at again: another command may open there.
    const last = children[found.lastNode] as Text;
    const rest = last.value.slice(found.after);
    if (rest) {
      children[found.lastNode] = { type: 'text', value: rest, position: placeIn(last, found.after, rest) };
      i = found.lastNode - 1;
    } else i = found.lastNode;
  }
  if (changed) paragraph.children = out as Parent['children'];
}

/**
 * The command opened in text node `index` and closed in a later text node:
 * where it starts in the node's value (`before`), its extent in the source,
 * the node it ends in and where in that node's value the rest begins.
 */
function openCommandAcross(children: PhrasingContent[], index: number, source: string): { before: number; from: number; to: number; lastNode: number; after: number } | null {
  const node = children[index] as Text;
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined || !node.value.includes('{')) return null;
  // The outermost brace the node leaves open, in one pass (a command closed in the node is the regex's case).
  const commandAt = new Map<number, RegExpExecArray>();
  for (const match of node.value.matchAll(OPEN_COMMAND)) {
    if (match.index === 0 || node.value[match.index - 1] !== '\\') commandAt.set(match.index + match[0].length - 1, match);
  }
  if (commandAt.size === 0) return null;
  const unclosed: number[] = [];
  for (let i = 0; i < node.value.length; i++) {
    const ch = node.value[i];
    if (ch === '\\') i++;
    else if (ch === '{') unclosed.push(i);
    else if (ch === '}') unclosed.pop();
  }
  const opened = unclosed.length > 0 ? (commandAt.get(unclosed[0]) ?? null) : null;
  if (!opened || !textArgumentCommands.has(opened[1].replace(/\*$/, ''))) return null;
  const written = source.slice(start, end);
  const from = written.lastIndexOf(opened[0]);
  if (from < 0) return null;
  let depth = braceScan(written, from + opened[0].length, 1).depth;
  let valueDepth = braceScan(node.value, opened.index + opened[0].length, 1).depth;
  // The closing brace is in a later text node, not far on.
  for (let j = index + 1; j < children.length && j <= index + 64; j++) {
    const next = children[j];
    const nextStart = next.position?.start.offset;
    const nextEnd = next.position?.end.offset;
    if (nextStart === undefined || nextEnd === undefined || nextStart - start > 4000) return null;
    const nextWritten = source.slice(nextStart, nextEnd);
    if (next.type !== 'text') {
      // Braces inside code or math are theirs; a node of another kind that is not inside the argument ends the search.
      if (next.type === 'inlineCode' || next.type === 'inlineMath' || next.type === 'html') continue;
      depth = braceScan(nextWritten, 0, depth).depth;
      if (depth <= 0) return null;
      continue;
    }
    const inSource = braceScan(nextWritten, 0, depth);
    const inValue = braceScan(next.value, 0, valueDepth);
    if (inSource.closedAt >= 0 && inValue.closedAt >= 0) return { before: opened.index, from: start + from, to: nextStart + inSource.closedAt, lastNode: j, after: inValue.closedAt };
    depth = inSource.depth;
    valueDepth = inValue.depth;
  }
  return null;
}

/** Line, column and offset of a place in the source. */
function pointAt(source: string, offset: number): { line: number; column: number; offset: number } {
  let line = 1;
  let lineStart = 0;
  for (let at = source.indexOf('\n'); at >= 0 && at < offset; at = source.indexOf('\n', at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: offset - lineStart + 1, offset };
}

/** Where a stretch of a text node's value is: its start and end counted in lines and columns from the node's start. */
function placeIn(node: Text, from: number, part: string): Text['position'] {
  const start = node.position?.start;
  if (!start) return undefined;
  const point = (offset: number) => {
    const before = node.value.slice(0, offset);
    const lines = before.split('\n');
    return { line: start.line + lines.length - 1, column: lines.length === 1 ? start.column + before.length : lines[lines.length - 1].length + 1, ...(start.offset !== undefined ? { offset: start.offset + offset } : {}) };
  };
  return { start: point(from), end: point(from + part.length) };
}

function interpret(node: RawLatex, parseInline: InlineParser): RootContent {
  const required = node.args.filter((arg) => arg.kind === 'required');
  const optional = node.args.filter((arg) => arg.kind === 'optional');
  const name = node.command.replace(/\*$/, '');
  if (name in citeCommands && required.length === 1) {
    // biblatex: one optional argument is the postnote; two are prenote and postnote.
    const [prenote, postnote] = optional.length >= 2 ? [optional[0].text, optional[1].text] : ['', optional[0]?.text ?? ''];
    const keys = required[0].text.split(',').map((key) => key.trim()).filter(Boolean);
    const text = (value: string): PhrasingContent[] => (value ? [{ type: 'text', value }] : []);
    const items: CitationItem[] = keys.map((key, index) => ({
      key,
      mode: citeCommands[name],
      prefix: index === 0 ? text(prenote) : [],
      suffix: index === keys.length - 1 && postnote ? text(`, ${postnote}`) : [],
      position: node.position,
    }));
    if (items.length) return { type: 'cite', items, bracketed: citeCommands[name] === 'normal', position: node.position };
  }
  if (refCommands.has(name) && required.length === 1) {
    return { type: 'crossref', label: required[0].text.trim(), ...(name === 'ref' || name === 'eqref' ? { numberOnly: name } : {}), position: node.position };
  }
  if (textArgumentCommands.has(name) && required.length === 1) {
    const start = node.position?.start;
    const argumentAt = node.value.indexOf('{') + 1;
    const children = start?.offset !== undefined ? parseInline(required[0].text, { line: start.line, column: start.column + argumentAt, offset: start.offset + argumentAt }) : null;
    return { ...node, children: children ?? [{ type: 'text', value: required[0].text }] };
  }
  return node;
}

/**
 * Pandoc's raw attribute on inline code, `` `\newpage`{=latex} ``: the code
 * is raw LaTeX (a command with its arguments), not code followed by the
 * text "{=latex}". Other formats' raw inlines are left as written.
 */
function rawAttributeInlines(parent: Parent): void {
  const children = parent.children as PhrasingContent[];
  for (let k = 0; k + 1 < children.length; k++) {
    const code = children[k];
    const next = children[k + 1];
    if (code.type !== 'inlineCode' || next.type !== 'text') continue;
    const attribute = /^\{=(latex|tex)\}/.exec(next.value);
    if (!attribute || !/^\\[A-Za-z]+\*?(?:\{[^{}]*\}|\[[^\]]*\])*\s*$/.test(code.value)) continue;
    const value = code.value.trim();
    children[k] = { type: 'rawLatex', value, ...splitLatexCommand(value), children: [], position: code.position };
    const rest = next.value.slice(attribute[0].length);
    if (rest) children[k + 1] = { ...next, value: rest };
    else children.splice(k + 1, 1);
  }
}

/** `\begin{landscape}` (pdflscape) or `\blandscape`, the macro Pandoc users define for it, alone in a paragraph. */
function landscapeMarker(node: RootContent): 'begin' | 'end' | null {
  if (node.type !== 'paragraph') return null;
  const parts = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''));
  const [only] = parts;
  if (parts.length !== 1 || only.type !== 'rawLatex') return null;
  const argument = only.args.find((arg) => arg.kind === 'required')?.text.trim();
  if ((only.command === 'begin' && argument === 'landscape') || only.command === 'blandscape') return 'begin';
  if ((only.command === 'end' && argument === 'landscape') || only.command === 'elandscape') return 'end';
  return null;
}

/**
 * The blocks between `\begin{landscape}` and `\end{landscape}` (or
 * `\blandscape` and `\elandscape`) become a `landscape` div, which is set
 * on landscape pages, as `::: landscape` is. Done on the whole chapter,
 * whose sections may cut the pair apart; an `\end` with no `\begin` stays
 * raw LaTeX (and is reported), a `\begin` never closed runs to the end.
 */
export function wrapLandscapes(blocks: RootContent[]): RootContent[] {
  if (!blocks.some((block) => landscapeMarker(block) || 'children' in block)) return blocks;
  const out: RootContent[] = [];
  let open: Div | null = null;
  for (const block of blocks) {
    const marker = landscapeMarker(block);
    if (marker === 'begin' && !open) {
      open = { type: 'div', attributes: { classes: ['landscape'], keyValues: {} }, children: [], position: block.position && { ...block.position } };
      out.push(open);
      continue;
    }
    if (marker === 'end' && open) {
      if (open.position && block.position) open.position.end = block.position.end;
      open = null;
      continue;
    }
    if ('children' in block && block.type !== 'paragraph' && block.type !== 'heading') (block as Parent).children = wrapLandscapes((block as Parent).children as RootContent[]) as Parent['children'];
    if (open) {
      open.children.push(block);
      if (open.position && block.position) open.position.end = block.position.end;
    } else out.push(block);
  }
  return out;
}
