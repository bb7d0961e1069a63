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
  MessageType,
  ShowMessageNotification,
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
import { addToBibliography } from '../refs/add.js';
import { withProjectLock } from '../core/project-lock.js';
import { describeIdentifier, lookUp, lookupServices, parseIdentifier, type Identifier } from '../refs/identifiers.js';
import type { BibEntry } from '../resolve/bibliography.js';
import { ThesisIndex, type Place } from './thesis-index.js';
import { PreviewLink } from './preview-link.js';
import { numberThesis, type Numbered } from '../export/numbering.js';
import { languageOf } from '../core/language.js';
import { configCompletion } from './config-completion.js';
import { checkerFor, knownWords, spellingDiagnostics, wordListFile } from '../report/spelling.js';
import { grammarDiagnostics } from '../report/grammar.js';

/** Quiet time after a keystroke before the steps run again. */
const DEBOUNCE_MS = 50;

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

/** The command behind "add this reference": looks an identifier cited as a key up and adds the entry. */
const ADD_REFERENCE = 'thesis.addReference';

/**
 * A citation key that is an identifier someone typed instead of a key
 * (`@10.1002/poi3.213`, `@doi:…`, `@arXiv:2101.00001`, `@isbn:…`, `@pmid:…`).
 * Bare digits are a key like any other, never taken for a PubMed id.
 */
function identifierCitedAsKey(key: string): Identifier | null {
  if (!/^(10\.\d{4,9}\/|doi:|arxiv:|isbn|pmid:|\d{4}\.\d{4,5}(v\d+)?$)/i.test(key)) return null;
  return parseIdentifier(key);
}

/** At most this many completions in one answer; a longer list is marked incomplete. */
const MAX_COMPLETIONS = 200;

interface KeyCandidate {
  key: string;
  /** Lower-case key, authors' and editors' names, title and year: what typing after `@` matches. */
  haystack: string;
  detail: string;
}

/** Each bibliography's completion candidates, made once (a 5,000-entry library answers in milliseconds). */
const candidatesOf = new WeakMap<object, KeyCandidate[]>();

function keyCandidates(entries: ReadonlyMap<string, { key: string; item: { author?: { family?: string; literal?: string }[]; editor?: { family?: string; literal?: string }[]; issued?: { 'date-parts'?: unknown[][] }; title?: unknown } }>): KeyCandidate[] {
  let candidates = candidatesOf.get(entries);
  if (!candidates) {
    candidates = [...entries.values()].map((entry) => {
      const names = [...(entry.item.author ?? []), ...(entry.item.editor ?? [])].map((name) => name.family ?? name.literal ?? '').join(' ');
      const year = String(entry.item.issued?.['date-parts']?.[0]?.[0] ?? '');
      const title = String(entry.item.title ?? '');
      return { key: entry.key, haystack: `${entry.key} ${names} ${title} ${year}`.toLowerCase(), detail: `${names}${year ? ` (${year})` : ''}` };
    });
    candidatesOf.set(entries, candidates);
  }
  return candidates;
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
  /** The last run's analysis and diagnostics (without grammar, which arrives later). */
  private lastRun: { analysis: Analysis | undefined; diagnostics: Diagnostic[] } | null = null;
  /** Harper's hints by chapter file, for the text they were given for. */
  private readonly grammarOf = new Map<string, { source: string; diagnostics: Diagnostic[] }>();
  private grammarRunning = false;
  /** Spelling diagnostics by chapter tree, valid while the language and the known words are `spellingWords`. */
  private spellingOf = new WeakMap<object, Diagnostic[]>();
  private spellingWords = '';
  /** The open documents' texts the last run read: what its diagnostics are diagnostics of. */
  readTexts: ReadonlyMap<string, string> = new Map();

  constructor(
    readonly dir: string,
    private readonly overlay: Map<string, string>,
    allow: readonly string[],
    /** Whether the editor has a file open: grammar is checked where the writer types. */
    private readonly isOpen: (file: string) => boolean,
    /** Grammar hints arrived after the run: publish them. */
    private readonly onGrammar: (index: ThesisIndex) => void,
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
    this.readTexts = new Map(this.overlay);
    const result = this.build.run({ until: 'render', preview: true });
    this.lastRun = { analysis: result.analysis, diagnostics: [...result.diagnostics, ...this.spelling(result.analysis)] };
    this.index = this.indexOfLastRun();
    void this.checkGrammar();
    return this.index;
  }

  private indexOfLastRun(): ThesisIndex {
    const { analysis, diagnostics } = this.lastRun!;
    // Grammar hints for a chapter's text as it is now; older ones wait for the next check.
    const grammar = (analysis?.chapters ?? []).flatMap((chapter) => {
      const checked = this.grammarOf.get(chapter.file);
      return checked && checked.source === chapter.source ? checked.diagnostics : [];
    });
    return new ThesisIndex(analysis, [...diagnostics, ...grammar]);
  }

  /**
   * Harper checks the open chapters whose text changed, one at a time, after the run that
   * published the other diagnostics (its first check loads 16 MB of WebAssembly); each result
   * that is still for the current text is published at once.
   */
  private async checkGrammar(): Promise<void> {
    if (this.grammarRunning) return;
    this.grammarRunning = true;
    try {
      for (;;) {
        const analysis = this.lastRun?.analysis;
        const chapter = analysis?.chapters.find((c) => this.isOpen(c.file) && this.grammarOf.get(c.file)?.source !== c.source);
        if (!analysis || !chapter) break;
        const diagnostics = await grammarDiagnostics(chapter.file, chapter.source, chapter.tree, analysis.project.config.lang);
        this.grammarOf.set(chapter.file, { source: chapter.source, diagnostics });
        if (this.lastRun?.analysis === analysis) {
          this.index = this.indexOfLastRun();
          this.onGrammar(this.index);
        }
      }
    } catch {
      // Without harper.js (or when it fails) there are no grammar hints; everything else stands.
    } finally {
      this.grammarRunning = false;
    }
  }

  /** The chapters' spelling, with the project's word list as the editor holds it. */
  private spelling(analysis: Analysis | undefined): Diagnostic[] {
    if (!analysis) return [];
    const listFile = wordListFile(analysis.project.layout.thesisDir);
    const list = this.overlay.get(listFile) ?? (fs.existsSync(listFile) ? fs.readFileSync(listFile, 'utf8') : null);
    const known = knownWords(analysis, list);
    const lang = analysis.project.config.lang;
    const words = `${lang}\n${[...known].sort().join('\n')}`;
    if (words !== this.spellingWords) {
      this.spellingWords = words;
      this.spellingOf = new WeakMap();
    }
    // An unchanged chapter keeps its tree from the last run (the parse is incremental), so only
    // the chapter being typed in is checked again.
    return analysis.chapters.flatMap((chapter) => {
      let found = this.spellingOf.get(chapter.tree);
      if (!found) this.spellingOf.set(chapter.tree, (found = spellingDiagnostics(chapter.file, chapter.tree, { lang, known })));
      return found;
    });
  }

  /** The index of the last run, or a first run. */
  last(): ThesisIndex {
    return this.index ?? this.refresh();
  }

  current(): ThesisIndex {
    return this.timer || !this.index ? this.refresh() : this.index;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

/**
 * `grammar`: Harper's hints too (`thesis lsp --grammar`, or the client's
 * initializationOptions `{ "grammar": true }`). Off by default: Harper holds
 * about 400–650 MB (measured: the server's peak 160–450 MB without, 826–836 MB with).
 */
export function startLanguageServer(connection: Connection = createConnection(ProposedFeatures.all), options: { grammar?: boolean } = {}): Connection {
  let grammar = options.grammar === true;
  const documents = new TextDocuments(TextDocument);
  /** The open documents' texts by file path: what the steps read instead of the files. */
  const overlay = new Map<string, string>();
  const theses = new Map<string, ThesisState>();
  const allow = allowedFolders([], process.env, process.cwd()).folders;

  /** Each thesis's link to its running `thesis preview`, if any (lsp/preview-link.ts). */
  const previews = new Map<string, PreviewLink>();
  const thesisOf = (file: string): ThesisState | null => {
    const dir = findThesisFolder(path.dirname(file));
    if (!dir) return null;
    let state = theses.get(dir);
    if (!state) {
      // Grammar is checked in the open chapters, and only when asked for.
      const made: ThesisState = new ThesisState(dir, overlay, allow, (open) => grammar && overlay.has(open), (index) => publish(made, index));
      state = made;
      theses.set(dir, state);
      // A click in the preview: the editor shows that line.
      const link = new PreviewLink(dir, (chapter, line) => {
        const position = { line: Math.max(0, line - 1), character: 0 };
        void connection.window.showDocument({ uri: uriOf(chapter), takeFocus: true, selection: { start: position, end: position } }).catch(() => {});
      });
      previews.set(dir, link);
      link.ensure();
    }
    return state;
  };

  // The editor's cursor (sent by the VS Code extension, or any client that wants it): the preview scrolls there.
  connection.onNotification('thesis/cursor', (params: { uri?: string; line?: number }) => {
    const file = typeof params.uri === 'string' ? fileOf(params.uri) : null;
    const state = file ? thesisOf(file) : null;
    if (!file || !state || typeof params.line !== 'number') return;
    previews.get(state.dir)?.reveal(file, params.line + 1);
  });

  const publish = (state: ThesisState, index: ThesisIndex) => {
    // Every open document of the thesis hears after each run, with an empty list when it is clean:
    // the editor knows its diagnostics are current, not left from an earlier text.
    const open = documents.all().map((document) => fileOf(document.uri)).filter((file): file is string => !!file && thesisOf(file) === state);
    const files = new Set([...index.diagnostics.keys(), ...state.published, ...open]);
    for (const file of files) {
      const document = documents.get(uriOf(file));
      // Not for a document typed in since the run read it: grammar hints arriving for the last run after a
      // keystroke would go out under the new version, with the old text's diagnostics (a corrected citation
      // key still flagged: seen once in a clean clone's test run). The run for the new text publishes.
      if (document && state.readTexts.has(file) && state.readTexts.get(file) !== document.getText()) continue;
      const diagnostics = (index.diagnostics.get(file) ?? []).map(toLspDiagnostic);
      // For an open document, the version whose text this run read (runs are synchronous, and the check above
      // holds back what was read from another text): an editor can drop what is stale.
      const version = document?.version;
      void connection.sendDiagnostics({ uri: uriOf(file), diagnostics, ...(version === undefined ? {} : { version }) });
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

  connection.onInitialize((params) => {
    if ((params.initializationOptions as { grammar?: unknown } | undefined)?.grammar === true) grammar = true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: ['@', '[', ':', '+'], resolveProvider: true },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: [ADD_REFERENCE] },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
      },
      serverInfo: { name: 'thesis', version: '1' },
    };
  });

  /** What a cross-reference to each label prints ("Figure 3", "Section 2.1"), numbered as the PDF numbers (export/numbering.ts). */
  const numbersOf = new WeakMap<ThesisIndex, Map<string, Numbered>>();
  const labelNumbers = (state: ThesisState, index: ThesisIndex): Map<string, Numbered> => {
    let numbers = numbersOf.get(index);
    if (!numbers) {
      const analysis = index.analysis;
      numbers = analysis
        ? numberThesis(
            analysis.chapters.map((chapter) => ({ tree: chapter.tree, title: chapter.frontMatter.title, appendix: chapter.appendix })),
            state.build.supplements(analysis.project.config.lang),
            languageOf(analysis.project.config.lang).words.appendix,
          ).labels
        : new Map();
      numbersOf.set(index, numbers);
    }
    return numbers;
  };

  /** The thesis, its index and the document's text at a request's position. */
  const at = (uri: string, position: Position, freshness: 'current' | 'last' = 'current') => {
    const file = fileOf(uri);
    const document = documents.get(uri);
    if (!file || !document) return null;
    const state = thesisOf(file);
    if (!state) return null;
    const index = freshness === 'last' ? state.last() : state.current();
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
    // The last run's index: typing `@` needs the bibliography, which the keystroke did not change.
    const found = at(params.textDocument.uri, params.position, 'last');
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
    const matches: CompletionItem[] = [];
    const later: CompletionItem[] = [];
    for (const candidate of keyCandidates(found.index.analysis.bibliography.entries)) {
      // Keys that start with what is typed come first; then any whose authors, title or year hold it.
      const first = !words || candidate.key.startsWith(words);
      if (!first && !candidate.haystack.includes(words)) continue;
      (first ? matches : later).push({ label: candidate.key, kind: CompletionItemKind.Reference, detail: candidate.detail, filterText: `${prefix}${candidate.haystack}`, data: { key: candidate.key, uri: params.textDocument.uri } });
    }
    const items = [...matches, ...later];
    for (const label of found.index.labels.values()) if (label.kind !== 'section' && label.label.startsWith(prefix)) items.push({ label: label.label, kind: CompletionItemKind.Reference, detail: label.text });
    // A long bibliography is offered a page at a time: the editor asks again as more is typed.
    return items.length > MAX_COMPLETIONS ? { isIncomplete: true, items: items.slice(0, MAX_COMPLETIONS) } : items;
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
    if (label) {
      const number = labelNumbers(found.state, found.index).get(word.name)?.reference;
      return { contents: { kind: MarkupKind.Markdown, value: `${number ?? label.kind}${label.text ? `: ${label.text}` : ''}` }, range };
    }
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
      const identifier = diagnostic.code === 'citation-unknown' && data?.actual ? identifierCitedAsKey(data.actual) : null;
      if (identifier) {
        actions.push({
          title: `Look up the ${describeIdentifier(identifier)} and add it to the bibliography`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          isPreferred: true,
          command: { title: 'Add this reference', command: ADD_REFERENCE, arguments: [params.textDocument.uri, data!.actual] },
        });
      }
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

  // "Add this reference": the entry is looked up and appended to the thesis's .bib file as
  // `refs add` would (the file is written at once, as refs add writes it); the citations of the
  // identifier become citations of the new key through the editor, so the change can be undone.
  /** A message for the user: a notification, which every client accepts (a request needs an answer some clients never give). */
  const tell = (type: MessageType, message: string) => void connection.sendNotification(ShowMessageNotification.type, { type, message });

  connection.onExecuteCommand(async (params) => {
    if (params.command !== ADD_REFERENCE) return null;
    const [uri, key] = (params.arguments ?? []) as [string, string];
    const file = typeof uri === 'string' ? fileOf(uri) : null;
    const state = file ? thesisOf(file) : null;
    const identifier = typeof key === 'string' ? identifierCitedAsKey(key) : null;
    const analysis = state?.last().analysis;
    if (!state || !identifier || !analysis) return null;
    const found = await lookUp(identifier, lookupServices(process.env));
    if (!found.ok) {
      tell(MessageType.Error, found.message);
      return null;
    }
    let outcome: ReturnType<typeof addToBibliography>;
    try {
      // As refs add: holding the project's lock, so a build or another add never interleaves.
      outcome = withProjectLock(state.dir, 'add this reference (editor)', () => addToBibliography(analysis, found.text, describeIdentifier(identifier), { keys: 'looked-up' }));
    } catch (error) {
      tell(MessageType.Error, (error as Error).message);
      return null;
    }
    const added = outcome.ok ? outcome.added[0] : undefined;
    if (!outcome.ok || !added) {
      tell(MessageType.Error, outcome.problems.map((problem) => problem.message).join('; ') || `the ${describeIdentifier(identifier)} was not added`);
      return null;
    }
    const changes: Record<string, TextEdit[]> = {};
    for (const chapter of analysis.chapters) {
      const text = overlay.get(chapter.file) ?? fs.readFileSync(chapter.file, 'utf8');
      const after = renameInChapter(text, parseChapter(chapter.file, text).tree, key, added.key).text;
      if (after === text) continue;
      const lines = text.split('\n');
      changes[uriOf(chapter.file)] = [{ range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } }, newText: after }];
    }
    await connection.workspace.applyEdit({ label: `Cite ${added.key}`, edit: { changes } });
    tell(MessageType.Info, `Added @${added.key} to ${path.basename(outcome.bibFile)} from ${found.from}${outcome.named ? '' : ': name it under `bibliography:` in thesis.yaml to cite from it'}`);
    state.schedule((index) => publish(state, index));
    return { key: added.key, file: outcome.bibFile };
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
    for (const link of previews.values()) link.dispose();
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
    severity: d.rule === 'spelling' || d.rule === 'grammar' ? DiagnosticSeverity.Information : d.severity === 'error' ? DiagnosticSeverity.Error : d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: d.rule,
    source: 'thesis',
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    ...(d.cause ? { relatedInformation: [{ location: { uri: uriOf(d.cause.file), range: rangeOf(d.cause) }, message: d.cause.message }] } : {}),
    ...(d.expected?.length || d.actual !== undefined ? { data: { expected: d.expected ?? [], actual: d.actual } } : {}),
  };
}

export type { Place };
