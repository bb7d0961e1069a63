// The formatting thread's side (see format-thread.ts): builds engines when
// asked to prepare, answers runs. Every failure becomes an answer, so the
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

const engine = import('./citeproc-engine.js');

port.on('message', (message: FormatThreadMessage) => {
  if (message.type === 'collect') return collectGarbage();
  if (message.type === 'read-bibtex') {
    pendingRun = true;
    import('./pandoc-bibtex-reader.js')
      .then(({ readBibtexWithPandoc }) => readBibtexWithPandoc(message.request))
      .then(
        (reading) => reply({ ok: true, reading }),
        (error: Error) => reply({ ok: false, message: `Pandoc cannot read the bibliography: ${error.message.split('\n')[0]}` }),
      )
      .finally(() => (pendingRun = false));
    return;
  }
  if (message.type === 'run') pendingRun = true;
  engine.then(
    ({ prepareEngine, runCiteproc }) => {
      try {
        if (message.type === 'prepare') prepareEngine(message.styleXml, message.localeTag);
        else reply({ ok: true, run: runCiteproc(message.request) });
      } catch (error) {
        // A style citeproc-js cannot build is reported by the run that needs it.
        if (message.type === 'run') reply({ ok: false, message: (error as Error).message.split('\n')[0] });
      }
      pendingRun = false;
    },
    (error: Error) => {
      if (message.type === 'run') reply({ ok: false, message: `formatting thread cannot load citeproc-js: ${error.message}` });
    },
  );
});
