// Pandoc's layout variables, read as Pandoc's LaTeX template reads them, and
// handed to the template as one `layout:` dictionary (the template contract,
// README "Your university's template"): `fontsize: 12pt`, `linestretch: 1.5`,
// `mainfont`/`sansfont`/`monofont`, `papersize: a4`, `geometry:
// margin=2.5cm` (or `left=…,right=…`) and `margin-left`…, `indent`,
// `classoption: twoside` (or `twoside: true`), `numbersections`,
// `secnumdepth`, `toc-depth`, and pandoc-crossref's `chapters: true`. Only
// the keys a thesis sets are passed, so a template of one's own that takes
// no `layout` keeps working until the thesis sets one.
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { typstString } from '../core/typst-syntax.js';
import type { ThesisConfig } from '../read/config-schema.js';

type Place = (keyPath: (string | number)[]) => { file?: string; line: number; column: number };

/** A TeX length as Typst writes it: `2.5cm`, `1in`, `12pt`, `25mm`, `1.5em`; null for what Typst has no unit for. */
export function typstLength(text: string): string | null {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(pt|mm|cm|in|em|bp|pc)\s*$/.exec(text);
  if (!match) return null;
  const [, number, unit] = match;
  // TeX's bp is Typst's pt (1/72 in); TeX's pt is 1/72.27 in, which Typst does not have: the difference is below a hair.
  if (unit === 'bp') return `${number}pt`;
  if (unit === 'pc') return `${Number(number) * 12}pt`;
  return `${number}${unit}`;
}

/** Paper sizes as LaTeX names them (`a4paper`, `letterpaper`) or Pandoc's `papersize` does (`a4`, `letter`), as Typst names them. */
const papers: Record<string, string> = { a4: 'a4', a5: 'a5', a3: 'a3', b5: 'iso-b5', letter: 'us-letter', legal: 'us-legal', executive: 'us-executive' };

/** `margin=2.5cm,left=3cm` (geometry's options, a string or a list): the sides it sets. */
function geometrySides(options: string[]): { sides: Record<string, string>; unknown: string[] } {
  const sides: Record<string, string> = {};
  const unknown: string[] = [];
  for (const option of options.flatMap((item) => item.split(','))) {
    const [rawKey, rawValue] = option.split('=').map((part) => part.trim());
    if (!rawKey) continue;
    const length = rawValue === undefined ? null : typstLength(rawValue);
    const targets: Record<string, string[]> = {
      margin: ['left', 'right', 'top', 'bottom'],
      hmargin: ['left', 'right'],
      vmargin: ['top', 'bottom'],
      left: ['left'],
      inner: ['left'],
      lmargin: ['left'],
      right: ['right'],
      outer: ['right'],
      rmargin: ['right'],
      top: ['top'],
      tmargin: ['top'],
      bottom: ['bottom'],
      bmargin: ['bottom'],
    };
    if (!(rawKey in targets) || !length) {
      // Options with no say on the margins (`includeheadfoot`, `a4paper`, …) are LaTeX's own business.
      if (!/^(a\d|b\d|letter|legal|executive)paper$|^include|^ignore|^heightrounded$|^centering$/.test(rawKey)) unknown.push(option.trim());
      continue;
    }
    for (const side of targets[rawKey]) sides[side] = length;
  }
  return { sides, unknown };
}

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * The `layout:` argument for the template, or null when the thesis sets none
 * of these keys; what cannot be read is a warning at its key.
 */
export function layoutArgument(config: ThesisConfig, place: Place): { argument: string | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const entries: string[] = [];
  const warn = (key: string, message: string) => diagnostics.push(diagnostic('config-invalid', message, place([key]), { severity: 'warning' }));

  if (config.fontsize !== undefined) {
    const size = typstLength(typeof config.fontsize === 'number' ? `${config.fontsize}pt` : config.fontsize);
    if (size) entries.push(`font-size: ${size}`);
    else warn('fontsize', `\`fontsize: ${config.fontsize}\` is not a size such as 12pt; the template's own size is used`);
  }
  if (config.linestretch !== undefined) {
    const stretch = Number(config.linestretch);
    if (Number.isFinite(stretch) && stretch >= 0.8 && stretch <= 3) entries.push(`line-stretch: ${stretch}`);
    else warn('linestretch', `\`linestretch: ${config.linestretch}\` is not a line spacing between 0.8 and 3 (1.5 is one-and-a-half spacing); the template's own is used`);
  }
  for (const [key, name] of [['mainfont', 'main-font'], ['sansfont', 'sans-font'], ['monofont', 'mono-font']] as const) {
    const family = config[key];
    if (family !== undefined) entries.push(`${name}: ${typstString(family)}`);
  }
  if (config.papersize !== undefined) {
    const paper = papers[config.papersize.toLowerCase().replace(/paper$/, '')];
    if (paper) entries.push(`paper: ${typstString(paper)}`);
    else warn('papersize', `\`papersize: ${config.papersize}\` is not a paper size the toolchain knows (${Object.keys(papers).join(', ')}); A4 is used`);
  }
  const { sides, unknown } = geometrySides(list(config.geometry));
  if (unknown.length) warn('geometry', `\`geometry\`: ${unknown.map((option) => `"${option}"`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not read (the margins are: margin=, left=, right=, top=, bottom=, inner=, outer=, hmargin=, vmargin=, with a length such as 2.5cm)`);
  for (const side of ['left', 'right', 'top', 'bottom'] as const) {
    const value = config[`margin-${side}`];
    if (value === undefined) continue;
    const length = typstLength(value);
    if (length) sides[side] = length;
    else warn(`margin-${side}`, `\`margin-${side}: ${value}\` is not a length such as 2.5cm`);
  }
  const twoside = config.twoside ?? list(config.classoption).some((option) => option.trim() === 'twoside');
  if (Object.keys(sides).length) {
    // Printed on both sides, LaTeX's left margin is the inner one.
    const named = Object.entries(sides).map(([side, length]) => `${twoside && side === 'left' ? 'inside' : twoside && side === 'right' ? 'outside' : side}: ${length}`);
    entries.push(`margin: (${named.join(', ')})`);
  }
  if (config.indent !== undefined) entries.push(`indent: ${config.indent}`);
  if (twoside) entries.push('twoside: true');
  if (config.numbersections !== undefined) entries.push(`numbered: ${config.numbersections}`);
  if (config.secnumdepth !== undefined) entries.push(`section-depth: ${config.secnumdepth}`);
  if (config['toc-depth'] !== undefined) entries.push(`toc-depth: ${config['toc-depth']}`);
  if (config.chapters_numbering === true) entries.push('by-chapter: true');
  return { argument: entries.length ? `(${entries.join(', ')},)` : null, diagnostics };
}

/** The font families the toolchain has whatever the machine: shipped from npm, and those built into Typst. */
const shippedFonts = ['Noto Serif', 'Noto Serif SC', 'Source Code Pro', 'Libertinus Serif', 'New Computer Modern', 'DejaVu Sans Mono'];

/**
 * Typst's "unknown font family" for a font thesis.yaml names is the thesis's
 * error, at its key: the PDF would silently be set in another font.
 */
export function missingFonts(diagnostics: readonly Diagnostic[], config: ThesisConfig, place: Place): Diagnostic[] {
  return diagnostics.map((d) => {
    const family = d.rule === 'typst-warning' ? /^unknown font family: (.+)$/.exec(d.message)?.[1]?.trim().toLowerCase() : undefined;
    const key = family && (['mainfont', 'sansfont', 'monofont'] as const).find((name) => config[name]?.toLowerCase() === family);
    if (!key) return d;
    return diagnostic('font-missing', `the font "${config[key]}" (\`${key}\`) is neither shipped with the toolchain nor installed on this machine, so the PDF would be set in another: name one of ${shippedFonts.join(', ')}, or install it`, place([key]));
  });
}
