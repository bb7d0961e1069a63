// Pandoc (pandoc-wasm, the Pandoc project's own WebAssembly build) on a
// thread of its own, called synchronously: the steps that need Pandoc's
// reading of something (the cited BibTeX entries, a raw LaTeX environment)
// and its citeproc are synchronous, like the rest of the pipeline. A call is
// posted to the thread and the main thread sleeps on a shared flag until the
// answer is there (Atomics.wait), then takes it off the port
// (receiveMessageOnPort). Loading Pandoc takes about half a second, all of it
// before the first conversion; `preparePandoc` starts it on the second core
// while the main thread parses the chapters. Its entry file: entry-file.ts.
// (The Word and HTML export, which takes seconds and need not block, has its
// own asynchronous Pandoc thread: export/pandoc-runner.ts.)
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { entryFile } from './entry-file.js';

/** One conversion: Pandoc's options as in a defaults file, its standard input, and the files it may read by name. */
export interface PandocCall {
  options: Record<string, unknown>;
  input: string;
  files: Record<string, string>;
}

export type PandocThreadMessage = { type: 'prepare' } | ({ type: 'convert' } & PandocCall) | { type: 'collect' };
/** One of Pandoc's messages about what it read (`SkippedContent`: a command its reader does not know), with its place in the input. */
export interface PandocMessage {
  type: string;
  contents: string;
  line?: number;
  column?: number;
}

export interface PandocAnswer {
  stdout: string;
  stderr: string;
  /** Pandoc's messages, at the verbosity the call's options ask for (`verbosity: 'INFO'` for skipped input). */
  messages: PandocMessage[];
}

export type PandocThreadReply = ({ ok: true } & PandocAnswer) | { ok: false; message: string };

let workerFile: string | null | undefined;

/** Far above any real call (the reference list of a 5,000-entry library, `nocite: ["@*"]`, takes about a minute). */
const CALL_TIMEOUT_MS = 10 * 60_000;

class PandocThread {
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

  post(message: PandocThreadMessage): void {
    this.port.postMessage(message);
  }

  close(): void {
    void this.worker.terminate();
  }

  convert(call: PandocCall): PandocAnswer {
    Atomics.store(this.done, 0, 0);
    this.port.postMessage({ type: 'convert', ...call } satisfies PandocThreadMessage);
    // The thread answers every call, failures included (pandoc-worker.ts); a
    // thread that died without a word (out of memory) must not hang the build.
    const deadline = performance.now() + CALL_TIMEOUT_MS;
    while (performance.now() < deadline) {
      Atomics.wait(this.done, 0, 0, 1000);
      const message = receiveMessageOnPort(this.port);
      if (!message) continue;
      const reply = message.message as PandocThreadReply;
      if (!reply.ok) throw new Error(reply.message);
      return reply;
    }
    releasePandoc();
    throw new Error(`Pandoc did not answer within ${CALL_TIMEOUT_MS / 60_000} minutes`);
  }
}

let thread: PandocThread | null | undefined;

function pandocThread(): PandocThread | null {
  if (workerFile === undefined) workerFile = entryFile('core/pandoc-worker');
  if (thread === undefined) thread = workerFile ? new PandocThread(workerFile) : null;
  return thread;
}

/** Starts loading Pandoc on its thread (no-op when it is loaded). */
export function preparePandoc(): void {
  pandocThread()?.post({ type: 'prepare' });
}

/** Whether this process runs one command and ends (the CLI), see `pandocDone`. */
let oneOffProcess = false;

/** Said by the CLI's entry: this process builds once, so Pandoc can be freed as soon as it has been used. */
export function pandocOncePerProcess(): void {
  oneOffProcess = true;
}

/**
 * A one-off build is done with Pandoc: end the thread, freeing it (a few
 * hundred megabytes) before Typst lays the document out. A long-lived
 * process (watch, an editor, the test runner) keeps it loaded for the next
 * build, which then does not load Pandoc again.
 */
export function pandocDone(): void {
  if (oneOffProcess) releasePandoc();
}

/** The process is idle (watch, a while after a build): the Pandoc thread collects its garbage (collect-garbage.ts). */
export function collectPandocGarbage(): void {
  thread?.post({ type: 'collect' });
}

/** Ends the Pandoc thread; a later call starts a new one. */
export function releasePandoc(): void {
  thread?.close();
  thread = undefined;
}

/** One Pandoc conversion, waited for; throws with Pandoc's message when the thread fails. */
export function pandocSync(call: PandocCall): PandocAnswer {
  const worker = pandocThread();
  if (!worker) throw new Error('the Pandoc thread cannot be started (its entry file is missing)');
  return worker.convert(call);
}

/** Pandoc's error, in one line. */
export function pandocError(stderr: string, fallback: string): string {
  return stderr.replace(/^ERROR:\s*/, '').split('\n').filter(Boolean).slice(0, 3).join(' ') || fallback;
}
