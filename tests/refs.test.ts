// `thesis refs`: check rules (failing and passing), list, add, rename,
// format and export, with the writer's files kept byte for byte.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBibliography } from '../scripts/resolve/bibliography.js';
import { runCli } from './helpers/cli.js';
import { copyProject, edit, fixturesDir, write } from './helpers/project.js';

const bibFile = (dir: string) => path.join(dir, 'bibliography', 'references.bib');
const refs = async (dir: string, args: string[], input?: string) => {
  const result = await runCli(['refs', ...args, '--project', dir], { cwd: dir, ...(input !== undefined ? { input } : {}) });
  expect(result.stderr).not.toMatch(/\n\s+at /);
  return result;
};

describe('refs check', () => {
  it('passes a clean bibliography whose entries are all cited', async () => {
    const result = await refs(copyProject('minimal'), ['check']);
    expect(result.stdout).toContain('3 entries checked: 0 errors, 0 warnings');
    expect(result.status).toBe(0);
  });

  const rules: [string, string, RegExp][] = [
    ['duplicate keys', '@book{foucault1977,\n  author = {Foucault, Michel},\n  title = {Again},\n  publisher = {P},\n  year = {1977},\n}\n', /references\.bib:24:1: error: duplicate key "foucault1977".*\n.*references\.bib:1:1: info: "foucault1977" is first defined here/],
    ['the same DOI under another key', '@article{simon2005b,\n  author = {Simon, B.},\n  title = {Panopticism Again},\n  journal = {S},\n  year = {2005},\n  doi = {https://doi.org/10.1/ABC},\n}\n@article{other2005,\n  author = {Other, A.},\n  title = {Other},\n  journal = {S},\n  year = {2005},\n  doi = {10.1/abc},\n}\n', /references\.bib:31:1: warning: "other2005" looks like a duplicate of "simon2005b": the same DOI \(10\.1\/abc\)/],
    ['the same title, year and first author', '@article{luxonCopy,\n  author = {Luxon, N.},\n  title = {Ethics and subjectivity!},\n  journal = {PT},\n  year = {2008},\n}\n', /references\.bib:24:1: warning: "luxonCopy" looks like a duplicate of "luxon2008": the same title, year and first author/],
    ['an article without a journal', '@article{nojournal2020,\n  author = {A, B},\n  title = {T},\n  year = {2020},\n}\n', /references\.bib:24:1: error: @article "nojournal2020" has no journal \(or booktitle\), which apa prints for this type \[bib-field-missing\]/],
    ['a book without a publisher', '@book{nopub2020,\n  author = {A, B},\n  title = {T},\n  year = {2020},\n}\n', /@book "nopub2020" has no publisher \(or institution, school\)/],
    ['a malformed year', '@book{y,\n  author = {A, B},\n  title = {T},\n  publisher = {P},\n  year = {20O5},\n}\n', /references\.bib:28:10: error: "y": year "20O5" is not a four-digit year \[bib-field-malformed\]/],
    ['an impossible date', '@book{d,\n  author = {A, B},\n  title = {T},\n  publisher = {P},\n  date = {2020-02-30},\n}\n', /"d": date "2020-02-30" is not a day of the calendar/],
    ['a malformed DOI', '@book{doi,\n  author = {A, B},\n  title = {T},\n  publisher = {P},\n  year = {2020},\n  doi = {10.12/},\n}\n', /"doi": DOI "10\.12\/" is not a DOI/],
    ['an ISBN with a wrong check digit', '@book{isbn,\n  author = {A, B},\n  title = {T},\n  publisher = {P},\n  year = {2020},\n  isbn = {978-0-394-49942-1},\n}\n', /"isbn": ISBN "978-0-394-49942-1" has a wrong check digit or length/],
    ['a malformed URL', '@book{url,\n  author = {A, B},\n  title = {T},\n  publisher = {P},\n  year = {2020},\n  url = {www example org},\n}\n', /"url": URL "www example org" is not a web address/],
    ['pages that end before they start', '@book{pp,\n  author = {A, B},\n  title = {T},\n  publisher = {P},\n  year = {2020},\n  pages = {149--131},\n}\n', /"pp": pages "149--131" end before they start/],
  ];
  for (const [name, entry, expected] of rules) {
    it(`reports ${name}`, async () => {
      const dir = copyProject('minimal');
      edit(dir, 'bibliography/references.bib', (t) => t + '\n' + entry);
      const result = await refs(dir, ['check']);
      expect(result.stdout).toMatch(expected);
    });
  }

  it('passes valid values of the same fields', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'bibliography/references.bib', (t) => t + '\n@book{ok2020,\n  author = {A, B},\n  title = {T},\n  publisher = {P},\n  date = {2020-02-29},\n  doi = {10.1080/09672550210121432},\n  isbn = {978-0-394-49942-0},\n  url = {https://example.org/a\\_b},\n  pages = {xii--xv, 131--149},\n}\n');
    edit(dir, 'thesis/two.md', (t) => t + '\nAlso [@ok2020].\n');
    const result = await refs(dir, ['check']);
    expect(result.stdout).toContain('4 entries checked: 0 errors, 0 warnings');
  });

  it('reports cited keys missing from the bibliography with the chapter position and a suggestion', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/one.md', (t) => t.replace('@foucault1977', '@foucalt1977'));
    const result = await refs(dir, ['check']);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('thesis/one.md:9:57: error: citation key "foucalt1977" is not in the bibliography; did you mean "foucault1977"? [citation-unknown]');
  });

  it('warns about entries never cited', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/two.md', (t) => t.replace(' [@luxon2008]', ''));
    const result = await refs(dir, ['check']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('bibliography/references.bib:17:1: warning: entry "luxon2008" is never cited');
  });
});

describe('refs list', () => {
  it('finds a source by a word of its title and shows where the thesis cites it', async () => {
    const result = await refs(copyProject('minimal'), ['list', 'panopticism']);
    expect(result.stdout).toContain('simon2005  (Simon, 2005)  The return of panopticism');
    expect(result.stdout).toContain('cited at thesis/one.md:9');
    expect(result.stdout).toContain('1 of 3 entries match "panopticism"');
  });

  it('searches authors and years together', async () => {
    const result = await refs(copyProject('minimal'), ['list', 'foucault', '1977']);
    expect(result.stdout).toMatch(/^foucault1977 {2}\(Foucault, 1977\)/m);
  });
});

describe('refs add', () => {
  it('appends a BibTeX entry under a clean key when asked (--rekey), keeping every byte of the file', async () => {
    const dir = copyProject('minimal');
    const before = fs.readFileSync(bibFile(dir), 'utf8');
    const result = await refs(dir, ['add', '-', '--rekey'], '@Article{Some:Key,\n  Author = {Allen, Amy},\n  Title = {Power, Subjectivity, and Agency},\n  Journal = {International Journal of Philosophical Studies},\n  Year = 2002,\n}\n');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('added @allen2002 to bibliography/references.bib (was Some:Key; --rekey): Allen, 2002, Power, subjectivity, and agency');
    const after = fs.readFileSync(bibFile(dir), 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toBe('\n@article{allen2002,\n  author  = {Allen, Amy},\n  title   = {Power, Subjectivity, and Agency},\n  journal = {International Journal of Philosophical Studies},\n  year    = 2002,\n}\n');
    expect(fs.readFileSync(bibFile(dir) + '.bak', 'utf8')).toBe(before);
  });

  it('adds RIS and gives a clashing key a letter', async () => {
    const dir = copyProject('minimal');
    const ris = 'TY  - JOUR\nAU  - Simon, Bart\nTI  - Surveillance and Subjection\nJO  - Theory\nPY  - 2005\nER  - \n';
    write(dir, 'new.ris', ris);
    const result = await refs(dir, ['add', path.join(dir, 'new.ris')]);
    expect(result.stdout).toContain('added @simon2005a');
    const bib = loadBibliography([bibFile(dir)]);
    expect(bib.entries.get('simon2005a')?.item.title).toBe('Surveillance and Subjection');
  });

  it('adds CSL-JSON with the key pattern from thesis.yaml', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (t) => t + 'key-pattern: "[auth:capitalize][year][title:lower]"\n');
    const result = await refs(dir, ['add', '-'], JSON.stringify([{ type: 'book', title: 'The Panopticon Writings', author: [{ family: 'Bentham', given: 'Jeremy' }], issued: { 'date-parts': [[1995]] }, publisher: 'Verso' }]));
    expect(result.stdout).toContain('added @Bentham1995panopticon');
    expect(loadBibliography([bibFile(dir)]).entries.get('Bentham1995panopticon')?.item.publisher).toBe('Verso');
  });

  it('refuses a likely duplicate unless --force', async () => {
    const dir = copyProject('minimal');
    const before = fs.readFileSync(bibFile(dir), 'utf8');
    const entry = '@book{x,\n  author = {Foucault, Michel},\n  title = {Discipline and Punish: the Birth of the Prison},\n  year = {1977},\n  publisher = {Vintage},\n}\n';
    const refused = await refs(dir, ['add', '-'], entry);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('looks like "foucault1977", already in the bibliography; use --force');
    expect(fs.readFileSync(bibFile(dir), 'utf8')).toBe(before);
    const forced = await refs(dir, ['add', '-', '--force'], entry.replace('@book{x,', '@book{foucault1977,'));
    expect(forced.stdout).toContain('added @foucault1977a to bibliography/references.bib (its key foucault1977 is another entry\'s: added as foucault1977a)');
  });
});

describe('refs rename', () => {
  it('renames the key in the bibliography and every citation, and nothing else', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'bibliography/references.bib', (t) => t + '\n@incollection{part,\n  author = {Simon, Bart},\n  title = {Part},\n  crossref = {simon2005},\n}\n');
    edit(dir, 'thesis/one.md', (t) => t + '\nAgain @simon2005 [p. 4] and [-@simon2005]; mail simon2005@example.org; `@simon2005`.\n');
    const bibBefore = fs.readFileSync(bibFile(dir), 'utf8');
    const chapterBefore = fs.readFileSync(path.join(dir, 'thesis', 'one.md'), 'utf8');
    const result = await refs(dir, ['rename', 'simon2005', 'simon2005panopticism']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('renamed simon2005 to simon2005panopticism');
    expect(fs.readFileSync(bibFile(dir), 'utf8')).toBe(bibBefore.replace('@article{simon2005,', '@article{simon2005panopticism,').replace('crossref = {simon2005}', 'crossref = {simon2005panopticism}'));
    expect(fs.readFileSync(path.join(dir, 'thesis', 'one.md'), 'utf8')).toBe(
      chapterBefore.replace('[@simon2005, p. 3]', '[@simon2005panopticism, p. 3]').replace('Again @simon2005 [p. 4] and [-@simon2005]', 'Again @simon2005panopticism [p. 4] and [-@simon2005panopticism]'),
    );
    expect(fs.readFileSync(path.join(dir, 'thesis', 'one.md.bak'), 'utf8')).toBe(chapterBefore);
    expect((await runCli(['build', dir])).status).toBe(0);
  });

  it('renames the milestone keys and nocite in thesis.yaml too, and finishes a rename that was stopped halfway', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (t) => t.replace('    chapters: [one.md]\n', '    chapters: [one.md]\n    cite: [simon2005, foucault1977]   # the literature review\n') + 'nocite: ["@simon2005", luxon2008]\n');
    const yamlBefore = fs.readFileSync(path.join(dir, 'thesis', 'thesis.yaml'), 'utf8');
    // Stopped halfway: the .bib renamed (as a killed run could leave it), the chapter and thesis.yaml not yet.
    edit(dir, 'bibliography/references.bib', (t) => t.replace('@article{simon2005,', '@article{simon2005b,'));
    const resumed = await refs(dir, ['rename', 'simon2005', 'simon2005b']);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain('finished renaming simon2005 to simon2005b');
    expect(fs.readFileSync(path.join(dir, 'thesis', 'thesis.yaml'), 'utf8')).toBe(yamlBefore.replace('cite: [simon2005,', 'cite: [simon2005b,').replace('"@simon2005"', '"@simon2005b"'));
    expect(fs.readFileSync(path.join(dir, 'thesis', 'one.md'), 'utf8')).toContain('[@simon2005b, p. 3]');
    // Run again: nothing is left to do, and a key nobody has is an error.
    const again = await refs(dir, ['rename', 'simon2005', 'simon2005b']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('no entry "simon2005" in the bibliography, and nothing cites it');
    expect((await runCli(['check', dir, '--today', '2024-10-01'])).stdout).not.toContain('simon2005 ');
  });

  it('refuses a new key that already exists', async () => {
    const result = await refs(copyProject('minimal'), ['rename', 'simon2005', 'luxon2008']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('"luxon2008" is already a key');
  });
});

describe('refs format and export', () => {
  it('prints the cited references as text, Markdown and HTML', async () => {
    const dir = copyProject('minimal');
    expect((await refs(dir, ['format', '--cited'])).stdout).toContain('Foucault, M. (1977). Discipline and punish: The birth of the prison. Pantheon Books.');
    expect((await refs(dir, ['format', 'simon2005', '--format', 'markdown'])).stdout).toContain('*Surveillance & Society*, *3*, 1–20.');
    expect((await refs(dir, ['format', 'foucault1977', '--format', 'html'])).stdout).toContain('<i>Discipline and punish: The birth of the prison</i>');
  });

  it('round-trips BibTeX -> CSL-JSON -> BibTeX keeping every field CSL knows', async () => {
    const dir = copyProject('minimal');
    for (const name of ['zotero-better-bibtex.bib', 'jabref.bib', 'mendeley.bib', 'biblatex-strings.bib']) {
      fs.copyFileSync(path.join(fixturesDir, 'bibtex', name), bibFile(dir));
      const original = loadBibliography([bibFile(dir)]);
      const json = JSON.parse((await refs(dir, ['export', '--to', 'csl-json'])).stdout);
      expect(json.length).toBe(original.entries.size);
      const exported = (await refs(dir, ['export', '--to', 'bibtex'])).stdout;
      write(dir, 'roundtrip.bib', exported);
      const again = loadBibliography([path.join(dir, 'roundtrip.bib')]);
      expect(again.diagnostics).toEqual([]);
      for (const [key, entry] of original.entries) {
        const { _graph: _a, 'citation-key': _b, ...before } = entry.item as Record<string, unknown>;
        const { _graph: _c, 'citation-key': _d, ...after } = again.entries.get(key)!.item as Record<string, unknown>;
        expect(after, `${name}: ${key}`).toEqual(before);
      }
    }
  });
});
