// Formatted citations survive between processes in dist/.cache, keyed by
// everything that decides them (style, locale, options, the cited entries as
// data and where they are, every citation as written). A build that changed
// prose but no citation skips the citation processor altogether.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Bibliography } from '../resolve/bibliography.js';
import type { CitationUse } from '../resolve/citations.js';
import { codeHash } from '../code-hash.js';
import { writeFileAtomic } from '../write-atomic.js';
import type { FormatOptions, FormattedCitations } from './citeproc.js';

interface CacheFile {
  key: string;
  citations: [string, string][];
  references: FormattedCitations['references'];
  hangingIndent: boolean;
  diagnostics: FormattedCitations['diagnostics'];
}

/** Where a project's formatted citations are kept. */
export function citationCacheFile(projectDir: string): string {
  return path.join(projectDir, 'dist', '.cache', 'citations.json');
}

export function formatKey(uses: CitationUse[], bibliography: Bibliography, options: FormatOptions): string {
  const keys = new Set(uses.flatMap((use) => use.node.items.map((item) => item.key)));
  const nocite = options.nocite.map((k) => k.replace(/^@/, ''));
  for (const key of nocite.includes('*') ? bibliography.entries.keys() : nocite) keys.add(key);
  const entries = [...keys].sort().map((key) => {
    const entry = bibliography.entries.get(key);
    return entry ? [key, entry.item, entry.file, entry.line, entry.column] : [key];
  });
  const citations = uses.map((use) => [use.id, use.noteIndex, use.node.bracketed, use.node.items]);
  const hash = crypto.createHash('sha256');
  // The formatting code itself is part of the key: a changed toolchain never serves stale output.
  hash.update(codeHash(['format', 'render']));
  hash.update(JSON.stringify([options.style.xml, options.lang, options.linkCitations, nocite]));
  // Positions of the citation in the chapter do not change its formatting.
  hash.update(JSON.stringify([entries, citations], (name, value) => (name === 'position' ? undefined : value)));
  return hash.digest('hex');
}

export function readFormatCache(file: string, key: string): FormattedCitations | null {
  try {
    const cached = JSON.parse(fs.readFileSync(file, 'utf8')) as CacheFile;
    if (cached.key !== key) return null;
    return { citations: new Map(cached.citations), references: cached.references, hangingIndent: cached.hangingIndent, diagnostics: cached.diagnostics };
  } catch {
    return null;
  }
}

export function writeFormatCache(file: string, key: string, formatted: FormattedCitations): void {
  const data: CacheFile = { key, citations: [...formatted.citations], references: formatted.references, hangingIndent: formatted.hangingIndent, diagnostics: formatted.diagnostics };
  try {
    writeFileAtomic(file, JSON.stringify(data));
  } catch {
    // Only a cache: a read-only dist/ costs time, nothing else.
  }
}

/**
 * Whether the formatted citations on disk are probably out of date: missing,
 * or older than a file in thesis/ or bibliography/ (or one of `alsoFiles`).
 * Only decides whether to build a citation engine ahead of time.
 */
export function citationCacheStale(projectDir: string, alsoFiles: string[] = []): boolean {
  const cached = mtime(citationCacheFile(projectDir));
  if (cached === null) return true;
  const newer = (file: string) => (mtime(file) ?? Infinity) > cached;
  const walk = (dir: string): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : newer(path.join(dir, entry.name))));
  };
  return walk(path.join(projectDir, 'thesis')) || walk(path.join(projectDir, 'bibliography')) || alsoFiles.some(newer);
}

function mtime(file: string): number | null {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return null;
  }
}
