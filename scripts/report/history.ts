// Word counts per chapter at each commit that touched the thesis, read from
// the repository's own history with two git processes (blob ids, then the
// blobs not seen before); each blob's numbers are cached by its id.
import { thesisWords } from './words.js';
import fs from 'node:fs';
import { untrustedGit } from '../core/untrusted-git.js';
import path from 'node:path';
import { parseChapter } from '../parse/markdown.js';
import { cacheKey, DiskCache } from '../core/disk-cache.js';
import type { ProjectLayout } from '../core/layout.js';
import { chapterProgress } from './chapter-progress.js';
import type { ChapterSnapshot } from './milestones.js';

export interface ChapterAtCommit extends ChapterSnapshot {
  footnoteWords: number;
}

export interface HistoryPoint {
  commit: string;
  /** Committer date, ISO 8601 with offset. */
  date: string;
  /** Calendar day of the commit (YYYY-MM-DD, in the committer's time zone). */
  day: string;
  subject: string;
  chapters: Record<string, ChapterAtCommit>;
  total: number;
}

export interface History {
  available: boolean;
  /** Why there is no history (no git, not a repository, shallow clone). */
  reason?: string;
  points: HistoryPoint[];
}

/** git on the thesis's repository, which may be someone else's (core/untrusted-git.ts). */
function git(cwd: string, args: string[], input?: string): { ok: boolean; stdout: Buffer; error?: string } {
  return untrustedGit(cwd, args, input);
}

type BlobCache = Record<string, ChapterAtCommit>;

/** Histories already read in this process (watch), by repository state. */
const memo = new Map<string, History>();

export function readHistory(layout: ProjectLayout, chapterNames: string[], counting: { appendices: ReadonlySet<string>; countAppendices: boolean }): History {
  const projectDir = layout.root;
  // One git process tells where the repository is, whether it is shallow and which commit is checked out.
  const state = git(projectDir, ['rev-parse', '--show-toplevel', '--is-shallow-repository', 'HEAD']);
  const [rootLine, shallowLine, head] = state.stdout.toString().split('\n');
  if (!rootLine || (!state.ok && !head)) {
    if (state.error === 'git is not installed') return { available: false, reason: 'git is not installed', points: [] };
    if (rootLine && !head) return { available: false, reason: 'the repository has no commits yet', points: [] };
    return { available: false, reason: 'the thesis folder is not in a git repository', points: [] };
  }
  if (shallowLine === 'true') {
    return { available: false, reason: 'this is a shallow clone, so its history is incomplete (run `git fetch --unshallow`)', points: [] };
  }
  const memoKey = [projectDir, head, ...chapterNames].join('\0');
  const known = memo.get(memoKey);
  if (known) return known;
  const history = readCommits(rootLine, layout, chapterNames, counting);
  memo.set(memoKey, history);
  return history;
}

function readCommits(root: string, layout: ProjectLayout, chapterNames: string[], counting: { appendices: ReadonlySet<string>; countAppendices: boolean }): History {
  const thesisPath = path.relative(fs.realpathSync(root), fs.realpathSync(layout.thesisDir)).split(path.sep).join('/');
  const log = git(root, ['log', '--reverse', '--format=%H%x09%cI%x09%s', '--', thesisPath]);
  if (!log.ok) return { available: false, reason: 'the repository has no commits yet', points: [] };
  const commits = log.stdout
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [commit, date, ...subject] = line.split('\t');
      return { commit, date, subject: subject.join('\t') };
    });
  if (commits.length === 0) return { available: true, points: [] };

  // 1. Which blob each chapter was at each commit (one process).
  const requests = commits.flatMap((c) => chapterNames.map((name) => `${c.commit}:${thesisPath}/${name}`));
  const check = git(root, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], requests.join('\n') + '\n');
  const blobIds = check.stdout.toString().split('\n').slice(0, requests.length).map((line) => (line.endsWith(' blob') ? line.split(' ')[0] : null));

  // 2. The numbers for each blob not seen before (one process), cached by id.
  // The numbers depend on how chapters are parsed and counted: that code is part of the key.
  const diskCache = new DiskCache<BlobCache>(layout.cacheFile('history.json'));
  const cacheId = cacheKey(['parse', 'report']);
  const cache = diskCache.read(cacheId) ?? {};
  const unseen = [...new Set(blobIds.filter((id): id is string => id !== null && !(id in cache)))];
  if (unseen.length) {
    const contents = git(root, ['cat-file', '--batch'], unseen.join('\n') + '\n').stdout;
    let offset = 0;
    for (const id of unseen) {
      const headerEnd = contents.indexOf(10, offset);
      const size = Number(contents.subarray(offset, headerEnd).toString().split(' ')[2]);
      const text = contents.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8');
      offset = headerEnd + 1 + size + 1;
      const progress = chapterProgress(id, parseChapter(id, text), text);
      cache[id] = { status: progress.status, words: progress.words, footnoteWords: progress.footnoteWords, target: progress.target, cites: progress.cites };
    }
    diskCache.write(cacheId, cache);
  }

  const points = commits.map((c, commitIndex) => {
    const chapters: Record<string, ChapterAtCommit> = {};
    chapterNames.forEach((name, chapterIndex) => {
      const id = blobIds[commitIndex * chapterNames.length + chapterIndex];
      if (id) chapters[name] = cache[id];
    });
    // The total as the report takes today's (report/words.ts), so the two agree for the same text.
    const total = thesisWords(Object.entries(chapters).map(([name, chapter]) => ({ words: chapter.words, appendix: counting.appendices.has(name) })), counting.countAppendices);
    return { commit: c.commit, date: c.date, day: c.date.slice(0, 10), subject: c.subject, chapters, total };
  });
  return { available: true, points };
}
