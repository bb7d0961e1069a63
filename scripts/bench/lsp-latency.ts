// The language server as an editor meets it, in a process of its own:
// `node lsp-latency.js <thesis dir> <chapter file> <keystrokes>` starts
// `thesis lsp`, and prints JSON: the time to the answer to `initialize`, to
// the first diagnostics of an opened chapter, from each keystroke to its
// diagnostics (the 50 ms the server waits for more typing included), a
// completion after `@`, and the server's peak memory.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const [dir, chapterFile, keystrokes = '10'] = process.argv.slice(2);
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli.bundle.js');

async function main() {
  const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { cwd: dir, stdio: 'pipe' });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const uri = pathToFileURL(chapterFile).href;
  let published: (() => void) | null = null;
  // Only the chapter's own diagnostics count: the server publishes for the other files too.
  connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string }) => {
    if (params.uri === uri) published?.();
  });
  connection.listen();
  const nextDiagnostics = () => new Promise<void>((resolve) => (published = resolve));
  try {
    let started = performance.now();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: {} });
    const initialize = performance.now() - started;
    await connection.sendNotification('initialized', {});
    let text = fs.readFileSync(chapterFile, 'utf8');
    started = performance.now();
    const first = nextDiagnostics();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text } });
    await first;
    const firstDiagnostics = performance.now() - started;
    const afterKeystroke: number[] = [];
    for (let i = 0; i < Number(keystrokes); i++) {
      text += i % 10 === 9 ? ' ' : 'x';
      started = performance.now();
      const next = nextDiagnostics();
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ text }] });
      await next;
      afterKeystroke.push(performance.now() - started);
    }
    text += '\n\nSee @';
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: Number(keystrokes) + 2 }, contentChanges: [{ text }] });
    const lines = text.split('\n');
    const position = { line: lines.length - 1, character: lines[lines.length - 1].length };
    await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
    const completions: number[] = [];
    let offered = 0;
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      const answer = (await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position })) as unknown[] | { items: unknown[] };
      completions.push(performance.now() - started);
      offered = Array.isArray(answer) ? answer.length : answer.items.length;
    }
    let peakMb: number | null = null;
    try {
      // Linux: the server's peak resident memory so far.
      peakMb = Math.round(Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024);
    } catch {
      // Elsewhere not measured.
    }
    process.stdout.write(`${JSON.stringify({ initialize, firstDiagnostics, afterKeystroke, completions, offered, peakMb })}\n`);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
  } finally {
    connection.dispose();
    child.kill();
  }
}

await main();
