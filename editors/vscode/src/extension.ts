// The VS Code side of `thesis lsp`: a language client for the Markdown
// chapters, thesis.yaml and the bibliography of the thesis folders open in
// the window. Everything the writer sees (completion, diagnostics, hover, go
// to, rename, spelling) comes from the server; this file only starts it.
import fs from 'node:fs';
import { window, workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { serverCommand } from './server-command.js';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const folder = workspace.workspaceFolders?.[0]?.uri.fsPath;
  const setting = workspace.getConfiguration('thesis').get<string[]>('server.command') ?? [];
  // The editor's own Node runs the bundle (VS Code sets ELECTRON_RUN_AS_NODE for it).
  const { command, args } = serverCommand(folder, setting, (file) => fs.existsSync(file), process.execPath);
  const run = { command, args, transport: TransportKind.stdio, options: { cwd: folder, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } } };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    // The server answers only for files inside a thesis folder (one that holds thesis/thesis.yaml or chapters).
    documentSelector: [
      { scheme: 'file', language: 'markdown' },
      { scheme: 'file', pattern: '**/thesis/thesis.yaml' },
      { scheme: 'file', pattern: '**/*.bib' },
      { scheme: 'untitled', language: 'markdown' },
    ],
    synchronize: { fileEvents: workspace.createFileSystemWatcher('**/{*.bib,*.json,thesis.yaml,words.txt}') },
    initializationOptions: { grammar: workspace.getConfiguration('thesis').get<boolean>('grammar') === true },
  };
  client = new LanguageClient('thesis', 'Thesis', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => void client?.stop() });
  await client.start();
  // The cursor, for `thesis preview`: the server passes it on and the page scrolls to that block.
  let timer: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    window.onDidChangeTextEditorSelection((event) => {
      if (event.textEditor.document.languageId !== 'markdown') return;
      clearTimeout(timer);
      timer = setTimeout(() => void client?.sendNotification('thesis/cursor', { uri: event.textEditor.document.uri.toString(), line: event.selections[0].active.line }), 150);
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
