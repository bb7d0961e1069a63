// Raw LaTeX in a chapter (parse/raw-latex.ts): the layout and text commands
// theses use get their Typst meaning; any other command is left out with a
// positioned `raw-latex-ignored` warning, never printed and never silent.
// Citation and reference commands became citations and cross-references
// while parsing.
import type { RawLatex, RawLatexBlock } from 'mdast';
import { leftOutMessage } from '../../parse/latex-blocks.js';
import type { Writer } from '../writer.js';

/** A LaTeX length as Typst writes it; `\fill` and friends are a fraction of the free space. */
function latexLength(latex: string): string | null {
  const value = latex.trim();
  if (/^\\(fill|vfill|hfill|stretch\{[^}]*\})$/.test(value)) return '1fr';
  const match = /^(-?\d*\.?\d+)\s*(cm|mm|pt|in|em|ex|bp|pc)$/.exec(value);
  if (!match) return null;
  const [, number, unit] = match;
  // Typst has no ex, bp or pc: ex is about half an em, bp is a PostScript point, pc 12 points.
  if (unit === 'ex') return `${Number(number) / 2}em`;
  if (unit === 'bp') return `${number}pt`;
  if (unit === 'pc') return `${Number(number) * 12}pt`;
  return `${number}${unit}`;
}

const pageBreaks = new Set(['newpage', 'clearpage', 'cleardoublepage', 'pagebreak']);

/** Whether a command breaks the page (it does so when it is a paragraph of its own at the top level). */
export function isPageBreak(node: RawLatex): boolean {
  return pageBreaks.has(node.command.replace(/\*$/, ''));
}
/** Commands that stand for a word or a character, as LaTeX prints them. */
const textSymbols: Record<string, string> = {
  LaTeX: 'LaTeX', LaTeXe: 'LaTeX 2ε', TeX: 'TeX', BibTeX: 'BibTeX', XeLaTeX: 'XeLaTeX', LuaLaTeX: 'LuaLaTeX',
  ldots: '…', dots: '…', textellipsis: '…', textendash: '–', textemdash: '—', S: '§', P: '¶', copyright: '©',
  textcopyright: '©', textregistered: '®', texttrademark: '™', euro: '€', texteuro: '€', textdegree: '°', pounds: '£',
  textasciitilde: '~', textbackslash: '\\', textbar: '|', textless: '<', textgreater: '>', textbullet: '•', slash: '/',
  textquotedblleft: '“', textquotedblright: '”', textquoteleft: '‘', textquoteright: '’', guillemotleft: '«', guillemotright: '»',
};

/** Commands whose meaning the Typst template already has (no paragraph indent, ragged or justified as set). */
const alreadyTheCase = new Set(['noindent', 'indent', 'centering', 'par', 'smallskip', 'medskip', 'bigskip']);

export function rawLatex(node: RawLatex, writer: Writer): string {
  const name = node.command.replace(/\*$/, '');
  const argument = node.args.find((arg) => arg.kind === 'required')?.text;
  const content = () => writer.inline(node.children);
  if (pageBreaks.has(name)) {
    // Reached only inside running text: a paragraph of its own is a page break (paragraph.ts).
    writer.warn('raw-latex-ignored', `\\${node.command} inside running text, a list, a quote, a table or a note cannot break the page; put it on a line of its own between paragraphs`, node);
    return '';
  }
  // A macro definition: applied to the formulas (math.ts), typeset as nothing, as Pandoc does.
  if (name === 'newcommand' || name === 'renewcommand') return '';
  if (alreadyTheCase.has(name)) return name.endsWith('skip') ? `#v(${{ smallskip: '0.3em', medskip: '0.6em', bigskip: '1.2em' }[name as 'smallskip']})` : '';
  if (Object.hasOwn(textSymbols, name)) return writer.text(textSymbols[name]);
  // Vertical space inside emphasis, a link or a span breaks the text it is in apart (and one such
  // layout made Typst's PDF writer panic): it is only set in a paragraph's own text.
  if ((name === 'vspace' || name === 'vfill') && writer.inlineDepth > 1) {
    writer.warn('raw-latex-ignored', `\\${node.command} inside emphasis, a link or a span is left out; put it in the paragraph's own text or on a line of its own`, node);
    return '';
  }
  if (name === 'vfill') return '#v(1fr)';
  if (name === 'hfill') return '#h(1fr)';
  if ((name === 'vspace' || name === 'hspace') && argument !== undefined) {
    const length = latexLength(argument);
    if (length) return `#${name === 'vspace' ? 'v' : 'h'}(${length}${node.command.endsWith('*') ? ', weak: false' : ''})`;
    writer.warn('raw-latex-ignored', `\\${node.command}{${argument}}: "${argument}" is not a length this toolchain can convert; write it in cm, mm, pt, in or em`, node);
    return '';
  }
  switch (name) {
    case 'textbf':
      return `#strong[${content()}]`;
    case 'emph':
    case 'textit':
      return `#emph[${content()}]`;
    case 'underline':
      return `#underline[${content()}]`;
    case 'textsc':
      return `#smallcaps[${content()}]`;
    case 'mbox':
      return `#box[${content()}]`;
    case 'textup':
    case 'textrm':
      return content();
    case 'footnote':
      return `#footnote[${content()}]`;
  }
  if ((name === 'begin' || name === 'end') && argument !== undefined) {
    const turn = argument === 'landscape' ? '; for landscape pages write a ```{=typst} block with #page(flipped: true)[…]' : '';
    writer.warn('raw-latex-ignored', `raw LaTeX \\${name}{${argument}} is not typeset${turn || '; use Markdown, or a ```{=typst} block'}`, node);
    return '';
  }
  writer.warn('raw-latex-ignored', `raw LaTeX \\${node.command} is not typeset; use Markdown, or a \`\`\`{=typst} block`, node);
  return '';
}

/** A LaTeX block Pandoc's LaTeX reader reads nothing from (parse/latex-blocks.ts): left out whole, never printed in part. */
export function rawLatexBlock(node: RawLatexBlock, writer: Writer): string {
  writer.warn('raw-latex-ignored', leftOutMessage(node), node);
  return '';
}
