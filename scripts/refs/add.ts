// Adding entries to the thesis's own bibliography: the one piece of code
// `refs add` and the language server's "add this reference" share. It
// decides which file is written (only a .bib inside the thesis folder: a
// Zotero export the user allowed is Zotero's to write), which key each entry
// gets, and which entries are likely duplicates; the caller reports.
import fs from 'node:fs';
import path from 'node:path';
import { isInside } from '../core/containment.js';
import { diagnostic, hasErrors, type Diagnostic } from '../core/diagnostics.js';
import type { Analysis } from '../pipeline.js';
import type { CslItem } from '../resolve/csl-item.js';
import { defaultKeyPattern, keyFromPattern, uniqueKey } from './citation-keys.js';
import { withEntriesAppended, writeWithBackup } from './edit.js';
import { readSnippet } from './import.js';
import { duplicateSignatures } from './rules.js';

export interface AddedEntry {
  key: string;
  item: CslItem;
  /** Why the key is not the one the entry came with, or ''. */
  note: string;
}

export type AddOutcome =
  | { ok: true; bibFile: string; named: boolean; added: AddedEntry[]; problems: Diagnostic[] }
  | { ok: false; problems: Diagnostic[] };

/** The .bib file entries are added to, or why none may be written. */
export function bibliographyToWrite(analysis: Analysis): { file: string; named: boolean } | { refused: Diagnostic } {
  const target = analysis.project.bibliographyFiles.find((file) => file.endsWith('.bib') && isInside(file, [analysis.project.dir])) ?? null;
  if (!target && analysis.project.bibliographyFiles.some((file) => !isInside(file, [analysis.project.dir]))) {
    return {
      refused: diagnostic(
        'bib-unreadable',
        "the bibliography is outside the thesis folder (Zotero's export?), which refs add never writes: add the source in Zotero, or name a .bib file of the thesis's own under `bibliography:` in thesis.yaml",
        { file: analysis.project.configFile, ...analysis.project.lineOf(['bibliography']) },
      ),
    };
  }
  return target ? { file: target, named: true } : { file: path.join(analysis.project.layout.bibliographyDir, 'references.bib'), named: false };
}

/**
 * Reads `text` (BibTeX, RIS or CSL-JSON) and appends its entries to the
 * thesis's .bib file. `keys`: each entry keeps the key it came with
 * ('kept'), or gets one from `key-pattern` ('looked-up': a record from a
 * service has no key of its own; 'rekeyed': the user asked, and is told);
 * a key already taken gets a letter; a likely duplicate is left out unless
 * `force`.
 */
export function addToBibliography(analysis: Analysis, text: string, origin: string, options: { keys: 'kept' | 'looked-up' | 'rekeyed'; force?: boolean }): AddOutcome {
  const destination = bibliographyToWrite(analysis);
  if ('refused' in destination) return { ok: false, problems: [destination.refused] };
  const { entries: incoming, diagnostics: problems } = readSnippet(text, origin);
  if (hasErrors(problems) || incoming.length === 0) return { ok: false, problems: problems.length ? problems : [diagnostic('bib-syntax', 'no entries found in the input', { file: origin, line: 1, column: 1 })] };

  const existing = [...analysis.bibliography.entries.values()];
  const signatures = new Map(existing.flatMap((entry) => duplicateSignatures(entry.item).map((s) => [s, entry] as const)));
  const taken = new Set(existing.map((e) => e.key.toLowerCase()));
  const pattern = analysis.project.config['key-pattern'] ?? defaultKeyPattern;
  const added: (AddedEntry & { text: string })[] = [];
  for (const entry of incoming) {
    const duplicate = duplicateSignatures(entry.item).map((s) => signatures.get(s)).find(Boolean);
    if (duplicate && !options.force) {
      problems.push(
        diagnostic('bib-likely-duplicate', `not added: "${entry.item.title ?? 'entry'}" looks like "${duplicate.key}", already in the bibliography; use --force to add it anyway`, { file: duplicate.file, line: duplicate.line, column: duplicate.column }, { severity: 'error' }),
      );
      continue;
    }
    const own = options.keys === 'kept' ? entry.key : undefined;
    let base: string;
    try {
      base = own ?? keyFromPattern(pattern, entry.item);
    } catch (error) {
      return { ok: false, problems: [diagnostic('config-invalid', `key-pattern "${pattern}": ${(error as Error).message}`, { file: analysis.project.configFile, ...analysis.project.lineOf(['key-pattern']) })] };
    }
    const key = uniqueKey(base, (k) => taken.has(k.toLowerCase()));
    taken.add(key.toLowerCase());
    const note = own && key !== own ? ` (its key ${own} is another entry's: added as ${key})` : options.keys === 'rekeyed' && entry.key && entry.key !== key ? ` (was ${entry.key}; --rekey)` : '';
    added.push({ key, text: entry.toBibtex(key), item: entry.item, note });
  }
  if (added.length) {
    const current = fs.existsSync(destination.file) ? fs.readFileSync(destination.file, 'utf8') : '';
    writeWithBackup(destination.file, withEntriesAppended(current, added.map((a) => a.text)));
  }
  return { ok: true, bibFile: destination.file, named: destination.named, added: added.map(({ key, item, note }) => ({ key, item, note })), problems };
}
