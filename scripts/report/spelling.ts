// Spelling as the writer types, in the thesis's language and in each passage
// marked with another (`::: {lang=de-AT}`, `[Wort]{lang=de}`): Hunspell
// dictionaries from npm (the unified collective's `dictionary-en`,
// `dictionary-en-gb`, `dictionary-de`, `dictionary-de-at`), checked with
// nspell. Only prose is checked: citation keys, labels, code, math, URLs,
// raw TeX and HTML, glossary terms and the project's own words
// (`thesis/words.txt`, one a line) never are; nor are words with digits,
// abbreviations in capitals, or a single letter. A language with no
// dictionary is not checked.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Nodes, Root } from 'mdast';
import nspell from 'nspell';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import { languageOf } from '../core/language.js';

const require = createRequire(import.meta.url);

/** The dictionary package for a language tag, or null. */
function dictionaryFor(tag: string): string | null {
  const language = languageOf(tag);
  if (language.code === 'en') return language.region && ['GB', 'IE', 'AU', 'NZ', 'ZA', 'IN'].includes(language.region) ? 'dictionary-en-gb' : 'dictionary-en';
  if (language.code === 'de') return language.region === 'AT' ? 'dictionary-de-at' : 'dictionary-de';
  return null;
}

const checkers = new Map<string, ReturnType<typeof nspell> | null>();

/** The spell checker for a language, made once per process (a dictionary takes a moment to load). */
export function checkerFor(tag: string): ReturnType<typeof nspell> | null {
  const name = dictionaryFor(tag);
  if (!name) return null;
  if (!checkers.has(name)) {
    try {
      // The packages export only their index.js (which reads the files at import): the files beside it are read here.
      const dir = path.dirname(require.resolve(name));
      checkers.set(name, nspell({ aff: fs.readFileSync(path.join(dir, 'index.aff')), dic: fs.readFileSync(path.join(dir, 'index.dic')) }));
    } catch {
      checkers.set(name, null);
    }
  }
  return checkers.get(name) ?? null;
}

/** The project's own words: `thesis/words.txt`, one a line (`#` starts a comment). */
export function projectWords(text: string | null): Set<string> {
  return new Set((text ?? '').split(/\r?\n/).map((line) => line.replace(/#.*/, '').trim()).filter(Boolean));
}

/** Nodes whose text is not prose to check. */
const notProse = new Set(['code', 'inlineCode', 'math', 'inlineMath', 'displayMath', 'html', 'yaml', 'cite', 'citeKey', 'crossref', 'footnoteReference', 'image', 'imageReference', 'definition', 'rawLatex', 'rawLatexBlock', 'glossaryTerm', 'lineBreak']);

/** A word as written: letters and digits (a word with a digit in it, covid19, is not looked up). */
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** Whether a word is one to look up at all. */
function checkable(word: string): boolean {
  if (word.length < 2 || /\p{N}/u.test(word)) return false;
  // Abbreviations (SCS, PRC) and words in scripts with no dictionary here (社会).
  if (word === word.toUpperCase()) return false;
  return /^[\p{Script=Latin}'’]+$/u.test(word);
}

export interface SpellingOptions {
  lang: string;
  /** Words never flagged: the project's word list, the glossary's short and long forms. */
  known: ReadonlySet<string>;
}

/** Misspelled words in one chapter, each at its line and column, with the word as `actual`. */
export function spellingDiagnostics(file: string, tree: Root, options: SpellingOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const known = new Set([...options.known].map((word) => word.toLowerCase()));
  const walk = (node: Nodes, lang: string) => {
    if (notProse.has(node.type)) return;
    const own = (node as { attributes?: { keyValues?: Record<string, string> } }).attributes?.keyValues?.lang ?? (node as { data?: { hProperties?: { lang?: string } } }).data?.hProperties?.lang;
    const here = typeof own === 'string' && own ? own : lang;
    if (node.type === 'link' && /^(https?:|mailto:|www\.)/.test(node.children.length === 1 && node.children[0].type === 'text' ? node.children[0].value : '')) return;
    if (node.type === 'text') {
      const checker = checkerFor(here);
      const start = node.position?.start;
      if (!checker || !start) return;
      for (const match of node.value.matchAll(WORD)) {
        const word = match[0].replace(/’/g, "'");
        if (!checkable(word) || known.has(word.toLowerCase()) || checker.correct(word)) continue;
        // A word that starts a sentence in capitals is spelled like its lower-case form.
        if (word[0] !== word[0].toLowerCase() && checker.correct(word[0].toLowerCase() + word.slice(1))) continue;
        const before = node.value.slice(0, match.index).split('\n');
        const line = start.line + before.length - 1;
        const column = before.length === 1 ? start.column + match.index : before[before.length - 1].length + 1;
        out.push(diagnostic('spelling', `"${match[0]}" is not in the ${languageOf(here).tag} dictionary; correct it, or add it to thesis/words.txt`, { file, line, column, end: { line, column: column + match[0].length } }, { actual: match[0] }));
      }
      return;
    }
    if ('children' in node) for (const child of node.children as Nodes[]) walk(child, here);
  };
  walk(tree, options.lang);
  return out;
}

/**
 * Words a thesis uses that no dictionary has and that are not mistakes: the
 * project's word list, the glossary's forms, and the names of the
 * bibliography's authors and editors (Foucault, Luxon), which prose names.
 */
export function knownWords(analysis: { project: { config: { glossary: Record<string, { short: string; long: string }> } }; bibliography: { entries: ReadonlyMap<string, { item: { author?: { family?: string; literal?: string }[]; editor?: { family?: string; literal?: string }[] } }> } }, wordList: string | null): Set<string> {
  const known = projectWords(wordList);
  const addWords = (text: string | undefined) => {
    for (const match of (text ?? '').matchAll(WORD)) known.add(match[0].replace(/’/g, "'"));
  };
  for (const entry of Object.values(analysis.project.config.glossary)) {
    addWords(entry.short);
    addWords(entry.long);
  }
  for (const entry of analysis.bibliography.entries.values()) for (const name of [...(entry.item.author ?? []), ...(entry.item.editor ?? [])]) addWords(name.family ?? name.literal);
  return known;
}

/** Where the project's word list is. */
export function wordListFile(thesisDir: string): string {
  return path.join(thesisDir, 'words.txt');
}
