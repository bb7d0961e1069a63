// The formatting thread's side (see format-thread.ts): loads Pandoc when
// asked to prepare, answers readings of BibTeX entries and formatting runs. Every failure becomes an answer, so the
// main thread, asleep until the answer comes, is always woken.
import { workerData, type MessagePort } from 'node:worker_threads';
import { collectGarbage } from '../core/collect-garbage.js';
import type { FormatThreadMessage, FormatThreadReply } from './format-thread.js';

const { port, done } = workerData as { port: MessagePort; done: Int32Array };

function reply(answer: FormatThreadReply): void {
  port.postMessage(answer);
  Atomics.store(done, 0, 1);
  Atomics.notify(done, 0);
}

let pendingRun = false;
process.on('uncaughtException', (error) => {
  if (pendingRun) reply({ ok: false, message: `formatting thread failed: ${error.message}` });
});

port.on('message', (message: FormatThreadMessage) => {
  if (message.type === 'collect') return collectGarbage();
  if (message.type === 'prepare') {
    // Loads Pandoc while the main thread parses; a failure here is reported by the run that needs it.
    import('./pandoc-bibtex-reader.js').then(({ loadPandoc }) => loadPandoc()).catch(() => undefined);
    return;
  }
  pendingRun = true;
  const answer: Promise<FormatThreadReply> =
    message.type === 'read-bibtex'
      ? import('./pandoc-bibtex-reader.js').then(({ readBibtexWithPandoc }) => readBibtexWithPandoc(message.request)).then((reading) => ({ ok: true, reading }))
      : import('./pandoc-citeproc.js').then(({ formatWithPandoc }) => formatWithPandoc(message.request)).then((run) => ({ ok: true, run }));
  answer
    .then(reply, (error: Error) => reply({ ok: false, message: `Pandoc failed: ${String(error?.message ?? error).split('\n')[0]}` }))
    .finally(() => (pendingRun = false));
});
