// Changes to the writer's own files: only the bytes asked for change, the
// previous version is kept as `<file>.bak`, and the new one is written to a
// temporary file and renamed into place.
import fs from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Nodes, Root } from 'mdast';
import { readEntryLayout, unwrapValue } from '../resolve/bibtex-fields.js';
import type { BibEntry } from '../resolve/bibliography.js';
import { writeFileAtomic } from '../core/write-atomic.js';
import { isExampleReference } from '../parse/fancy-lists.js';

export function writeWithBackup(file: string, text: string): void {
  if (fs.existsSync(file)) writeFileAtomic(`${file}.bak`, fs.readFileSync(file));
  writeFileAtomic(file, text);
}

/** The file with the entries added at the end, separated by a blank line. */
export function withEntriesAppended(text: string, entries: string[]): string {
  const base = text === '' ? '' : text.endsWith('\n') ? text : text + '\n';
  return base + entries.map((entry) => (base === '' ? '' : '\n') + entry).join('');
}

interface Replacement {
  start: number;
  end: number;
  text: string;
}

function applyReplacements(text: string, replacements: Replacement[]): string {
  let out = text;
  for (const r of [...replacements].sort((a, b) => b.start - a.start)) out = out.slice(0, r.start) + r.text + out.slice(r.end);
  return out;
}

/** A key renamed in a BibTeX file: the entry's key and every crossref/xdata pointing at it. */
export function renameInBibtex(text: string, entries: BibEntry[], oldKey: string, newKey: string): string {
  const replacements: Replacement[] = [];
  for (const entry of entries) {
    const start = entry.range[0];
    const layout = readEntryLayout(text.slice(start, entry.range[1]));
    if (!layout) continue;
    if (entry.key === oldKey) replacements.push({ start: start + layout.keyOffset, end: start + layout.keyOffset + layout.key.length, text: newKey });
    for (const field of layout.fields) {
      if (field.name !== 'crossref' && field.name !== 'xdata') continue;
      const keys = unwrapValue(field.raw).split(',').map((k) => k.trim());
      if (!keys.includes(oldKey)) continue;
      const renamed = field.raw.replace(new RegExp(`(^|[{",\\s])${oldKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[}",\\s]|$)`), `$1${newKey}`);
      replacements.push({ start: start + field.valueOffset, end: start + field.valueOffset + field.raw.length, text: renamed });
    }
  }
  return applyReplacements(text, replacements);
}

/** A key renamed in a chapter: exactly the citations of it, nothing else. */
export function renameInChapter(source: string, tree: Root, oldKey: string, newKey: string): { text: string; count: number } {
  const replacements: Replacement[] = [];
  const bare = /^[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*$/u.test(newKey);
  const walk = (node: Nodes) => {
    if (node.type === 'cite' && !isExampleReference(node)) {
      for (const item of node.items) {
        const start = item.position?.start.offset;
        const end = item.position?.end.offset;
        if (item.key !== oldKey || start === undefined || end === undefined) continue;
        replacements.push({ start, end, text: bare ? `@${newKey}` : `@{${newKey}}` });
      }
    }
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(tree);
  return { text: applyReplacements(source, replacements), count: replacements.length };
}

/**
 * thesis.yaml with a key renamed where it names one: the milestones' `cite:`
 * lists and `nocite` (`key` or `@key`). Only those scalars' bytes change;
 * comments, quoting and layout stay as written.
 */
export function renameInConfig(text: string, oldKey: string, newKey: string): { text: string; count: number } {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const edits: [number, number, string][] = [];
  const visitScalar = (node: unknown, withAt: boolean) => {
    if (!isScalar(node) || !node.range || typeof node.value !== 'string') return;
    const value = node.value;
    const bare = withAt && value.startsWith('@') ? value.slice(1) : value;
    if (bare !== oldKey) return;
    const written = text.slice(node.range[0], node.range[1]);
    edits.push([node.range[0], node.range[1], written.replace(oldKey, newKey)]);
  };
  const milestones = doc.get('milestones', true);
  if (isSeq(milestones)) {
    for (const milestone of milestones.items) {
      const cite = isMap(milestone) ? milestone.get('cite', true) : undefined;
      if (isSeq(cite)) cite.items.forEach((item) => visitScalar(item, false));
    }
  }
  const nocite = doc.get('nocite', true);
  if (isSeq(nocite)) nocite.items.forEach((item) => visitScalar(item, true));
  else visitScalar(nocite, true);
  let out = text;
  for (const [start, end, replacement] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + replacement + out.slice(end);
  return { text: out, count: edits.length };
}
