// `thesis lsp`: the thesis in the editor's own language, the Language Server
// Protocol over stdio (vscode-languageserver). It works on the text the
// editor holds, saved or not: open documents overlay the files, and after
// each change (debounced) the steps up to Typst run on the thesis the file
// belongs to (no PDF), giving the diagnostics a build would give. From the
// same run: completion of citation keys, labels and glossary terms; hover
// with the formatted reference; go to definition, find references, rename
// (a citation key as `refs rename` renames it, a label with its uses); the
// heading outline; code actions from the suggestions diagnostics carry.
//
// Positions: the protocol counts UTF-16 code units from 0; the parser counts
// columns in UTF-16 code units from 1, lines from 1.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  MarkupKind,
  ProposedFeatures,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type Location,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../core/diagnostics.js';
import { findThesisFolder } from '../core/thesis-folder.js';
import { allowedFolders } from '../core/allowed-folders.js';
import { BibtexAsPandocReads } from '../format/bibtex-as-pandoc-reads.js';
import { formatReferenceList } from '../format/references.js';
import { ProjectLayout } from '../core/layout.js';
import { parseChapter } from '../parse/markdown.js';
import { ThesisBuild, type Analysis } from '../pipeline.js';
import { renameInBibtex, renameInChapter, renameInConfig } from '../refs/edit.js';
import type { BibEntry } from '../resolve/bibliography.js';
import { ThesisIndex, type Place } from './thesis-index.js';
import { configCompletion } from './config-completion.js';
import { checkerFor, knownWords, spellingDiagnostics, wordListFile } from '../report/spelling.js';

/** Quiet time after a keystroke before the steps run again. */
const DEBOUNCE_MS = 120;

const uriOf = (file: string) => pathToFileURL(file).href;
const fileOf = (uri: string) => {
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
};

function rangeOf(place: { line: number; column: number; end?: { line: number; column: number } }, fallbackLength = 0): Range {
  const start = { line: Math.max(0, place.line - 1), character: Math.max(0, place.column - 1) };
  const end = place.end ? { line: Math.max(0, place.end.line - 1), character: Math.max(0, place.end.column - 1) } : { line: start.line, character: start.character + fallbackLength };
  return { start, end };
}

/** A citation key as Pandoc reads one after `@`. */
const KEY = /[\p{L}\p{N}_][\p{L}\p{N}_:.#$%&+?<>~/-]*/u;

/** One thesis folder: its build (kept: caches and Pandoc stay warm) and the index of its last run. */
class ThesisState {
  readonly build: ThesisBuild;
  index: ThesisIndex | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Files whose diagnostics were last published, so cleared ones are published empty. */
  published = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly overlay: Map<string, string>,
    allow: readonly string[],
  ) {
    this.build = new ThesisBuild(dir, { overlay, allow });
  }

  /** Runs the steps again after a quiet time; `then` gets the new index. */
  schedule(then: (index: ThesisIndex) => void): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      then(this.refresh());
    }, DEBOUNCE_MS);
  }

  refresh(): ThesisIndex {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const result = this.build.run({ until: 'render', preview: true });
    this.index = new ThesisIndex(result.analysis, [...result.diagnostics, ...this.spelling(result.analysis)]);
    return this.index;
  }

  /** The chapters' spelling, with the project's word list as the editor holds it. */
  private spelling(analysis: Analysis | undefined): Diagnostic[] {
    if (!analysis) return [];
    const listFile = wordListFile(analysis.project.layout.thesisDir);
    const list = this.overlay.get(listFile) ?? (fs.existsSync(listFile) ? fs.readFileSync(listFile, 'utf8') : null);
    const known = knownWords(analysis, list);
    return analysis.chapters.flatMap((chapter) => spellingDiagnostics(chapter.file, chapter.tree, { lang: analysis.project.config.lang, known }));
  }

  current(): ThesisIndex {
    return this.timer || !this.index ? this.refresh() : this.index;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

export function startLanguageServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  /** The open documents' texts by file path: what the steps read instead of the files. */
  const overlay = new Map<string, string>();
  const theses = new Map<string, ThesisState>();
  const allow = allowedFolders([], process.env, process.cwd()).folders;

  const thesisOf = (file: string): ThesisState | null => {
    const dir = findThesisFolder(path.dirname(file));
    if (!dir) return null;
    let state = theses.get(dir);
    if (!state) {
      state = new ThesisState(dir, overlay, allow);
      theses.set(dir, state);
    }
    return state;
  };

  const publish = (state: ThesisState, index: ThesisIndex) => {
    const files = new Set([...index.diagnostics.keys(), ...state.published]);
    for (const file of files) {
      const diagnostics = (index.diagnostics.get(file) ?? []).map(toLspDiagnostic);
      void connection.sendDiagnostics({ uri: uriOf(file), diagnostics });
    }
    state.published = new Set(index.diagnostics.keys());
  };

  const changed = (uri: string) => {
    const file = fileOf(uri);
    if (!file) return;
    const document = documents.get(uri);
    if (document) overlay.set(file, document.getText());
    else overlay.delete(file);
    const state = thesisOf(file);
    state?.schedule((index) => publish(state, index));
  };

  documents.onDidOpen((event) => changed(event.document.uri));
  documents.onDidChangeContent((event) => changed(event.document.uri));
  documents.onDidClose((event) => changed(event.document.uri));

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: ['@', '[', ':', '+'], resolveProvider: true },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
    },
    serverInfo: { name: 'thesis', version: '1' },
  }));

  /** The thesis, its index and the document's text at a request's position. */
  const at = (uri: string, position: Position) => {
    const file = fileOf(uri);
    const document = documents.get(uri);
    if (!file || !document) return null;
    const state = thesisOf(file);
    if (!state) return null;
    const index = state.current();
    const line = document.getText({ start: { line: position.line, character: 0 }, end: { line: position.line + 1, character: 0 } }).replace(/\r?\n$/, '');
    return { file, document, state, index, line, character: position.character };
  };

  /** The key or label under the cursor: `@key`, `[+term]`. */
  const wordAt = (line: string, character: number): { kind: 'key' | 'glossary'; name: string; start: number; end: number } | null => {
    for (const match of line.matchAll(new RegExp(`@(${KEY.source})`, 'gu'))) {
      const start = match.index;
      const name = match[1].replace(/[:.#$%&+?<>~/-]+$/, '');
      if (character >= start && character <= start + 1 + name.length) return { kind: 'key', name, start: start + 1, end: start + 1 + name.length };
    }
    for (const match of line.matchAll(/\[\+([A-Za-z][\w-]*)\]/g)) {
      if (character >= match.index && character <= match.index + match[0].length) return { kind: 'glossary', name: match[1].toLowerCase(), start: match.index + 2, end: match.index + 2 + match[1].length };
    }
    return null;
  };

  const entryOf = (index: ThesisIndex, key: string): BibEntry | undefined => index.analysis?.bibliography.entries.get(key);

  /** The entry formatted in the thesis's style (Markdown), as the reference list prints it. */
  const formatted = (state: ThesisState, key: string): string | null => {
    const analysis = state.index?.analysis;
    if (!analysis?.style) return null;
    try {
      const read = new BibtexAsPandocReads(new ProjectLayout(state.dir)).read(analysis.bibliography, [key], analysis.project.config.lang);
      return formatReferenceList(read.bibliography, [key], analysis.style, analysis.project.config.lang, 'markdown')[0] ?? null;
    } catch {
      return null;
    }
  };

  connection.onCompletion((params) => {
    const found = at(params.textDocument.uri, params.position);
    if (found && path.basename(found.file) === 'thesis.yaml' && path.basename(path.dirname(found.file)) === 'thesis') {
      return configCompletion(found.document.getText(), params.position.line, params.position.character, path.dirname(found.file));
    }
    if (!found?.index.analysis) return [];
    const before = found.line.slice(0, found.character);
    const glossary = /\[\+([\w-]*)$/.exec(before);
    if (glossary) {
      return Object.entries(found.index.analysis.project.config.glossary).map(([key, entry]): CompletionItem => ({ label: key, kind: CompletionItemKind.Constant, detail: `${entry.short}: ${entry.long}` }));
    }
    const typed = new RegExp(`(?:^|[^\\p{L}\\p{N}_])@(${KEY.source})?$`, 'u').exec(before);
    if (!typed) return [];
    const prefix = typed[1] ?? '';
    const crossref = /^(fig|tbl|sec|eq|lst):/.exec(prefix);
    if (crossref) {
      return [...found.index.labels.values()]
        .filter((label) => label.label.startsWith(`${crossref[1]}:`))
        .map((label): CompletionItem => ({ label: label.label, kind: CompletionItemKind.Reference, detail: label.text }));
    }
    const words = prefix.toLowerCase();
    const items: CompletionItem[] = [];
    for (const entry of found.index.analysis.bibliography.entries.values()) {
      const names = [...(entry.item.author ?? []), ...(entry.item.editor ?? [])].map((name) => name.family ?? name.literal ?? '').join(' ');
      const year = String(entry.item.issued?.['date-parts']?.[0]?.[0] ?? '');
      const title = String(entry.item.title ?? '');
      const haystack = `${entry.key} ${names} ${title} ${year}`.toLowerCase();
      if (words && !haystack.includes(words)) continue;
      items.push({ label: entry.key, kind: CompletionItemKind.Reference, detail: `${names}${year ? ` (${year})` : ''}`, filterText: haystack, data: { key: entry.key, uri: params.textDocument.uri } });
    }
    for (const label of found.index.labels.values()) if (label.kind !== 'section' && label.label.startsWith(prefix)) items.push({ label: label.label, kind: CompletionItemKind.Reference, detail: label.text });
    return items;
  });

  connection.onCompletionResolve((item) => {
    const data = item.data as { key?: string; uri?: string } | undefined;
    const file = data?.uri ? fileOf(data.uri) : null;
    const state = file ? thesisOf(file) : null;
    if (data?.key && state) {
      const text = formatted(state, data.key);
      if (text) item.documentation = { kind: MarkupKind.Markdown, value: text };
    }
    return item;
  });

  connection.onHover((params) => {
    const found = at(params.textDocument.uri, params.position);
    const word = found && wordAt(found.line, found.character);
    if (!found || !word) return null;
    const range = { start: { line: params.position.line, character: word.start }, end: { line: params.position.line, character: word.end } };
    if (word.kind === 'glossary') {
      const entry = found.index.analysis?.project.config.glossary[word.name];
      return entry ? { contents: { kind: MarkupKind.Markdown, value: `**${entry.short}**: ${entry.long}${entry.description ? `\n\n${entry.description}` : ''}` }, range } : null;
    }
    const label = found.index.labels.get(word.name);
    if (label) return { contents: { kind: MarkupKind.Markdown, value: `${label.kind}${label.text ? `: ${label.text}` : ''}` }, range };
    if (!entryOf(found.index, word.name)) return null;
    const reference = formatted(found.state, word.name);
    const inText = found.index.citationTexts.get(`${found.file}:${params.position.line + 1}:${word.start}`) ?? found.index.citationTexts.get(`${found.file}:${params.position.line + 1}:${word.start + 1}`);
    return { contents: { kind: MarkupKind.Markdown, value: [inText ? `In the text: ${inText}` : '', reference ?? word.name].filter(Boolean).join('\n\n') }, range };
  });

  connection.onDefinition((params): Location | null => {
    const found = at(params.textDocument.uri, params.position);
    // A chapter named in thesis.yaml: its file.
    if (found && path.basename(found.file) === 'thesis.yaml') {
      const named = [...found.line.matchAll(/[^\s,[\]"']+\.md\b/g)].find((match) => found.character >= match.index && found.character <= match.index + match[0].length);
      const target = named && path.join(path.dirname(found.file), named[0]);
      return target && fs.existsSync(target) ? { uri: uriOf(target), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } } : null;
    }
    const word = found && wordAt(found.line, found.character);
    if (!found || !word) return null;
    if (word.kind === 'glossary') {
      const project = found.index.analysis?.project;
      if (!project?.configFile) return null;
      const place = project.glossaryPlace(word.name);
      return place.file && place.line ? { uri: uriOf(place.file), range: rangeOf({ line: place.line, column: place.column ?? 1 }) } : null;
    }
    const entry = entryOf(found.index, word.name);
    if (entry) return { uri: uriOf(entry.file), range: rangeOf({ line: entry.line, column: entry.column }, entry.key.length) };
    const label = found.index.labels.get(word.name);
    return label ? { uri: uriOf(label.place.file), range: rangeOf(label.place) } : null;
  });

  connection.onReferences((params): Location[] => {
    const found = at(params.textDocument.uri, params.position);
    const word = found && wordAt(found.line, found.character);
    if (!found || !word) return [];
    return (found.index.uses.get(word.name) ?? []).map((place) => ({ uri: uriOf(place.file), range: rangeOf(place, word.name.length + 1) }));
  });

  connection.onPrepareRename((params) => {
    const found = at(params.textDocument.uri, params.position);
    const word = found && wordAt(found.line, found.character);
    if (!found || !word || word.kind !== 'key') return null;
    if (!entryOf(found.index, word.name) && !found.index.labels.has(word.name)) return null;
    return { start: { line: params.position.line, character: word.start }, end: { line: params.position.line, character: word.end } };
  });

  connection.onRenameRequest((params): WorkspaceEdit | null => {
    const found = at(params.textDocument.uri, params.position);
    const word = found && wordAt(found.line, found.character);
    const analysis = found?.index.analysis;
    if (!found || !word || word.kind !== 'key' || !analysis) return null;
    const newName = params.newName.replace(/^@/, '');
    if (!/^[^\s,{}"#%'()=\\]+$/.test(newName)) return null;
    const changes: Record<string, TextEdit[]> = {};
    const current = (file: string) => overlay.get(file) ?? fs.readFileSync(file, 'utf8');
    const replaceWhole = (file: string, before: string, after: string) => {
      if (before === after) return;
      const lines = before.split('\n');
      changes[uriOf(file)] = [{ range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } }, newText: after }];
    };
    const entry = entryOf(found.index, word.name);
    if (entry) {
      // As `refs rename` renames: every chapter's citations, thesis.yaml's keys, the entry.
      for (const chapter of analysis.chapters) {
        const text = current(chapter.file);
        replaceWhole(chapter.file, text, renameInChapter(text, parseChapter(chapter.file, text).tree, word.name, newName).text);
      }
      if (analysis.project.configFile) {
        const text = current(analysis.project.configFile);
        replaceWhole(analysis.project.configFile, text, renameInConfig(text, word.name, newName).text);
      }
      const text = current(entry.file);
      const entries = [...analysis.bibliography.entries.values()].filter((e) => e.file === entry.file);
      replaceWhole(entry.file, text, entry.file.endsWith('.json') ? text.slice(0, entry.range[0]) + JSON.stringify(newName) + text.slice(entry.range[0] + JSON.stringify(word.name).length) : renameInBibtex(text, entries, word.name, newName));
      return { changes };
    }
    const label = found.index.labels.get(word.name);
    if (!label) return null;
    // A label: its `{#…}` where it is defined, and every `@label` that refers to it.
    const escaped = word.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const chapter of analysis.chapters) {
      const text = current(chapter.file);
      const after = text.replace(new RegExp(`([{\\s]#|@)${escaped}(?![\\p{L}\\p{N}_:-])`, 'gu'), (_, lead: string) => `${lead}${newName}`);
      replaceWhole(chapter.file, text, after);
    }
    return { changes };
  });

  connection.onCodeAction((params): CodeAction[] => {
    const actions: CodeAction[] = [];
    const file = fileOf(params.textDocument.uri);
    const state = file ? thesisOf(file) : null;
    for (const diagnostic of params.context.diagnostics) {
      if (diagnostic.code === 'spelling' && state?.index?.analysis) {
        const word = (diagnostic.data as { actual?: string } | undefined)?.actual ?? '';
        const checker = checkerFor(state.index.analysis.project.config.lang);
        for (const suggestion of (checker?.suggest(word) ?? []).slice(0, 4)) {
          actions.push({ title: `Change to "${suggestion}"`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [params.textDocument.uri]: [{ range: diagnostic.range, newText: suggestion }] } } });
        }
        const listFile = wordListFile(state.index.analysis.project.layout.thesisDir);
        const exists = overlay.has(listFile) || fs.existsSync(listFile);
        const listText = overlay.get(listFile) ?? (exists ? fs.readFileSync(listFile, 'utf8') : '');
        const lines = listText.split('\n');
        const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
        const addition = `${listText && !listText.endsWith('\n') ? '\n' : ''}${word}\n`;
        actions.push({
          title: `Add "${word}" to thesis/words.txt`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: {
            documentChanges: [
              ...(exists ? [] : [{ kind: 'create' as const, uri: uriOf(listFile), options: { ignoreIfExists: true } }]),
              { textDocument: { uri: uriOf(listFile), version: null }, edits: [{ range: { start: end, end }, newText: addition }] },
            ],
          },
        });
        continue;
      }
      const data = diagnostic.data as { expected?: string[]; actual?: string } | undefined;
      for (const replacement of data?.expected ?? []) {
        actions.push({
          title: `Change to "${replacement}"`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [params.textDocument.uri]: [{ range: diagnostic.range, newText: data?.actual?.startsWith('@') ? `@${replacement}` : replacement }] } },
        });
      }
    }
    return actions;
  });

  connection.onDocumentSymbol((params): DocumentSymbol[] => {
    const file = fileOf(params.textDocument.uri);
    const state = file ? thesisOf(file) : null;
    if (!file || !state) return [];
    const headings = state.current().headings.get(file) ?? [];
    // The outline: each heading holds the deeper ones after it.
    const roots: DocumentSymbol[] = [];
    const stack: { depth: number; symbol: DocumentSymbol }[] = [];
    for (const heading of headings) {
      const range = rangeOf(heading.place, heading.text.length + heading.depth + 1);
      const symbol: DocumentSymbol = { name: heading.text || '(empty heading)', kind: SymbolKind.String, range, selectionRange: range, children: [], ...(heading.id ? { detail: `#${heading.id}` } : {}) };
      while (stack.length && stack[stack.length - 1].depth >= heading.depth) stack.pop();
      (stack.length ? stack[stack.length - 1].symbol.children! : roots).push(symbol);
      stack.push({ depth: heading.depth, symbol });
    }
    return roots;
  });

  connection.onWorkspaceSymbol((params) => {
    const query = params.query.toLowerCase();
    const symbols = [];
    for (const state of theses.values()) {
      const index = state.current();
      for (const label of index.labels.values()) if (`${label.label} ${label.text}`.toLowerCase().includes(query)) symbols.push({ name: `${label.label}${label.text ? ` ${label.text}` : ''}`, kind: SymbolKind.Key, location: { uri: uriOf(label.place.file), range: rangeOf(label.place) } });
      for (const entry of index.analysis?.bibliography.entries.values() ?? []) if (entry.key.toLowerCase().includes(query)) symbols.push({ name: entry.key, kind: SymbolKind.Constant, location: { uri: uriOf(entry.file), range: rangeOf({ line: entry.line, column: entry.column }) } });
    }
    return symbols.slice(0, 500);
  });

  connection.onShutdown(() => {
    for (const state of theses.values()) state.dispose();
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}

function toLspDiagnostic(d: Diagnostic): LspDiagnostic {
  const place = { line: d.line ?? 1, column: d.column ?? 1, ...(d.end ? { end: d.end } : {}) };
  return {
    range: rangeOf(place, d.actual?.length ?? 0),
    // Spelling is shown the way editors show it: a hint under the word, not a warning in the problems list.
    severity: d.rule === 'spelling' ? DiagnosticSeverity.Information : d.severity === 'error' ? DiagnosticSeverity.Error : d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: d.rule,
    source: 'thesis',
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    ...(d.cause ? { relatedInformation: [{ location: { uri: uriOf(d.cause.file), range: rangeOf(d.cause) }, message: d.cause.message }] } : {}),
    ...(d.expected?.length || d.rule === 'spelling' ? { data: { expected: d.expected ?? [], actual: d.actual } } : {}),
  };
}

export type { Place };
