// The progress model from a real git history: word counts per commit,
// velocity, projections and the dates milestones were met.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProgressReport } from '../scripts/report/progress.js';
import { runCli } from './helpers/cli.js';
import { chapter, gitRepo, words, type Commit } from './helpers/git-fixture.js';
import { copyProject, tempDir } from './helpers/project.js';

const intro = (n: number, status = 'draft') => chapter('Introduction', status, 100, words(n));
const body = (n: number, status = 'draft', cite = true) => chapter('Body', status, 200, words(n) + (cite ? '\nAs argued [@simon2005].\n' : ''));

// The citation sentence adds two prose words ("As argued").
const timeline: Commit[] = [
  { date: '2020-06-01', files: { 'thesis/intro.md': intro(40) } },
  { date: '2020-06-05', files: { 'thesis/intro.md': intro(80) } },
  { date: '2020-06-09', files: { 'thesis/intro.md': intro(120) } },
  { date: '2020-06-20', files: { 'thesis/body.md': body(58) } },
  { date: '2020-06-28', files: { 'thesis/body.md': body(148, 'review') } },
  { date: '2020-07-05', files: { 'thesis/body.md': body(208, 'review') } },
];

async function progress(dir: string, today: string): Promise<ProgressReport> {
  const result = await runCli(['progress', dir, '--today', today, '--format', 'json']);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as ProgressReport;
}

describe('history from git', () => {
  let dir: string;
  let report: ProgressReport;
  beforeAll(async () => {
    dir = gitRepo('timeplan', timeline);
    report = await progress(dir, '2020-07-10');
  });

  it('counts words per chapter at each commit that touched the thesis', async () => {
    // The fixture's own files are the first commit's base; each scripted commit follows.
    const points = report.history.points.map((p) => [p.day, p.chapters['intro.md']?.words ?? 0, p.chapters['body.md']?.words ?? 0, p.total]);
    expect(points).toEqual([
      ['2020-06-01', 40, 0, 40],
      ['2020-06-05', 80, 0, 80],
      ['2020-06-09', 120, 0, 120],
      ['2020-06-20', 120, 60, 180],
      ['2020-06-28', 120, 150, 270],
      ['2020-07-05', 120, 210, 330],
    ]);
    expect(report.history.available).toBe(true);
  });

  it('computes velocity over the last 7 and 14 days', async () => {
    expect(report.velocity).toEqual({ last7: 8.6, last14: 10.7 });
  });

  it('finds the date and commit at which past milestones were met', async () => {
    const [first, second, third] = report.milestones;
    expect(first.metOn?.date).toBe('2020-06-09');
    expect(first.outcome).toBe('on-time');
    expect(second.metOn?.date).toBe('2020-07-05');
    expect(second.outcome).toBe('late');
    const log = execFileSync('git', ['log', '--format=%H', '-1', '--before=2020-06-10'], { cwd: dir }).toString().trim();
    expect(first.metOn?.commit).toBe(log);
    expect(third.state).toBe('upcoming');
    expect(third.missing).toEqual(['intro.md is draft, needs final', 'body.md is review, needs final']);
  });
});

describe('projections', () => {
  let dir: string;
  let report: ProgressReport;
  beforeAll(async () => {
    dir = gitRepo('timeplan', timeline.slice(0, 5));
    report = await progress(dir, '2020-06-29');
  });

  it('projects the day word targets are reached at the current pace', async () => {
    const second = report.milestones[1];
    expect(second.state).toBe('due-soon');
    expect(second.missing).toEqual(['body.md has 150 of 200 words']);
    expect(second.wordsRemaining).toBe(50);
    expect(report.velocity).toEqual({ last7: 12.9, last14: 10.7 });
    expect(second.projected).toBe('2020-07-04'); // ceil(50 / 10.7) = 5 days
  });

  it('marks an unmet milestone past its date as overdue and never met', async () => {
    const late = (await progress(dir, '2020-07-02')).milestones[1];
    expect(late.state).toBe('overdue');
    expect(late.outcome).toBe('never');
  });
});

describe('one word count', () => {
  it('gives the same total in progress, its history and check, the appendix left out as thesis.yaml says; the target adds up the targets set', async () => {
    const dir = gitRepo('timeplan', [
      {
        date: '2020-06-01',
        files: {
          'thesis/intro.md': intro(40),
          'thesis/body.md': chapter('Body', 'draft', null, words(30)),
          'thesis/appendix.md': chapter('Appendix', 'draft', null, words(25)),
          'thesis/thesis.yaml': fs.readFileSync(path.join(dir0(), 'thesis', 'thesis.yaml'), 'utf8').replace('chapters: [intro.md, body.md]', 'chapters: [intro.md, body.md]\nappendices: [appendix.md]'),
        },
      },
    ]);
    const report = await progress(dir, '2020-06-02');
    expect(report.totals.words).toBe(70);
    expect(report.history.points.at(-1)!.total).toBe(70);
    // Only the introduction has a target: the total's target is its target, not "—".
    expect(report.totals.target).toBe(100);
    const html = fs.readFileSync(path.join(dir, 'dist', 'progress.html'), 'utf8');
    expect(parseHTML(html).document.querySelector('#total-words')?.textContent).toBe('70');
    const counted = await progress(dir, '2020-06-02').then(() => runCli(['check', dir, '--as-of', '2020-06-02', '--format', 'json']));
    const underLimit = (JSON.parse(counted.stdout) as { diagnostics: { rule: string; message: string }[] }).diagnostics.find((d) => d.rule === 'words-under-limit')?.message;
    expect(underLimit).toMatch(/^the thesis has 70 words, 230 under the minimum of 300/);
  });
});

/** The timeplan fixture's own folder. */
function dir0(): string {
  return path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures', 'timeplan');
}

describe('without a usable history', () => {
  it('says so outside a git repository and shows the present', async () => {
    const report = await progress(copyProject('timeplan'), '2020-06-15');
    expect(report.history).toEqual({ available: false, reason: 'the thesis folder is not in a git repository', points: [] });
    expect(report.velocity).toEqual({ last7: null, last14: null });
    expect(report.chapters.map((c) => c.words)).toEqual([0, 0]);
  });

  it('says so in a shallow clone', async () => {
    const source = gitRepo('timeplan', timeline);
    const clone = path.join(tempDir(), 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${source}`, clone]);
    const report = await progress(clone, '2020-07-10');
    expect(report.history.available).toBe(false);
    expect(report.history.reason).toMatch(/shallow clone/);
  });
});

describe('dist/progress.html', () => {
  let html: string;
  let document: Document;
  beforeAll(async () => {
    const dir = gitRepo('timeplan', timeline);
    await progress(dir, '2020-07-10');
    html = fs.readFileSync(path.join(dir, 'dist', 'progress.html'), 'utf8');
    document = parseHTML(html).document as unknown as Document;
  });

  it('is self-contained: no external scripts, styles or images', async () => {
    expect(document.querySelectorAll('script[src], link[href], img[src^="http"]').length).toBe(0);
    expect(html).toContain('uPlot');
  });

  it('lists words per chapter against targets', async () => {
    const rows = [...document.querySelectorAll('#chapters tbody tr')].map((tr) => [tr.getAttribute('data-chapter'), tr.querySelector('.words')?.textContent, tr.querySelector('.target')?.textContent]);
    expect(rows).toEqual([
      ['intro.md', '120', '100'],
      ['body.md', '210', '200'],
    ]);
    expect(document.querySelector('#total-words')?.textContent).toBe('330');
  });

  it('shows the milestone timeline with today in its place', async () => {
    const items = [...document.querySelectorAll('#timeline > li')].map((li) => li.getAttribute('data-state') ?? li.className);
    expect(items).toEqual(['met', 'met', 'today', 'upcoming']);
    expect(document.querySelector('#timeline li.today time')?.textContent).toBe('2020-07-10');
  });

  it('charts words over time with the history and the deadlines', async () => {
    const data = JSON.parse(document.querySelector('#chart-data')!.textContent!) as { x: number[]; written: (number | null)[]; target: (number | null)[] };
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
    expect(data.x).toContain(day('2020-06-09'));
    expect(data.written[data.x.indexOf(day('2020-06-28'))]).toBe(270);
    expect(data.written[data.x.indexOf(day('2020-07-10'))]).toBe(330);
    expect(data.target[data.x.indexOf(day('2020-06-10'))]).toBe(100);
    expect(data.target[data.x.indexOf(day('2020-06-30'))]).toBe(300);
    expect(document.querySelectorAll('#history tbody tr').length).toBe(6);
  });
});
