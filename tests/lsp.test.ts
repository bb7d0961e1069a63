// `thesis lsp` (issue 22), driven as an editor drives it: a JSON-RPC client
// (vscode-jsonrpc) over the server's stdio, the server the bundle npm ships.
// The unsaved text is what counts; positions are UTF-16 code units.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLookupServer, type LookupServer } from './helpers/lookup-server.js';
import { copyProject, removeTempDirs, repoDir, write } from './helpers/project.js';

interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: number;
  code: string;
  message: string;
  data?: { expected?: string[] };
}

let child: ChildProcessWithoutNullStreams;
let lookups: LookupServer;
/** The workspace edits the server asked the editor to apply. */
const applied: { label?: string; edit: { changes: Record<string, { newText: string }[]> } }[] = [];
let connection: MessageConnection;
const diagnostics = new Map<string, LspDiagnostic[][]>();
const dir = copyProject('minimal');
const chapter = path.join(dir, 'thesis', 'one.md');
const uri = pathToFileURL(chapter).href;
const bib = path.join(dir, 'bibliography', 'references.bib');
let version = 1;
let text = '';

/** The versions the published diagnostics were for, by document (as `diagnostics`). */
const publishedVersions = new Map<string, (number | undefined)[]>();

/**
 * The next diagnostics published for `file` after `count` earlier ones (and, given a version, the first
 * for that version of the document: a late publication for an earlier text, such as grammar hints on a
 * busy machine, is not the answer to an edit).
 */
async function diagnosticsAfter(file: string, count: number, timeout = 20_000, forVersion?: number): Promise<LspDiagnostic[]> {
  const started = Date.now();
  const href = pathToFileURL(file).href;
  while (Date.now() - started < timeout) {
    const seen = diagnostics.get(href) ?? [];
    const versions = publishedVersions.get(href) ?? [];
    for (let i = count; i < seen.length; i++) if (forVersion === undefined || versions[i] === forVersion) return seen[i];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no diagnostics for ${file} within ${timeout} ms`);
}

async function type(newText: string): Promise<LspDiagnostic[]> {
  const before = diagnostics.get(uri)?.length ?? 0;
  text = newText;
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ text }] });
  return diagnosticsAfter(chapter, before, 20_000, version);
}

/** The 0-based line and UTF-16 character of a piece of the current text. */
function positionOf(piece: string, offset = 0): { line: number; character: number } {
  const at = text.indexOf(piece) + offset;
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

beforeAll(async () => {
  write(dir, 'thesis/one.md', '# First chapter {#sec:first}\n\nPanopticism returns in new forms [@simon2005, p. 3].\n\n社会信用体系 😀 as @foucault1977 argued.\n\n![A map](map.png){#fig:map}\n');
  fs.copyFileSync(path.join(repoDir, 'tests', 'fixtures', 'writer', 'crossrefs', 'map.png'), path.join(dir, 'thesis', 'map.png'));
  // The project's own words: never flagged.
  write(dir, 'thesis/words.txt', '# words of this thesis\npanopticism\n');
  // DOI lookups go to recorded answers on a local server, never to the network.
  lookups = await startLookupServer();
  child = spawn(process.execPath, [path.join(repoDir, 'compiled', 'scripts', 'cli.bundle.js'), 'lsp', '--stdio', '--grammar'], { cwd: dir, stdio: 'pipe', env: { ...process.env, ...lookups.env } });
  connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: LspDiagnostic[]; version?: number }) => {
    diagnostics.set(params.uri, [...(diagnostics.get(params.uri) ?? []), params.diagnostics]);
    publishedVersions.set(params.uri, [...(publishedVersions.get(params.uri) ?? []), params.version]);
  });
  connection.onRequest('workspace/applyEdit', (params: (typeof applied)[number]) => {
    applied.push(params);
    return { applied: true };
  });
  connection.listen();
  const started = performance.now();
  const initialized = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} })) as { capabilities: Record<string, unknown> };
  console.log(`lsp: initialize answered in ${Math.round(performance.now() - started)} ms`);
  expect(initialized.capabilities.completionProvider).toBeTruthy();
  await connection.sendNotification('initialized', {});
  text = fs.readFileSync(chapter, 'utf8');
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
}, 60_000);

afterAll(async () => {
  try {
    await Promise.race([connection.sendRequest('shutdown'), new Promise((resolve) => setTimeout(resolve, 2_000))]);
    await connection.sendNotification('exit');
  } catch {
    // The server is ended below in any case.
  } finally {
    connection.dispose();
    child.kill();
    await lookups?.close();
    removeTempDirs();
  }
});

describe('thesis lsp', () => {
  it('gives diagnostics for the unsaved text, at the key in UTF-16 units, with a fix from the suggestion', async () => {
    // The emoji has no glyph in the thesis's fonts: 社会信用体系 and a space are 7 UTF-16 units, the emoji 2.
    const initial = await diagnosticsAfter(chapter, 0);
    expect(initial.map((d) => [d.code, d.range.start.line, d.range.start.character, d.range.end.character])).toEqual([['glyph-missing', 4, 7, 9]]);
    const found = await type(text.replace('@foucault1977', '@foucalt1977'));
    const unknown = found.find((d) => d.code === 'citation-unknown')!;
    expect(unknown.message).toContain('citation key "foucalt1977" is not in the bibliography');
    // 社会信用体系 (6 units), a space, 😀 (2 units), " as " — the key starts after the "@".
    expect(unknown.range.start).toEqual(positionOf('@foucalt1977'));
    expect(unknown.data?.expected).toEqual(['foucault1977']);
    const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: unknown.range, context: { diagnostics: [unknown] } })) as { title: string; edit: { changes: Record<string, { newText: string }[]> } }[];
    expect(actions.map((a) => a.title)).toEqual(['Change to "foucault1977"']);
    expect(actions[0].edit.changes[uri][0].newText).toMatch(/^@?foucault1977$/);
    expect(fs.readFileSync(chapter, 'utf8')).toContain('@foucault1977');
    expect((await type(text.replace('@foucalt1977', '@foucault1977'))).map((d) => d.code)).toEqual(['glyph-missing']);
  }, 30_000);

  it('completes citation keys after @ with the formatted reference, and labels after @fig:', async () => {
    const typed = `${text}\nSee also @fou`;
    await type(typed);
    const position = positionOf('@fou', 4);
    const started = performance.now();
    const items = (await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as { label: string; data?: unknown }[];
    console.log(`lsp: completion answered in ${Math.round(performance.now() - started)} ms`);
    expect(items.map((item) => item.label)).toContain('foucault1977');
    const resolved = (await connection.sendRequest('completionItem/resolve', items.find((item) => item.label === 'foucault1977'))) as { documentation?: { value: string } };
    expect(resolved.documentation?.value).toContain('Discipline and punish');
    await type(`${typed}\n\nAnd @fig:`);
    const labels = (await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf('@fig:', 5) })) as { label: string; detail?: string }[];
    expect(labels.map((item) => `${item.label} ${item.detail}`)).toEqual(['fig:map A map']);
  }, 30_000);

  it('shows the formatted reference on hover, goes to the .bib entry, finds the uses', async () => {
    const position = positionOf('@simon2005', 3);
    const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position })) as { contents: { value: string } };
    expect(hover.contents.value).toContain('The return of panopticism');
    expect(hover.contents.value).toContain('In the text: (Simon, 2005, p. 3)');
    const definition = (await connection.sendRequest('textDocument/definition', { textDocument: { uri }, position })) as { uri: string; range: { start: { line: number } } };
    expect(definition.uri).toBe(pathToFileURL(bib).href);
    const bibLine = fs.readFileSync(bib, 'utf8').split('\n').findIndex((line) => line.includes('simon2005'));
    expect(definition.range.start.line).toBe(bibLine);
    const uses = (await connection.sendRequest('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: false } })) as { uri: string }[];
    expect(uses.map((use) => use.uri)).toContain(uri);
    const sectionHover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf('{#sec:first}', 3) })) as unknown;
    expect(sectionHover).toBeNull();
    // A label: what its cross-reference prints, numbered as the PDF numbers it, and its caption.
    await type(`${text}\nAs @fig:map shows.`);
    const figureHover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: positionOf('@fig:map shows', 3) })) as { contents: { value: string } };
    expect(figureHover.contents.value).toBe('Figure 1: A map');
  }, 30_000);

  it('flags a misspelled word while the citation key beside it is not, with corrections and "add to the word list"', async () => {
    const found = await type(text.replace('as @foucault1977 argued', 'as @foucault1977 argud'));
    const spelling = found.filter((d) => d.code === 'spelling');
    expect(spelling.map((d) => d.message)).toEqual(['"argud" is not in the en-US dictionary; correct it, or add it to thesis/words.txt']);
    expect(spelling[0].severity).toBe(3);
    expect(spelling[0].range.start).toEqual(positionOf('argud'));
    const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: spelling[0].range, context: { diagnostics: spelling } })) as { title: string }[];
    expect(actions.map((a) => a.title)).toContain('Change to "argued"');
    expect(actions.map((a) => a.title)).toContain('Add "argud" to thesis/words.txt');
    await type(text.replace('argud', 'argued'));
  }, 30_000);

  it('gives grammar hints from Harper after the other diagnostics, with its fix as a quick fix', async () => {
    await type(text.replace('as @foucault1977 argued.', 'as @foucault1977 argued. This is an test.'));
    // Harper's hints arrive in a later publication (its first check loads its WebAssembly).
    const started = Date.now();
    let grammar: LspDiagnostic[] = [];
    while (grammar.length === 0 && Date.now() - started < 40_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      grammar = (diagnostics.get(uri)?.at(-1) ?? []).filter((d) => d.code === 'grammar');
    }
    expect(grammar.map((d) => [d.message, d.range.start])).toEqual([['Incorrect indefinite article.', positionOf('an test')]]);
    const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: grammar[0].range, context: { diagnostics: grammar } })) as { title: string }[];
    expect(actions.map((a) => a.title)).toEqual(['Change to "a"']);
    await type(text.replace(' This is an test.', ''));
  }, 60_000);

  it('completes thesis.yaml: keys with what they take, style ids, languages, chapter files; and goes to a chapter it names', async () => {
    const yamlFile = path.join(dir, 'thesis', 'thesis.yaml');
    const yamlUri = pathToFileURL(yamlFile).href;
    const yaml = `${fs.readFileSync(yamlFile, 'utf8')}linestr\ncsl: chicago-author\nlang: de-A\n`;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: yamlUri, languageId: 'yaml', version: 1, text: yaml } });
    const lines = yaml.split('\n');
    const lineOf = (start: string) => lines.findIndex((line) => line.startsWith(start));
    const complete = async (start: string) =>
      (await connection.sendRequest('textDocument/completion', { textDocument: { uri: yamlUri }, position: { line: lineOf(start), character: lines[lineOf(start)].length } })) as { items: { label: string; detail?: string }[] };
    expect((await complete('linestr')).items.map((item) => item.label)).toEqual(['linestretch']);
    expect((await complete('csl: chicago-author')).items.map((item) => item.label)).toContain('chicago-author-date');
    expect((await complete('lang: de-A')).items.map((item) => item.label)).toEqual(['de-AT']);
    const chapterLine = lineOf('  - two.md');
    const definition = (await connection.sendRequest('textDocument/definition', { textDocument: { uri: yamlUri }, position: { line: chapterLine, character: 6 } })) as { uri: string };
    expect(definition.uri).toBe(pathToFileURL(path.join(dir, 'thesis', 'two.md')).href);
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri: yamlUri } });
  }, 30_000);

  it('renames a citation key in the chapters and the bibliography as one edit, and outlines the headings', async () => {
    const position = positionOf('@foucault1977', 2);
    const prepared = (await connection.sendRequest('textDocument/prepareRename', { textDocument: { uri }, position })) as { start: { character: number } } | null;
    expect(prepared?.start).toEqual(positionOf('foucault1977'));
    const edit = (await connection.sendRequest('textDocument/rename', { textDocument: { uri }, position, newName: 'foucault1977dp' })) as { changes: Record<string, { newText: string }[]> };
    expect(Object.keys(edit.changes).sort()).toEqual([pathToFileURL(bib).href, uri].sort());
    expect(edit.changes[uri][0].newText).toContain('as @foucault1977dp argued');
    expect(edit.changes[pathToFileURL(bib).href][0].newText).toContain('@book{foucault1977dp,');
    // Nothing is written: the editor applies the edit (and can undo it).
    expect(fs.readFileSync(bib, 'utf8')).toContain('@book{foucault1977,');
    const symbols = (await connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string; detail?: string }[];
    expect(symbols.map((symbol) => `${symbol.name} ${symbol.detail}`)).toEqual(['First chapter #sec:first']);
  }, 30_000);

  it('offers "add this reference" for a DOI cited as a key: looks it up, adds the entry, cites it by its new key', async () => {
    const found = await type(text.replace('[@simon2005, p. 3]', '[@simon2005, p. 3; @10.1002/poi3.213]'));
    const unknown = found.find((d) => d.code === 'citation-unknown')!;
    expect(unknown.message).toContain('"10.1002/poi3.213"');
    const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: unknown.range, context: { diagnostics: [unknown] } })) as { title: string; command?: { command: string; arguments: unknown[] } }[];
    const add = actions.find((action) => action.title === 'Look up the DOI 10.1002/poi3.213 and add it to the bibliography');
    expect(add?.command?.command).toBe('thesis.addReference');
    const result = (await connection.sendRequest('workspace/executeCommand', { command: add!.command!.command, arguments: add!.command!.arguments })) as { key: string };
    expect(lookups.requests.some((request) => request.includes('/doi/10.1002/poi3.213'))).toBe(true);
    // The entry is in the .bib file under a key from the pattern; the citation is the editor's edit to make.
    expect(result.key).toMatch(/^liang2018[a-z]?$/);
    expect(fs.readFileSync(bib, 'utf8')).toContain(`{${result.key},`);
    const chapterEdit = applied.at(-1)?.edit.changes[uri]?.[0].newText ?? '';
    expect(chapterEdit).toContain(`[@simon2005, p. 3; @${result.key}]`);
    // With the edit applied, the key is known: no diagnostic for it.
    const after = await type(chapterEdit);
    expect(after.filter((d) => d.code === 'citation-unknown' && /poi3|liang2018/.test(d.message))).toEqual([]);
  }, 30_000);

  it('offers a long bibliography a page at a time, marked incomplete', async () => {
    // Not a library to cite from: entries only the completion sees.
    const many = Array.from({ length: 260 }, (_, i) => `@book{bulk${String(i).padStart(3, '0')}, author = {Bulk, Anna}, title = {Volume ${i}}, year = {2001}, publisher = {P}}`).join('\n');
    const bibText = fs.readFileSync(bib, 'utf8');
    const bibUri = pathToFileURL(bib).href;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: bibUri, languageId: 'bibtex', version: 1, text: `${bibText}\n${many}\n` } });
    await type(`${text}\nSee @`);
    const all = (await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf('See @', 5) })) as { isIncomplete: boolean; items: { label: string }[] };
    expect(all.isIncomplete).toBe(true);
    expect(all.items.length).toBe(200);
    await type(`${text}\nSee @bulk25`);
    const narrowed = (await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: positionOf('See @bulk25', 11) })) as { label: string }[];
    expect(narrowed.map((item) => item.label).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `bulk25${i}`));
    await connection.sendNotification('textDocument/didClose', { textDocument: { uri: bibUri } });
  }, 30_000);
});
