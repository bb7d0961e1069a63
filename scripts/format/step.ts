// The format step: citations and the reference list in the thesis's CSL
// style, kept in memory between runs (watch: most saves change no citation)
// and in dist/.cache/citations.json, keyed by everything that decides them.
// Pandoc is loaded on its thread; `prepare` starts it as soon as
// the style is known, so it loads while the chapters parse.
import fs from 'node:fs';
import type { Diagnostic } from '../core/diagnostics.js';
import { cacheKey, DiskCache } from '../core/disk-cache.js';
import type { Inputs } from '../core/inputs.js';
import type { ProjectLayout } from '../core/layout.js';
import type { Bibliography } from '../resolve/bibliography.js';
import type { CitationUse } from '../resolve/citations.js';
import { BibtexAsPandocReads } from './bibtex-as-pandoc-reads.js';
import { formatCitations, type FormatOptions, type FormattedCitations } from './citeproc.js';
import { preparePandoc } from '../core/pandoc-thread.js';
import type { RichText } from './rich-text.js';

type StoredCitations = Omit<FormattedCitations, 'citations'> & { citations: [string, RichText][] };

export class FormatStep {
  private kept: { key: string; formatted: FormattedCitations } | null = null;
  private readonly cache: DiskCache<FormattedCitations, StoredCitations>;
  private readonly pandocReading: BibtexAsPandocReads;

  /** `format`: what formats (Pandoc's citeproc); the tests give one that fails once. */
  constructor(
    layout: ProjectLayout,
    private readonly format: typeof formatCitations = formatCitations,
  ) {
    this.pandocReading = new BibtexAsPandocReads(layout);
    this.cache = new DiskCache(layout.cacheFile('citations.json'), {
      store: (formatted) => ({ ...formatted, citations: [...formatted.citations] }),
      load: (stored) => ({ ...stored, citations: new Map(stored.citations) }),
    });
  }

  /**
   * Starts loading Pandoc on its thread when this run will
   * probably format: nothing kept in memory, and the cache on disk older
   * than one of the files read so far.
   */
  prepare(inputs: Inputs): void {
    if (this.kept) return;
    const written = this.cache.writtenAt();
    // Files looked for but missing (a project without its own template) say nothing about the cache.
    const newer = (file: string) => (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? -Infinity) > (written ?? -Infinity);
    if (written === null || inputs.files.some(newer)) preparePandoc();
  }

  run(uses: CitationUse[], cited: Bibliography, options: FormatOptions): { formatted: FormattedCitations; diagnostics: Diagnostic[] } {
    const read = this.pandocReading.read(cited, keysToFormat(uses, cited, options), options.lang);
    const bibliography = read.bibliography;
    const key = formatKey(uses, bibliography, options);
    if (this.kept?.key !== key) {
      let formatted = this.cache.read(key);
      if (!formatted) {
        formatted = this.format(uses, bibliography, options);
        // A failure of Pandoc's (it stopped, or did not answer) is not the thesis's: the next run tries again.
        // Kept, it failed every build after it until dist/.cache was deleted (found when a Pandoc thread died).
        if (formatted.failed) return { formatted, diagnostics: [...read.diagnostics, ...formatted.diagnostics] };
        this.cache.write(key, formatted);
      }
      this.kept = { key, formatted };
    }
    return { formatted: this.kept.formatted, diagnostics: [...read.diagnostics, ...this.kept.formatted.diagnostics] };
  }
}

/** The keys whose entries a run formats: those cited and those listed uncited. */
function keysToFormat(uses: CitationUse[], bibliography: Bibliography, options: FormatOptions): Set<string> {
  const keys = new Set(uses.flatMap((use) => use.node.items.map((item) => item.key)));
  const nocite = options.nocite.map((k) => k.replace(/^@/, ''));
  for (const key of nocite.includes('*') ? bibliography.entries.keys() : nocite) keys.add(key);
  return keys;
}

/** Positions in the chapter (of a citation, of its parts) do not change how it is formatted. */
const withoutPositions = (name: string, value: unknown) => (name === 'position' ? undefined : value);

/**
 * The entries part of the format key, by the bibliography object it was made from and the keys formatted: the
 * resolve and format steps keep that object while its files are unchanged, so a save that cites nothing new
 * does not write out every cited entry again (15 ms a save at 10×).
 */
const entriesWritten = new WeakMap<Bibliography, { keys: string; json: string }>();

function entriesJson(keys: string[], bibliography: Bibliography): string {
  const joined = keys.join('\u0000');
  const known = entriesWritten.get(bibliography);
  if (known?.keys === joined) return known.json;
  const entries = keys.map((key) => {
    const entry = bibliography.entries.get(key);
    // The BibTeX Pandoc is given by its hash: the file's @strings would be written out once per entry.
    return entry ? [key, entry.item, entry.pandoc ?? null, entry.pandocBibtex?.hash ?? null, entry.file, entry.line, entry.column] : [key];
  });
  const json = JSON.stringify(entries, withoutPositions);
  entriesWritten.set(bibliography, { keys: joined, json });
  return json;
}

/** Everything that decides the formatted citations: the code (and Typst syntax), the style, the entries cited and how. */
function formatKey(uses: CitationUse[], bibliography: Bibliography, options: FormatOptions): string {
  const nocite = options.nocite.map((k) => k.replace(/^@/, ''));
  const entries = entriesJson([...keysToFormat(uses, bibliography, options)].sort(), bibliography);
  const citations = uses.map((use) => [use.id, use.noteIndex, use.inFootnote, use.opensNote ?? false, use.node.bracketed, use.node.items]);
  const cited = JSON.stringify(citations, withoutPositions);
  return cacheKey(['format', 'core'], options.style.xml, options.lang, options.linkCitations, nocite, entries, cited);
}
