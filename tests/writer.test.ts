// The Markdown -> Typst writer, by golden files: each folder under
// tests/fixtures/writer holds input.md, the expected.typ it must produce and
// the expected diagnostics. Regenerate with `npx vitest run -u` and review the diff.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, sortDiagnostics } from '../scripts/diagnostics.js';
import { formatCitations } from '../scripts/format/citeproc.js';
import { loadStyle } from '../scripts/format/styles.js';
import { parseChapter } from '../scripts/parse/markdown.js';
import { loadBibliography } from '../scripts/resolve/bibliography.js';
import { checkCitationKeys, collectCitations } from '../scripts/resolve/citations.js';
import { collectLabels, renderChapter } from '../scripts/render/document.js';
import { fixturesDir } from './helpers/project.js';

const writerDir = path.join(fixturesDir, 'writer');
const cases = fs.readdirSync(writerDir).filter((name) => fs.existsSync(path.join(writerDir, name, 'input.md')));

function render(caseDir: string) {
  const file = path.join(caseDir, 'input.md');
  const chapter = parseChapter(file, fs.readFileSync(file, 'utf8'));
  const style = loadStyle('apa', writerDir, { line: 1, column: 1 }, [])!;
  const bibliography = loadBibliography([path.join(writerDir, 'references.bib')]);
  const uses = collectCitations([chapter], false);
  const formatted = formatCitations(uses, bibliography, { style, lang: 'en-US', linkCitations: true, nocite: [] });
  const rendered = renderChapter(
    { file, tree: chapter.tree },
    { projectDir: caseDir, citations: formatted.citations, style, labels: collectLabels([chapter.tree]), fileExists: fs.existsSync },
  );
  const diagnostics = sortDiagnostics([...chapter.diagnostics, ...checkCitationKeys(uses, bibliography, false), ...rendered.diagnostics]);
  return { markup: rendered.markup, diagnostics: diagnostics.map((d) => formatDiagnostic(d, caseDir)).join('\n') };
}

describe('Markdown to Typst writer', () => {
  it('has golden cases', () => expect(cases.length).toBeGreaterThanOrEqual(8));
  for (const name of cases) {
    it(`writes ${name}`, async () => {
      const { markup, diagnostics } = render(path.join(writerDir, name));
      await expect(markup + '\n').toMatchFileSnapshot(path.join(writerDir, name, 'expected.typ'));
      await expect(diagnostics + '\n').toMatchFileSnapshot(path.join(writerDir, name, 'expected-diagnostics.txt'));
    });
  }
});
