// `thesis diff [revision]`: the whole thesis as it is now, with what changed
// since a revision (by default the last tag) marked word by word, a change
// bar beside each changed passage and a first page that sums the changes up
// per chapter: dist/thesis-diff.pdf, and with `--to docx` the same changes
// as Word's tracked changes, for a supervisor to accept or reject.
import { isExportFormat } from '../core/output-formats.js';
import path from 'node:path';
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { hasErrors, type Diagnostic } from '../core/diagnostics.js';
import { ChangeMarker } from '../diff/mark.js';
import { pairChapters } from '../diff/pair-chapters.js';
import { readRevision } from '../diff/revision.js';
import { isTouched, summaryPage, wordsAdded, wordsRemoved, type ChapterRow } from '../diff/summary-page.js';
import { summaryWords, type SummaryWords } from '../diff/summary-words.js';
import type { ExportFormat } from '../export/document.js';
import { parseChapter } from '../parse/markdown.js';
import { glossaryForms } from '../parse/glossary-terms.js';
import { ThesisBuild, type ThesisFolder } from '../pipeline.js';
import { printDiagnostics, progressLine, summariseCounts, wallSeconds, type Terminal } from './output.js';

/** The keys a chapter cites. */
function citedKeys(tree: Root): string[] {
  const keys: string[] = [];
  visit(tree, 'cite', (cite) => {
    for (const item of cite.items) keys.push(item.key);
  });
  return keys;
}

export async function diffCommand(terminal: Terminal, thesis: ThesisFolder, revision: string | undefined, options: { to?: string[] }): Promise<number> {
  const projectDir = thesis.dir;
  const { old, diagnostics: revisionProblems } = readRevision(projectDir, revision);
  if (!old) {
    printDiagnostics(terminal, revisionProblems);
    return 1;
  }
  const formats = options.to ?? ['pdf'];
  const others = formats.filter(isExportFormat);
  const build = new ThesisBuild(projectDir, thesis);
  let rows: ChapterRow[] = [];
  let lang = 'en';
  let words: SummaryWords = summaryWords(lang);
  const pdfFile = path.join(build.layout.distDir, 'thesis-diff.pdf');
  // Sources cited now and not then (their entries are marked), and the other way round (named on the first page).
  const citedThen = new Set(old.chapters.flatMap((chapter) => citedKeys(parseChapter(chapter.name, chapter.text).tree as Root)));
  let citedNow = new Set<string>();
  const marking = progressLine(terminal, `marking the changes since ${old.label}`, { atOnce: true });
  const result = build.run({
    rewrite: (chapters, project) => {
      const glossary = project.config.glossary;
      lang = project.config.lang;
      words = summaryWords(lang);
      // The marks' author is what Word shows beside each tracked change.
      const marker = new ChangeMarker({ author: words.changesSince(old.label), date: `${old.date}T00:00:00Z`, movedLabel: words.moved }, (key, plural) => {
        const entry = glossary[key];
        return entry && glossaryForms({ plural, capital: false }, entry).short;
      });
      citedNow = new Set(chapters.flatMap((chapter) => citedKeys(chapter.tree)));
      rows = pairChapters(chapters, old, marker);
    },
    prelude: () => summaryPage(old, rows, [...citedNow].filter((key) => !citedThen.has(key)), [...citedThen].filter((key) => !citedNow.has(key)), lang, words),
    newReferences: () => new Set([...citedNow].filter((key) => !citedThen.has(key))),
    pdfFile,
    ...(formats.includes('pdf') ? {} : { until: 'format' as const }),
  });
  marking.done();
  const exporting = progressLine(terminal, `writing ${others.join(', ')}`);
  const exported = result.ok && result.analysis && others.length ? await build.export(result.analysis, others, 'thesis-diff') : { written: [], diagnostics: [] as Diagnostic[] };
  exporting.done();
  const diagnostics = [...result.diagnostics, ...exported.diagnostics];
  printDiagnostics(terminal, diagnostics);
  if (!result.ok || hasErrors(exported.diagnostics)) {
    terminal.stdout.write(`diff failed (${summariseCounts(diagnostics)}); the previous outputs, if any, are unchanged\n`);
    return 1;
  }
  const added = rows.reduce((sum, row) => sum + wordsAdded(row), 0);
  const removed = rows.reduce((sum, row) => sum + wordsRemoved(row), 0);
  const touched = rows.filter(isTouched).length;
  const files = [...(result.pdfFile ? [result.pdfFile] : []), ...exported.written].map((file) => path.relative(terminal.cwd, file) || file).join(', ');
  terminal.stdout.write(`${files}: changes since ${old.label} (${old.date}): +${added} words, −${removed} words, ${touched} chapter${touched === 1 ? '' : 's'} touched, ${wallSeconds(terminal).toFixed(2)} s\n`);
  return 0;
}
