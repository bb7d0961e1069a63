// Typst in a process of its own. The compiler is a native addon: a panic in
// it aborts the process it runs in, and a layout that never ends holds it
// forever. So the compiler runs in a child process (typst-server.ts), one
// per project and kept alive, so watch rebuilds stay incremental; when it
// dies, the build that asked gets an error naming the panic, the previous
// PDF stays, and the next build starts a new one.
//
// The pipeline stays synchronous, as with the Pandoc thread: a request
// is posted to a relay thread, which talks to the child process, and the
// main thread sleeps on a shared flag until the answer is there.
import { MessageChannel, receiveMessageOnPort, SHARE_ENV, Worker, type MessagePort } from 'node:worker_threads';
import { diagnostic } from '../core/diagnostics.js';
import { entryFile } from '../core/entry-file.js';
import { mainText, receivedText, type MainText } from './main-text.js';
import { englishSupplements, type CompileInput, type CompileOutput, type Supplements } from './typst-compiler.js';
import type { TypstRequest } from './typst-server.js';

type RelayReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; stopped?: boolean; resend?: true };

/** A compile taking longer is stopped (a thesis of 500 pages takes about 15 s here). */
const COMPILE_TIMEOUT_MS = 5 * 60_000;
/** Compiler processes kept at once; the one used longest ago makes way (tests build many projects in one process). */
const MAX_SERVERS = 2;
/**
 * Compiles after which an idle compiler process is replaced by a fresh one.
 * The compiler keeps a little of every compile that no eviction frees (0.05
 * to 0.1 MB here, measured over 1,500 compiles with every cache evicted and
 * every collection made), so a day in watch would grow it by a hundred
 * megabytes. The new process is warmed with the last document before the old
 * one goes, while the writer is not saving, so the next save stays incremental.
 */
const RECYCLE_AFTER = 200;

/**
 * The memory Typst's process may hold, in MB: THESIS_TYPST_MEMORY_MB, else
 * 4,096 (the 10× generated thesis, 427 pages, peaks near 1,000 MB). It is the
 * user's setting, never the thesis's: a thesis must not raise its own limit.
 */
export function typstMemoryLimitMb(env: Record<string, string | undefined>): number {
  const set = Number(env.THESIS_TYPST_MEMORY_MB);
  return Number.isFinite(set) && set >= 256 ? set : 4096;
}

// Plain JavaScript evaluated in the relay thread: one child process per
// project, each request forwarded and its answer passed back, a child that
// stops while it has a request answered for it (with the panic's words from
// its stderr), a child over time stopped.
const relaySource = `
// A compile's main text comes as what changed since the one before (main-text.ts): the relay keeps the whole
// text too, so a fresh process is warmed with a whole last document.
const receivedText = ${receivedText.toString()};
const texts = new Map();
const { workerData } = require('node:worker_threads');
const { fork } = require('node:child_process');
const { port, done, serverFile, maxServers, timeoutMs, memoryLimitMb, pids } = workerData;
// The children's process ids, for the main thread to end them when the command ends.
function notePid(pid, add) {
  for (let i = 0; i < pids.length; i++) {
    if (add ? Atomics.compareExchange(pids, i, 0, pid) === 0 : Atomics.compareExchange(pids, i, pid, 0) === pid) return;
  }
}
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
// The child's resident memory in MB: Linux's /proc, else ps (macOS); null where neither answers.
function residentMb(pid) {
  try {
    const status = fs.readFileSync('/proc/' + pid + '/status', 'utf8');
    const kb = /VmRSS:\s+(\d+)/.exec(status);
    if (kb) return Number(kb[1]) / 1024;
  } catch {}
  if (process.platform === 'win32') return null;
  try {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024 || null;
  } catch {
    return null;
  }
}
const servers = new Map();
function reply(message) {
  port.postMessage(message);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}
function why(entry, code, signal) {
  if (entry.timedOut) return 'Typst did not finish within ' + Math.round(timeoutMs / 1000) + ' s and was stopped';
  if (entry.overMemory) return 'Typst used more than ' + memoryLimitMb + ' MB of memory and was stopped (raw Typst that builds huge data?); THESIS_TYPST_MEMORY_MB sets the limit';
  const lines = entry.stderr.split('\\n');
  const at = lines.findIndex((line) => line.includes('panicked at'));
  if (at >= 0) return 'Typst stopped with an internal error (a bug in Typst, not in the thesis): ' + [lines[at].replace(/^.*panicked at /, 'panicked at '), lines[at + 1] || ''].join(' ').trim();
  return 'Typst stopped unexpectedly (' + (signal ? 'signal ' + signal : 'exit code ' + code) + ')';
}
function server(project) {
  let entry = servers.get(project);
  if (entry) {
    servers.delete(project);
    servers.set(project, entry);
    return entry;
  }
  while (servers.size >= maxServers) {
    const [oldest, old] = servers.entries().next().value;
    servers.delete(oldest);
    old.child.kill();
  }
  const child = fork(serverFile, [project], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
  if (child.pid) notePid(child.pid, true);
  child.once('exit', () => child.pid && notePid(child.pid, false));
  entry = { child, stderr: '', pending: null, timedOut: false, overMemory: false, compiles: 0, lastCompile: null };
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => { entry.stderr = (entry.stderr + text).slice(-8192); });
  child.on('message', (message) => {
    if (!entry.pending || entry.pending.id !== message.id) return;
    clearTimeout(entry.pending.timer);
    clearInterval(entry.pending.watch);
    entry.pending = null;
    reply(message);
  });
  const stopped = (code, signal) => {
    if (servers.get(project) === entry) servers.delete(project);
    if (!entry.pending) return;
    clearTimeout(entry.pending.timer);
    clearInterval(entry.pending.watch);
    const { id } = entry.pending;
    entry.pending = null;
    reply({ id, ok: false, stopped: true, message: why(entry, code, signal) });
  };
  child.on('exit', stopped);
  child.on('error', () => stopped(null, null));
  servers.set(project, entry);
  return entry;
}
port.on('message', ({ id, project, request }) => {
  if (request && request.type === 'quit') {
    const running = servers.get(project);
    if (!running) return reply({ id, ok: true, value: null });
    // Answered when the process has ended (stopped, above).
    running.pending = { id, timer: setTimeout(() => running.child.kill('SIGKILL'), 2000) };
    running.child.kill();
    return;
  }
  if (request && request.type === 'collect') {
    // Idle: every PDF has passed through this thread (the compiler's process collects after each compile).
    // What core/collect-garbage.ts does, written out: this thread runs evaluated source and imports nothing of ours.
    require('node:v8').setFlagsFromString('--expose-gc');
    require('node:vm').runInNewContext('gc')();
    const old = servers.get(project);
    if (old && !old.pending && old.compiles >= request.recycleAfter && old.lastCompile) {
      // A fresh process, warmed with the last document (its answer is nobody's), then the old one goes.
      servers.delete(project);
      const fresh = server(project);
      fresh.child.send({ id: -1, request: old.lastCompile });
      fresh.lastCompile = old.lastCompile;
      old.child.kill();
    }
    return;
  }
  const entry = server(project);
  if (!request) return;
  if (request.type === 'compile') {
    entry.compiles++;
    const whole = (file, sent) => {
      const key = project + '\\0' + file;
      const text = receivedText(sent, texts.get(key));
      if (text !== null) texts.set(key, { id: sent.id, text });
      return text === null ? null : { id: sent.id, text };
    };
    const main = whole(request.input.mainPath, request.input.main);
    const shadows = request.input.shadows.map(([file, sent]) => [file, whole(file, sent)]);
    entry.lastCompile = main && shadows.every(([, sent]) => sent) ? { ...request, input: { ...request.input, main, shadows } } : null;
  }
  if (request.type !== 'evict') {
    // Both limits end the process: the time a compile may take, and the memory it may hold (read ten times a second).
    const timer = setTimeout(() => { entry.timedOut = true; entry.child.kill('SIGKILL'); }, timeoutMs);
    const watch = setInterval(() => {
      const mb = residentMb(entry.child.pid);
      if (mb !== null && mb > memoryLimitMb) { entry.overMemory = true; entry.child.kill('SIGKILL'); }
    }, 100);
    entry.pending = { id, timer, watch };
  }
  entry.child.send({ id, request });
});
`;

class Relay {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly done = new Int32Array(new SharedArrayBuffer(4));
  /** The compiler processes running (their ids; 0 for a free slot), written by the relay thread. */
  private readonly pids = new Int32Array(new SharedArrayBuffer(4 * MAX_SERVERS * 4));
  private nextId = 0;

  constructor(serverFile: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    // SHARE_ENV: a compiler process started later sees the environment as it is then.
    this.worker = new Worker(relaySource, { eval: true, env: SHARE_ENV, workerData: { port: port2, done: this.done, serverFile, maxServers: MAX_SERVERS, timeoutMs: COMPILE_TIMEOUT_MS, memoryLimitMb: typstMemoryLimitMb(process.env), pids: this.pids }, transferList: [port2] });
    // Never keeps a finished command alive, and its compiler processes end with it: a compile that is
    // running does not read the closed channel (typst-server.ts) until it is done, so it is ended here.
    this.worker.unref();
    this.port.unref();
    process.once('exit', () => {
      for (const pid of this.pids) {
        if (pid > 0) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Ended already.
          }
        }
      }
    });
  }

  /** Starts the project's compiler process now (loading fonts takes a while), if it is not running. */
  start(project: string): void {
    this.port.postMessage({ id: ++this.nextId, project, request: null });
  }

  /** A request that needs no answer (`collect` is the relay thread's own). */
  post(project: string, request: TypstRequest | { type: 'collect'; recycleAfter: number }): void {
    this.port.postMessage({ id: ++this.nextId, project, request });
  }

  call(project: string, request: TypstRequest | { type: 'quit' }): RelayReply {
    const id = ++this.nextId;
    Atomics.store(this.done, 0, 0);
    this.port.postMessage({ id, project, request });
    // The relay answers every request (a stopped child included); a relay that died must not hang the build.
    const deadline = performance.now() + COMPILE_TIMEOUT_MS + 60_000;
    while (performance.now() < deadline) {
      Atomics.wait(this.done, 0, 0, 1000);
      for (let message = receiveMessageOnPort(this.port); message; message = receiveMessageOnPort(this.port)) {
        const reply = message.message as RelayReply;
        if (reply.id === id) return reply;
      }
    }
    return { id, ok: false, message: 'Typst did not answer' };
  }
}

let relay: Relay | undefined;

function theRelay(): Relay {
  if (relay) return relay;
  const serverFile = entryFile('compile/typst-server');
  if (!serverFile) throw new Error('the Typst compiler process cannot be found (compiled/scripts/compile/typst-server.js): run npm ci');
  relay = new Relay(serverFile);
  return relay;
}

/** The project's Typst compiler, in its process: TypstCompiler's interface. */
export class TypstProcess {
  /** The text last sent for each file (main, shadows): the next is sent as a change to it (main-text.ts). */
  private readonly sent = new Map<string, { id: number; text: string }>();
  private nextText = 0;

  constructor(readonly projectDir: string) {}

  /** Starts the compiler process ahead of the first compile, so it loads its fonts while the chapters are read. */
  start(): void {
    theRelay().start(this.projectDir);
  }

  compile(input: CompileInput): CompileOutput {
    const files = [[input.mainPath, input.main] as const, ...input.shadows];
    const ids = new Map(files.map(([file]) => [file, ++this.nextText]));
    const send = (whole: boolean) => {
      const sent = (file: string, text: string): MainText => mainText(ids.get(file)!, text, whole ? undefined : this.sent.get(file));
      return theRelay().call(this.projectDir, { type: 'compile', input: { ...input, main: sent(input.mainPath, input.main), shadows: [...input.shadows].map(([file, text]) => [file, sent(file, text)]) } });
    };
    let reply = send(false);
    // A compiler process started since the last compile (the last one stopped, or was replaced) has no text to change.
    if (!reply.ok && reply.resend) reply = send(true);
    if (reply.ok) for (const [file, text] of files) this.sent.set(file, { id: ids.get(file)!, text });
    else this.sent.clear();
    if (!reply.ok) return { pages: 0, diagnostics: [diagnostic(reply.stopped ? 'typst-stopped' : 'typst-error', `${reply.message}; the previous PDF is kept`, {})] };
    const output = reply.value as CompileOutput;
    // Bytes come back from the other process as a plain Uint8Array.
    const pdf = output.pdf && Buffer.from(output.pdf.buffer, output.pdf.byteOffset, output.pdf.byteLength);
    return { ...output, pdf };
  }

  supplements(lang: string, region?: string): Supplements {
    const reply = theRelay().call(this.projectDir, { type: 'supplements', lang, region });
    return reply.ok ? (reply.value as Supplements) : englishSupplements;
  }

  evictStale(): void {
    theRelay().post(this.projectDir, { type: 'evict' });
  }

  /**
   * Idle: the relay thread collects its garbage, the PDFs it passed on
   * (core/collect-garbage.ts), and replaces a compiler process that has
   * compiled RECYCLE_AFTER times.
   */
  collectGarbage(): void {
    // The tests' way to see a replacement without 200 compiles.
    relay?.post(this.projectDir, { type: 'collect', recycleAfter: Number(process.env.THESIS_TEST_TYPST_RECYCLE_AFTER) || RECYCLE_AFTER });
  }

  /** Ends the compiler's process and waits for it (watch, when it closes: nothing is left running). */
  stop(): void {
    relay?.call(this.projectDir, { type: 'quit' });
  }
}
