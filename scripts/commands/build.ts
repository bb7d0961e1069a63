import path from 'node:path';
import { isExportFormat, type OutputFormat } from '../core/output-formats.js';
import { ThesisBuild, type ThesisFolder } from '../pipeline.js';
import type { PdfStandardName } from '../read/config-schema.js';
import { printDiagnostics, progressLine, summariseCounts, wallSeconds, type Terminal } from './output.js';
import { writeProgressReport } from '../report/write-report.js';
import { hasErrors } from '../core/diagnostics.js';

export interface BuildCommandOptions {
  /** `--no-raw`: raw Typst and raw HTML are not run or copied (a thesis one does not trust). */
  raw?: boolean;
  /** The outputs: `pdf` and any of Pandoc's `docx`, `html`, `odt`, `epub` (default: the PDF alone). */
  to?: OutputFormat[];
  strict?: boolean;
  today?: Date;
  typst?: boolean;
  pdfStandard?: PdfStandardName;
}


export async function buildCommand(terminal: Terminal, thesis: ThesisFolder, options: BuildCommandOptions): Promise<number> {
  const projectDir = thesis.dir;
  const formats = options.to ?? ['pdf'];
  const pdf = formats.includes('pdf');
  const others = formats.filter(isExportFormat);
  const build = new ThesisBuild(projectDir, thesis);
  // Without the PDF the steps stop once the citations are formatted: the other outputs start from there.
  const building = progressLine(terminal, pdf ? 'typesetting the thesis' : 'reading the thesis', { atOnce: true });
  const result = build.run({ strict: options.strict, writeTypst: options.typst, pdfStandard: options.pdfStandard, raw: options.raw, ...(pdf ? {} : { until: 'format' as const }) });
  building.done();
  let ok = result.ok;
  const exporting = progressLine(terminal, `writing ${others.join(', ')}`);
  const exported = ok && others.length && result.analysis ? await build.export(result.analysis, others, undefined, options.raw !== false) : { written: [], diagnostics: [] };
  exporting.done();
  if (hasErrors(exported.diagnostics)) ok = false;
  // The progress report comes with every good build; a failed one keeps the last.
  if (ok && result.analysis) writeProgressReport(result.analysis, options.today);
  const diagnostics = [...result.diagnostics, ...exported.diagnostics];
  printDiagnostics(terminal, diagnostics);
  const citations = result.analysis?.citations.reduce((n, use) => n + use.node.items.length, 0) ?? 0;
  const references = result.analysis?.formatted?.references.length ?? 0;
  const seconds = wallSeconds(terminal);
  if (ok) {
    if (pdf) {
      const where = result.pdfFile ? path.relative(terminal.cwd, result.pdfFile) || result.pdfFile : 'no PDF written';
      terminal.stdout.write(`${where}: ${result.pages} pages, ${citations} citations, ${references} references, ${summariseCounts(diagnostics)}, ${seconds.toFixed(2)} s\n`);
    }
    for (const file of exported.written) terminal.stdout.write(`${path.relative(terminal.cwd, file) || file}: ${citations} citations, ${references} references${pdf ? '' : `, ${summariseCounts(diagnostics)}`}, ${seconds.toFixed(2)} s\n`);
    return 0;
  }
  terminal.stdout.write(`build failed (${summariseCounts(diagnostics)}); the previous outputs, if any, are unchanged, ${seconds.toFixed(2)} s\n`);
  return 1;
}
