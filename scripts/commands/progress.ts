import { ThesisBuild, type ThesisFolder } from '../pipeline.js';
import { progressTable } from '../report/terminal.js';
import { writeProgressReport } from '../report/write-report.js';
import { colours, printDiagnostics, useColour, type Terminal } from './output.js';

export function progressCommand(terminal: Terminal, thesis: ThesisFolder, options: { today?: Date; format?: string }): number {
  const projectDir = thesis.dir;
  const result = new ThesisBuild(projectDir, thesis).run({ until: 'format' });
  if (!result.analysis) {
    printDiagnostics(terminal, result.diagnostics);
    return 1;
  }
  const report = writeProgressReport(result.analysis, options.today);
  if (options.format === 'json') terminal.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else terminal.stdout.write(progressTable(report, colours(useColour(terminal))) + '\n');
  return 0;
}
