// The Pandoc thread's side (see pandoc-thread.ts): loads pandoc-wasm when
// asked to prepare, answers each conversion with Pandoc's output. Every
// failure becomes an answer, so the main thread, asleep until the answer
// comes, is always woken.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { workerData, type MessagePort } from 'node:worker_threads';
import { collectGarbage } from './collect-garbage.js';
import type { PandocThreadMessage, PandocThreadReply } from './pandoc-thread.js';

const { port, done } = workerData as { port: MessagePort; done: Int32Array };

type Convert = (
  options: Record<string, unknown>,
  input: string,
  files: Record<string, string>,
) => Promise<{ stdout?: string; stderr?: string; warnings?: { type?: string; contents?: string; line?: number; column?: number }[] }>;

let loaded: Promise<Convert> | undefined;

/** pandoc-wasm's `convert`, loaded once (about half a second); by its file's URL, as a 56 MB WebAssembly module is no part of a bundle. */
function loadPandoc(): Promise<Convert> {
  loaded ??= import(pathToFileURL(createRequire(import.meta.url).resolve('pandoc-wasm')).href).then((module: { convert: Convert }) => module.convert);
  return loaded;
}

function reply(answer: PandocThreadReply): void {
  port.postMessage(answer);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}

let pending = false;
process.on('uncaughtException', (error) => {
  if (pending) reply({ ok: false, message: `the Pandoc thread failed: ${error.message}` });
});

port.on('message', (message: PandocThreadMessage) => {
  if (message.type === 'collect') return collectGarbage();
  if (message.type === 'prepare') {
    // A failure here is reported by the conversion that needs Pandoc.
    loadPandoc().catch(() => undefined);
    return;
  }
  pending = true;
  loadPandoc()
    .then((convert) => convert(message.options, message.input, message.files))
    .then(
      (result) =>
        reply({
          ok: true,
          stdout: result.stdout ?? '',
          stderr: result.stderr ?? '',
          messages: (result.warnings ?? []).map((m) => ({ type: String(m.type ?? ''), contents: String(m.contents ?? ''), ...(m.line ? { line: m.line, column: m.column } : {}) })),
        }),
      (error: Error) => reply({ ok: false, message: `Pandoc failed: ${String(error?.message ?? error).split('\n')[0]}` }),
    )
    .finally(() => (pending = false));
});
