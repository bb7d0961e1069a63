// The bibliography loader, shared by build, check and refs: BibTeX/BibLaTeX
// (via citation-js, one entry at a time when needed) and CSL-JSON, with every
// problem as a positioned diagnostic and every good entry kept.
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { pandocConventions } from './pandoc-conventions.js';
import { citationJs } from '../core/lazy-modules.js';
import { diagnostic, lineIndex, type Diagnostic } from '../core/diagnostics.js';

type Place = ReturnType<typeof lineIndex>;
import { splitBibtex, withBraces, type BibChunk } from './bibtex-split.js';
import type { CslItem } from './csl-item.js';

export interface BibEntry {
  key: string;
  item: CslItem;
  file: string;
  line: number;
  column: number;
  /** Entry type as written in the source (BibTeX type or CSL type). */
  sourceType: string;
  /** Raw BibTeX field values as written (absent for CSL-JSON). */
  fields?: Record<string, string>;
  /** Character range of the entry in its file. */
  range: [number, number];
  /** The entry as Pandoc's reader has it (set by the format step for the entries it formats): CSL YAML as its metadata value. */
  pandoc?: unknown;
  /**
   * A BibTeX entry Pandoc reads, as Pandoc's citeproc is given it: the file's
   * `@string`s and the entry's text with those it inherits from (set by the
   * format step). Pandoc's citeproc reads it with the thesis's language, as
   * Pandoc reads a document's bibliography: a German thesis's English titles
   * and thesis types are read differently from an English thesis's.
   */
  pandocBibtex?: { dialect: 'biblatex' | 'bibtex'; macros: string; texts: string[]; /** A hash of the dialect, macros and texts, for cache keys. */ hash: string };
}

export interface Bibliography {
  entries: Map<string, BibEntry>;
  files: string[];
  /** The text of each file as it was read, for edits that keep every other byte. */
  sources: Map<string, string>;
  diagnostics: Diagnostic[];
}

const BATCH = 250;

/** How entries are read: `englishDocument`, whether the thesis is in English (its entries without `langid` are then English too, as in Pandoc). */
export interface ReadOptions {
  englishDocument: boolean;
}

/** Loads the files; `readText` is the build's read gate (Inputs) when a build loads them. */
export function loadBibliography(files: string[], readText: (file: string) => string = (file) => fs.readFileSync(file, 'utf8'), options: ReadOptions = { englishDocument: true }): Bibliography {
  const bibliography: Bibliography = { entries: new Map(), files, sources: new Map(), diagnostics: [] };
  // BibTeX keys are case-insensitive: one lookup table for "the same key in other case".
  const byLowerKey = new Map<string, BibEntry>();
  for (const file of files) {
    let text: string;
    try {
      text = readText(file);
    } catch (error) {
      bibliography.diagnostics.push(
        diagnostic('bib-unreadable', `cannot read the bibliography: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file, line: 1, column: 1 }),
      );
      continue;
    }
    bibliography.sources.set(file, text);
    const extension = path.extname(file).toLowerCase();
    const entries =
      extension === '.json'
        ? collectCslJson(file, text, bibliography.diagnostics)
        : extension === '.yaml' || extension === '.yml' || extension === '.md'
          ? collectCslYaml(file, text, bibliography.diagnostics)
          : collectBibtex(file, text, bibliography.diagnostics, options);
    for (const entry of entries) addEntry(bibliography, byLowerKey, entry);
  }
  return bibliography;
}

function addEntry(bibliography: Bibliography, byLowerKey: Map<string, BibEntry>, entry: BibEntry): void {
  const existing = bibliography.entries.get(entry.key) ?? byLowerKey.get(entry.key.toLowerCase());
  if (existing) {
    bibliography.diagnostics.push(
      diagnostic(
        'bib-duplicate-key',
        existing.key === entry.key
          ? `duplicate key "${entry.key}"; the first entry is used, rename or remove this one`
          : `key "${entry.key}" differs from "${existing.key}" only in case; BibTeX treats them as the same key`,
        { file: entry.file, line: entry.line, column: entry.column },
        { cause: { file: existing.file, line: existing.line, column: existing.column, message: `"${existing.key}" is first defined here` } },
      ),
    );
    return;
  }
  bibliography.entries.set(entry.key, entry);
  byLowerKey.set(entry.key.toLowerCase(), entry);
}

/** The entries of one BibTeX/BibLaTeX text, each problem a diagnostic at its place. */
export function readBibtex(file: string, text: string, options: ReadOptions = { englishDocument: true }): { entries: BibEntry[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  return { entries: collectBibtex(file, text, diagnostics, options), diagnostics };
}

function collectBibtex(file: string, text: string, diagnostics: Diagnostic[], options: ReadOptions): BibEntry[] {
  const place = lineIndex(text);
  const chunks = splitBibtex(text);
  const macros = chunks.filter((c) => c.kind === 'string' && !c.error).map((c) => c.text).join('\n');
  const good: BibChunk[] = [];
  for (const chunk of chunks) {
    if (chunk.error) {
      diagnostics.push(diagnostic('bib-syntax', chunk.error.message, { file, ...place(chunk.error.offset) }));
    } else if (chunk.kind === 'entry') good.push(chunk);
  }
  // 1. Raw fields (macros expanded), a batch at a time, one entry at a time on failure.
  const parsed: { chunk: BibChunk; raw: RawBibEntry }[] = [];
  for (let i = 0; i < good.length; i += BATCH) parsed.push(...parseRaw(file, place, good.slice(i, i + BATCH), macros, diagnostics));
  // 2. Values as BibLaTeX reads them, then BibLaTeX inheritance: crossref and xdata fill the fields an entry lacks.
  for (const { raw } of parsed) normaliseValues(raw.properties);
  inheritFields(parsed.map((p) => p.raw));
  // 3. CSL items; @xdata entries only lend their fields.
  const entries: BibEntry[] = [];
  const usable = parsed.filter((p) => p.raw.type.toLowerCase() !== 'xdata');
  for (let i = 0; i < usable.length; i += BATCH) entries.push(...convertToCsl(file, place, usable.slice(i, i + BATCH), diagnostics, options));
  return entries;
}

interface RawBibEntry {
  type: string;
  label: string;
  properties: Record<string, string>;
}

function parseRawText(source: string): RawBibEntry[] {
  return citationJs().plugins.input.chain(source, { forceType: '@biblatex/text', target: '@biblatex/entries+list', generateGraph: false }) as RawBibEntry[];
}

function parseRaw(file: string, place: Place, chunks: BibChunk[], macros: string, diagnostics: Diagnostic[]): { chunk: BibChunk; raw: RawBibEntry }[] {
  try {
    const raw = parseRawText(macros + '\n' + chunks.map(withBraces).join('\n'));
    if (raw.length !== chunks.length) throw new Error('entry count mismatch');
    return chunks.map((chunk, index) => ({ chunk, raw: raw[index] }));
  } catch {
    if (chunks.length === 1) {
      diagnostics.push(describeParseError(file, place, chunks[0], macros));
      return [];
    }
    return chunks.flatMap((chunk) => parseRaw(file, place, [chunk], macros, diagnostics));
  }
}

/**
 * What citation-js gets wrong in field values as real exports write them,
 * mended before it reads them: surrounding spaces (`{David Abramson }`, as
 * @string macros often pad names, read as a given name with no family
 * name); BibLaTeX's quotation and emphasis commands (`\enquote*{…}` made it
 * drop the whole entry); the TeX logos (`{\TeX}book` printed "\TeXbook").
 */
function normaliseValues(properties: Record<string, string>): void {
  const argument = '\\s*\\{((?:[^{}]|\\{(?:[^{}]|\\{[^{}]*\\})*\\})*)\\}';
  const quote = new RegExp(`\\\\(?:enquote\\*?|mkbibquote|textquote\\*?)${argument}`, 'g');
  const emphasis = new RegExp(`\\\\mkbib(emph|italic|bold)${argument}`, 'g');
  for (const [field, value] of Object.entries(properties)) {
    if (typeof value !== 'string') continue;
    properties[field] = value
      .replace(quote, '\u201c$1\u201d')
      .replace(emphasis, (_, kind: string, text: string) => `\\${kind === 'bold' ? 'textbf' : 'emph'}{${text}}`)
      .replace(/\\(LaTeXe|LaTeX|BibTeX|XeTeX|XeLaTeX|LuaTeX|TeX)(?![A-Za-z])(\{\})?/g, (_, logo: string) => (logo === 'LaTeXe' ? 'LaTeX2\u03b5' : logo))
      .replace(/\s+/g, ' ')
      .trim();
  }
}

/** Fields a child inherits from its crossref parent under another name (BibLaTeX defaults). */
const crossrefRenames: Record<string, string> = { title: 'booktitle', subtitle: 'booksubtitle', titleaddon: 'booktitleaddon' };

export function inheritFields(entries: RawBibEntry[]): void {
  const byKey = new Map(entries.map((e) => [e.label, e]));
  const resolve = (entry: RawBibEntry, seen: Set<string>) => {
    for (const link of ['xdata', 'crossref'] as const) {
      const targets = entry.properties[link];
      if (!targets) continue;
      for (const key of targets.split(',').map((k) => k.trim())) {
        const parent = byKey.get(key);
        if (!parent || seen.has(key)) continue;
        resolve(parent, new Set([...seen, key]));
        for (const [field, value] of Object.entries(parent.properties)) {
          if (field === 'crossref' || field === 'xdata' || field === 'ids') continue;
          const name = link === 'crossref' && crossrefRenames[field] && !['collection', 'proceedings', 'book', 'mvbook'].includes(entry.type.toLowerCase()) ? crossrefRenames[field] : field;
          if (!(name in entry.properties)) entry.properties[name] = value;
        }
      }
    }
  };
  for (const entry of entries) resolve(entry, new Set([entry.label]));
}

function convertToCsl(file: string, place: Place, parsed: { chunk: BibChunk; raw: RawBibEntry }[], diagnostics: Diagnostic[], options: ReadOptions): BibEntry[] {
  let items: CslItem[];
  try {
    items = citationJs().plugins.input.chain(parsed.map((p) => p.raw), { generateGraph: false }) as CslItem[];
    if (items.length !== parsed.length) throw new Error('entry count mismatch');
  } catch (error) {
    if (parsed.length > 1) return parsed.flatMap((p) => convertToCsl(file, place, [p], diagnostics, options));
    diagnostics.push(diagnostic('bib-syntax', `entry "${parsed[0].chunk.key}" cannot be read: ${(error as Error).message.split('\n')[0]}`, { file, ...place(parsed[0].chunk.start) }));
    return [];
  }
  return parsed.map(({ chunk, raw }, index) => {
    const item = pandocConventions(thesisGenre(latexCommandsToUnicode(items[index])), raw.type, raw.properties, options.englishDocument);
    item.id = chunk.key;
    return {
      key: chunk.key,
      item,
      file,
      ...place(chunk.start),
      sourceType: chunk.type,
      fields: raw.properties,
      range: [chunk.start, chunk.end] as [number, number],
    };
  });
}

function describeParseError(file: string, place: Place, chunk: BibChunk, macros: string): Diagnostic {
  let message = 'malformed entry';
  let offset = chunk.start;
  try {
    parseRawText(macros + '\n' + withBraces(chunk));
  } catch (error) {
    const text0 = String((error as Error).message);
    const where = /line (\d+) col (\d+)/.exec(text0);
    if (where) {
      const macroLines = macros.split('\n').length; // the chunk starts after these lines
      const lineInChunk = Number(where[1]) - macroLines;
      const lines = chunk.text.split('\n');
      if (lineInChunk >= 1 && lineInChunk <= lines.length) {
        offset = chunk.start + lines.slice(0, lineInChunk - 1).reduce((n, l) => n + l.length + 1, 0) + Number(where[2]) - 1;
      }
    }
    message = `malformed entry "${chunk.key}": ${describeLexerError(text0)}`;
  }
  return diagnostic('bib-syntax', message, { file, ...place(offset) });
}

function describeLexerError(message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+ col \d+:?$/, '');
  return /unexpected|invalid syntax/i.test(first) ? `${first}; check braces, quotes, \`=\` and commas between fields` : first;
}

function collectCslJson(file: string, text: string, diagnostics: Diagnostic[]): BibEntry[] {
  const place = lineIndex(text);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    diagnostics.push(diagnostic('bib-syntax', `invalid CSL-JSON: ${message}`, { file, ...place(position ? Number(position[1]) : 0) }));
    return [];
  }
  const list = Array.isArray(data) ? data : [data];
  const starts = Array.isArray(data) ? topLevelElementOffsets(text) : [text.indexOf('{')];
  const entries: BibEntry[] = [];
  list.forEach((item, index) => {
    const id = item && typeof item === 'object' ? (item as CslItem).id : undefined;
    const start = starts[index] ?? 0;
    const end = starts[index + 1] ?? text.length;
    // Point at the id's value when there is one, else at the item.
    const idOffset = id !== undefined ? text.slice(start, end).indexOf(JSON.stringify(String(id))) : -1;
    const offset = idOffset >= 0 ? start + idOffset : start;
    if (id === undefined || id === '' || typeof (item as CslItem).type !== 'string') {
      diagnostics.push(diagnostic('bib-syntax', 'CSL-JSON item needs an "id" and a "type"', { file, ...place(offset) }));
      return;
    }
    entries.push({
      key: String(id),
      item: { ...(item as CslItem), id: String(id) },
      file,
      ...place(offset),
      sourceType: (item as CslItem).type,
      range: [offset, offset],
    });
  });
  return entries;
}

/**
 * CSL YAML, as Pandoc reads it (`bibliography: refs.yaml`): a `references:`
 * list (or a bare list) of CSL items, in a YAML document that may be fenced
 * by `---`. Each item is kept as written; the format step has Pandoc read it
 * (its strings are Markdown there, as in Pandoc).
 */
function collectCslYaml(file: string, text: string, diagnostics: Diagnostic[]): BibEntry[] {
  const place = lineIndex(text);
  // The YAML between `---` and `---` (or `...`) when there is such a block (a chapter's front matter), else the whole file.
  const fenced = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  const body = fenced ? fenced[1] : text;
  const start = fenced ? text.indexOf(fenced[1]) : 0;
  const document = parseDocument(body);
  if (document.errors.length) {
    const error = document.errors[0];
    diagnostics.push(diagnostic('bib-syntax', `invalid CSL YAML: ${error.message.split('\n')[0]}`, { file, ...place(start + error.pos[0]) }));
    return [];
  }
  const root = document.contents;
  const list = isMap(root) ? root.get('references', true) : root;
  // thesis.yaml or a chapter without `references:` holds no sources (it was named for its other keys).
  if (list === undefined && path.extname(file).toLowerCase() !== '.yaml' && path.extname(file).toLowerCase() !== '.yml') return [];
  if (!isSeq(list)) {
    diagnostics.push(diagnostic('bib-syntax', 'CSL YAML needs a `references:` list of items (as Pandoc writes it)', { file, ...place(start) }));
    return [];
  }
  const entries: BibEntry[] = [];
  for (const node of list.items) {
    const range = (node as { range?: number[] | null }).range ?? [0, 0];
    const offset = start + range[0];
    let item: unknown;
    try {
      // An alias chain that grows without bound (a "billion laughs") is refused, not expanded.
      item = (node as { toJS(doc: unknown, options: { maxAliasCount: number }): unknown }).toJS(document, { maxAliasCount: 100 });
    } catch (error) {
      diagnostics.push(diagnostic('bib-syntax', `this item cannot be read: ${(error as Error).message.split('\n')[0]}`, { file, ...place(offset) }));
      continue;
    }
    const id = item && typeof item === 'object' ? (item as CslItem).id : undefined;
    if (id === undefined || id === null || id === '') {
      diagnostics.push(diagnostic('bib-syntax', 'CSL YAML item needs an `id`', { file, ...place(offset) }));
      continue;
    }
    const cslItem = { ...(item as CslItem), id: String(id), type: String((item as CslItem).type ?? '') };
    entries.push({ key: String(id), item: cslItem, file, ...place(offset), sourceType: cslItem.type, range: [offset, start + range[1]] });
  }
  return entries;
}

/** Offsets of the elements of a top-level JSON array (strings and nesting skipped). */
function topLevelElementOffsets(text: string): number[] {
  const offsets: number[] = [];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      if (depth === 1) offsets.push(i);
      inString = true;
    } else if (ch === '{' || ch === '[') {
      if (depth === 1) offsets.push(i);
      depth++;
    } else if (ch === '}' || ch === ']') depth--;
    else if (depth === 1 && /[\w-]/.test(ch) && !/[\w.-]/.test(text[i - 1])) offsets.push(i);
  }
  return offsets;
}

/** Text commands citation-js leaves in place, as the characters they stand for. */
const latexCommands: Record<string, string> = {
  ldots: '\u2026', dots: '\u2026', textellipsis: '\u2026', textendash: '\u2013', textemdash: '\u2014',
  textquoteleft: '\u2018', textquoteright: '\u2019', textquotedblleft: '\u201c', textquotedblright: '\u201d',
  S: '\u00a7', P: '\u00b6', textsection: '\u00a7', copyright: '\u00a9', textcopyright: '\u00a9', dag: '\u2020', ddag: '\u2021',
  textregistered: '\u00ae', texttrademark: '\u2122', textdegree: '\u00b0', euro: '\u20ac', pounds: '\u00a3', textbullet: '\u2022',
  LaTeX: 'LaTeX', TeX: 'TeX', textbackslash: '\\', textasciitilde: '~', textunderscore: '_', ss: '\u00df', o: '\u00f8', O: '\u00d8', ae: '\u00e6', AE: '\u00c6', aa: '\u00e5', AA: '\u00c5', l: '\u0142', L: '\u0141',
};

function latexCommandsToUnicode(item: CslItem): CslItem {
  for (const [field, value] of Object.entries(item)) {
    if (typeof value === 'string' && value.includes('\\')) {
      item[field] = value.replace(/\\([A-Za-z]+)(?:\{\}|\s?)/g, (match, name: string) => latexCommands[name] ?? match);
    }
  }
  return item;
}

/**
 * BibTeX's thesis types reach CSL as the genre "phdthesis" or "mathesis",
 * which styles print verbatim ("[Phdthesis]"); use the words instead.
 */
const thesisGenres: Record<string, string> = {
  phdthesis: 'Doctoral dissertation',
  phd: 'Doctoral dissertation',
  mathesis: "Master's thesis",
  mastersthesis: "Master's thesis",
  masterthesis: "Master's thesis",
  bathesis: "Bachelor's thesis",
  candthesis: 'Candidate thesis',
};

function thesisGenre(item: CslItem): CslItem {
  const genre = typeof item.genre === 'string' ? thesisGenres[item.genre.toLowerCase().replace(/[^a-z]/g, '')] : undefined;
  if (genre) item.genre = genre;
  return item;
}
