// The Typst compiler's own process (see typst-process.ts). Started with the
// project folder as its argument, it keeps one compiler, so watch rebuilds
// stay incremental, and answers each request on the IPC channel. A panic in
// the compiler (a native addon: a panic aborts the process it runs in) ends
// this process only; the toolchain reports it and starts another.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { collectGarbage } from '../core/collect-garbage.js';
import { TypstCompiler, type CompileInput } from './typst-compiler.js';
import { receivedText, type MainText } from './main-text.js';

export type TypstRequest =
  | { type: 'compile'; input: Omit<CompileInput, 'shadows' | 'main'> & { shadows: [string, MainText][]; main: MainText } }
  | { type: 'supplements'; lang: string; region?: string }
  | { type: 'evict' };

/** `resend`: the main text came as a change to a text this process does not have (it was started since): send it whole. */
export type TypstServerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string; resend?: true };

const projectDir = process.argv[2];
// The live preview runs Typst behind the browser that draws its pages: the whole thesis is compiled
// while the page draws the draft of the pages around an edit, and on two cores the draft must not
// wait for it (THESIS_TYPST_NICE, set by `thesis preview`). Set before the compiler starts its
// threads, which take this process's priority.
const nice = Number(process.env.THESIS_TYPST_NICE);
if (Number.isInteger(nice) && nice > 0) {
  try {
    os.setPriority(Math.min(nice, 19));
  } catch {
    // A system that refuses: Typst runs at the usual priority.
  }
}
const compiler = new TypstCompiler(projectDir);
/** The text last received for each file (the main file, the shadows): the next comes as a change to it (main-text.ts). */
const received = new Map<string, { id: number; text: string }>();

/** A file's text as it was sent, kept for the next; throws when it came as a change to a text this process does not have. */
function receive(file: string, sent: MainText): string {
  const text = receivedText(sent, received.get(file));
  if (text === null) throw new ResendWhole();
  received.set(file, { id: sent.id, text });
  return text;
}

/** A compile's main text came as a change to one this process does not have. */
class ResendWhole extends Error {}

function answer(request: TypstRequest): unknown {
  switch (request.type) {
    case 'compile': {
      const main = receive(request.input.mainPath, request.input.main);
      const shadows = new Map(request.input.shadows.map(([file, sent]) => [file, receive(file, sent)]));
      // For the tests of what happens when Typst panics: no input is known to make the pinned compiler abort.
      if (process.env.THESIS_TEST_TYPST_ABORT && main.includes(process.env.THESIS_TEST_TYPST_ABORT)) {
        process.stderr.write("thread '<unnamed>' panicked at crates/typst-pdf/src/lib.rs:1:1:\nthe test's stand-in for a Typst panic\n");
        process.abort();
      }
      return compiler.compile({ ...request.input, main, shadows });
    }
    case 'supplements':
      return compiler.supplements(request.lang, request.region);
    case 'evict':
      compiler.evictStale();
      return null;
  }
}

process.on('message', ({ id, request }: { id: number; request: TypstRequest }) => {
  let reply: TypstServerReply;
  try {
    reply = { id, ok: true, value: answer(request) };
  } catch (error) {
    reply = error instanceof ResendWhole ? { id, ok: false, message: 'the main text is not here', resend: true } : { id, ok: false, message: String((error as Error).message ?? error).split('\n')[0] };
  }
  if (request.type === 'evict') return;
  process.send!(reply);
  // Each compile's document is Typst's whole layout held by a small JavaScript
  // object, which V8 sees as small and leaves uncollected: a watch session grew
  // this process by 0.15 MB a build, 0.4 MB a build for a plain compile loop.
  // This heap is only the requests, so a full collection takes milliseconds,
  // and it runs after the answer has gone.
  if (request.type === 'compile') setImmediate(collectGarbage);
});
// The toolchain went away (it ended, or was killed): so does its compiler.
process.on('disconnect', () => process.exit(0));
// A compile in progress holds this thread (the compiler is synchronous native code), so the
// 'disconnect' above would wait for it: a thread of its own ends this process as soon as the
// toolchain's process is gone, whatever this one is doing (a command killed mid-build, Ctrl-C in CI).
const watchParent = new Worker(
  `const { workerData } = require('node:worker_threads');
  setInterval(() => {
    let gone = process.ppid !== workerData.parent;
    try { process.kill(workerData.parent, 0); } catch (error) { gone = gone || error.code === 'ESRCH'; }
    if (gone) process.kill(process.pid, 'SIGKILL');
  }, 250);`,
  { eval: true, workerData: { parent: process.ppid } },
);
watchParent.unref();
