// The entries a run formats, as Pandoc reads them. Pandoc's citeproc is
// given the cited BibTeX entries as written and reads them itself with the
// thesis's language (pandoc-citeproc.ts); before that, each is read here by
// Pandoc's own reader (pandoc-bibtex-reader.ts, on the Pandoc thread) to know
// what Pandoc makes of it: an entry Pandoc refuses (it would stop on the
// whole file) is given to citeproc as our reader read it instead, with a
// warning, TeX Pandoc drops is a warning at its entry, and the CSL item the
// rest of the toolchain sees is Pandoc's. CSL YAML is read the same way and
// given as Pandoc read it. Only the entries the thesis formats are read
// (Pandoc takes about 3 ms an entry; a 5,000-entry library is still indexed
// by the resolve step's reader in half a second), each remembered by its
// text in memory and in dist/.cache/pandoc-bibtex.json, so a save that adds
// a citation reads one entry.
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { cacheKey, DiskCache, sha256 } from '../core/disk-cache.js';
import type { ProjectLayout } from '../core/layout.js';
import type { BibEntry, Bibliography } from '../resolve/bibliography.js';
import { splitBibtex, withBraces } from '../resolve/bibtex-split.js';
import type { CslItem } from '../resolve/csl-item.js';
import { readBibtexWithPandoc, type PandocBibtexRequest, type PandocBibtexUnit } from './pandoc-bibtex-reader.js';
import type { PandocItem } from './pandoc-references.js';

/** What Pandoc made of one entry: its item (and the TeX it left out), or the reason it refused it. */
type Reading = PandocItem | { refused: string };

/** A bibliography file split into what Pandoc is given: its `@string`s, and each entry's text by key (`@xdata` too). */
interface SplitFile {
  source: string;
  macros: string;
  entries: Map<string, string>;
}

interface PendingUnit extends PandocBibtexUnit {
  hash: string;
  entry: BibEntry;
  /** The texts as written (without the language given for reading), for Pandoc's citeproc. */
  written: string[];
  macros: string;
}

export class BibtexAsPandocReads {
  private readonly remembered = new Map<string, Reading>();
  private readonly cache: DiskCache<Record<string, Reading>>;
  private readonly split = new Map<string, SplitFile>();

  constructor(layout: ProjectLayout) {
    this.cache = new DiskCache(layout.cacheFile('pandoc-bibtex.json'));
  }

  /**
   * The bibliography with the entries named in `keys` as Pandoc reads them, for
   * a thesis in `lang` (an entry without `langid` is in the thesis's language,
   * as Pandoc reads it for a document: only English titles become sentence case).
   */
  read(bibliography: Bibliography, keys: Iterable<string>, lang: string): { bibliography: Bibliography; diagnostics: Diagnostic[] } {
    // A save that changes no citation and no bibliography asks again for the same: the last answer
    // (the resolve step keeps the bibliography object while its files are unchanged). At 10× this
    // is 50 ms of every watch rebuild, most of it copying items.
    const asked = [...new Set(keys)].join('\u0000');
    const last = this.lastRead;
    if (last && last.bibliography === bibliography && last.asked === asked && last.lang === lang) return { bibliography: last.result.bibliography, diagnostics: [...last.result.diagnostics] };
    const result = this.readAll(bibliography, asked ? asked.split('\u0000') : [], lang);
    this.lastRead = { bibliography, asked, lang, result };
    return { bibliography: result.bibliography, diagnostics: [...result.diagnostics] };
  }

  private lastRead: { bibliography: Bibliography; asked: string; lang: string; result: { bibliography: Bibliography; diagnostics: Diagnostic[] } } | null = null;

  private readAll(bibliography: Bibliography, keys: Iterable<string>, lang: string): { bibliography: Bibliography; diagnostics: Diagnostic[] } {
    const english = /^en\b/i.test(lang);
    const units = new Map<string, PendingUnit[]>();
    const wanted: PendingUnit[] = [];
    for (const key of new Set(keys)) {
      const entry = bibliography.entries.get(key);
      if (!entry) continue;
      const dialect = dialectOf(entry.file);
      const unit = dialect === 'yaml' ? yamlUnit(entry) : entry.fields && this.unitOf(bibliography, entry, english ? null : lang);
      if (!unit) continue;
      wanted.push(unit);
      if (this.remembered.has(unit.hash)) continue;
      const group = `${dialect}\0${entry.file}`;
      const pending = units.get(group);
      if (pending) pending.push(unit);
      else units.set(group, [unit]);
    }
    if (wanted.length === 0) return { bibliography, diagnostics: [] };

    const storeKey = cacheKey(['format'], 'pandoc-bibtex');
    const stored = units.size > 0 ? (this.cache.read(storeKey) ?? {}) : {};
    let changed = false;
    for (const [group, pending] of units) {
      const [dialect, file] = group.split('\0') as [PandocBibtexRequest['dialect'], string];
      const unread = pending.filter((unit) => {
        const known = stored[unit.hash];
        if (known) this.remembered.set(unit.hash, known);
        return !known;
      });
      if (unread.length === 0) continue;
      const reading = readBibtexWithPandoc({ dialect, macros: dialect === 'yaml' ? '' : this.macros(bibliography, file), units: unread.map(({ key, texts }) => ({ key, texts })) });
      for (const unit of unread) {
        const result: Reading = reading.items[unit.key] ?? { refused: reading.refused[unit.key] ?? 'Pandoc read no entry with this key' };
        this.remembered.set(unit.hash, result);
        stored[unit.hash] = result;
        changed = true;
      }
    }
    if (changed) this.cache.write(storeKey, Object.fromEntries(wanted.map((unit) => [unit.hash, this.remembered.get(unit.hash)!])));

    const entries = new Map(bibliography.entries);
    const diagnostics: Diagnostic[] = [];
    for (const unit of wanted) {
      const reading = this.remembered.get(unit.hash);
      if (!reading) continue;
      if ('refused' in reading) {
        diagnostics.push(
          diagnostic('bib-pandoc-refused', `Pandoc cannot read entry "${unit.key}" (${reading.refused}); it is formatted as this toolchain reads it, and Pandoc would stop on this file`, {
            file: unit.entry.file,
            line: unit.entry.line,
            column: unit.entry.column,
          }),
        );
        continue;
      }
      const where = { file: unit.entry.file, line: unit.entry.line, column: unit.entry.column };
      for (const tex of new Set(reading.dropped)) {
        diagnostics.push(diagnostic('bib-tex-dropped', `\`${tex}\` in entry "${unit.key}" is TeX that Pandoc does not read; it is left out of the reference, as Pandoc leaves it out`, where));
      }
      const item: CslItem = { ...structuredClone(reading.item), id: unit.key };
      const meta = structuredClone(reading.meta) as { c?: Record<string, unknown> };
      // The language given to entries without `langid` was ours, not the entry's.
      if (!english && unit.entry.fields && !unit.entry.fields.langid) {
        delete item.language;
        if (meta.c) delete meta.c.language;
      }
      const dialect = dialectOf(unit.entry.file);
      entries.set(unit.key, {
        ...unit.entry,
        item,
        ...(dialect === 'biblatex' || dialect === 'bibtex' ? { pandocBibtex: { dialect, macros: unit.macros, texts: unit.written, hash: unit.hash } } : { pandoc: meta }),
      });
    }
    return { bibliography: { ...bibliography, entries }, diagnostics };
  }

  /** The entry's text and those of the entries it inherits from (in any of the files), with the thesis's language where it names none. */
  private unitOf(bibliography: Bibliography, entry: BibEntry, language: string | null): PendingUnit | null {
    const texts: string[] = [];
    const written: string[] = [];
    const seen = new Set<string>();
    const add = (key: string, file: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      const text = this.splitFile(bibliography, file).entries.get(key) ?? [...bibliography.files].map((other) => this.splitFile(bibliography, other).entries.get(key)).find(Boolean);
      if (text === undefined) return;
      written.push(text);
      texts.push(language && !/\blangid\s*=/i.test(text) ? withLanguage(text, language) : text);
      for (const [, targets] of text.matchAll(/\b(?:crossref|xdata)\s*=\s*[{"]\s*([^{}"]*)[}"]/gi)) {
        for (const parent of targets.split(',').map((k) => k.trim()).filter(Boolean)) add(parent, file);
      }
    };
    add(entry.key, entry.file);
    if (texts.length === 0) return null;
    const macros = this.splitFile(bibliography, entry.file).macros;
    return { key: entry.key, texts, written, macros, entry, hash: sha256(JSON.stringify([path.extname(entry.file).toLowerCase(), macros, texts])) };
  }

  private macros(bibliography: Bibliography, file: string): string {
    return this.splitFile(bibliography, file).macros;
  }

  /** The file as Pandoc is given it, split once per text of the file. */
  private splitFile(bibliography: Bibliography, file: string): SplitFile {
    const source = bibliography.sources.get(file) ?? '';
    const known = this.split.get(file);
    if (known?.source === source) return known;
    const chunks = splitBibtex(source).filter((chunk) => !chunk.error);
    const entries = new Map<string, string>();
    for (const chunk of chunks) {
      // Pandoc reads no `@article( … )`: the body in braces instead.
      if (chunk.kind === 'entry' && !entries.has(chunk.key)) entries.set(chunk.key, chunk.text.trimStart().match(/^@\s*[A-Za-z]+\s*\(/) ? withBraces(chunk) : chunk.text);
    }
    const macros = chunks.filter((chunk) => chunk.kind === 'string').map((chunk) => chunk.text).join('\n');
    const split = { source, macros, entries };
    this.split.set(file, split);
    return split;
  }
}

/** How Pandoc reads a bibliography file, by its extension as Pandoc tells them; null for CSL-JSON (read as it is). */
function dialectOf(file: string): PandocBibtexRequest['dialect'] | null {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.yaml' || extension === '.yml' || extension === '.md') return 'yaml';
  if (extension === '.json') return null;
  return extension === '.bibtex' ? 'bibtex' : 'biblatex';
}

/** A CSL YAML item, given to Pandoc as the item it is (JSON is YAML). */
function yamlUnit(entry: BibEntry): PendingUnit {
  const { _graph: _unused, ...item } = entry.item as CslItem & { _graph?: unknown };
  const text = JSON.stringify(item);
  return { key: entry.key, texts: [text], written: [text], macros: '', entry, hash: sha256(JSON.stringify(['yaml', text])) };
}

/** The entry with a `langid` field naming the thesis's language. */
function withLanguage(text: string, language: string): string {
  return text.replace(/^(@\s*[A-Za-z]+\s*\{[^,{}]*,)/, `$1 langid = {${language.replace(/[{}]/g, '')}},`);
}
