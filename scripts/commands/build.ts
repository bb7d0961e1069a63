import path from 'node:path';
import { ThesisBuild } from '../pipeline.js';
import type { PdfStandardName } from '../read/config-schema.js';
import { printDiagnostics, summariseCounts, type Terminal } from './output.js';
import { writeProgressReport } from '../report/write-report.js';

export interface BuildCommandOptions {
  strict?: boolean;
  today?: Date;
  typst?: boolean;
  pdfStandard?: PdfStandardName;
}

export function buildCommand(terminal: Terminal, projectDir: string, options: BuildCommandOptions): number {
  const build = new ThesisBuild(projectDir);
  const result = build.run({ strict: options.strict, writeTypst: options.typst, pdfStandard: options.pdfStandard });
  // The progress report comes with every good build; a failed one keeps the last.
  if (result.ok && result.analysis) writeProgressReport(result.analysis, options.today);
  printDiagnostics(terminal, result.diagnostics);
  const citations = result.analysis?.citations.reduce((n, use) => n + use.node.items.length, 0) ?? 0;
  const references = result.analysis?.formatted?.references.length ?? 0;
  const where = result.pdfFile ? path.relative(terminal.cwd, result.pdfFile) || result.pdfFile : 'no PDF written';
  if (result.ok) {
    terminal.stdout.write(`${where}: ${result.pages} pages, ${citations} citations, ${references} references, ${summariseCounts(result.diagnostics)}, ${result.seconds.toFixed(2)} s\n`);
    return 0;
  }
  terminal.stdout.write(`build failed (${summariseCounts(result.diagnostics)}); the previous PDF, if any, is unchanged, ${result.seconds.toFixed(2)} s\n`);
  return 1;
}
