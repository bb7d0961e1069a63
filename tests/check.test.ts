// `thesis check`: every condition that blocks a submission, with its exit
// code and message; a clean thesis passes; --format json for scripts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { chapter, words } from './helpers/git-fixture.js';
import { copyProject, edit, write } from './helpers/project.js';

/** The timeplan fixture made ready to submit: every chapter final, on target, cited, built. */
async function readyThesis(): Promise<string> {
  const dir = copyProject('timeplan');
  write(dir, 'thesis/intro.md', chapter('Introduction', 'final', 100, words(120) + '\nDiscipline, after @foucault1977.\n'));
  write(dir, 'thesis/body.md', chapter('Body', 'final', 200, words(210) + '\nAs argued [@simon2005, p. 3].\n'));
  expect((await runCli(['build', dir])).status).toBe(0);
  return dir;
}

/** The check on the submission's due date, when everything it needs is an error. */
async function check(dir: string, ...args: string[]) {
  const result = await runCli(['check', dir, '--as-of', 'Submission', ...args], { cwd: dir });
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result;
}

describe('thesis check all term', () => {
  it('before the submission is due, reports what it needs as warnings with the days left, and exits 0', async () => {
    const dir = await readyThesis();
    edit(dir, 'thesis/body.md', (t) => t.replace('status: final', 'status: review') + '\nAlso [@simon2500].\n\nTODO: the last section.\n');
    const result = await runCli(['check', dir, '--as-of', '2020-07-20'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/thesis\/body\.md:\d+:\d+: warning: citation key "simon2500" is not in the bibliography \(needed for "Submission", due 2020-07-31, in 11 days\); did you mean "simon2005"\? \[citation-unknown\]/);
    expect(result.stdout).toMatch(/thesis\/body\.md:\d+:1: warning: TODO left in the text: the last section\. \(needed for "Submission", due 2020-07-31, in 11 days\) \[todo-marker\]/);
    expect(result.stdout).toMatch(/warning: chapter is review; set `status: final` when it is ready \(needed for "Submission", due 2020-07-31, in 11 days\) \[chapter-not-final\]/);
    expect(result.stdout).toMatch(/thesis\.yaml:\d+:5: warning: milestone "Submission" is due 2020-07-31, in 11 days; still open: body\.md is review, needs final \[milestone-open\]/);
    expect(result.stdout).toContain('ready to submit: 0 errors');
    const dueDay = await runCli(['check', dir, '--as-of', 'submission'], { cwd: dir });
    expect(dueDay.status).toBe(1);
    expect(dueDay.stdout).toMatch(/error: chapter is review; set `status: final` when it is ready for "Submission" \(2020-07-31\) \[chapter-not-final\]/);
  });

  it('lists a milestone not yet due as open, with its days left; --as-of takes a date or a title, and says what it is not', async () => {
    const dir = await readyThesis();
    edit(dir, 'thesis/intro.md', (t) => t.replace('status: final', 'status: draft'));
    const early = await runCli(['check', dir, '--as-of', '2020-06-01'], { cwd: dir });
    expect(early.status).toBe(0);
    expect(early.stdout).toMatch(/thesis\.yaml:\d+:5: warning: milestone "Submission" is due 2020-07-31, in 60 days; still open: intro\.md is draft, needs final \[milestone-open\]/);
    const wrong = await runCli(['check', dir, '--as-of', 'Submision'], { cwd: dir });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toBe('thesis check: --as-of "Submision" is neither a date (YYYY-MM-DD) nor a milestone\'s title; did you mean "Submission"?\n');
  });
});

describe('thesis check', () => {
  it('passes a thesis that is ready to submit', async () => {
    const result = await check(await readyThesis());
    expect(result.stdout).toContain('ready to submit: 0 errors, 0 warnings');
    expect(result.status).toBe(0);
  });

  it('fails on a citation key that is not in the bibliography', async () => {
    const dir = await readyThesis();
    edit(dir, 'thesis/body.md', (t) => t.replace('@simon2005', '@simon2500'));
    const result = await check(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/thesis\/body\.md:\d+:\d+: error: citation key "simon2500" is not in the bibliography; did you mean "simon2005"\? \[citation-unknown\]/);
  });

  it('fails on a bibliography entry that cannot be formatted', async () => {
    const dir = await readyThesis();
    // A style that prints only the title, and a cited entry without one.
    write(dir, 'thesis/titles.csl', `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Titles only</title><id>titles-only</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout prefix="(" suffix=")" delimiter="; "><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>
`);
    edit(dir, 'thesis/thesis.yaml', (t) => t.replace('csl: apa', 'csl: titles.csl'));
    edit(dir, 'bibliography/references.bib', (t) => t + '\n@misc{untitled2020,\n  year = {2020},\n}\n');
    edit(dir, 'thesis/body.md', (t) => t + '\nSee also [@untitled2020].\n');
    const result = await check(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('bibliography/references.bib:17:1: error: entry "untitled2020" renders as nothing in titles; it lacks the fields the style prints (author, title, date, …) [bib-unformattable]');
  });

  it('fails on a milestone that is due and not met', async () => {
    const dir = await readyThesis();
    edit(dir, 'thesis/body.md', (t) => t.replace('status: final', 'status: draft'));
    const result = await check(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('thesis/thesis.yaml:14:5: error: milestone "Body reviewed" was due 2020-06-30 and is not met: body.md is draft, needs review [milestone-overdue]');
  });

  it('fails on TODO, FIXME and XXX markers and on empty sections', async () => {
    const dir = await readyThesis();
    edit(dir, 'thesis/intro.md', (t) => t + '\nTODO: cite the 2019 document\n\n<!-- FIXME check dates -->\n\n## Background\n\n## Aims\n\nText XXX here.\n');
    const result = await check(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/thesis\/intro\.md:20:1: error: TODO left in the text: cite the 2019 document \[todo-marker\]/);
    expect(result.stdout).toMatch(/thesis\/intro\.md:22:6: error: FIXME left in the text: check dates \[todo-marker\]/);
    expect(result.stdout).toMatch(/thesis\/intro\.md:28:6: error: XXX left in the text/);
    expect(result.stdout).toContain('thesis/intro.md:24:1: error: section "Background" is empty; write it or remove the heading [section-empty]');
  });

  it('fails on a chapter that is not final at the submission milestone', async () => {
    const dir = await readyThesis();
    edit(dir, 'thesis/intro.md', (t) => t.replace('status: final', 'status: review'));
    const result = await check(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('thesis/intro.md:3:1: error: chapter is review; set `status: final` when it is ready for "Submission" (2020-07-31) [chapter-not-final]');
  });

  it('fails on words over or under the limits', async () => {
    const over = await readyThesis();
    edit(over, 'thesis/thesis.yaml', (t) => t.replace('max: 2000', 'max: 300'));
    const result = await check(over);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('thesis/thesis.yaml:8:3: error: the thesis has 334 words, 34 over the limit of 300 [words-over-limit]');
    const under = await readyThesis();
    edit(under, 'thesis/thesis.yaml', (t) => t.replace('min: 300', 'min: 1000'));
    expect((await check(under)).stdout).toContain('thesis/thesis.yaml:7:3: error: the thesis has 334 words, 666 under the minimum of 1000 [words-under-limit]');
  });

  it('fails when dist/thesis.pdf is missing or older than its sources', async () => {
    const dir = await readyThesis();
    const pdf = path.join(dir, 'dist', 'thesis.pdf');
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(pdf, past, past);
    edit(dir, 'thesis/body.md', (t) => t + '\nOne more sentence.\n');
    expect((await check(dir)).stdout).toMatch(/dist\/thesis\.pdf:1:1: error: dist\/thesis\.pdf is older than [^;]*thesis\/body\.md[^;]*; run `thesis build` \[pdf-stale\]/);
    fs.rmSync(pdf);
    const result = await check(dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('dist/thesis.pdf does not exist; run `thesis build` [pdf-missing]');
  });

  it('warns about entries never cited, without failing', async () => {
    const dir = await readyThesis();
    edit(dir, 'bibliography/references.bib', (t) => t + '\n@book{unused2001,\n  author = {Nobody, Ann},\n  title = {Never Cited},\n  year = {2001},\n}\n');
    await runCli(['build', dir]);
    const result = await check(dir);
    expect(result.stdout).toContain('bibliography/references.bib:17:1: warning: entry "unused2001" is never cited; cite it, list it under `nocite`, or remove it [bib-unused]');
    expect(result.status).toBe(0);
  });

  it('prints machine-readable results with --format json', async () => {
    const dir = await readyThesis();
    edit(dir, 'thesis/intro.md', (t) => t + '\nTODO finish\n');
    await runCli(['build', dir]);
    const result = await check(dir, '--format', 'json');
    expect(result.status).toBe(1);
    const json = JSON.parse(result.stdout) as { ok: boolean; today: string; errors: number; diagnostics: { file: string; line: number; rule: string }[] };
    expect(json.ok).toBe(false);
    expect(json.today).toBe('2020-07-31');
    expect(json.errors).toBe(1);
    expect(json.diagnostics).toEqual([expect.objectContaining({ file: 'thesis/intro.md', line: 20, column: 1, rule: 'todo-marker', severity: 'error' })]);
  });

  it('rejects a --today that is not a date as bad usage', async () => {
    const result = await runCli(['check', '--today', '30/06']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('expected a date as YYYY-MM-DD');
  });
});

describe('invalid milestones in thesis.yaml', () => {
  const cases: [string, (t: string) => string, RegExp][] = [
    ['a date without a year', (t) => t.replace('due: 2020-06-10', 'due: 10/06'), /thesis\.yaml:11:5: error: milestone "Introduction drafted": due date "10\/06" is not a valid date; write it as YYYY-MM-DD/],
    ['a day that does not exist', (t) => t.replace('due: 2020-06-10', 'due: 2020-02-30'), /thesis\.yaml:11:5: error: milestone "Introduction drafted": due date "2020-02-30" is not a valid date/],
    ['milestones out of order', (t) => t.replace('due: 2020-06-30', 'due: 2020-06-01'), /thesis\.yaml:15:5: error: milestone "Body reviewed" is due 2020-06-01, before the milestone above it \(2020-06-10\)/],
    ['a chapter that does not exist', (t) => t.replace('chapters: [intro.md]', 'chapters: [intro.md, outro.md]'), /thesis\.yaml:12:26: error: milestone "Introduction drafted" names chapter "outro\.md", which is not in `chapters`; did you mean "intro\.md"\?/],
    ['an unknown status', (t) => t.replace('status: review', 'status: reviewed'), /thesis\.yaml:17:5: error: milestone "Body reviewed": unknown status "reviewed", expected one of draft, review, final/],
  ];
  for (const [name, change, message] of cases) {
    it(`reports ${name} at its line`, async () => {
      const dir = copyProject('timeplan');
      edit(dir, 'thesis/thesis.yaml', change);
      for (const command of ['check', 'build', 'progress']) {
        const result = await runCli([command, dir], { cwd: dir });
        expect(result.status).toBe(1);
        expect(result.stdout + result.stderr).toMatch(message);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
    });
  }
});
