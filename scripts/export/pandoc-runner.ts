// Pandoc, embedded: pandoc-wasm (the Pandoc project's own WebAssembly build,
// from npm) on a worker thread of its own. Loading it takes about half a
// second and a conversion holds its thread for a second or more, so it never
// runs on the thread that builds the PDF or answers watch's file events.
// The worker is started on first use and kept for the next conversion.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface PandocRequest {
  /** Pandoc's options as in a defaults file (`from`, `to`, `output-file`, `standalone`, …). */
  options: Record<string, unknown>;
  /** What Pandoc reads on standard input. */
  input: string | null;
  /** Files Pandoc may read (images, a reference document, an input document), by the name it is given. */
  files: Record<string, Uint8Array | string>;
}

export interface PandocResult {
  /** The `output-file`'s bytes, when one was asked for. */
  output?: Uint8Array;
  stdout: string;
  stderr: string;
  /** Pandoc's warnings (not its informational messages), as it words them. */
  warnings: string[];
}

// Plain JavaScript evaluated in the worker: it imports pandoc-wasm from its
// file and answers each request with the output file's bytes.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = import(workerData.entry);
parentPort.on('message', async ({ id, options, input, files }) => {
  try {
    const { convert } = await loaded;
    const given = {};
    for (const [name, data] of Object.entries(files)) given[name] = typeof data === 'string' ? data : new Blob([data]);
    const result = await convert(options, input, given);
    const file = options['output-file'] ? result.files[options['output-file']] : undefined;
    const output = file ? new Uint8Array(await file.arrayBuffer()) : undefined;
    const warnings = (result.warnings || []).filter((w) => w.verbosity === 'WARNING').map((w) => w.pretty || w.message || w.type);
    parentPort.postMessage({ id, ok: true, stdout: result.stdout ?? '', stderr: result.stderr ?? '', warnings, output });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, message: String((error && error.message) || error) });
  }
});
`;

type Reply = { id: number; ok: true; stdout: string; stderr: string; warnings: string[]; output?: Uint8Array } | { id: number; ok: false; message: string };

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: (result: PandocResult) => void; reject: (error: Error) => void }>();

function pandocWorker(): Worker {
  if (worker) return worker;
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('pandoc-wasm')).href;
  const started = new Worker(workerSource, { eval: true, workerData: { entry } });
  started.on('message', (reply: Reply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (!pending) return;
    if (reply.ok) pending.resolve({ stdout: reply.stdout, stderr: reply.stderr, warnings: reply.warnings, ...(reply.output ? { output: reply.output } : {}) });
    else pending.reject(new Error(reply.message));
    if (waiting.size === 0) started.unref();
  });
  started.on('error', (error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
    worker = null;
  });
  started.on('exit', () => {
    for (const pending of waiting.values()) pending.reject(new Error('Pandoc stopped before it answered'));
    waiting.clear();
    worker = null;
  });
  worker = started;
  return started;
}

/** One Pandoc run; rejects with Pandoc's message when it fails. */
export function runPandoc(request: PandocRequest): Promise<PandocResult> {
  const thread = pandocWorker();
  // Holds the process open only while a conversion is under way.
  thread.ref();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    thread.postMessage({ id, ...request });
  });
}

/** Stops the Pandoc thread (its memory goes with it); the next run starts a new one. */
export async function stopPandoc(): Promise<void> {
  const running = worker;
  worker = null;
  if (running) await running.terminate();
}
