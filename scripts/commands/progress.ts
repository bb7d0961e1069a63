import { ThesisBuild } from '../pipeline.js';
import { progressTable } from '../report/terminal.js';
import { writeProgressReport } from '../report/write-report.js';
import { colours, printDiagnostics, useColour } from './output.js';

export function progressCommand(projectDir: string, options: { today?: Date; format?: string }): number {
  const cwd = process.env.INIT_CWD ?? process.cwd();
  const result = new ThesisBuild(projectDir).run({ until: 'format' });
  if (!result.analysis) {
    printDiagnostics(result.diagnostics, cwd);
    return 1;
  }
  const report = writeProgressReport(result.analysis, options.today);
  if (options.format === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(progressTable(report, colours(useColour())) + '\n');
  return 0;
}
