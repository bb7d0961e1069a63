// How commands talk to the terminal: diagnostics in `path:line:col` form,
// colour only on a TTY and never with NO_COLOR.
import pc from 'picocolors';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics.js';

export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

export function colours(enabled = useColour()) {
  return pc.createColors(enabled);
}

export function printDiagnostics(diagnostics: Diagnostic[], cwd: string, stream: NodeJS.WriteStream = process.stderr): void {
  const c = colours(useColour(stream));
  const lines = sortDiagnostics(diagnostics).map((d) =>
    formatDiagnostic(d, cwd).replace(/: (error|warning|info): /, (_m, severity: string) => {
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
