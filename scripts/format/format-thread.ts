// The formatting thread: Pandoc (pandoc-wasm) reads the cited entries and
// formats the citations there. Loading Pandoc takes about half a second, all
// of it before the first citation is formatted; on a second core it happens
// while the main thread parses the chapters, so a cold build no longer waits
// for it. The pipeline stays synchronous: a run is posted to
// the thread and the main thread sleeps on a shared flag until the answer is
// there (Atomics.wait), then takes it off the port (receiveMessageOnPort).
// Its entry file: core/entry-file.ts.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { entryFile } from '../core/entry-file.js';
import type { PandocBibtexReading, PandocBibtexRequest } from './pandoc-bibtex-reader.js';
import type { PandocCiteprocRequest, PandocCiteprocResult } from './pandoc-citeproc.js';

export type FormatThreadMessage =
  | { type: 'prepare' }
  | { type: 'run'; request: PandocCiteprocRequest }
  | { type: 'read-bibtex'; request: PandocBibtexRequest }
  | { type: 'collect' };
export type FormatThreadReply = { ok: true; run: PandocCiteprocResult } | { ok: true; reading: PandocBibtexReading } | { ok: false; message: string };

let workerFile: string | null | undefined;

/** Far above any real run (a reference list of 5,000 entries, `nocite: ["@*"]`, takes about a minute). */
const RUN_TIMEOUT_MS = 10 * 60_000;

class FormatThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly done = new Int32Array(new SharedArrayBuffer(4));

  constructor(workerFile: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(workerFile, { workerData: { port: port2, done: this.done }, transferList: [port2] });
    // Never keeps a finished command alive.
    this.worker.unref();
    this.port.unref();
  }

  post(message: FormatThreadMessage): void {
    this.port.postMessage(message);
  }

  close(): void {
    void this.worker.terminate();
  }

  run(request: PandocCiteprocRequest): PandocCiteprocResult {
    const reply = this.ask({ type: 'run', request });
    if (!('run' in reply)) throw new Error('the formatting thread answered another question');
    return reply.run;
  }

  readBibtex(request: PandocBibtexRequest): PandocBibtexReading {
    const reply = this.ask({ type: 'read-bibtex', request });
    if (!('reading' in reply)) throw new Error('the formatting thread answered another question');
    return reply.reading;
  }

  private ask(question: FormatThreadMessage): Exclude<FormatThreadReply, { ok: false }> {
    Atomics.store(this.done, 0, 0);
    this.port.postMessage(question);
    // The thread answers every run, failures included (format-worker.ts); a
    // thread that died without a word (out of memory) must not hang the build.
    const deadline = performance.now() + RUN_TIMEOUT_MS;
    while (performance.now() < deadline) {
      Atomics.wait(this.done, 0, 0, 1000);
      const message = receiveMessageOnPort(this.port);
      if (!message) continue;
      const reply = message.message as FormatThreadReply;
      if (!reply.ok) throw new Error(reply.message);
      return reply;
    }
    releaseFormatting();
    throw new Error(`the formatting thread did not answer within ${RUN_TIMEOUT_MS / 60_000} minutes`);
  }
}

let thread: FormatThread | null | undefined;

function formatThread(): FormatThread | null {
  if (workerFile === undefined) workerFile = entryFile('format/format-worker');
  if (thread === undefined) thread = workerFile ? new FormatThread(workerFile) : null;
  return thread;
}

/** Starts loading Pandoc on the formatting thread (no-op when it is loaded). */
export function prepareFormatting(): void {
  formatThread()?.post({ type: 'prepare' });
}

/** Whether this process runs one command and ends (the CLI), see `formattingDone`. */
let oneOffProcess = false;

/** Said by the CLI's entry: this process builds once, so Pandoc can be freed as soon as it is used. */
export function formattingOncePerProcess(): void {
  oneOffProcess = true;
}

/**
 * A one-off build is done formatting: end the thread, freeing Pandoc (a few
 * hundred megabytes) before Typst lays the document out. A long-lived
 * process (watch, an editor, the test runner) keeps it loaded for the next
 * build, which then formats without loading Pandoc again.
 */
export function formattingDone(): void {
  if (oneOffProcess) releaseFormatting();
}

/** The process is idle (watch, a while after a build): the formatting thread collects its garbage (core/collect-garbage.ts). */
export function collectFormattingGarbage(): void {
  thread?.post({ type: 'collect' });
}

/** Ends the formatting thread; a later run starts a new one. */
export function releaseFormatting(): void {
  thread?.close();
  thread = undefined;
}

/** One run of Pandoc's citeproc, on the formatting thread. */
export function formatOnThread(request: PandocCiteprocRequest): PandocCiteprocResult {
  const worker = formatThread();
  if (!worker) throw new Error('the formatting thread cannot be started (its entry file is missing)');
  return worker.run(request);
}

/**
 * Pandoc's reading of BibTeX entries (pandoc-bibtex-reader.ts), on the
 * formatting thread; null when there is no thread to run it on, and the
 * entries are then used as the toolchain's own reader read them.
 */
export function readBibtexOnThread(request: PandocBibtexRequest): PandocBibtexReading | null {
  const worker = formatThread();
  return worker ? worker.readBibtex(request) : null;
}
