// English grammar and style hints from Harper (harper.js: Automattic's
// offline checker, Rust compiled to WebAssembly): articles ("an test"),
// repeated words, they're/their/there, agreement, and the like. Optional:
// harper.js is 72 MB installed, so the toolchain loads it only when it is
// there (`npm install harper.js`; this repository has it for its tests), and
// without it there are no grammar hints and nothing else changes.
//
// Only prose is checked, as with spelling: Harper gets the chapter as plain
// text in which only the English prose is left where it stands and all else
// (Markdown syntax, code, math, citations, cross-references, raw TeX and
// HTML, passages in another language) is spaces, so offsets stay those of
// the file; a hint that reaches outside the prose is dropped. Harper's own spelling is off (report/spelling.ts
// checks spelling with the thesis's dictionaries and word list).
import type { Nodes, Root } from 'mdast';
import { diagnostic, lineIndex, type Diagnostic } from '../core/diagnostics.js';
import { languageOf } from '../core/language.js';

interface HarperLint {
  span(): { start: number; end: number };
  message(): string;
  lint_kind(): string;
  suggestions(): { get_replacement_text(): string }[];
}

interface HarperLinter {
  setup(): Promise<void>;
  lint(text: string, options?: { language?: 'markdown' | 'plaintext' }): Promise<HarperLint[]>;
  getDefaultLintConfig(): Promise<Record<string, boolean | null>>;
  setLintConfig(config: Record<string, boolean | null>): Promise<void>;
}

/** Nodes whose text is not prose Harper should see. */
const notProse = new Set(['code', 'inlineCode', 'math', 'inlineMath', 'displayMath', 'html', 'yaml', 'cite', 'citeKey', 'crossref', 'footnoteReference', 'image', 'imageReference', 'definition', 'rawLatex', 'rawLatexBlock', 'glossaryTerm', 'table']);

/** Harper's rules that are not grammar, or that the toolchain does otherwise. */
const OFF = ['SpellCheck', 'SpelledNumbers', 'Spaces', 'LongSentences', 'SentenceCapitalization', 'Misspell'];

const linters = new Map<string, Promise<HarperLinter | null>>();

/** Harper for an English dialect, set up once per process; null when harper.js is not installed. */
function linterFor(region: string | null): Promise<HarperLinter | null> {
  const dialectName = region === 'GB' || region === 'IE' || region === 'NZ' || region === 'ZA' || region === 'IN' ? 'British' : region === 'AU' ? 'Australian' : region === 'CA' ? 'Canadian' : 'American';
  let linter = linters.get(dialectName);
  if (!linter) {
    linter = (async () => {
      try {
        const harper = (await import('harper.js')) as unknown as { LocalLinter: new (init: { binary: unknown; dialect: number }) => HarperLinter; Dialect: Record<string, number> };
        const { binary } = (await import('harper.js/binary')) as { binary: unknown };
        const made = new harper.LocalLinter({ binary, dialect: harper.Dialect[dialectName] });
        await made.setup();
        const config = await made.getDefaultLintConfig();
        for (const rule of OFF) if (rule in config) config[rule] = false;
        await made.setLintConfig(config);
        return made;
      } catch {
        return null;
      }
    })();
    linters.set(dialectName, linter);
  }
  return linter;
}

/** Whether grammar hints can be given here (harper.js installed and loadable). */
export async function grammarAvailable(): Promise<boolean> {
  return (await linterFor(null)) !== null;
}

/**
 * The chapter's source with only its English prose kept: the text nodes'
 * characters stay where they are, everything else (Markdown syntax, code,
 * math, citations, passages in another language) becomes spaces, line
 * breaks kept. `kept` is what stayed, as [start, end) offsets.
 */
function proseOnly(source: string, tree: Root, lang: string): { text: string; kept: [number, number][] } {
  const kept: [number, number][] = [];
  const walk = (node: Nodes, english: boolean) => {
    if (notProse.has(node.type)) return;
    const own = (node as { attributes?: { keyValues?: Record<string, string> } }).attributes?.keyValues?.lang ?? (node as { data?: { hProperties?: { lang?: string } } }).data?.hProperties?.lang;
    const here = typeof own === 'string' && own ? languageOf(own).code === 'en' : english;
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    // A text node's value is its source when the source is as long (no escapes, no entities).
    if (node.type === 'text' && here && start !== undefined && end !== undefined && end - start === node.value.length) kept.push([start, end]);
    if ('children' in node) for (const child of node.children as Nodes[]) walk(child, here);
  };
  walk(tree, languageOf(lang).code === 'en');
  const chars = source.replace(/[^\n]/g, ' ').split('');
  for (const [start, end] of kept) for (let i = start; i < end; i++) chars[i] = source[i];
  return { text: chars.join(''), kept };
}

/** Whether [start, end) lies in kept text, allowing the spaces between two kept pieces on one line. */
function insideProse(kept: [number, number][], start: number, end: number): boolean {
  const first = kept.findIndex(([from, to]) => start >= from && start < to);
  if (first < 0) return false;
  for (let i = first; i < kept.length; i++) if (end <= kept[i][1]) return true;
  return false;
}

/** Grammar hints for one chapter, in its file's lines and UTF-16 columns; [] for a thesis not in English or without harper.js. */
export async function grammarDiagnostics(file: string, source: string, tree: Root, lang: string): Promise<Diagnostic[]> {
  const language = languageOf(lang);
  const english = language.code === 'en';
  // A thesis in another language may still hold English passages; they are checked too.
  const { text, kept } = proseOnly(source, tree, lang);
  if (!english && !/[^\s]/.test(text)) return [];
  const linter = await linterFor(language.region ?? null);
  if (!linter) return [];
  const lints = await linter.lint(text, { language: 'plaintext' });
  const place = lineIndex(source);
  const out: Diagnostic[] = [];
  for (const lint of lints) {
    if (lint.lint_kind() === 'Spelling') continue;
    const span = lint.span();
    // Harper's spans count UTF-16 units, as the file's columns do (measured: an emoji counts 2).
    const start = span.start;
    const end = span.end;
    // Only hints wholly inside prose: one that reaches into a citation or code is about text Harper did not see.
    if (!insideProse(kept, start, end)) continue;
    // Harper offers some replacements twice, with and without a space after them; the space is
    // kept only where the replaced text has one (else the fix would leave two).
    const actual = source.slice(start, end);
    const fit = (replacement: string) => (/\s$/.test(actual) ? replacement : replacement.trimEnd());
    const suggestions = [...new Set(lint.suggestions().map((suggestion) => fit(suggestion.get_replacement_text())).filter((replacement) => replacement.trim() !== ''))];
    const at = place(start);
    const to = place(end);
    out.push(diagnostic('grammar', lint.message(), { file, ...at, end: { line: to.line, column: to.column } }, { actual, ...(suggestions.length ? { expected: suggestions.slice(0, 4) } : {}) }));
  }
  return out;
}
