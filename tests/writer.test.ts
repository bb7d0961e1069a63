// The Markdown -> Typst writer, by golden files: each folder under
// tests/fixtures/writer holds input.md, the expected.typ it must produce and
// the expected diagnostics. A missing golden fails the run (`npm test` runs
// vitest with CI set); write or update them with `npx vitest run -u
// tests/writer.test.ts` and review the diff. Every golden is also compiled
// by Typst with the template and the reference list, so a golden that
// Typst rejects cannot be accepted.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TypstCompiler } from '../scripts/compile/typst-compiler.js';
import { formatDiagnostic, sortDiagnostics } from '../scripts/core/diagnostics.js';
import { Inputs } from '../scripts/core/inputs.js';
import { ProjectLayout } from '../scripts/core/layout.js';
import { formatCitations } from '../scripts/format/citeproc.js';
import { loadStyle } from '../scripts/format/styles.js';
import { parseChapter } from '../scripts/parse/markdown.js';
import { defaultConfig } from '../scripts/read/config-schema.js';
import { loadBibliography } from '../scripts/resolve/bibliography.js';
import { checkCitationKeys, collectCitations } from '../scripts/resolve/citations.js';
import { checkImages } from '../scripts/resolve/images.js';
import { collectLabels, renderChapter, renderDocument } from '../scripts/render/document.js';
import { collectMathMacros } from '../scripts/render/handlers/math.js';
import { citationMarkup } from '../scripts/render/rich-text-typst.js';
import { fixturesDir, repoDir } from './helpers/project.js';

const writerDir = path.join(fixturesDir, 'writer');
const cases = fs.readdirSync(writerDir).filter((name) => fs.existsSync(path.join(writerDir, name, 'input.md')));

function render(caseDir: string) {
  const file = path.join(caseDir, 'input.md');
  const chapter = parseChapter(file, fs.readFileSync(file, 'utf8'));
  const style = loadStyle('apa', new ProjectLayout(writerDir), new Inputs(), { line: 1, column: 1 }).style!;
  const bibliography = loadBibliography([path.join(writerDir, 'references.bib')]);
  const uses = collectCitations([chapter], false);
  const formatted = formatCitations(uses, bibliography, { style, lang: 'en-US', linkCitations: true, nocite: [] });
  const context = { projectDir: caseDir, citations: citationMarkup(formatted), style, labels: collectLabels([chapter.tree]), fileExists: fs.existsSync, mathMacros: collectMathMacros([chapter.tree]), referenceList: '' };
  const rendered = renderChapter({ file, tree: chapter.tree }, context);
  const diagnostics = sortDiagnostics([...chapter.diagnostics, ...checkCitationKeys(uses, bibliography, false), ...checkImages(chapter, caseDir, fs.existsSync, false), ...rendered.diagnostics]);
  const document = renderDocument({ ...defaultConfig, title: 'Golden', author: 'Test', chapters: [], bibliography: [] }, '/templates/thesis.typ', [{ file, tree: chapter.tree }], formatted, context);
  return { markup: rendered.markup, document, diagnostics: diagnostics.map((d) => formatDiagnostic(d, caseDir)).join('\n') };
}

/** Typst's verdict on a whole document made of the chapter, as a build would make it. */
function typstErrors(caseDir: string, document: ReturnType<typeof render>['document']): string[] {
  const compiled = new TypstCompiler(caseDir).compile({
    mainPath: path.join(caseDir, '.golden-main.typ'),
    main: document.main,
    shadows: new Map([[path.join(caseDir, 'templates', 'thesis.typ'), fs.readFileSync(path.join(repoDir, 'templates', 'thesis.typ'), 'utf8')]]),
    // The case's images, handed to Typst as a build hands what it read.
    files: (fs.readdirSync(caseDir, { recursive: true }) as string[]).map((name) => path.join(caseDir, name)),
    sourceMap: document.sourceMap,
    tagged: false,
  });
  return compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, caseDir));
}

describe('Markdown to Typst writer', () => {
  it('has golden cases', () => expect(cases.length).toBeGreaterThanOrEqual(8));
  for (const name of cases) {
    it(`writes ${name}, and Typst compiles it`, async () => {
      const caseDir = path.join(writerDir, name);
      const { markup, document, diagnostics } = render(caseDir);
      await expect(markup + '\n').toMatchFileSnapshot(path.join(caseDir, 'expected.typ'));
      await expect(diagnostics + '\n').toMatchFileSnapshot(path.join(caseDir, 'expected-diagnostics.txt'));
      expect(typstErrors(caseDir, document)).toEqual([]);
    });
  }
});
