// `thesis watch`: a status line per rebuild and its diagnostics, the screen
// kept tidy on a terminal (as `tsc --watch` does), plain lines otherwise.
import { isExportFormat } from '../core/output-formats.js';
import type { ThesisFolder } from '../pipeline.js';
import { relativePath, terminalSafe } from '../core/diagnostics.js';
import { ThesisWatcher, type WatchBuild, type WatchExport } from '../watch/watcher.js';
import type { ExportFormat } from '../export/document.js';
import { colours, control, printDiagnostics, summariseCounts, useColour, type Terminal } from './output.js';

export async function watchCommand(terminal: Terminal, thesis: ThesisFolder, options: { strict?: boolean; today?: Date; to?: string[] }): Promise<number> {
  const projectDir = thesis.dir;
  const tty = Boolean(terminal.stdout.isTTY);
  const c = colours(useColour(terminal));
  const report = ({ result, changed, milliseconds }: WatchBuild) => {
    if (tty) control(terminal.stdout, '\x1b[2J\x1b[3J\x1b[H');
    const time = new Date().toTimeString().slice(0, 8);
    const what = changed.length === 0 ? 'first build' : terminalSafe(changed.map((f) => relativePath(f, terminal.cwd)).join(', '));
    const status = result.ok
      ? c.green(`built in ${Math.round(milliseconds)} ms: ${result.pages} pages, ${summariseCounts(result.diagnostics)}`)
      : c.red(`build failed in ${Math.round(milliseconds)} ms (${summariseCounts(result.diagnostics)}); the last good PDF stays`);
    terminal.stdout.write(`[${time}] ${what} → ${status}\n`);
    printDiagnostics(terminal, result.diagnostics, terminal.stdout);
    if (tty) terminal.stdout.write(c.dim('watching for changes; Ctrl-C to stop\n'));
  };
  // The PDF is always kept current (watch previews it); the other outputs follow at their own pace.
  const exportFormats = (options.to ?? []).filter(isExportFormat);
  const exported = ({ written, diagnostics, milliseconds }: WatchExport) => {
    const time = new Date().toTimeString().slice(0, 8);
    const files = written.map((file) => relativePath(file, terminal.cwd)).join(', ');
    terminal.stdout.write(`[${time}] ${files ? `${files} updated in ${Math.round(milliseconds)} ms` : c.red('the other outputs were not written')}\n`);
    printDiagnostics(terminal, diagnostics, terminal.stdout);
  };
  const watcher = new ThesisWatcher(projectDir, { ...options, exportFormats, allow: thesis.allow }, report, (diagnostics) => printDiagnostics(terminal, diagnostics, terminal.stdout), exported);
  await watcher.start();
  if (!tty) terminal.stdout.write('watching for changes; Ctrl-C to stop\n');
  // A second signal while closing (a second Ctrl-C, npm passing one on) is
  // taken too, not left to kill the process: closing is short and bounded
  // (Typst's process is killed after 2 s), and the exit code stays 0.
  let signalled = () => {};
  const stopped = new Promise<void>((resolve) => (signalled = resolve));
  process.on('SIGINT', signalled);
  process.on('SIGTERM', signalled);
  await stopped;
  await watcher.close();
  // The handlers stay: a signal after closing, while the process ends (its threads and Typst's process
  // going), is taken as well (left to Node, it ended the process with 130). They keep nothing alive.
  return 0;
}
