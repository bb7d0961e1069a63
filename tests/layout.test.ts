// Pandoc's layout variables in thesis.yaml (issue 21): read as Pandoc's LaTeX
// template reads them and handed to both built-in templates; a font that is
// not there is an error at its line; an unknown key gets "did you mean"; the
// default template sets a book's measure, 65–75 characters a line.
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig, type ThesisConfig } from '../scripts/read/config-schema.js';
import { layoutArgument, typstLength } from '../scripts/render/layout.js';
import { runCli } from './helpers/cli.js';
import { pdfPages } from './helpers/pdf-text.js';
import { copyProject, edit, fixturesDir, removeTempDirs, write } from './helpers/project.js';

afterAll(removeTempDirs);

const config = (keys: Partial<ThesisConfig>): ThesisConfig => ({ ...defaultConfig, title: 'T', author: 'A', chapters: [], bibliography: [], ...keys });
const place = (keyPath: (string | number)[]) => ({ file: 'thesis.yaml', line: keyPath.length, column: 1 });

describe("Pandoc's layout variables", () => {
  it('are read as its LaTeX template reads them, into one layout argument', () => {
    expect(typstLength('2.5cm')).toBe('2.5cm');
    expect(typstLength('1in')).toBe('1in');
    expect(typstLength('72bp')).toBe('72pt');
    expect(typstLength('wide')).toBeNull();
    const { argument, diagnostics } = layoutArgument(
      config({ fontsize: '12pt', linestretch: 1.5, mainfont: 'Libertinus Serif', papersize: 'a5paper', geometry: ['margin=2cm', 'left=3cm,includeheadfoot'], indent: true, classoption: ['twoside', 'openright'], secnumdepth: 2, 'toc-depth': 2, numbersections: true }),
      place,
    );
    expect(diagnostics).toEqual([]);
    expect(argument).toBe('(font-size: 12pt, line-stretch: 1.5, main-font: "Libertinus Serif", paper: "a5", margin: (inside: 3cm, outside: 2cm, top: 2cm, bottom: 2cm), indent: true, twoside: true, numbered: true, section-depth: 2, toc-depth: 2,)');
    expect(layoutArgument(config({}), place).argument).toBeNull();
  });

  it('say what they cannot read, at the key, and leave it to the template', () => {
    const { argument, diagnostics } = layoutArgument(config({ fontsize: 'large', linestretch: 'double', papersize: 'foolscap', geometry: 'margin=wide', 'margin-left': '3' }), place);
    expect(argument).toBeNull();
    expect(diagnostics.map((d) => `${d.severity} ${d.message.split(';')[0]}`)).toEqual([
      'warning `fontsize: large` is not a size such as 12pt',
      'warning `linestretch: double` is not a line spacing between 0.8 and 3 (1.5 is one-and-a-half spacing)',
      'warning `papersize: foolscap` is not a paper size the toolchain knows (a4, a5, a3, b5, letter, legal, executive)',
      'warning `geometry`: "margin=wide" is not read (the margins are: margin=, left=, right=, top=, bottom=, inner=, outer=, hmargin=, vmargin=, with a length such as 2.5cm)',
      'warning `margin-left: 3` is not a length such as 2.5cm',
    ]);
  });
});

/** Characters on each full line of the body pages (the lines of a paragraph but its last). */
function fullLines(pages: string[]): string[] {
  return pages
    .slice(2)
    .flatMap((page) => page.split('\n'))
    .map((line) => line.trim())
    .filter((line) => line.length > 30 && /[a-z]$|[a-z][,;­-]$/.test(line));
}

describe('thesis.yaml with the layout keys a university asks for', () => {
  for (const template of ['thesis', 'diplomarbeit']) {
    it(`builds with the ${template} template: 12 pt, one-and-a-half spacing, letter paper, two-sided, numbered per chapter`, async () => {
      const dir = copyProject('minimal');
      fs.copyFileSync(path.join(fixturesDir, 'writer', 'crossrefs', 'map.png'), path.join(dir, 'thesis', 'map.png'));
      edit(dir, 'thesis/thesis.yaml', (text) =>
        text.replace('chapters:\n  - one.md\n  - two.md', 'chapters: true') + `template: ${template}\nfontsize: 12pt\nlinestretch: 1.5\npapersize: letter\ngeometry: margin=2.5cm\nclassoption: twoside\nsecnumdepth: 1\ntoc-depth: 1\ninstitute: University of Vienna\n`,
      );
      write(dir, 'thesis/one.md', '# First chapter\n\nText.\n\n# Second chapter\n\n## A section\n\n![A map of the pilot cities](map.png){#fig:map}\n\nSee @fig:map.\n');
      fs.rmSync(path.join(dir, 'thesis', 'two.md'));
      const result = await runCli(['build', dir]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const bytes = fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf'));
      const page = (await PDFDocument.load(bytes)).getPage(0).getSize();
      expect([Math.round(page.width), Math.round(page.height)]).toEqual([612, 792]);
      const text = (await pdfPages(bytes)).join('\n').replace(/\s+/g, ' ');
      expect(text).toContain('University of Vienna');
      // Numbered in its chapter; the section below the depth has no number.
      expect(text).toMatch(/Figure 2\.1:? A map of the pilot cities|Abbildung 2\.1/);
      expect(text).toContain('See Figure 2.1');
      expect(text).not.toContain('2.1 A section');
    }, 60_000);
  }

  it('sets a book measure by default: 65–75 characters a line', async () => {
    const dir = copyProject('minimal');
    const sentence = 'The social credit system is described as a single scoring machine that ranks every citizen, yet its roots lie in grid-style management. ';
    write(dir, 'thesis/one.md', `# First chapter\n\n${sentence.repeat(12)}\n\n${sentence.repeat(9)}\n`);
    expect((await runCli(['build', dir])).status).toBe(0);
    const lengths = fullLines(await pdfPages(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).map((line) => line.length).sort((a, b) => a - b);
    expect(lengths.length).toBeGreaterThan(10);
    const median = lengths[Math.floor(lengths.length / 2)];
    expect(median).toBeGreaterThanOrEqual(65);
    expect(median).toBeLessThanOrEqual(75);
  }, 60_000);

  it('is an error at its line when a named font is not there, and an unknown key gets "did you mean"', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}mainfont: Font That Does Not Exist\n`);
    const missing = await runCli(['build', dir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/thesis\.yaml:\d+:1: error: the font "Font That Does Not Exist" \(`mainfont`\) is neither shipped with the toolchain nor installed on this machine.*\[font-missing\]/);
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('mainfont: Font That Does Not Exist', 'linestrech: 1.5'));
    const typo = await runCli(['build', dir]);
    expect(typo.status).toBe(1);
    expect(typo.stderr).toMatch(/thesis\.yaml:\d+:1: error: unknown key `linestrech` in thesis\.yaml; did you mean `linestretch`\? \[config-invalid\]/);
  }, 60_000);
});
