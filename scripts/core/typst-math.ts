// What may stand in Typst math that the toolchain writes from LaTeX math.
// The converter (tex2typst) passes a macro it does not know through as a
// bare name (`\num{5}` becomes `num 5`), which Typst rejects as an unknown
// variable and which stops the whole build; and it copies `\text{…}` into a
// string without escaping quotes, so text could end the string and run as
// code. Every converted formula is therefore checked before it is used: only
// names Typst's math scope defines, no `#` (code) and no `$` outside strings,
// and strings that close. The names come from the Typst compiler itself.
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import os from 'node:os';
import path from 'node:path';

let names: Set<string> | null = null;

/** Every name Typst math can use: its symbols and its math functions (the standard library needs `#`, which is code). */
function typstMathNames(): Set<string> {
  if (names) return names;
  const workspace = os.tmpdir();
  const compiler = NodeCompiler.create({ workspace, fontArgs: [{ fontPaths: [] }] });
  const main = path.join(workspace, '.thesis-math-names.typ');
  // Shadowed: the file exists only in memory.
  compiler.mapShadow(main, Buffer.from('#metadata(dictionary(sym).keys() + dictionary(math).keys()) <names>'));
  const document = compiler.compile({ mainFilePath: main });
  const found = document.result ? (compiler.query(document.result, { selector: '<names>' }) as { value: string[] }[]) : [];
  names = new Set(found[0]?.value ?? []);
  return names;
}

/** Where a string in Typst math that opens at `start` (a `"`) ends: the index after its closing quote, or -1 when it does not close. */
export function endOfMathString(markup: string, start: number): number {
  let j = start + 1;
  while (j < markup.length && markup[j] !== '"') j += markup[j] === '\\' ? 2 : 1;
  return j >= markup.length ? -1 : j + 1;
}

/**
 * Why a converted formula cannot be used as it is: the names Typst would not
 * know, or that it would run code; null when it is plain Typst math.
 */
export function typstMathProblem(markup: string): { unknown: string[] } | { code: true } | null {
  const known = typstMathNames();
  const unknown = new Set<string>();
  let i = 0;
  while (i < markup.length) {
    const ch = markup[i];
    if (ch === '"') {
      // A string: to its closing quote, past escaped characters.
      const end = endOfMathString(markup, i);
      if (end < 0) return { code: true };
      i = end;
      continue;
    }
    if (ch === '#' || ch === '$') return { code: true };
    // A comment would hide the rest of the formula, and the `$` that ends it.
    if (ch === '/' && (markup[i + 1] === '/' || markup[i + 1] === '*')) return { code: true };
    if (ch === '\\') {
      i += 2;
      continue;
    }
    const name = /^[A-Za-z]+/.exec(markup.slice(i, i + 64));
    if (name) {
      // A single letter is a variable; a longer name must be Typst's (`arrow.r`: its root;
      // `delim:` in a call is the name of an argument).
      const field = markup[i - 1] === '.';
      const argumentName = markup[i + name[0].length] === ':' && markup[i + name[0].length + 1] !== '=';
      if (name[0].length > 1 && !field && !argumentName && !known.has(name[0])) unknown.add(name[0]);
      i += name[0].length;
      continue;
    }
    i++;
  }
  return unknown.size ? { unknown: [...unknown] } : null;
}
