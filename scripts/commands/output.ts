// How commands talk to the terminal: diagnostics in `path:line:col` form,
// colour only on a TTY and never with NO_COLOR. Commands write to the
// Terminal they are given, never to `process` directly, so the same command
// runs in a process of its own or in-process (tests, editors) alike.
import fs from 'node:fs';
import pc from 'picocolors';
import { formatDiagnostic, sortDiagnostics, terminalSafe, type Diagnostic } from '../core/diagnostics.js';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The toolchain's own terminal controls (clearing a line, the screen), which `write` would show as symbols. */
  writeControl?(sequence: string): unknown;
}

/**
 * The colours the toolchain paints with (picocolors: bold, dim, red, green,
 * yellow, cyan, and their resets): the only escape sequences that pass the
 * guard. Anything else a string holds — a title's OSC 52 (write the
 * clipboard), CSI 2J (clear the screen), OSC 8, a carriage return that would
 * write over the line, right-to-left overrides — is shown as a symbol.
 */
const OWN_COLOUR = /^\x1b\[(?:0|1|2|22|31|32|33|36|39)m/;

/** Text as it may reach a terminal: only our colours act; every other control character is shown (core/diagnostics.ts terminalSafe). */
export function guardText(text: string): string {
  let out = '';
  let plainFrom = 0;
  for (let i = text.indexOf('\x1b'); i >= 0; i = text.indexOf('\x1b', i + 1)) {
    const colour = OWN_COLOUR.exec(text.slice(i, i + 6));
    if (!colour) continue;
    out += terminalSafe(text.slice(plainFrom, i)) + colour[0];
    plainFrom = i + colour[0].length;
    i = plainFrom - 1;
  }
  return out + terminalSafe(text.slice(plainFrom));
}

/** A stream whose every write passes the guard: the one exit for text to a terminal or a pipe. */
export function guardedStream(stream: OutputStream): OutputStream {
  return {
    write: (text: string) => stream.write(guardText(text)),
    isTTY: stream.isTTY,
    writeControl: (sequence: string) => stream.write(sequence),
  };
}

/** The terminal with its streams guarded (runCommandLine does this first, so no command can forget). */
export function guardedTerminal(terminal: Terminal): Terminal {
  return { ...terminal, stdout: guardedStream(terminal.stdout), stderr: guardedStream(terminal.stderr) };
}

export interface Terminal {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Where paths the user typed are resolved from and printed relative to. */
  cwd: string;
  /** NO_COLOR and TERM decide colour. */
  env: Record<string, string | undefined>;
  /** Standard input, read whole (`refs add -`): to its end, which on a terminal is Ctrl-D. */
  readStdin(): Promise<string>;
  /** When the command started, on performance.now()'s clock: the printed time is the command's wall time. */
  startedAt?: number;
}

/** Seconds since the command started, as the user waited for them. */
export function wallSeconds(terminal: Terminal): number {
  return (performance.now() - (terminal.startedAt ?? 0)) / 1000;
}

/**
 * A progress line on a terminal (stderr, cleared when done) for a step that
 * may take more than a second: shown after a second for an asynchronous step
 * (an export, a lookup), at once for a synchronous one (the build, which
 * holds the event loop), with the seconds so far. Nothing off a terminal.
 */
export function progressLine(terminal: Terminal, label: string, options: { atOnce?: boolean } = {}): { done(): void } {
  const stream = terminal.stderr;
  if (!stream.isTTY) return { done() {} };
  const started = performance.now();
  let shown = false;
  const show = () => {
    shown = true;
    const seconds = Math.round((performance.now() - started) / 1000);
    const text = `${label}…${seconds >= 1 ? ` ${seconds} s` : ''}`;
    // The line is cleared by a control of our own; a stream without the guard's side door takes both at once.
    if (stream.writeControl) {
      stream.writeControl('\r\x1b[K');
      stream.write(text);
    } else stream.write(`\r\x1b[K${text}`);
  };
  if (options.atOnce) show();
  const timer = setInterval(show, 1000);
  timer.unref?.();
  return {
    done() {
      clearInterval(timer);
      if (shown) control(stream, '\r\x1b[K');
    },
  };
}

/** Writes one of the toolchain's own terminal controls (through the guard's side door when there is one). */
export function control(stream: OutputStream, sequence: string): void {
  if (stream.writeControl) stream.writeControl(sequence);
  else stream.write(sequence);
}

/** The terminal of this process; npm runs scripts from the package root and says in INIT_CWD where the user was. */
export function processTerminal(): Terminal {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.env.INIT_CWD ?? process.cwd(),
    env: process.env,
    // performance.now() counts from the process's start: the time Node takes to start is the user's too.
    startedAt: 0,
    readStdin: async () => {
      // Reading fd 0 synchronously fails at once (EAGAIN) on a terminal: the stream waits for the paste.
      if (process.stdin.isTTY) process.stderr.write('paste the entries (BibTeX, RIS or CSL-JSON), then press Ctrl-D on a line of its own\n');
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

export function useColour(terminal: Terminal, stream: OutputStream = terminal.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in terminal.env) && terminal.env.TERM !== 'dumb';
}

export function colours(enabled: boolean) {
  return pc.createColors(enabled);
}

export function printDiagnostics(terminal: Terminal, diagnostics: Diagnostic[], stream: OutputStream = terminal.stderr): void {
  const c = colours(useColour(terminal, stream));
  const lines = sortDiagnostics(diagnostics).map((d) =>
    formatDiagnostic(d, terminal.cwd).replace(/: (error|warning|info|note): /, (_m, severity: string) => {
      const paint = severity === 'error' ? c.red : severity === 'warning' ? c.yellow : c.cyan;
      return `: ${paint(severity)}: `;
    }),
  );
  // One write: thousands of small writes to a pipe cost more than the check itself.
  if (lines.length) stream.write(lines.join('\n') + '\n');
}

export function summariseCounts(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}
