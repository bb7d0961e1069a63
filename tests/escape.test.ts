// Escaping as a property: any text, written through the escaper, compiles
// and comes out of the PDF exactly as it went in.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { TypstCompiler } from '../scripts/compile/typst-compiler.js';
import { escapeMarkup, typstString } from '../scripts/core/typst-syntax.js';
import { pdfPages } from './helpers/pdf-text.js';
import { tempDir } from './helpers/project.js';

const dir = tempDir('escape-');
const compiler = new TypstCompiler(dir);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Typst markup's special characters, line-start syntax and shorthands. */
const hazards = [...'\\#*_`$<>@[]~/=-+.:;\'"{}()', '//', '/*', '*/', '--', '---', '...', '= ', '- ', '+ ', '1. ', '/ t: ', '#let', '#read("x")', '\\u{41}', '<a>', '@a', 'http://x'];
const piece = fc.oneof(fc.constantFrom(...hazards), fc.string({ unit: fc.constantFrom(...'abc xyz123,!?%&^|'), maxLength: 4 }));
const line = fc.array(piece, { minLength: 1, maxLength: 12 }).map((parts) => parts.join('').replace(/\s+/g, ' ').trim()).filter((s) => s.length > 0);

async function typeset(markup: string): Promise<string> {
  const out = compiler.compile({
    mainPath: path.join(dir, 'main.typ'),
    main: `#set page(width: 40cm, height: auto, margin: 1cm)\n#set text(font: "Noto Serif", fallback: false)\n${markup}\n`,
    shadows: new Map(),
    files: [],
    sourceMap: [],
    tagged: false,
  });
  expect(out.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return (await pdfPages(out.pdf!)).join('').replace(/\s+/g, ' ').trim();
}

describe('escaping for Typst', () => {
  it('prints any text literally in markup, at the start of a line too', async () => {
    await fc.assert(
      fc.asyncProperty(line, async (text) => {
        expect(await typeset(escapeMarkup(text))).toBe(text);
      }),
      { numRuns: 60 },
    );
  });

  it('prints any text literally inside a string literal', async () => {
    await fc.assert(
      fc.asyncProperty(line, async (text) => {
        expect(await typeset(`#text(${typstString(text)})`)).toBe(text);
      }),
      { numRuns: 30 },
    );
  });

  it('never runs code from a bibliography field', async () => {
    expect(await typeset(escapeMarkup('#read("/etc/passwd")'))).toBe('#read("/etc/passwd")');
  });
});
