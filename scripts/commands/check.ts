import fs from 'node:fs';
import path from 'node:path';
import { knownWords, spellingDiagnostics, wordListFile } from '../report/spelling.js';
import { grammarAvailable, grammarDiagnostics } from '../report/grammar.js';
import { closest } from '../core/suggest.js';
import { parseIsoDate } from '../read/dates.js';
import { diagnosticJson, hasErrors, sortDiagnostics, type Diagnostic } from '../core/diagnostics.js';
import { ThesisBuild, type Analysis, type ThesisFolder } from '../pipeline.js';
import { deadlineCheck } from '../report/deadline-check.js';
import { buildProgress } from '../report/progress.js';
import { printDiagnostics, summariseCounts, type Terminal } from './output.js';

export async function checkCommand(terminal: Terminal, thesis: ThesisFolder, options: { today?: Date; asOf?: string; format?: string; spelling?: boolean; grammar?: boolean }): Promise<number> {
  const projectDir = thesis.dir;
  const result = new ThesisBuild(projectDir, thesis).run({ until: 'format' });
  let diagnostics = result.diagnostics;
  let today: string | undefined;
  if (result.analysis) {
    let asOf = options.today;
    if (options.asOf !== undefined) {
      const found = dayOf(options.asOf, result.analysis.project.config.milestones);
      if ('error' in found) {
        terminal.stderr.write(`thesis check: --as-of ${found.error}\n`);
        return 2;
      }
      asOf = found.date;
    }
    const report = buildProgress(result.analysis, { today: asOf });
    today = report.today;
    diagnostics = deadlineCheck(result.analysis, report, result.diagnostics);
    if (options.spelling) diagnostics.push(...spellingOfThesis(result.analysis));
    if (options.grammar) {
      if (!(await grammarAvailable())) {
        terminal.stderr.write('thesis check: --grammar needs harper.js, which is not installed: npm install harper.js\n');
        return 2;
      }
      for (const chapter of result.analysis.chapters) diagnostics.push(...(await grammarDiagnostics(chapter.file, chapter.source, chapter.tree, result.analysis.project.config.lang)));
    }
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

/** `--as-of 2026-03-01` or `--as-of "First draft"`: the day the check answers for (a milestone's due date). */
function dayOf(value: string, milestones: readonly { title: string; due: string }[]): { date: Date } | { error: string } {
  const date = parseIsoDate(value);
  if (date) return { date };
  const milestone = milestones.find((m) => m.title.toLowerCase() === value.trim().toLowerCase());
  if (milestone) return { date: parseIsoDate(milestone.due)! };
  const near = closest(value, milestones.map((m) => m.title));
  return { error: `"${value}" is neither a date (YYYY-MM-DD) nor a milestone's title${near.length ? `; did you mean "${near[0]}"?` : milestones.length ? `; the milestones: ${milestones.map((m) => `"${m.title}"`).join(', ')}` : ''}` };
}

/** `--spelling`: every chapter's prose in its languages, as the language server flags it. */
function spellingOfThesis(analysis: Analysis): Diagnostic[] {
  const listFile = wordListFile(analysis.project.layout.thesisDir);
  const known = knownWords(analysis, fs.existsSync(listFile) ? fs.readFileSync(listFile, 'utf8') : null);
  return analysis.chapters.flatMap((chapter) => spellingDiagnostics(chapter.file, chapter.tree, { lang: analysis.project.config.lang, known }));
}
