import path from 'node:path';
import { diagnosticJson, hasErrors, sortDiagnostics } from '../core/diagnostics.js';
import { ThesisBuild , type ThesisFolder } from '../pipeline.js';
import { deadlineCheck } from '../report/deadline-check.js';
import { buildProgress } from '../report/progress.js';
import { printDiagnostics, summariseCounts, type Terminal } from './output.js';

export function checkCommand(terminal: Terminal, thesis: ThesisFolder, options: { today?: Date; format?: string }): number {
  const projectDir = thesis.dir;
  const result = new ThesisBuild(projectDir, thesis).run({ until: 'format' });
  let diagnostics = result.diagnostics;
  let today: string | undefined;
  if (result.analysis) {
    const report = buildProgress(result.analysis, { today: options.today });
    today = report.today;
    diagnostics = deadlineCheck(result.analysis, report, result.diagnostics);
  }
  diagnostics = sortDiagnostics(diagnostics);
  const ok = !hasErrors(diagnostics) && result.analysis !== undefined;
  if (options.format === 'json') {
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    terminal.stdout.write(
      JSON.stringify(
        {
          ok,
          today,
          errors,
          warnings: diagnostics.filter((d) => d.severity === 'warning').length,
          diagnostics: diagnostics.map((d) => diagnosticJson(d, projectDir)),
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    printDiagnostics(terminal, diagnostics, terminal.stdout);
    terminal.stdout.write(ok ? `ready to submit: ${summariseCounts(diagnostics)}\n` : `not ready to submit: ${summariseCounts(diagnostics)} (${path.relative(terminal.cwd, projectDir) || '.'})\n`);
  }
  return ok ? 0 : 1;
}
