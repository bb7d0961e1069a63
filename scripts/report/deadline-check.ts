// The deadline check: everything that still stands between the thesis and a
// clean submission, as positioned diagnostics.
import { commandHint } from '../core/invocation.js';
import { exportFormatNames } from '../core/output-formats.js';
import fs from 'node:fs';
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../core/diagnostics.js';
import type { Analysis } from '../pipeline.js';
import { citedKeys } from '../resolve/citations.js';
import type { ProgressReport } from './progress.js';
import { daysBetween } from './milestones.js';
import { parseIsoDate } from '../read/dates.js';

function lineOfKey(source: string, key: string): { line: number; column: number } {
  const lines = source.split('\n');
  const index = lines.findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
  return index < 0 ? { line: 1, column: 1 } : { line: index + 1, column: 1 };
}

/**
 * The check, as of `report.today`. A CI job runs it all term: a milestone
 * not yet due lists what is open as warnings with the days left; a milestone
 * past its date and unmet is an error. What only the submission needs (final
 * chapters, the word limits, no TODOs or empty sections, every citation and
 * image found) is an error once the submission is due (its date reached, or
 * no milestones at all) and a warning before.
 */
export function deadlineCheck(analysis: Analysis, report: ProgressReport, buildDiagnostics: Diagnostic[]): Diagnostic[] {
  const { project } = analysis;
  const configPlace = (keyPath: (string | number)[]) => (project.configFile ? { file: project.configFile, ...project.lineOf(keyPath) } : {});
  const out: Diagnostic[] = [];
  const today = parseIsoDate(report.today)!;
  const daysTo = (due: string) => daysBetween(today, parseIsoDate(due)!);
  const inDays = (days: number) => (days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`);

  const submission = project.config.milestones[project.config.milestones.length - 1];
  const submissionDue = !submission || daysTo(submission.due) <= 0;
  /** What the submission needs: an error once it is due, a warning with the days left before. */
  const forSubmission = (d: Diagnostic): Diagnostic =>
    submissionDue || d.severity !== 'error' ? d : { ...d, severity: 'warning', message: `${d.message} (needed for "${submission!.title}", due ${submission!.due}, ${inDays(daysTo(submission!.due))})` };

  // Problems the build itself found; an unknown key or a missing image is an error at submission.
  for (const d of buildDiagnostics) out.push(d.rule === 'citation-unknown' || d.rule === 'image-missing' ? forSubmission({ ...d, severity: 'error' }) : d);

  report.milestones.forEach((m, index) => {
    if (m.state === 'overdue') {
      out.push(diagnostic('milestone-overdue', `milestone "${m.title}" was due ${m.due} and is not met: ${m.missing.join('; ')}`, configPlace(['milestones', index])));
    } else if (m.state !== 'met') {
      out.push(diagnostic('milestone-open', `milestone "${m.title}" is due ${m.due}, ${inDays(daysTo(m.due))}; still open: ${m.missing.join('; ')}`, configPlace(['milestones', index])));
    }
  });

  const chapterFile = new Map(analysis.chapters.map((c) => [c.name, c]));
  for (const chapter of report.chapters) {
    const file = chapterFile.get(chapter.name)!.file;
    for (const marker of chapter.markers) {
      out.push(forSubmission(diagnostic('todo-marker', `${marker.kind} left in the text${marker.text ? `: ${marker.text}` : ''}`, { file, line: marker.line, column: marker.column })));
    }
    for (const section of chapter.emptySections) {
      out.push(forSubmission(diagnostic('section-empty', `section "${section.title}" is empty; write it or remove the heading`, { file, line: section.line, column: section.column })));
    }
  }

  const mustBeFinal = submission ? submission.chapters : report.chapters.map((c) => c.name);
  for (const name of mustBeFinal) {
    const chapter = report.chapters.find((c) => c.name === name);
    if (!chapter || chapter.status === 'final') continue;
    const source = chapterFile.get(name)!;
    out.push(
      forSubmission(
        diagnostic('chapter-not-final', `chapter is ${chapter.status ?? 'without a status'}; set \`status: final\` when it is ready${submission && submissionDue ? ` for "${submission.title}" (${submission.due})` : ''}`, { file: source.file, ...lineOfKey(source.source, 'status') }),
      ),
    );
  }

  const { words, limits } = report.totals;
  if (limits.max !== null && words > limits.max) out.push(forSubmission(diagnostic('words-over-limit', `the thesis has ${words} words, ${words - limits.max} over the limit of ${limits.max}`, configPlace(['words', 'max']))));
  if (limits.min !== null && words < limits.min) out.push(forSubmission(diagnostic('words-under-limit', `the thesis has ${words} words, ${limits.min - words} under the minimum of ${limits.min}`, configPlace(['words', 'min']))));

  const pdf = project.layout.pdfFile;
  if (!fs.existsSync(pdf)) {
    out.push(forSubmission(diagnostic('pdf-missing', `dist/thesis.pdf does not exist; run \`${commandHint('build')}\``, { file: pdf })));
  } else {
    const built = fs.statSync(pdf).mtimeMs;
    // Every file the build read, as its read gate recorded them (folders aside: one changes when a file is added to it).
    const newer = analysis.inputs.filter((file) => {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      return stat?.isFile() && stat.mtimeMs > built;
    });
    if (newer.length) {
      out.push(forSubmission(diagnostic('pdf-stale', `dist/thesis.pdf is older than ${newer.map((f) => path.relative(project.dir, f)).join(', ')}; run \`${commandHint('build')}\``, { file: pdf })));
    }
  }

  // The other outputs a build wrote (`--to docx,html`), when they are there: stale ones say so too.
  for (const format of exportFormatNames) {
    const output = path.join(project.layout.distDir, `thesis.${format}`);
    const stat = fs.statSync(output, { throwIfNoEntry: false });
    if (!stat) continue;
    const newer = analysis.inputs.filter((file) => {
      const input = fs.statSync(file, { throwIfNoEntry: false });
      return input?.isFile() && input.mtimeMs > stat.mtimeMs;
    });
    if (newer.length) {
      out.push(diagnostic('output-stale', `dist/thesis.${format} is older than ${newer.map((f) => path.relative(project.dir, f)).join(', ')}; run \`${commandHint('build', `--to ${format}`)}\``, { file: output }));
    }
  }

  out.push(...deadlineCheckUnused(analysis));
  return out;
}

/** Entries never cited (and not listed under `nocite`): a warning each. */
export function deadlineCheckUnused(analysis: Analysis): Diagnostic[] {
  const cited = new Set(citedKeys(analysis.citations));
  const nocite = new Set(analysis.project.config.nocite.map((k) => k.replace(/^@/, '')));
  if (nocite.has('*')) return [];
  return [...analysis.bibliography.entries.values()]
    .filter((entry) => !cited.has(entry.key) && !nocite.has(entry.key))
    .map((entry) => diagnostic('bib-unused', `entry "${entry.key}" is never cited; cite it, list it under \`nocite\`, or remove it`, { file: entry.file, line: entry.line, column: entry.column }));
}
