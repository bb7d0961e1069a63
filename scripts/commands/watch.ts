// `thesis watch`: a status line per rebuild and its diagnostics, the screen
// kept tidy on a terminal (as `tsc --watch` does), plain lines otherwise.
import { relativePath } from '../diagnostics.js';
import { ThesisWatcher, type WatchBuild } from '../watch/watcher.js';
import { colours, printDiagnostics, summariseCounts, useColour } from './output.js';

export async function watchCommand(projectDir: string, options: { strict?: boolean; today?: Date }): Promise<number> {
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const tty = Boolean(process.stdout.isTTY);
  const c = colours(useColour());
  const report = ({ result, changed, milliseconds }: WatchBuild) => {
    if (tty) process.stdout.write('\x1b[2J\x1b[3J\x1b[H');
    const time = new Date().toTimeString().slice(0, 8);
    const what = changed.length === 0 ? 'first build' : changed.map((f) => relativePath(f, cwd)).join(', ');
    const status = result.ok
      ? c.green(`built in ${Math.round(milliseconds)} ms: ${result.pages} pages, ${summariseCounts(result.diagnostics)}`)
      : c.red(`build failed in ${Math.round(milliseconds)} ms (${summariseCounts(result.diagnostics)}); the last good PDF stays`);
    process.stdout.write(`[${time}] ${what} → ${status}\n`);
    printDiagnostics(result.diagnostics, cwd, process.stdout);
    if (tty) process.stdout.write(c.dim('watching for changes; Ctrl-C to stop\n'));
  };
  const watcher = new ThesisWatcher(projectDir, options, report);
  await watcher.start();
  if (!tty) process.stdout.write('watching for changes; Ctrl-C to stop\n');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await watcher.close();
  return 0;
}
