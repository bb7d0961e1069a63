// `thesis refs`: the reference manager. check, list, add, rename, format, export.
import fs from 'node:fs';
import path from 'node:path';
import { citationJs } from '../core/lazy-modules.js';
import { diagnostic, hasErrors, relativePath, sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import { BibtexAsPandocReads } from '../format/bibtex-as-pandoc-reads.js';
import { formatReferenceList, type ReferenceFormat } from '../format/references.js';
import { ProjectLayout } from '../core/layout.js';
import { ThesisBuild, type Analysis , type ThesisFolder } from '../pipeline.js';
import { parseChapter } from '../parse/markdown.js';
import { citationKeyPlace } from '../resolve/citations.js';
import type { BibEntry } from '../resolve/bibliography.js';
import { withoutParseGraph, type CslItem } from '../resolve/csl-item.js';
import { removeStaleTemporaries } from '../core/write-atomic.js';
import { OutputRefusedError, ProjectBusyError, withProjectLock, withProjectLockAsync } from '../core/project-lock.js';
import { renameInBibtex, renameInChapter, renameInConfig, writeWithBackup } from '../refs/edit.js';
import { addToBibliography, bibliographyToWrite } from '../refs/add.js';
import { describeIdentifier, lookUp, lookupServices, parseIdentifier } from '../refs/identifiers.js';
import { findLikelyDuplicates, malformedValues, missingFields, yearOf } from '../refs/rules.js';
import { deadlineCheckUnused } from '../report/deadline-check.js';
import { printDiagnostics, progressLine, summariseCounts, type Terminal } from './output.js';

function analyse(thesis: ThesisFolder): { analysis?: Analysis; diagnostics: Diagnostic[] } {
  const projectDir = thesis.dir;
  // What a killed run left half-written beside the files the reference manager edits goes first.
  for (const dir of ['bibliography', 'thesis']) removeStaleTemporaries(path.join(projectDir, dir));
  const result = new ThesisBuild(projectDir, thesis).run({ until: 'resolve' });
  return { analysis: result.analysis, diagnostics: result.diagnostics };
}

function fail(terminal: Terminal, diagnostics: Diagnostic[]): number {
  printDiagnostics(terminal, diagnostics);
  return 1;
}

export function refsCheck(terminal: Terminal, thesis: ThesisFolder): number {
  const projectDir = thesis.dir;
  const { analysis, diagnostics } = analyse(thesis);
  if (!analysis) return fail(terminal, diagnostics);
  const entries = [...analysis.bibliography.entries.values()];
  const styleName = analysis.style?.name ?? analysis.project.config.csl;
  const found: Diagnostic[] = [
    // The loader's findings (syntax, duplicate keys) and the build's (unknown keys, as errors here).
    ...diagnostics.filter((d) => d.rule.startsWith('bib-') || d.rule === 'citation-unknown' || d.rule === 'config-invalid').map((d) => (d.rule === 'citation-unknown' ? { ...d, severity: 'error' as const } : d)),
    ...findLikelyDuplicates(entries),
    ...entries.flatMap((entry) => missingFields(entry, styleName)),
    ...entries.flatMap((entry) => malformedValues(entry, analysis.bibliography.sources.get(entry.file) ?? '')),
    ...deadlineCheckUnused(analysis),
  ];
  const sorted = sortDiagnostics(found);
  printDiagnostics(terminal, sorted, terminal.stdout);
  terminal.stdout.write(`${entries.length} entries checked: ${summariseCounts(sorted)}\n`);
  return hasErrors(sorted) ? 1 : 0;
}

function citedAt(analysis: Analysis): Map<string, string[]> {
  const places = new Map<string, string[]>();
  for (const use of analysis.citations) {
    for (const item of use.node.items) {
      const place = citationKeyPlace(use, item);
      const where = `${path.relative(analysis.project.dir, use.file)}:${place.line}`;
      places.set(item.key, [...(places.get(item.key) ?? []), where]);
    }
  }
  return places;
}

function searchable(entry: BibEntry): string {
  const item = entry.item;
  const names = [...(item.author ?? []), ...(item.editor ?? [])].map((n) => [n.given, n.family, n.literal].filter(Boolean).join(' '));
  return [entry.key, item.title, yearOf(item), item.keyword, item['container-title'], ...names].filter(Boolean).join(' ').toLowerCase();
}

function shortCitation(item: CslItem): string {
  const names = item.author ?? item.editor ?? [];
  const family = (i: number) => names[i]?.family ?? names[i]?.literal ?? '';
  const who = names.length === 0 ? String(item.title ?? '').slice(0, 30) : names.length === 1 ? family(0) : names.length === 2 ? `${family(0)} & ${family(1)}` : `${family(0)} et al.`;
  return `${who}, ${yearOf(item) ?? 'n.d.'}`;
}

export function refsList(terminal: Terminal, thesis: ThesisFolder, query: string[]): number {
  const projectDir = thesis.dir;
  const { analysis, diagnostics } = analyse(thesis);
  if (!analysis) return fail(terminal, diagnostics);
  const terms = query.join(' ').toLowerCase().split(/\s+/).filter(Boolean);
  const places = citedAt(analysis);
  const matches = [...analysis.bibliography.entries.values()].filter((entry) => {
    const text = searchable(entry);
    return terms.every((term) => text.includes(term));
  });
  for (const entry of matches.sort((a, b) => a.key.localeCompare(b.key))) {
    const where = places.get(entry.key);
    terminal.stdout.write(`${entry.key}  (${shortCitation(entry.item)})  ${String(entry.item.title ?? '').replace(/<[^>]+>/g, '')}\n`);
    terminal.stdout.write(`    ${where ? `cited at ${where.join(', ')}` : 'not cited'}\n`);
  }
  terminal.stdout.write(`${matches.length} of ${analysis.bibliography.entries.size} entries${terms.length ? ` match "${query.join(' ')}"` : ''}\n`);
  return 0;
}

/**
 * `refs add [file | - | DOI | ISBN | arXiv id | PMID]`: entries from a file,
 * a paste, or looked up by identifier, added to the thesis's own .bib file.
 * An entry keeps the key it came with (Better BibTeX's `Foucault_1977` is
 * already cited in the chapters) unless `--rekey` asks for keys made from
 * `key-pattern`; a key another entry has gets a letter, and the output says
 * so. A looked-up record has no key of its own: it gets one from the pattern.
 */
export async function refsAdd(terminal: Terminal, thesis: ThesisFolder, input: string | undefined, options: { force?: boolean; rekey?: boolean }): Promise<number> {
  try {
    return await withProjectLockAsync(thesis.dir, 'refs add', () => addUnlocked(terminal, thesis, input, options));
  } catch (error) {
    return lockFailure(terminal, thesis, error);
  }
}

/** A command that could not take the project's lock (or whose dist/ is a link out): a message, exit 1. */
function lockFailure(terminal: Terminal, thesis: ThesisFolder, error: unknown): number {
  if (error instanceof ProjectBusyError) return fail(terminal, [diagnostic('project-busy', error.message, {})]);
  if (error instanceof OutputRefusedError) return fail(terminal, [diagnostic('output-unwritable', error.message, { file: path.join(thesis.dir, 'dist'), line: 1, column: 1 })]);
  throw error;
}

async function addUnlocked(terminal: Terminal, thesis: ThesisFolder, input: string | undefined, options: { force?: boolean; rekey?: boolean }): Promise<number> {
  const { analysis, diagnostics } = analyse(thesis);
  if (!analysis) return fail(terminal, diagnostics);
  // Refused before any lookup: nothing would be written.
  const destination = bibliographyToWrite(analysis);
  if ('refused' in destination) return fail(terminal, [destination.refused]);

  const identifier = input && input !== '-' && !fs.existsSync(path.resolve(terminal.cwd, input)) ? parseIdentifier(input) : null;
  let origin: string;
  let text: string;
  if (identifier) {
    origin = describeIdentifier(identifier);
    const looking = progressLine(terminal, `looking up the ${origin}`);
    const found = await lookUp(identifier, lookupServices(terminal.env));
    looking.done();
    if (!found.ok) return fail(terminal, [diagnostic('bib-lookup-failed', found.message, {})]);
    terminal.stdout.write(`found the ${origin} at ${found.from}\n`);
    text = found.text;
  } else {
    origin = input && input !== '-' ? path.resolve(terminal.cwd, input) : '<stdin>';
    try {
      text = input && input !== '-' ? fs.readFileSync(origin, 'utf8') : await terminal.readStdin();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const hint = code === 'ENOENT' ? ': no such file, and not a DOI, ISBN, arXiv id or PubMed id either' : '';
      return fail(terminal, [diagnostic('bib-unreadable', `cannot read ${origin}${hint || `: ${code ?? (error as Error).message}`}`, {})]);
    }
  }
  const outcome = addToBibliography(analysis, text, origin, { keys: identifier ? 'looked-up' : options.rekey ? 'rekeyed' : 'kept', force: options.force });
  if (!outcome.ok) return fail(terminal, outcome.problems);
  for (const a of outcome.added) {
    const title = String(a.item.title ?? '').replace(/<[^>]+>/g, '');
    terminal.stdout.write(`added @${a.key} to ${relativePath(outcome.bibFile, terminal.cwd)}${a.note}: ${shortCitation(a.item)}${title ? `, ${title.length > 70 ? `${title.slice(0, 67)}…` : title}` : ''}\n`);
  }
  if (outcome.added.length && !outcome.named) terminal.stdout.write(`${relativePath(outcome.bibFile, terminal.cwd)} is new: name it under \`bibliography:\` in thesis.yaml to cite from it\n`);
  printDiagnostics(terminal, outcome.problems);
  return hasErrors(outcome.problems) ? 1 : 0;
}

/**
 * `refs rename OLD NEW` across the thesis: the chapters' citations and
 * thesis.yaml's milestone `cite:` keys and `nocite` first, the entry's key
 * last. Each file is replaced whole (atomically), and the command is safe to
 * run again: stopped halfway (a crash, Ctrl-C), running it again finishes
 * the job, also when the entry already has its new key.
 */
export function refsRename(terminal: Terminal, thesis: ThesisFolder, oldKey: string, newKey: string): number {
  try {
    return withProjectLock(thesis.dir, 'refs rename', () => renameUnlocked(terminal, thesis, oldKey, newKey));
  } catch (error) {
    return lockFailure(terminal, thesis, error);
  }
}

function renameUnlocked(terminal: Terminal, thesis: ThesisFolder, oldKey: string, newKey: string): number {
  const projectDir = thesis.dir;
  const { analysis, diagnostics } = analyse(thesis);
  if (!analysis) return fail(terminal, diagnostics);
  const entry = analysis.bibliography.entries.get(oldKey);
  const clash = analysis.bibliography.entries.get(newKey);
  // The entry renamed already, the rest not: an earlier run stopped halfway; this one finishes it.
  const resuming = !entry && clash !== undefined;
  if (!entry && !resuming) return fail(terminal, [diagnostic('citation-unknown', `no entry "${oldKey}" in the bibliography`, {}, { severity: 'error' })]);
  if (entry && clash) return fail(terminal, [diagnostic('bib-duplicate-key', `"${newKey}" is already a key`, { file: clash.file, line: clash.line, column: clash.column })]);
  if (!/^[^\s,{}"#%'()=\\]+$/.test(newKey)) return fail(terminal, [diagnostic('usage', `"${newKey}" cannot be a BibTeX key (no spaces, commas, braces or quotes)`, {})]);

  let total = 0;
  for (const chapter of analysis.project.chapters) {
    const { text, count } = renameInChapter(chapter.text, parseChapter(chapter.file, chapter.text).tree, oldKey, newKey);
    if (count === 0) continue;
    writeWithBackup(chapter.file, text);
    total += count;
    terminal.stdout.write(`${path.relative(terminal.cwd, chapter.file)}: ${count} citation${count === 1 ? '' : 's'}\n`);
  }
  const configFile = analysis.project.configFile;
  let configKeys = 0;
  if (configFile && fs.existsSync(configFile)) {
    const { text, count } = renameInConfig(fs.readFileSync(configFile, 'utf8'), oldKey, newKey);
    configKeys = count;
    if (count) {
      writeWithBackup(configFile, text);
      terminal.stdout.write(`${path.relative(terminal.cwd, configFile)}: ${count} key${count === 1 ? '' : 's'} (milestones, nocite)\n`);
    }
  }
  if (entry) {
    for (const file of analysis.bibliography.files) {
      const text = analysis.bibliography.sources.get(file);
      if (text === undefined) continue;
      const entries = [...analysis.bibliography.entries.values()].filter((e) => e.file === file);
      const renamed = file.endsWith('.json')
        ? entry.file === file
          ? text.slice(0, entry.range[0]) + JSON.stringify(newKey) + text.slice(entry.range[0] + JSON.stringify(oldKey).length)
          : text
        : renameInBibtex(text, entries, oldKey, newKey);
      if (renamed !== text) writeWithBackup(file, renamed);
    }
  }
  // Nothing of the old key anywhere: not an interrupted rename, a key that does not exist.
  if (resuming && total === 0 && configKeys === 0) return fail(terminal, [diagnostic('citation-unknown', `no entry "${oldKey}" in the bibliography, and nothing cites it`, {}, { severity: 'error' })]);
  const where = path.relative(terminal.cwd, (entry ?? clash)!.file);
  terminal.stdout.write(resuming ? `finished renaming ${oldKey} to ${newKey}: ${where} had it already; ${total} citation${total === 1 ? '' : 's'} renamed now\n` : `renamed ${oldKey} to ${newKey} in ${where} and ${total} citation${total === 1 ? '' : 's'}\n`);
  return 0;
}

export function refsFormat(terminal: Terminal, thesis: ThesisFolder, keys: string[], options: { cited?: boolean; format: ReferenceFormat }): number {
  const projectDir = thesis.dir;
  const { analysis, diagnostics } = analyse(thesis);
  if (!analysis || !analysis.style) return fail(terminal, diagnostics);
  const wanted = options.cited ? [...new Set(analysis.citations.flatMap((u) => u.node.items.map((i) => i.key)))] : keys.length ? keys : [...analysis.bibliography.entries.keys()];
  const unknown = wanted.filter((key) => !analysis.bibliography.entries.has(key));
  // The entries as Pandoc reads them, as a build formats them.
  const read = new BibtexAsPandocReads(new ProjectLayout(projectDir)).read(analysis.bibliography, wanted, analysis.project.config.lang);
  printDiagnostics(terminal, read.diagnostics);
  let entries: string[];
  try {
    entries = formatReferenceList(read.bibliography, wanted.filter((key) => read.bibliography.entries.has(key)), analysis.style, analysis.project.config.lang, options.format);
  } catch (error) {
    const place = analysis.style.file ? { file: analysis.style.file, line: 1, column: 1 } : {};
    return fail(terminal, [diagnostic('bib-unformattable', `the entries cannot be formatted in ${analysis.style.name}: ${(error as Error).message}`, place)]);
  }
  if (options.format === 'html') terminal.stdout.write(`<div class="csl-bib-body">\n${entries.map((e) => `  ${e}`).join('\n')}\n</div>\n`);
  else terminal.stdout.write(entries.join(options.format === 'markdown' ? '\n\n' : '\n') + '\n');
  if (unknown.length && !options.cited) return fail(terminal, unknown.map((key) => diagnostic('citation-unknown', `no entry "${key}" in the bibliography`, {}, { severity: 'error' })));
  return 0;
}

export function refsExport(terminal: Terminal, thesis: ThesisFolder, options: { to: 'csl-json' | 'bibtex'; output?: string }): number {
  const projectDir = thesis.dir;
  const { analysis, diagnostics } = analyse(thesis);
  if (!analysis) return fail(terminal, diagnostics);
  const items = [...analysis.bibliography.entries.values()].map((e) => withoutParseGraph(e.item));
  let text: string;
  if (options.to === 'csl-json') text = JSON.stringify(items, null, 2) + '\n';
  else {
    const config = citationJs().plugins.config.get('@bibtex');
    const previous = { ...config.format };
    // Our keys, and UTF-8 as BibLaTeX reads it (ASCII-only would turn … into ...).
    config.format.useIdAsLabel = true;
    config.format.asciiOnly = false;
    try {
      // citation-js also writes the access date as a BibTeX-era note; BibLaTeX has urldate for it.
      text = String(citationJs().plugins.output.format('biblatex', items, { format: 'text' })).replace(/^\s*note = \{\[Online; accessed [^\]]*\]\},\n/gm, '');
    } finally {
      Object.assign(config.format, previous);
    }
  }
  if (options.output) {
    const file = path.resolve(terminal.cwd, options.output);
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
      return fail(terminal, [diagnostic('usage', `--output ${options.output} is a folder; name a file, for example ${path.join(options.output, options.to === 'bibtex' ? 'references.bib' : 'references.json')}`, {})]);
    }
    writeWithBackup(file, text);
    terminal.stdout.write(`wrote ${items.length} entries to ${path.relative(terminal.cwd, file)}\n`);
  } else terminal.stdout.write(text);
  printDiagnostics(terminal, diagnostics.filter((d) => d.rule.startsWith('bib-')));
  return 0;
}
