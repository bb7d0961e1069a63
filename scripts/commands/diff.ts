// `thesis diff [revision]`: the whole thesis as it is now, with what changed
// since a revision (by default the last tag) marked word by word, a change
// bar beside each changed passage and a first page that sums the changes up
// per chapter: dist/thesis-diff.pdf, and with `--to docx` the same changes
// as Word's tracked changes, for a supervisor to accept or reject.
import path from 'node:path';
import type { Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { hasErrors, type Diagnostic } from '../core/diagnostics.js';
import { escapeMarkup } from '../core/typst-syntax.js';
import { ChangeMarker, similarity, wordCount, type ChapterChanges } from '../diff/mark.js';
import { readRevision, type OldThesis } from '../diff/revision.js';
import type { ExportFormat } from '../export/document.js';
import { parseChapter } from '../parse/markdown.js';
import { glossaryForms } from '../parse/glossary-terms.js';
import type { GlossaryEntry } from '../read/config-schema.js';
import type { Chapter } from '../parse/step.js';
import { ThesisBuild } from '../pipeline.js';
import { printDiagnostics, summariseCounts, type Terminal } from './output.js';

interface Row {
  title: string;
  note?: string;
  changes?: ChapterChanges;
  removedWords?: number;
}

/** Today's chapters beside their earlier texts: by name, a renamed one by its words; chapters gone are rows of their own. */
function pairChapters(chapters: Chapter[], old: OldThesis, marker: ChangeMarker): Row[] {
  const earlier = old.chapters.map((chapter) => ({ ...chapter, tree: parseChapter(chapter.name, chapter.text).tree as Root }));
  const used = new Set<string>();
  const oldFor = new Map<Chapter, { name: string; tree: Root }>();
  const renamedTo = new Map([...old.renamed].map(([from, to]) => [to, from]));
  for (const chapter of chapters) {
    const name = renamedTo.get(chapter.name) ?? chapter.name;
    const same = earlier.find((candidate) => candidate.name === name);
    if (same) {
      oldFor.set(chapter, same);
      used.add(same.name);
    }
  }
  for (const chapter of chapters) {
    if (oldFor.has(chapter)) continue;
    const text = toString(chapter.tree);
    const renamed = earlier.filter((candidate) => !used.has(candidate.name)).map((candidate) => ({ candidate, score: similarity(toString(candidate.tree), text) })).sort((a, b) => b.score - a.score)[0];
    if (renamed && renamed.score >= 0.4) {
      oldFor.set(chapter, renamed.candidate);
      used.add(renamed.candidate.name);
    }
  }
  marker.markThesis(chapters.map((chapter) => ({ tree: chapter.tree, ...(oldFor.has(chapter) ? { old: oldFor.get(chapter)!.tree } : {}) })));
  const rows: Row[] = chapters.map((chapter) => {
    const before = oldFor.get(chapter);
    const title = chapter.frontMatter.title ?? toString(chapter.tree.children.find((node) => node.type === 'heading') ?? { type: 'text', value: chapter.name });
    const note = !before ? 'new chapter' : before.name !== chapter.name ? `renamed from ${before.name}` : undefined;
    return { title, ...(note ? { note } : {}), changes: marker.changes.get(chapter.tree) };
  });
  for (const gone of earlier.filter((candidate) => !used.has(candidate.name))) rows.push({ title: gone.name, note: 'removed', removedWords: wordCount(toString(gone.tree)) });
  return rows;
}

/** The keys a chapter cites. */
function citedKeys(tree: Root): string[] {
  const keys: string[] = [];
  visit(tree, 'cite', (cite) => {
    for (const item of cite.items) keys.push(item.key);
  });
  return keys;
}

function summaryPage(old: OldThesis, rows: Row[], newSources: string[], goneSources: string[]): string {
  const cell = (text: string) => `[${escapeMarkup(text)}]`;
  const body = rows.map((row) => {
    const added = row.changes?.added ?? 0;
    const removed = row.changes?.removed ?? row.removedWords ?? 0;
    const sections = row.note === 'new chapter' ? 'all (new chapter)' : row.note === 'removed' ? 'the whole chapter (removed)' : (row.changes?.sections ?? []).join('; ') || '—';
    return [cell(row.title + (row.note && row.note !== 'new chapter' && row.note !== 'removed' ? ` (${row.note})` : '')), cell(added ? `+${added}` : '0'), cell(removed ? `−${removed}` : '0'), cell(String(row.changes?.moved ?? 0)), cell(sections)].join(', ');
  });
  const total = (pick: (row: Row) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
  return [
    '#page(numbering: none, header: none, footer: none)[',
    '  #set text(font: ("Noto Serif", "Noto Serif SC"), size: 10.5pt, lang: "en")',
    `  #text(size: 16pt, weight: "bold")[${escapeMarkup(`Changes since ${old.label}`)}]`,
    `  #v(0.3em)`,
    `  ${escapeMarkup(`${old.date}, commit ${old.commit.slice(0, 7)}`)}`,
    `  #v(0.8em)`,
    `  Words added are #text(fill: rgb("#1a5fb4"))[#underline[underlined in blue]], words removed #text(fill: rgb("#c01c28"))[#strike[struck through in red]]\\; a #text(fill: rgb("#e5a50a"))[yellow] bar in the margin marks a passage that changed, a #text(fill: rgb("#813d9c"))[purple] one a passage moved there from elsewhere.`,
    `  #v(1em)`,
    `  #table(columns: (auto, auto, auto, auto, 1fr), stroke: 0.4pt + luma(180), inset: 5pt, table.header([*Chapter*], [*Added*], [*Removed*], [*Moved*], [*Sections touched*]),`,
    ...body.map((line) => `    ${line},`),
    `    [*Total*], [*+${total((row) => row.changes?.added ?? 0)}*], [*−${total((row) => row.changes?.removed ?? row.removedWords ?? 0)}*], [*${total((row) => row.changes?.moved ?? 0)}*], [],`,
    '  )',
    `  #v(0.8em)`,
    `  ${escapeMarkup(`Sources cited for the first time: ${newSources.length ? newSources.sort().join(', ') : 'none'}. No longer cited: ${goneSources.length ? goneSources.sort().join(', ') : 'none'}.`)} New entries of the reference list are marked as added words are.`,
    ']',
  ].join('\n');
}

export async function diffCommand(terminal: Terminal, projectDir: string, revision: string | undefined, options: { to?: string[] }): Promise<number> {
  const started = performance.now();
  const { old, diagnostics: revisionProblems } = readRevision(projectDir, revision);
  if (!old) {
    printDiagnostics(terminal, revisionProblems);
    return 1;
  }
  const formats = options.to ?? ['pdf'];
  const others = formats.filter((format): format is ExportFormat => format !== 'pdf');
  const build = new ThesisBuild(projectDir);
  let glossary: Record<string, GlossaryEntry> = {};
  const marker = new ChangeMarker({ author: `Changes since ${old.label}`, date: `${old.date}T00:00:00Z` }, (key, plural) => {
    const entry = glossary[key];
    return entry && glossaryForms({ plural, capital: false }, entry).short;
  });
  let rows: Row[] = [];
  const pdfFile = path.join(build.layout.distDir, 'thesis-diff.pdf');
  // Sources cited now and not then (their entries are marked), and the other way round (named on the first page).
  const citedThen = new Set(old.chapters.flatMap((chapter) => citedKeys(parseChapter(chapter.name, chapter.text).tree as Root)));
  let citedNow = new Set<string>();
  const result = build.run({
    rewrite: (chapters, project) => {
      glossary = project.config.glossary;
      citedNow = new Set(chapters.flatMap((chapter) => citedKeys(chapter.tree)));
      rows = pairChapters(chapters, old, marker);
    },
    prelude: () => summaryPage(old, rows, [...citedNow].filter((key) => !citedThen.has(key)), [...citedThen].filter((key) => !citedNow.has(key))),
    newReferences: () => new Set([...citedNow].filter((key) => !citedThen.has(key))),
    pdfFile,
    ...(formats.includes('pdf') ? {} : { until: 'format' as const }),
  });
  const exported = result.ok && result.analysis && others.length ? await build.export(result.analysis, others, 'thesis-diff') : { written: [], diagnostics: [] as Diagnostic[] };
  const diagnostics = [...result.diagnostics, ...exported.diagnostics];
  printDiagnostics(terminal, diagnostics);
  if (!result.ok || hasErrors(exported.diagnostics)) {
    terminal.stdout.write(`diff failed (${summariseCounts(diagnostics)}); the previous outputs, if any, are unchanged\n`);
    return 1;
  }
  const added = rows.reduce((sum, row) => sum + (row.changes?.added ?? 0), 0);
  const removed = rows.reduce((sum, row) => sum + (row.changes?.removed ?? row.removedWords ?? 0), 0);
  const touched = rows.filter((row) => row.note || (row.changes && (row.changes.added || row.changes.removed || row.changes.moved))).length;
  const files = [...(result.pdfFile ? [result.pdfFile] : []), ...exported.written].map((file) => path.relative(terminal.cwd, file) || file).join(', ');
  terminal.stdout.write(`${files}: changes since ${old.label} (${old.date}): +${added} words, −${removed} words, ${touched} chapter${touched === 1 ? '' : 's'} touched, ${((performance.now() - started) / 1000).toFixed(2)} s\n`);
  return 0;
}
