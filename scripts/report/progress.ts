// The progress model: chapters, milestones against a date, history from git,
// velocity and projections. The HTML page, progress.json, the terminal table
// and the deadline check all read this one model.
import path from 'node:path';
import type { Analysis } from '../pipeline.js';
import { parseIsoDate } from '../read/dates.js';
import { chapterProgress, type ChapterProgress } from './chapter-progress.js';
import { readHistory, type History } from './history.js';
import { thesisTarget, thesisWords } from './words.js';
import { daysBetween, isoDate, milestoneState, missingFor, wordsRemaining, type ChapterSnapshot, type MilestoneState } from './milestones.js';

export interface MilestoneProgress {
  title: string;
  due: string;
  chapters: string[];
  state: MilestoneState;
  /** What is still missing today (empty when met). */
  missing: string[];
  /** Line of the milestone in thesis.yaml. */
  line: number;
  /** Words still to write for the chapters' targets. */
  wordsRemaining: number;
  /** When the history shows it was first met. */
  metOn: { date: string; commit: string; onTime: boolean } | null;
  /** For a milestone past its due date: met on time, late, or never. */
  outcome: 'on-time' | 'late' | 'never' | null;
  /** The day the word targets will be reached at the current velocity. */
  projected: string | null;
}

export interface ProgressReport {
  version: 1;
  generated: string;
  today: string;
  thesis: { title: string; author: string };
  chapters: ChapterProgress[];
  totals: { words: number; footnoteWords: number; target: number | null; limits: { min: number | null; max: number | null } };
  milestones: MilestoneProgress[];
  history: History;
  /** Words per day, from the history; null without history. */
  velocity: { last7: number | null; last14: number | null };
}

export interface ProgressOptions {
  today?: Date;
}

function snapshotOf(chapters: ChapterProgress[]): Map<string, ChapterSnapshot> {
  return new Map(chapters.map((c) => [c.name, { status: c.status, words: c.words, target: c.target, cites: c.cites }]));
}

/** Words per day the projections use: the 14-day pace, else the 7-day one, when positive. */
export function currentPace(velocity: ProgressReport['velocity']): number | null {
  if (velocity.last14 !== null && velocity.last14 > 0) return velocity.last14;
  if (velocity.last7 !== null && velocity.last7 > 0) return velocity.last7;
  return null;
}

export function buildProgress(analysis: Analysis, options: ProgressOptions): ProgressReport {
  const today = options.today ?? parseIsoDate(isoDate(new Date()))!;
  const { project } = analysis;
  const chapters = analysis.chapters.map((c) => chapterProgress(c.name, c, c.source));
  const present = snapshotOf(chapters);
  // The appendices' words count against the limits only when `words: { appendices: true }` says so.
  const countAppendices = project.config.words?.appendices ?? false;
  const counted = chapters.map((c, index) => ({ words: c.words, target: c.target, appendix: analysis.chapters[index].appendix ?? false }));
  const fullHistory = readHistory(project.layout, chapters.map((c) => c.name), {
    appendices: new Set(analysis.chapters.filter((c) => c.appendix).map((c) => c.name)),
    countAppendices,
  });
  // Commits after `today` have not happened yet as far as this report is concerned.
  const history = { ...fullHistory, points: fullHistory.points.filter((p) => p.day <= isoDate(today)) };
  const totalWords = thesisWords(counted, countAppendices);

  const totalAt = (day: Date): number => {
    let total = 0;
    for (const point of history.points) if (point.day <= isoDate(day)) total = point.total;
    return total;
  };
  const velocityOver = (days: number): number | null => {
    if (!history.available || history.points.length === 0) return null;
    const since = new Date(today.getTime() - days * 86_400_000);
    return Math.round(((totalWords - totalAt(since)) / days) * 10) / 10;
  };
  const velocity = { last7: velocityOver(7), last14: velocityOver(14) };
  const pace = currentPace(velocity);

  const milestones = project.config.milestones.map((milestone, index): MilestoneProgress => {
    const missing = missingFor(milestone, present);
    const state = milestoneState(missing.length === 0, milestone.due, today);
    let metOn: MilestoneProgress['metOn'] = null;
    for (const point of history.points) {
      const snapshot = new Map(Object.entries(point.chapters));
      if (missingFor(milestone, snapshot).length === 0) {
        metOn = { date: point.day, commit: point.commit, onTime: point.day <= milestone.due };
        break;
      }
    }
    const isPast = daysBetween(today, parseIsoDate(milestone.due)!) < 0;
    const outcome = !isPast ? null : metOn ? (metOn.onTime ? 'on-time' : 'late') : state === 'met' ? 'late' : 'never';
    const remaining = wordsRemaining(milestone, present);
    const projected = state === 'met' || remaining === 0 || !pace ? null : isoDate(new Date(today.getTime() + Math.ceil(remaining / pace) * 86_400_000));
    return {
      title: milestone.title,
      due: milestone.due,
      chapters: milestone.chapters,
      state,
      missing,
      line: project.lineOf(['milestones', index]).line,
      wordsRemaining: remaining,
      metOn,
      outcome,
      projected,
    };
  });

  return {
    version: 1,
    generated: new Date().toISOString(),
    today: isoDate(today),
    thesis: { title: project.config.title, author: project.config.author },
    chapters: chapters.map((c) => ({ ...c, file: path.relative(project.dir, c.file) })),
    totals: {
      words: totalWords,
      footnoteWords: chapters.reduce((n, c) => n + c.footnoteWords, 0),
      target: thesisTarget(counted, countAppendices),
      limits: { min: project.config.words?.min ?? null, max: project.config.words?.max ?? null },
    },
    milestones,
    history,
    velocity,
  };
}
