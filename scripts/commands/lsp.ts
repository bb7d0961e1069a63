// `thesis lsp`: the language server on this process's stdin and stdout (see
// lsp/server.ts). It runs until the editor sends `exit`.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from '../lsp/server.js';

export function lspCommand(): number {
  // Anything a step prints to stdout would break the protocol: the console goes to stderr.
  console.log = console.error;
  console.info = console.error;
  startLanguageServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
  return 0;
}
