// `thesis diff` (issue 13, part 2): a thesis repository made in a temporary
// folder, tagged, then edited (a sentence changed, one added, a paragraph
// deleted, one moved to another chapter, a chapter added, one renamed); the
// diff PDF's text and the diff DOCX's tracked changes read back.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TypstCompiler } from '../scripts/compile/typst-compiler.js';
import { summaryPage } from '../scripts/diff/summary-page.js';
import { summaryLanguages, summaryWords } from '../scripts/diff/summary-words.js';
import { runPandoc } from '../scripts/export/pandoc-runner.js';
import { runCli } from './helpers/cli.js';
import { gitRepo } from './helpers/git-fixture.js';
import { pdfPages, pdfText } from './helpers/pdf-text.js';
import { edit, tempDir, write } from './helpers/project.js';

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

const oneBefore = `---
title: First
---

# First chapter {#sec:first}

Panopticism returns in new forms [@simon2005, p. 3]. Its guard is invisible. The tower sees every cell.

A paragraph that will be deleted entirely, with its own words.

See @sec:second.
`;

const twoBefore = `---
title: Second
---

# Second chapter {#sec:second}

Self-governance is an ethics [@luxon2008].

This paragraph moves to the first chapter without a change.
`;

describe('thesis diff', () => {
  let dir: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 'W', GIT_AUTHOR_EMAIL: 'w@example.org', GIT_COMMITTER_NAME: 'W', GIT_COMMITTER_EMAIL: 'w@example.org' } });

  beforeAll(() => {
    dir = gitRepo('minimal', [{ date: '2026-10-01', files: { 'thesis/one.md': oneBefore, 'thesis/two.md': twoBefore, '.gitignore': 'dist/\n' } }]);
    git('tag', 'draft-1');
    // The writer's work since the draft went to the supervisor.
    write(dir, 'thesis/one.md', oneBefore
      .replace('Its guard is invisible. The tower sees every cell.', 'The tower sees every cell and every corridor. A new sentence explains the guard.')
      .replace('A paragraph that will be deleted entirely, with its own words.\n\n', '')
      .replace('See @sec:second.', 'This paragraph moves to the first chapter without a change.\n\nSee @sec:second.'));
    write(dir, 'thesis/two.md', twoBefore.replace('\nThis paragraph moves to the first chapter without a change.\n', ''));
    git('mv', 'thesis/two.md', 'thesis/second.md');
    write(dir, 'thesis/three.md', '---\ntitle: Third\n---\n\n# Third chapter\n\nAn entirely new chapter about credit scores [@foucault1977].\n');
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('  - one.md\n  - two.md', '  - one.md\n  - second.md\n  - three.md').replace('chapters: [one.md, two.md]', 'chapters: [one.md, second.md]'));
  }, 60_000);

  it('marks the words added and removed in place, moved paragraphs as moved, and sums the changes up first', async () => {
    const result = await runCli(['diff', '--project', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/dist\/thesis-diff\.pdf: changes since draft-1 \(\d{4}-\d{2}-\d{2}\): \+\d+ words, −\d+ words, 3 chapters touched/);
    const pages = (await pdfPages(fs.readFileSync(path.join(dir, 'dist', 'thesis-diff.pdf')))).map(squash);
    // The first page: one row a chapter, the renamed one followed, the new one named.
    expect(pages[0]).toContain('Changes since draft-1');
    expect(pages[0]).toMatch(/First \+\d+ −\d+ 1 First chapter/);
    expect(pages[0]).toContain('Second (renamed from two.md) 0 0 0 Second chapter');
    expect(pages[0]).toContain('Third +9 0 0 all (new chapter)');
    const text = pages.slice(1).join(' ');
    // A sentence deleted and one inserted, each at its place in the paragraph.
    expect(text).toContain('(Simon, 2005, p. 3). Its guard is invisible. The tower sees every cell and every corridor. A new sentence explains the guard.');
    // The deleted paragraph is still there to read, struck through, where it was.
    expect(text.indexOf('A paragraph that will be deleted entirely')).toBeGreaterThan(text.indexOf('explains the guard'));
    // The moved paragraph appears once, marked as moved, not as deleted in the second chapter.
    expect(text.split('This paragraph moves to the first chapter').length).toBe(2);
    expect(text).toMatch(/moved This paragraph moves to the first chapter/);
    expect(text).toContain('An entirely new chapter about credit scores (Foucault, 1977).');
    // A source cited for the first time is named on the first page.
    expect(pages[0]).toContain('Sources cited for the first time: foucault1977. No longer cited: none.');
  }, 60_000);

  it('writes the same changes as Word tracked changes with --to docx', async () => {
    const result = await runCli(['diff', 'draft-1', '--project', dir, '--to', 'docx']);
    expect(result.status).toBe(0);
    const docx = new Uint8Array(fs.readFileSync(path.join(dir, 'dist', 'thesis-diff.docx')));
    const read = await runPandoc({ options: { from: 'docx', to: 'markdown', wrap: 'none', 'track-changes': 'all', 'input-files': ['d.docx'] }, input: null, files: { 'd.docx': docx } });
    expect(read.stdout).toMatch(/\[Its guard is invisible\.\]\{\.deletion author="Changes since draft-1"/);
    expect(read.stdout).toMatch(/\[and every corridor\]\{\.insertion\s+author="Changes since draft-1"/);
    expect(read.stdout).toMatch(/\[A new\s+sentence explains the guard\.\]\{\.insertion/);
    expect(read.stdout).toMatch(/\[A paragraph that will be deleted entirely, with its own\s+words\.\]\{\.deletion/);
  }, 60_000);

  it('writes the first page, the margin notes and the tracked changes\' author in the thesis\'s language', async () => {
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('lang: en-US', 'lang: de-AT'));
    try {
      const result = await runCli(['diff', '--project', dir, '--to', 'pdf,docx']);
      expect(result.status).toBe(0);
      const pages = (await pdfPages(fs.readFileSync(path.join(dir, 'dist', 'thesis-diff.pdf')))).map(squash);
      expect(pages[0]).toContain('Änderungen seit draft-1');
      expect(pages[0]).toContain('Kapitel Hinzugefügt Entfernt Verschoben Geänderte Abschnitte');
      expect(pages[0]).toContain('Second (umbenannt, vorher two.md) 0 0 0 Second chapter');
      expect(pages[0]).toContain('Third +9 0 0 alles (neues Kapitel)');
      expect(pages[0]).toContain('Erstmals zitierte Quellen: foucault1977. Nicht mehr zitiert: keine.');
      expect(pages[0]).not.toMatch(/Changes since|Chapter|Sources cited/);
      expect(pages.slice(1).join(' ')).toMatch(/verschoben This paragraph moves to the first chapter/);
      const docx = new Uint8Array(fs.readFileSync(path.join(dir, 'dist', 'thesis-diff.docx')));
      const read = await runPandoc({ options: { from: 'docx', to: 'markdown', wrap: 'none', 'track-changes': 'all', 'input-files': ['d.docx'] }, input: null, files: { 'd.docx': docx } });
      expect(read.stdout).toMatch(/\[and every corridor\]\{\.insertion\s+author="Änderungen seit draft-1"/);
    } finally {
      edit(dir, 'thesis/thesis.yaml', (text) => text.replace('lang: de-AT', 'lang: en-US'));
    }
  }, 60_000);

  it(`has a first page Typst sets in each of its languages (${summaryLanguages.join(', ')}), every word of it`, async () => {
    const folder = tempDir();
    const compiler = new TypstCompiler(folder);
    const old = { renamed: new Map(), label: 'draft-1', commit: '0123456789abcdef', date: '2026-10-01', chapters: [] };
    const rows = [
      { title: 'Einleitung', status: 'renamed' as const, renamedFrom: 'intro.md', changes: { added: 12, removed: 3, moved: 1, sections: ['Panopticon'] } },
      { title: 'Neu', status: 'new' as const, changes: { added: 40, removed: 0, moved: 0, sections: [] } },
      { title: 'old.md', status: 'removed' as const, removedWords: 7 },
    ];
    for (const lang of summaryLanguages) {
      const words = summaryWords(lang);
      const compiled = compiler.compile({ mainPath: path.join(folder, 'main.typ'), main: summaryPage(old, rows, ['foucault1977', 'simon2005'], [], lang, words), shadows: new Map(), files: [], sourceMap: [], tagged: false });
      expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      // Without white space: the PDF's text has a line break (a space) wherever a line of Chinese wraps.
      const bare = (text: string) => text.replace(/\s+/g, '');
      const text = bare(await pdfText(compiled.pdf!));
      const legend = words.legend.map((part) => (typeof part === 'string' ? part : part.text)).join('');
      for (const phrase of [words.changesSince('draft-1'), words.commit('2026-10-01', '0123456'), legend, ...words.columns, `Einleitung (${words.renamedFrom('intro.md')})`, words.newChapter, words.removedChapter, words.sources(`foucault1977${words.listSeparator}simon2005`, words.none), words.newReferences]) {
        expect(text, lang).toContain(bare(phrase));
      }
    }
  }, 60_000);

  it('reports a revision that does not exist, and a folder that is no repository', async () => {
    const missing = await runCli(['diff', 'draft-9', '--project', dir]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('error: there is no revision "draft-9" in this repository; its tags: draft-1; did you mean "draft-1"? [diff-revision]');
    const plain = tempDir();
    fs.cpSync(path.join(dir, 'thesis'), path.join(plain, 'thesis'), { recursive: true });
    fs.cpSync(path.join(dir, 'bibliography'), path.join(plain, 'bibliography'), { recursive: true });
    const noRepo = await runCli(['diff', '--project', plain]);
    expect(noRepo.status).toBe(1);
    expect(noRepo.stderr).toContain('error: the thesis folder is not in a git repository');
  });
});
