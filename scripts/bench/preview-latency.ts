// The live preview as a writer meets it: `node preview-latency.js <thesis dir>
// <chapter file> <saves> [pause ms] [end|middle]` starts `thesis preview` in a process of its own,
// opens its page in Chromium (@sparticuz/chromium with playwright-core, dev
// dependencies), and prints JSON: for each save (a word appended to the
// chapter), the milliseconds from the save to the page having drawn the new
// build (`previewState.painted`), and the build's own time as the preview
// printed it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './browser.js';

// The pause between saves (ms): 300 as someone saving while typing; longer, as someone who stops to think (after 3 s
// without a build watch collects its garbage, and the caches the next save meets are cold).
// Where the words are typed: at the end of the chapter (`end`), or at the end of a paragraph half way through it (`middle`).
const [dir, chapterFile, saves = '5', pause = '300', where = 'end'] = process.argv.slice(2);
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'cli.bundle.js');

async function until<T>(probe: () => Promise<T | null | undefined | false>, timeout = 120_000, pauseMs = 5): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > timeout) throw new Error('the preview did not answer in time');
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

const child = spawn(process.execPath, [cli, 'preview', dir, '--no-open'], { cwd: dir, stdio: 'pipe', env: { ...process.env, NO_COLOR: '1', INIT_CWD: dir } });
let output = '';
child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
const browser = await launchBrowser();
const original = fs.readFileSync(chapterFile, 'utf8');
try {
  const url = await until(async () => /preview at (\S+)/.exec(output)?.[1]);
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
  await page.goto(url);
  type State = { painted?: number; paintedFull?: number; paintedAt?: number; paintedFullAt?: number; draftDrawnAt?: number; draftTextAt?: number | null; timings?: unknown; draftTimings?: unknown };
  const state = () => page.evaluate(() => (window as unknown as { previewState: State }).previewState);
  // The page's state once `key` has passed `count`, waited for inside the page: asking the page every few
  // milliseconds from here took a share of the cores the save's build and the drawing need.
  const stateAfter = (key: 'painted' | 'paintedFull', count: number) =>
    page.evaluate(
      ([key, count]) =>
        new Promise<State>((resolve) => {
          const check = () => {
            const now = (window as unknown as { previewState: State }).previewState;
            if ((now[key] ?? 0) > count) resolve(now);
            else setTimeout(check, 50);
          };
          check();
        }),
      [key, count] as const,
    );
  await until(async () => ((await state()).paintedFull ?? 0) >= 1);
  // The first save comes as the others do, a moment after the pages are there (the page and the preview
  // finish what they do after the first build meanwhile: a page drawn off screen, a draft rehearsed).
  await new Promise((resolve) => setTimeout(resolve, 300));
  // Save to the first new pages painted (the draft of the pages around the edit, when there is one),
  // and to the whole thesis's pages painted.
  const toPainted: number[] = [];
  const toFull: number[] = [];
  const toDraftPages: (number | null)[] = [];
  // To the draft's words in the page's text layer (what a browser's find, or a test reading the page, sees).
  const toText: (number | null)[] = [];
  const builds: number[] = [];
  const inPage: { draft: unknown; full: unknown }[] = [];
  for (let i = 0; i < Number(saves); i++) {
    const before = await state();
    const printed = output.length;
    const wall = Date.now();
    // A word added to the last paragraph of the chapter, as a writer types at the end of what they wrote, or to a
    // paragraph half way through it, as one goes back to a passage.
    if (where === 'middle') {
      const lines = fs.readFileSync(chapterFile, 'utf8').split('\n');
      let at = Math.floor(lines.length / 2);
      while (at < lines.length - 1 && !(/^[A-Z][a-z]/.test(lines[at]) && lines[at + 1] === '')) at++;
      lines[at] += ` Benchword${i}.`;
      fs.writeFileSync(chapterFile, lines.join('\n'));
    } else fs.appendFileSync(chapterFile, ` Benchword${i}.`);
    // The page notes when it painted, by the wall clock: waiting for it adds nothing.
    const first = await stateAfter('painted', before.painted ?? 0);
    toPainted.push(first.paintedAt! - wall);
    const after = await stateAfter('paintedFull', before.paintedFull ?? 0);
    toFull.push(after.paintedFullAt! - wall);
    // The draft's other pages in view, drawn after the one holding the edit.
    toDraftPages.push(after.draftDrawnAt && after.draftDrawnAt > wall ? after.draftDrawnAt - wall : null);
    toText.push(after.draftTextAt && after.draftTextAt > wall ? after.draftTextAt - wall : null);
    const draft = after.draftTimings as { sent: number; sentAt: number } | undefined;
    // How long the watcher took to hear of the save (its event to the draft sent is in the timings).
    inPage.push({ draft: draft ? { ...draft, heard: draft.sentAt - draft.sent - wall } : null, full: after.timings });
    const built = /built in (\d+) ms/.exec(output.slice(printed));
    if (built) builds.push(Number(built[1]));
    await new Promise((resolve) => setTimeout(resolve, Number(pause)));
  }
  process.stdout.write(`${JSON.stringify({ toPainted, toText, toDraftPages, toFull, builds, inPage })}\n`);
} finally {
  fs.writeFileSync(chapterFile, original);
  await browser.close();
  child.kill('SIGINT');
}
