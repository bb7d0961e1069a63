// LaTeX math -> Typst math. A few macros theses use that the converter does
// not know are rewritten first (siunitx's \num and \SI, \mbox, \Big(,
// \xrightarrow, \stackrel, \tag), and the document's own \newcommand/\def
// macros are expanded, as Pandoc does. What still cannot be converted never
// fails the build: the formula is shown as its TeX source, with a warning
// naming the macros (core/typst-math.ts checks every converted formula).
import type { DisplayMath, Nodes, Root } from 'mdast';
import type { InlineMath, Math } from 'mdast-util-math';
import { tex2typst } from 'tex2typst';
import { endOfMathString, typstMathProblem } from '../../core/typst-math.js';
import { typstLabel, typstString } from '../../core/typst-syntax.js';
import { composedGlyphFamily } from '../../core/fonts.js';
import type { MathMacros, Writer } from '../writer.js';

/** siunitx unit macros and their symbols. */
const units: Record<string, string> = {
  meter: 'm', metre: 'm', second: 's', gram: 'g', kilogram: 'kg', ampere: 'A', kelvin: 'K', mole: 'mol', candela: 'cd',
  hertz: 'Hz', newton: 'N', pascal: 'Pa', joule: 'J', watt: 'W', volt: 'V', ohm: 'Ω', percent: '%', degree: '°', celsius: '°C', hour: 'h', minute: 'min', liter: 'L', litre: 'L',
  kilo: 'k', mega: 'M', giga: 'G', milli: 'm', micro: 'µ', nano: 'n', centi: 'c', per: '/',
};

function siUnit(unit: string): string {
  return unit
    // `\square\metre` and `\metre\squared` are both m².
    .replace(/\\(square|cubic)\s*\\([A-Za-z]+)/g, (_, power: string, name: string) => `\\${name}\\${power === 'square' ? 'squared' : 'cubed'}`)
    .replace(/\\squared/g, '^2')
    .replace(/\\cubed/g, '^3')
    .replace(/\\([A-Za-z]+)/g, (whole, name: string) => units[name] ?? whole)
    .replace(/\s+/g, '');
}

/** `5e-5` as 5 × 10^{-5}, as siunitx prints it. */
function siNumber(number: string): string {
  const match = /^\s*([-+]?[\d.,]+)\s*[eE]\s*([-+]?\d+)\s*$/.exec(number);
  return match ? `${match[1]} \\times 10^{${match[2]}}` : number.trim();
}

/** Rewrites what the converter does not know into what it does. */
function rewriteMacros(tex: string): string {
  return tex
    .replace(/\\num\{([^{}]*)\}/g, (_, n: string) => siNumber(n))
    .replace(/\\SI\{([^{}]*)\}\{((?:[^{}]|\{[^{}]*\})*)\}/g, (_, n: string, u: string) => `${siNumber(n)}\\,\\mathrm{${siUnit(u)}}`)
    .replace(/\\si\{((?:[^{}]|\{[^{}]*\})*)\}/g, (_, u: string) => `\\mathrm{${siUnit(u)}}`)
    .replace(/\\mbox\{/g, '\\text{')
    // Math inside text inside math (`\text{the $n$th root}`, as Pandoc reads it): the text split around the math.
    .replace(/\\(text|textrm|textup)\{([^{}]*\$[^{}]*)\}/g, (_, command: string, body: string) =>
      body
        .split(/\$([^$]*)\$/)
        .map((part, index) => (index % 2 === 1 ? `{${part}}` : part ? `\\${command}{${part}}` : ''))
        .join(''),
    )
    // The converter copies \text bodies into Typst strings as they are: their quotes are escaped first.
    .replace(/\\(text|textrm|textup|operatorname)\{([^{}]*)\}/g, (_, command: string, body: string) => `\\${command}{${body.replace(/\\?"/g, '\\"')}}`)
    .replace(/\\(?:(?:left|right)\\)?[lr]Vert|\\(?:left|right)\\\|/g, '\\|')
    .replace(/\\(?:(?:left|right)\\)?[lr]vert/g, '|')
    .replace(/\\(?:big|Big|bigg|Bigg)[lrm]?(?=[\s()[\]|.\\/<>])/g, '')
    .replace(/\\xrightarrow\{([^{}]*)\}/g, '\\overset{$1}{\\longrightarrow}')
    .replace(/\\xleftarrow\{([^{}]*)\}/g, '\\overset{$1}{\\longleftarrow}')
    .replace(/\\stackrel\{([^{}]*)\}\{([^{}]*)\}/g, '\\overset{$1}{$2}')
    .replace(/\\textbf\{([^{}]*)\}/g, '\\mathbf{\\text{$1}}')
    .replace(/\\textit\{([^{}]*)\}/g, '\\mathit{\\text{$1}}')
    // Typst numbers equations itself.
    .replace(/\\(?:tag\*?|label)\{[^{}]*\}|\\nonumber|\\notag/g, '');
}


const definition = /\\(?:re)?newcommand\*?\s*\{?\\([A-Za-z]+)\}?\s*(?:\[(\d)\])?\s*\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}|\\def\s*\\([A-Za-z]+)\s*\{((?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}/g;

/** The math macros a thesis defines, in its formulas or in raw LaTeX, in reading order. */
export function collectMathMacros(trees: Root[]): MathMacros {
  const macros: MathMacros = new Map();
  for (const tree of trees) for (const [name, macro] of macrosOf(tree)) macros.set(name, macro);
  return macros;
}

/** A tree's own macro definitions, found once per tree (watch asks on every save). */
const treeMacros = new WeakMap<Root, MathMacros>();

function macrosOf(tree: Root): MathMacros {
  let found = treeMacros.get(tree);
  if (!found) {
    const macros: MathMacros = new Map();
    const walk = (node: Nodes) => {
      if (node.type === 'inlineMath' || node.type === 'math' || node.type === 'displayMath') takeMacroDefinitions(node.value, macros);
      else if (node.type === 'rawLatex' && /^(re)?newcommand\*?$/.test(node.command)) takeMacroDefinitions(node.value, macros);
      if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
    };
    walk(tree);
    treeMacros.set(tree, (found = macros));
  }
  return found;
}

/** The macros a formula defines, added to `macros`; returns the formula without the definitions. */
export function takeMacroDefinitions(tex: string, macros: MathMacros): string {
  return tex.replace(definition, (_, name?: string, parameters?: string, body?: string, defName?: string, defBody?: string) => {
    macros.set((name ?? defName)!, { parameters: Number(parameters ?? 0), body: (body ?? defBody)! });
    return '';
  });
}

/** A formula with the thesis's macros expanded and its own definitions taken out, as Pandoc's reader hands it on. */
export function expandThesisMacros(tex: string, macros: MathMacros): string {
  return expandMacros(takeMacroDefinitions(tex, new Map()), macros).trim();
}

function expandMacros(tex: string, macros: MathMacros): string {
  let text = tex;
  // A macro may use another; a few rounds, never forever.
  for (let round = 0; round < 8 && macros.size > 0; round++) {
    let changed = false;
    for (const [name, { parameters, body }] of macros) {
      const argument = '\\{((?:[^{}]|\\{[^{}]*\\})*)\\}';
      const pattern = new RegExp(`\\\\${name}(?![A-Za-z])${argument.repeat(parameters)}`, 'g');
      text = text.replace(pattern, (_, ...args: string[]) => {
        changed = true;
        return ` ${body.replace(/#(\d)/g, (m, n: string) => args[Number(n) - 1] ?? m)} `;
      });
    }
    if (!changed) break;
  }
  return text;
}

/** Deeper than this, a formula is shown as its TeX source: Typst's layout recurses once a level, and 300 nested fractions ended its process. */
export const MAX_MATH_NESTING = 48;

/** How deep braces, `\left` and parentheses nest in a formula. */
function nestingDepth(text: string, open: RegExp, close: RegExp): number {
  let depth = 0;
  let deepest = 0;
  for (const match of text.matchAll(new RegExp(`(${open.source})|(${close.source})`, 'g'))) {
    depth = match[1] ? depth + 1 : Math.max(0, depth - 1);
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/** TeX's comments: an unescaped `%` to the end of its line is no part of the formula (Typst would read `//` as a comment of its own). */
function withoutComments(tex: string): string {
  return tex.replace(/(^|[^\\])((?:\\\\)*)%[^\n]*/g, '$1$2');
}

function convert(tex: string, writer: Writer, node: { position?: InlineMath['position'] }): string | null {
  const prepared = rewriteMacros(expandMacros(takeMacroDefinitions(withoutComments(tex), new Map()), writer.context.mathMacros));
  const depth = nestingDepth(prepared, /\{|\\left\b/, /\}|\\right\b/);
  if (depth > MAX_MATH_NESTING) {
    writer.warn('math-unsupported', `this formula nests ${depth} levels deep, more than the ${MAX_MATH_NESTING} Typst can lay out safely; it is shown as its TeX source`, node);
    return null;
  }
  let converted: string;
  try {
    converted = tex2typst(prepared);
  } catch (error) {
    writer.warn('math-unsupported', `cannot read this LaTeX math (${(error as Error).message.split('\n')[0]}); it is shown as its TeX source`, node);
    return null;
  }
  if (nestingDepth(converted, /[([{]/, /[)\]}]/) > MAX_MATH_NESTING * 2) {
    writer.warn('math-unsupported', `this formula nests too deep for Typst to lay out safely; it is shown as its TeX source`, node);
    return null;
  }
  const problem = typstMathProblem(converted);
  if (problem) {
    // Names that are macros of the formula; others come from text the converter broke up (quotes in \text).
    const macros = 'unknown' in problem ? problem.unknown.filter((name) => new RegExp(`\\\\${name}(?![A-Za-z])`).test(prepared)) : [];
    const what = macros.length ? `the macro${macros.length === 1 ? '' : 's'} ${macros.map((name) => `\\${name}`).join(', ')}` : 'its text';
    writer.warn('math-unsupported', `cannot convert ${what} to Typst math; the formula is shown as its TeX source`, node);
    return null;
  }
  // A line break at the very end would escape the closing `$`; it breaks nothing anyway.
  return withBases(composedLettersAsText(converted)).replace(/\s*\\+\s*$/, '');
}

/**
 * Rewrites converted Typst math outside its strings (text already) and
 * escapes: `each` gets what is written so far and the rest of the formula from
 * a character on, and says what to write instead and how many characters that
 * takes; null leaves the character as it is.
 */
function rewriteOutsideStrings(markup: string, each: (rest: string, written: string) => { write: string; take: number } | null): string {
  let out = '';
  let i = 0;
  while (i < markup.length) {
    const ch = markup[i];
    if (ch === '"' || ch === '\\') {
      // A string to its closing quote (typstMathProblem checked it closes), or an escaped character.
      const end = ch === '"' ? endOfMathString(markup, i) : i + 2;
      const to = end < 0 ? markup.length : Math.min(end, markup.length);
      out += markup.slice(i, to);
      i = to;
      continue;
    }
    const rewritten = each(markup.slice(i, i + 16), out);
    if (rewritten) {
      out += rewritten.write;
      i += rewritten.take;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/**
 * TeX takes a superscript or subscript with nothing before it (`^{14}C`,
 * `[^x]`: an empty base); Typst stops the build ("unexpected hat"). Each one
 * at the start of the formula, after an opening bracket or another script
 * gets an empty text as its base, which prints nothing.
 */
export function withBases(markup: string): string {
  return rewriteOutsideStrings(markup, (rest, written) => {
    if (rest[0] !== '^' && rest[0] !== '_') return null;
    const before = written.trimEnd();
    const previous = before[before.length - 1];
    const escaped = before.length >= 2 && before[before.length - 2] === '\\';
    return previous === undefined || (!escaped && '([{^_'.includes(previous)) ? { write: `""${rest[0]}`, take: 1 } : null;
  });
}

/**
 * Typst shapes a bare letter in math as one glyph of the math font and stops
 * the build ("yielded more than one glyph") when the font has no precomposed
 * form and the letter falls apart into base and accent (ȃ, ǖ, ḯ). A letter
 * with an accent is therefore set as text inside the formula (`"ȃ"`), which
 * Typst shapes like prose; it stands upright, as `\text{ȃ}` would.
 */
export function composedLettersAsText(markup: string): string {
  return rewriteOutsideStrings(markup, (rest) => {
    // A letter and the combining marks that follow it: one character as the reader sees it.
    const cluster = /^\p{L}\p{M}*/u.exec(rest)?.[0];
    if (!cluster || cluster.codePointAt(0)! < 0x80) return null;
    if (!(cluster.length > [...cluster][0].length || cluster.normalize('NFD').length > cluster.length)) return null;
    // In a text font that has it whole, so the PDF's text is the letter (core/fonts.ts composedGlyphFamily).
    const family = composedGlyphFamily(cluster);
    return { write: family ? `text(font: ${typstString(family)}, ${typstString(cluster.normalize('NFC'))})` : `"${cluster}"`, take: cluster.length };
  });
}

/** The formula as Typst math, or its TeX source as text inside math (still an equation, still numbered). */
function formula(tex: string, writer: Writer, node: { position?: InlineMath['position'] }): string {
  return convert(tex, writer, node) ?? typstString(tex.trim());
}

/** A formula that only defines macros is typeset as nothing (the definitions apply to the other formulas). */
const onlyDefinitions = (tex: string) => takeMacroDefinitions(tex, new Map()).trim() === '' && tex.trim() !== '';

export function inlineMath(node: InlineMath, writer: Writer): string {
  if (onlyDefinitions(node.value)) return '';
  return `$${formula(node.value, writer, node)}$`;
}

function display(value: string, label: string | undefined, writer: Writer, node: { position?: InlineMath['position'] }): string {
  if (onlyDefinitions(value)) return '';
  const equation = `$ ${formula(value, writer, node)} $`;
  return label ? `${equation} <${typstLabel(label)}>` : `#math.equation(block: true, numbering: none, ${equation})`;
}

export function math(node: Math, writer: Writer): string {
  return display(node.value, (node.data as { label?: string } | undefined)?.label, writer, node);
}

export function displayMath(node: DisplayMath, writer: Writer): string {
  return display(node.value, node.label, writer, node);
}
