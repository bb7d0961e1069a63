// A thesis repository with commits on chosen dates, made in a temporary folder.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { copyProject } from './project.js';

export interface Commit {
  date: string; // YYYY-MM-DD
  files: Record<string, string>;
  message?: string;
}

/** Prose of exactly `n` words (no markers, no citations). */
export function words(n: number, word = 'word'): string {
  return Array.from({ length: n }, (_, i) => (i % 12 === 11 ? `${word}.\n` : word)).join(' ').trim() + '\n';
}

export function chapter(title: string, status: string, target: number | null, body: string): string {
  // No heading in the body: the front-matter title becomes it, and it is not counted.
  return `---\ntitle: ${title}\nstatus: ${status}\n${target === null ? '' : `target: ${target}\n`}---\n\n${body}`;
}

export function gitRepo(fixture: string, commits: Commit[]): string {
  const dir = copyProject(fixture);
  const git = (args: string[], date?: string) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Writer',
        GIT_AUTHOR_EMAIL: 'writer@example.org',
        GIT_COMMITTER_NAME: 'Writer',
        GIT_COMMITTER_EMAIL: 'writer@example.org',
        ...(date ? { GIT_AUTHOR_DATE: `${date}T12:00:00+00:00`, GIT_COMMITTER_DATE: `${date}T12:00:00+00:00` } : {}),
      },
      stdio: 'pipe',
    });
  git(['init', '-q', '-b', 'main']);
  for (const commit of commits) {
    for (const [file, text] of Object.entries(commit.files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    git(['add', '-A']);
    git(['commit', '-q', '-m', commit.message ?? `work on ${commit.date}`], commit.date);
  }
  return dir;
}
