// `thesis review <commented.docx>`: the supervisor's Word comments and
// tracked changes, each printed at the Markdown line and column of the text
// it is about (`thesis/02-theory.md:14:3: note: [Prof. Weber] … [review-comment]`),
// the commented words quoted; what cannot be placed is listed apart.
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, diagnosticJson, type Diagnostic } from '../core/diagnostics.js';
import type { PandocDocument } from '../export/pandoc-ast.js';
import { runPandoc, stopPandoc } from '../export/pandoc-runner.js';
import { ThesisBuild, type ThesisFolder } from '../pipeline.js';
import { Anchorer } from '../review/anchor.js';
import { reviewItems, type ReviewItem } from '../review/docx-review.js';
import { printDiagnostics, type Terminal } from './output.js';

const quote = (text: string, limit = 60) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `“${flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat}”`;
};

function describe(item: ReviewItem): string {
  const who = `[${item.author}]`;
  switch (item.kind) {
    case 'comment':
      return `${who} ${item.text}${item.anchor.trim() ? ` — on ${quote(item.anchor)}` : ''}`;
    case 'replacement':
      return `${who} suggests ${quote(item.text)} for ${quote(item.anchor)}`;
    case 'insertion':
      return `${who} suggests inserting ${quote(item.text)}`;
    case 'deletion':
      return `${who} suggests deleting ${quote(item.anchor)}`;
  }
}

export async function reviewCommand(terminal: Terminal, thesis: ThesisFolder, docxPath: string, options: { format?: string }): Promise<number> {
  const projectDir = thesis.dir;
  const docxFile = path.resolve(terminal.cwd, docxPath);
  const fail = (message: string) => {
    printDiagnostics(terminal, [diagnostic('review-unreadable', message, { file: docxFile, line: 1, column: 1 })]);
    return 1;
  };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(docxFile);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'this is a folder, not a Word file' : `cannot be read (${code ?? (error as Error).message})`);
  }
  // A .docx is a zip archive: anything else is not one, whatever its name.
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) return fail('this is not a Word (.docx) file');
  let document: PandocDocument;
  try {
    const read = await runPandoc({ options: { from: 'docx', to: 'json', 'track-changes': 'all', 'input-files': ['review.docx'] }, input: null, files: { 'review.docx': new Uint8Array(bytes) } });
    document = JSON.parse(read.stdout) as PandocDocument;
  } catch (error) {
    return fail(`Pandoc cannot read this Word file: ${(error as Error).message.split('\n')[0]}`);
  } finally {
    await stopPandoc();
  }

  const result = new ThesisBuild(projectDir, thesis).run({ until: 'resolve' });
  if (!result.analysis) {
    printDiagnostics(terminal, result.diagnostics);
    return 1;
  }
  const { project, chapters } = result.analysis;
  const diagnostics: Diagnostic[] = [];
  const title = document.meta.title;
  const docTitle = title && (title.t === 'MetaInlines' || title.t === 'MetaString') ? (title.t === 'MetaString' ? title.c : title.c.map((inline) => ('c' in inline && typeof inline.c === 'string' ? inline.c : ' ')).join('')) : '';
  if (docTitle && docTitle.replace(/\s+/g, ' ').trim() !== project.config.title.replace(/\s+/g, ' ').trim()) {
    diagnostics.push(diagnostic('review-foreign', `this Word file is titled ${quote(docTitle)}, not ${quote(project.config.title)}: it may not come from this thesis; its comments are placed where their words are found`, { file: docxFile, line: 1, column: 1 }));
  }
  const items = reviewItems(document.blocks);
  const anchorer = new Anchorer(chapters.map((chapter) => ({ file: chapter.file, source: chapter.source, tree: chapter.tree })));
  const placed: { item: ReviewItem; place: ReturnType<Anchorer['place']> }[] = items.map((item) => ({ item, place: anchorer.place(item.context, item.anchor, item.at) }));
  for (const { item, place } of placed) {
    const rule = item.kind === 'comment' ? 'review-comment' : 'review-change';
    if (place) diagnostics.push(diagnostic(rule, describe(item), place));
  }
  // What cannot be placed: listed apart, at the Word file, with the paragraph it was in.
  for (const { item, place } of placed) {
    if (!place) diagnostics.push(diagnostic('review-unplaced', `${describe(item)} (its paragraph ${quote(item.context, 80)} is no longer in the chapters)`, { file: docxFile, line: 1, column: 1 }));
  }
  if (options.format === 'json') {
    terminal.stdout.write(JSON.stringify({ comments: items.filter((item) => item.kind === 'comment').length, changes: items.filter((item) => item.kind !== 'comment').length, unplaced: placed.filter((p) => !p.place).length, diagnostics: diagnostics.map((d) => diagnosticJson(d, projectDir)) }, null, 2) + '\n');
    return 0;
  }
  printDiagnostics(terminal, diagnostics, terminal.stdout);
  const comments = items.filter((item) => item.kind === 'comment').length;
  terminal.stdout.write(items.length === 0 ? `${path.relative(terminal.cwd, docxFile) || docxFile}: no comments and no tracked changes\n` : `${comments} comment${comments === 1 ? '' : 's'}, ${items.length - comments} tracked change${items.length - comments === 1 ? '' : 's'}, ${placed.filter((p) => !p.place).length} not placed\n`);
  return 0;
}
