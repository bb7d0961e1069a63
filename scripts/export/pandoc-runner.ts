// Pandoc, embedded: pandoc-wasm (the Pandoc project's own WebAssembly build,
// from npm) on a worker thread of its own. Loading it takes about half a
// second and a conversion holds its thread for a second or more, so it never
// runs on the thread that builds the PDF or answers watch's file events.
// The worker is started on first use and kept for the next conversion.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

const MEDIA_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.svg': 'image/svg+xml', '.webp': 'image/webp', '.pdf': 'application/pdf', '.css': 'text/css' };

/** A file given to Pandoc as a data: URI, which Pandoc reads without touching the disk. */
function dataUri(name: string, data: Uint8Array | string): string {
  return `data:${MEDIA_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream'};base64,${Buffer.from(data).toString('base64')}`;
}

/**
 * What a sandboxed Pandoc cannot read from files, inside the request: the
 * images the document shows and the stylesheet, as data: URIs.
 */
function withFilesInline(request: PandocRequest): PandocRequest {
  if (request.options.from !== 'json' || request.input === null) return request;
  const inline = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(inline);
    if (!value || typeof value !== 'object') return value;
    const node = value as { t?: string; c?: unknown };
    // Image: [attributes, caption inlines, [target, title]]
    if (node.t === 'Image' && Array.isArray(node.c) && Array.isArray(node.c[2])) {
      const [target, title] = node.c[2] as [string, string];
      const data = request.files[target];
      return { t: 'Image', c: [node.c[0], inline(node.c[1]), [data === undefined ? target : dataUri(target, data), title]] };
    }
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, inline(child)]));
  };
  const css = Array.isArray(request.options.css) ? (request.options.css as string[]).map((name) => (request.files[name] === undefined ? name : dataUri(name, request.files[name]))) : request.options.css;
  return { ...request, input: JSON.stringify(inline(JSON.parse(request.input))), options: { ...request.options, ...(css === undefined ? {} : { css }) } };
}

/**
 * A Pandoc installed on the machine, when the user names it (`THESIS_PANDOC=/usr/bin/pandoc`):
 * the same options as a defaults file, the files in a folder of its own that is removed after.
 * It runs with `--sandbox`, as Pandoc's security notes ask for untrusted input: its readers and
 * writers read no file of the machine (images and the stylesheet come inside the request).
 */
async function runSystemPandoc(executable: string, given: PandocRequest): Promise<PandocResult> {
  const request = withFilesInline(given);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'thesis-pandoc-'));
  try {
    for (const [name, data] of Object.entries(request.files)) fs.writeFileSync(path.join(folder, path.basename(name)), data);
    fs.writeFileSync(path.join(folder, 'defaults.json'), JSON.stringify(request.options));
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(executable, ['--sandbox', '--defaults', 'defaults.json'], { cwd: folder, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stdout: out, stderr: err }));
      child.stdin.end(request.input ?? '');
    });
    if (code !== 0) throw new Error(stderr.trim().split('\n')[0] || `${executable} ended with exit code ${code}`);
    const outputFile = request.options['output-file'];
    const output = typeof outputFile === 'string' && fs.existsSync(path.join(folder, outputFile)) ? new Uint8Array(fs.readFileSync(path.join(folder, outputFile))) : undefined;
    const warnings = stderr.split('\n').filter((line) => line.startsWith('[WARNING]')).map((line) => line.replace(/^\[WARNING\]\s*/, ''));
    return { stdout, stderr, warnings, ...(output ? { output } : {}) };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/** One Pandoc run; rejects with Pandoc's message when it fails. */
export function runPandoc(request: PandocRequest): Promise<PandocResult> {
  const system = process.env.THESIS_PANDOC;
  if (system) return runSystemPandoc(system, request);
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
