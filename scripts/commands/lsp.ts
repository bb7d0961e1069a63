// `thesis lsp`: the language server on this process's stdin and stdout (see
// lsp/server.ts). It runs until the editor sends `exit`.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from '../lsp/server.js';

export function lspCommand(options: { grammar?: boolean } = {}): number {
  // Anything a step prints to stdout would break the protocol: the console goes to stderr.
  console.log = console.error;
  console.info = console.error;
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  // The editor must not lose its server over one failed request (a client that answers no
  // message requests, a lookup that throws): the failure goes to the editor's log instead.
  process.on('unhandledRejection', (reason) => connection.console.error(`thesis lsp: ${(reason as Error)?.message ?? String(reason)}`));
  process.on('uncaughtException', (error) => connection.console.error(`thesis lsp: ${error.message}`));
  startLanguageServer(connection, options);
  return 0;
}
