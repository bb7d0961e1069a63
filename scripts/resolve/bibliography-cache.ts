// The loaded bibliography in dist/.cache, keyed by each file's size and
// mtime and by the loader's code: a build whose .bib did not change skips
// parsing it (a 5,000-entry file takes citation-js about half a second).
import fs from 'node:fs';
import { writeFileAtomic } from '../write-atomic.js';
import type { BibEntry, Bibliography } from './bibliography.js';

interface CacheFile {
  key: string;
  entries: BibEntry[];
  diagnostics: Bibliography['diagnostics'];
}

export function readBibliographyCache(file: string, key: string, files: string[]): Bibliography | null {
  try {
    const cached = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
    if (cached.key !== key) return null;
    // The texts are read again: edits (refs add, rename) need every byte as it is now.
    const sources = new Map(files.filter((f) => fs.existsSync(f)).map((f) => [f, fs.readFileSync(f, 'utf8')] as const));
    return { entries: new Map(cached.entries.map((entry) => [entry.key, entry])), files, sources, diagnostics: cached.diagnostics };
  } catch {
    return null;
  }
}

export function writeBibliographyCache(file: string, key: string, bibliography: Bibliography): void {
  const data: CacheFile = { key, entries: [...bibliography.entries.values()], diagnostics: bibliography.diagnostics };
  try {
    writeFileAtomic(file, JSON.stringify(data));
  } catch {
    // Only a cache.
  }
}
