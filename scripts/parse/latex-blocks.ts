// What a raw LaTeX block (raw-tex-block.ts) means in the thesis. LaTeX would
// typeset it; here it is typeset as Pandoc's own LaTeX reader reads it
// (pandoc-wasm: a figure environment becomes a figure with its caption and
// label, `tabular` and `longtable` tables, `quote` a block quote,
// `\section{…}` a heading), never printed in part. The layout commands the
// Typst writer knows (`\newpage`, `\vspace{…}`, …) keep their meaning
// there. What Pandoc's reader skips is reported at its line; a block Pandoc
// reads nothing from stays a `rawLatexBlock`, which the writers leave out
// whole with one positioned warning.
import type { Nodes, Parent, RawLatex, RawLatexBlock, Root, RootContent } from 'mdast';
import type { Position } from 'unist';
import { pandocSync, type PandocMessage } from '../core/pandoc-thread.js';
import { splitLatexCommand } from './raw-latex.js';

/** Commands the Typst writer gives their meaning (render/handlers/latex.ts), alone on their lines. */
const WRITER_COMMAND = /\\(?:newpage|clearpage|cleardoublepage|pagebreak|vfill|bigskip|medskip|smallskip|centering|noindent)\b\*?|\\vspace\*?\{[^{}]*\}/g;
/**
 * Whether a block holds those commands and nothing else but white space. Taken out and what is left looked at, not
 * one pattern of the commands between white space: `^(?:\s*(?:…)\s*)+$` split the space between two commands in
 * every way before it failed, 45 s for sixteen commands three spaces apart and then a word.
 */
export function onlyWriterCommands(text: string): boolean {
  const rest = text.replace(WRITER_COMMAND, '');
  return rest.length < text.length && rest.trim() === '';
}

/** What Pandoc's reader skips without loss: layout that has no meaning outside LaTeX, and an environment's own markers. */
const HARMLESS_SKIPS = /^\\(?:centering|raggedright|raggedleft|noindent|par|small|footnotesize|scriptsize|tiny|normalsize|large|Large|LARGE|huge|Huge|hfill|vfill|medskip|smallskip|bigskip|vspace\*?\{[^{}]*\}|hspace\*?\{[^{}]*\}|begin\{[^{}]*\}|end\{[^{}]*\}|label\{[^{}]*\}|phantomsection|FloatBarrier|protect|relax|newline|linebreak)\s*$/;

/** A LaTeX command Pandoc's reader skipped, where it is in the section. */
export interface SkippedLatex {
  line: number;
  column: number;
  text: string;
}

type BlockParser = (markdown: string) => Root;

/**
 * pandoc-crossref writes a figure as `\hypertarget{fig:x}{%` around its
 * parts; read alone, Pandoc's reader loses the caption. The parts are read
 * as the figure environment they are.
 */
function asFigure(latex: string): string {
  const wrapped = /^\s*\\hypertarget\{[^{}]*\}\{%?\s*\n?([\s\S]*)\}\s*$/.exec(latex);
  if (!wrapped || !/\\includegraphics/.test(wrapped[1]) || !/\\caption/.test(wrapped[1]) || /\\begin\{figure/.test(wrapped[1])) return latex;
  return `\\begin{figure}\n${wrapped[1].trim()}\n\\end{figure}`;
}

/** Pandoc's reading of one block as Markdown (null when it reads nothing, or cannot run), and what it skipped. */
function readWithPandoc(latex: string): { markdown: string | null; skipped: PandocMessage[] } {
  try {
    const answer = pandocSync({ options: { from: 'latex', to: 'markdown', wrap: 'none', verbosity: 'INFO' }, input: asFigure(latex), files: {} });
    const skipped = answer.messages.filter((message) => message.type === 'SkippedContent' && !HARMLESS_SKIPS.test(message.contents.trim()));
    return { markdown: answer.stdout.trim() ? answer.stdout : null, skipped };
  } catch {
    return { markdown: null, skipped: [] };
  }
}

/** Every node of `nodes` placed at `position` (the block they were read from), each with positions of its own. */
function placeAt(nodes: Nodes[], position: Position): void {
  const walk = (node: Nodes) => {
    node.position = { start: { ...position.start }, end: { ...position.end } };
    if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
  };
  nodes.forEach(walk);
}

/**
 * Replaces each raw LaTeX block of the tree by what it means; returns what
 * Pandoc's reader skipped. `parseBlocks` reads Pandoc's Markdown of a block
 * (raw LaTeX blocks in it are left as they are, so a block Pandoc cannot
 * read is never read twice).
 */
export function readLatexBlocks(tree: Root, parseBlocks: BlockParser): SkippedLatex[] {
  const skipped: SkippedLatex[] = [];
  const walk = (parent: Parent) => {
    if (!parent.children.some((child) => child.type === 'rawLatexBlock' || child.type === 'code' || 'children' in child)) return;
    parent.children = parent.children.flatMap((child): RootContent[] => {
      // A fenced raw LaTeX block (```` ```{=latex} ````) is LaTeX the same way.
      if (child.type === 'code' && /^\{=(?:latex|tex)\}$/.test(child.lang ?? '')) {
        // Its LaTeX starts on the line after the fence.
        const position = child.position && { start: { ...child.position.start, line: child.position.start.line + 1, column: 1 }, end: child.position.end };
        return meaningOf({ type: 'rawLatexBlock', value: child.value, position }, parseBlocks, skipped);
      }
      if (child.type !== 'rawLatexBlock') {
        if ('children' in child && child.type !== 'paragraph' && child.type !== 'heading') walk(child as Parent);
        return [child];
      }
      return meaningOf(child, parseBlocks, skipped);
    }) as Parent['children'];
  };
  walk(tree);
  return skipped;
}

function meaningOf(block: RawLatexBlock, parseBlocks: BlockParser, skipped: SkippedLatex[]): RootContent[] {
  if (onlyWriterCommands(block.value)) {
    // Each command a paragraph of its own, as a line of its own between paragraphs is: `\newpage` a page break.
    return [...block.value.matchAll(WRITER_COMMAND)].map(([value]): RootContent => {
      const command: RawLatex = { type: 'rawLatex', value, ...splitLatexCommand(value), children: [], position: block.position };
      return { type: 'paragraph', children: [command], position: block.position };
    });
  }
  // ConTeXt, not LaTeX: Pandoc's LaTeX output leaves it out, and so does the thesis (one warning, by the writer).
  if (/^\s*\\start/.test(block.value)) return [block];
  const read = readWithPandoc(block.value);
  const start = block.position?.start;
  for (const message of read.skipped) {
    const line = (start?.line ?? 1) + (message.line ?? 1) - 1;
    // Pandoc's column is the one after the skipped text.
    const inLine = Math.max(1, (message.column ?? 1) - message.contents.length);
    const column = message.line === 1 || message.line === undefined ? (start?.column ?? 1) + inLine - 1 : inLine;
    skipped.push({ line, column, text: message.contents.trim() });
  }
  if (read.markdown === null) return [block];
  const blocks = parseBlocks(read.markdown).children;
  if (blocks.length === 0) return [block];
  if (block.position) placeAt(blocks as Nodes[], block.position);
  return blocks;
}

/** The opening of a LaTeX block, to name it in a message: `\begin{tabbing}`, `\foo{…}`. */
export function latexBlockName(node: RawLatexBlock): string {
  const first = node.value.trim().split('\n')[0];
  return first.length > 60 ? `${first.slice(0, 57)}…` : first;
}

/** What the writers say when they leave a raw block out (both say the same). */
export function leftOutMessage(node: RawLatexBlock): string {
  const lines = node.value.split('\n').length;
  return /^\s*\\start/.test(node.value)
    ? `the ConTeXt environment \`${latexBlockName(node)}\` is left out, as Pandoc leaves it out of LaTeX and PDF output (${lines} lines)`
    : `the LaTeX block \`${latexBlockName(node)}\` is left out: neither this toolchain nor Pandoc's LaTeX reader can typeset it (${lines} lines)`;
}
