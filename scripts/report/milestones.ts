// Whether a milestone is met, judged on a snapshot of the chapters (today's,
// or one from the git history), and where it stands relative to a date.
import { chapterStatuses, type ChapterStatus, type MilestoneConfig } from '../read/config-schema.js';
import { parseIsoDate } from '../read/dates.js';

/** What the milestone rules need to know of one chapter at one point in time. */
export interface ChapterSnapshot {
  status: ChapterStatus | null;
  words: number;
  target: number | null;
  cites: string[];
}

export type MilestoneState = 'met' | 'due-soon' | 'overdue' | 'upcoming';

/** Days before the due date in which an unmet milestone is "due soon". */
export const DUE_SOON_DAYS = 7;

const rank = (status: ChapterStatus | null) => (status ? chapterStatuses.indexOf(status) : -1);

/**
 * What is still missing for the milestone; empty when it is met. Without
 * further rules a milestone needs each of its chapters to exist with text.
 */
export function missingFor(milestone: MilestoneConfig, chapters: Map<string, ChapterSnapshot>): string[] {
  const missing: string[] = [];
  for (const name of milestone.chapters) {
    const chapter = chapters.get(name);
    if (!chapter || chapter.words === 0) {
      missing.push(`${name} has no text yet`);
      continue;
    }
    if (milestone.status && rank(chapter.status) < rank(milestone.status)) {
      missing.push(`${name} is ${chapter.status ?? 'without a status'}, needs ${milestone.status}`);
    }
    if (milestone.words) {
      if (chapter.target === null) missing.push(`${name} has no word target (set \`target\` in its front matter)`);
      else if (chapter.words < chapter.target) missing.push(`${name} has ${chapter.words} of ${chapter.target} words`);
    }
  }
  if (milestone.cite?.length) {
    const cited = new Set(milestone.chapters.flatMap((name) => chapters.get(name)?.cites ?? []));
    const uncited = milestone.cite.filter((key) => !cited.has(key));
    if (uncited.length) missing.push(`not cited yet: ${uncited.join(', ')}`);
  }
  return missing;
}

export function milestoneState(met: boolean, due: string, today: Date): MilestoneState {
  if (met) return 'met';
  const dueDate = parseIsoDate(due)!;
  const days = daysBetween(today, dueDate);
  if (days < 0) return 'overdue';
  return days <= DUE_SOON_DAYS ? 'due-soon' : 'upcoming';
}

export function daysBetween(from: Date, to: Date): number {
  return Math.round((to.getTime() - from.getTime()) / 86_400_000);
}

export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Words still to write for the milestone's word targets. */
export function wordsRemaining(milestone: MilestoneConfig, chapters: Map<string, ChapterSnapshot>): number {
  return milestone.chapters.reduce((sum, name) => {
    const chapter = chapters.get(name);
    return sum + (chapter?.target ? Math.max(0, chapter.target - chapter.words) : 0);
  }, 0);
}
