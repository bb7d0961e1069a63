// The progress table for the terminal; colour only where useColour says so.
import type { ProgressReport } from './progress.js';

type Colours = ReturnType<typeof import('picocolors').createColors>;

function pad(text: string, width: number, right = false): string {
  const length = [...text].length;
  return length >= width ? text : right ? ' '.repeat(width - length) + text : text + ' '.repeat(width - length);
}

export function progressTable(report: ProgressReport, c: Colours): string {
  const lines: string[] = [];
  lines.push(c.bold(`${report.thesis.title}`) + ` — ${report.today}`);
  lines.push('');
  const header = [pad('chapter', 28), pad('status', 7), pad('words', 6, true), pad('target', 6, true), pad('notes', 6, true), pad('TODO', 5, true)].join('  ');
  lines.push(c.dim(header));
  for (const ch of report.chapters) {
    const words = ch.target && ch.words >= ch.target ? c.green(pad(String(ch.words), 6, true)) : pad(String(ch.words), 6, true);
    lines.push([pad(ch.name, 28), pad(ch.status ?? '—', 7), words, pad(ch.target === null ? '—' : String(ch.target), 6, true), pad(String(ch.footnoteWords), 6, true), ch.markers.length ? c.yellow(pad(String(ch.markers.length), 5, true)) : pad('0', 5, true)].join('  '));
  }
  const { words, target, limits } = report.totals;
  lines.push(c.dim('-'.repeat(header.length)));
  lines.push([pad('total', 28), pad('', 7), pad(String(words), 6, true), pad(target === null ? '—' : String(target), 6, true), pad(String(report.totals.footnoteWords), 6, true)].join('  ') + (limits.min !== null || limits.max !== null ? c.dim(`   limits ${limits.min ?? 0}–${limits.max ?? '∞'}`) : ''));
  lines.push('');
  const paint = { met: c.green, 'due-soon': c.yellow, overdue: c.red, upcoming: (s: string) => s } as const;
  for (const m of report.milestones) {
    const extra = m.metOn ? ` (met ${m.metOn.date}${m.metOn.onTime ? '' : ', late'})` : m.projected ? ` (targets reached ~${m.projected})` : '';
    lines.push(`${m.due}  ${paint[m.state](pad(m.state, 8))}  ${m.title}${c.dim(extra)}`);
    for (const missing of m.missing) lines.push(c.dim(`                      - ${missing}`));
  }
  lines.push('');
  if (report.history.available) {
    lines.push(`velocity: ${report.velocity.last7 ?? '—'} words/day (7 days), ${report.velocity.last14 ?? '—'} (14 days); ${report.history.points.length} ${report.history.points.length === 1 ? 'commit' : 'commits'} in the history`);
  } else {
    lines.push(c.dim(`no history: ${report.history.reason}; showing the present only`));
  }
  return lines.join('\n');
}
