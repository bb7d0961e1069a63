// The front matter (issue 12, part 1): abstracts in two languages, the
// dedication, the declaration of authorship, acknowledgements, the contents
// and the lists, in that order, numbered in roman numerals before the first
// chapter's arabic 1; read back from the PDF's text and page labels.
import fs from 'node:fs';
import path from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { pdfPages, pdfText } from './helpers/pdf-text.js';
import { copyProject, edit, write } from './helpers/project.js';

async function pageLabels(data: Uint8Array): Promise<string[] | null> {
  const document = await pdfjs.getDocument({ data: new Uint8Array(data), verbosity: 0 }).promise;
  const labels = await document.getPageLabels();
  await document.destroy();
  return labels;
}

const frontMatter = `
abstract:
  - lang: en
    text: |
      This thesis reads the *Social Credit System* as a technique of self-governance.
  - lang: de-AT
    text: abstract-de.md
dedication: For my parents.
acknowledgements: |
  I thank my supervisor.
declaration: true
place: Wien
date: 2020-08-31
lof: true
lot: true
`;

describe('the front matter', () => {
  it('comes in order before the first chapter, numbered i, ii, … and then 1', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => text + frontMatter);
    write(dir, 'thesis/abstract-de.md', 'Diese Arbeit liest das *Sozialkreditsystem* als Technik der Selbstführung.\n');
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'writer', 'figures', 'pixel.png'), path.join(dir, 'thesis', 'pixel.png'));
    edit(dir, 'thesis/one.md', (text) => `${text}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n: Scores by city, a long caption {#tbl:s short-caption="Scores"}\n\n![The pilot cities on a map drawn for this thesis](pixel.png){#fig:m short-caption="Pilot cities"}\n`);
    const result = await runCli(['build', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const pdf = fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf'));
    const pages = (await pdfPages(pdf)).map((page) => page.replace(/\s+/g, ' '));
    const pageOf = (text: string) => pages.findIndex((page) => page.includes(text));
    const order = ['For my parents.', 'Declaration of Authorship', 'Abstract', 'Kurzfassung', 'Acknowledgements', 'Contents', 'List of Figures', 'List of Tables', 'Panopticism returns'].map(pageOf);
    expect(order.every((page) => page > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(pages[pageOf('Declaration of Authorship')]).toContain('I hereby declare that I have written this thesis on my own');
    expect(pages[pageOf('Declaration of Authorship')]).toContain('Wien, 2020-08-31');
    expect(pages[pageOf('Kurzfassung')]).toContain('Diese Arbeit liest das Sozialkreditsystem');
    // The lists show the short captions, the figure and the table their full ones.
    expect(pages[pageOf('List of Tables')]).toMatch(/Table 1:? Scores \./);
    expect(pages[pageOf('List of Tables')]).not.toContain('a long caption');
    expect(pages[pageOf('List of Figures')]).toMatch(/Figure 1:? Pilot cities \./);
    expect(pages[pageOf('Panopticism returns')]).toContain('Scores by city, a long caption');
    const labels = await pageLabels(pdf);
    expect(labels?.slice(1, order[order.length - 1] + 1)).toEqual([...Array.from({ length: order[order.length - 1] - 1 }, (_, k) => ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii'][k]), '1']);
  });

  it('reports a file it names that does not exist, at its line in thesis.yaml', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}acknowledgements: thanks.md\n`);
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/thesis\.yaml:\d+:\d+: error: `acknowledgements` names "thanks\.md", but thesis\/thanks\.md does not exist \[chapter-missing\]/);
  });
});

describe('appendices', () => {
  it('follow the reference list as Appendix A, B with their own table numbers, reachable by cross-reference, their words not counted', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}appendices: [timeline.md, documents.md]\nwords: { min: 1, max: 60 }\n`);
    write(dir, 'thesis/timeline.md', '# Timeline of the documents {#sec:timeline}\n\n| Year | Document |\n|---|---|\n| 2014 | Planning outline |\n\n: The documents by year {#tbl:years}\n');
    write(dir, 'thesis/documents.md', '# The documents\n\nThe appendices hold many more words than the limit of sixty words allows for the whole thesis, but they are not counted against it, as the thesis has not asked for it in its words limits. One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty.\n');
    edit(dir, 'thesis/one.md', (text) => `${text}\n\nSee @sec:timeline and @tbl:years.\n`);
    const result = await runCli(['build', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = (await pdfPages(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).join(' ').replace(/\s+/g, ' ');
    expect(text).toContain('See Appendix A and Table A.1');
    const references = text.lastIndexOf('References');
    expect(references).toBeGreaterThan(0);
    expect(text.indexOf('Appendix A Timeline of the documents', references)).toBeGreaterThan(references);
    expect(text).toContain('Table A.1: The documents by year');
    expect(text).toContain('Appendix B The documents');
    const check = await runCli(['check', dir, '--today', '2024-10-01']);
    expect(check.stdout + check.stderr).not.toMatch(/words-over-limit/);
    // Counted when the thesis says so.
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('words: { min: 1, max: 60 }', 'words: { min: 1, max: 60, appendices: true }'));
    const counted = await runCli(['check', dir, '--today', '2024-10-01']);
    expect(counted.stdout + counted.stderr).toMatch(/words-over-limit/);
  });
});

describe('thesis.yaml as a user writes it', () => {
  it('takes an unquoted year as the date, and the command line tells its version', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}date: 2024\n`);
    const result = await runCli(['build', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = (await pdfPages(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf'))))[0];
    expect(text).toContain('2024');
    const version = await runCli(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).version);
  });
});

describe('thesis init', () => {
  it('lays out a German thesis folder that builds at once, and never writes into a folder with files', async () => {
    const dir = path.join(copyProject('minimal'), 'new-thesis');
    const made = await runCli(['init', dir, '--lang', 'de-AT']);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    const built = await runCli(['build', dir]);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    const text = (await pdfPages(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).join(' ').replace(/\s+/g, ' ');
    expect(text).toContain('Einleitung');
    expect(text).toContain('Literatur');
    const again = await runCli(['init', dir]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('the folder is not empty');
  });
});

describe('the glossary', () => {
  it('prints a term long with its abbreviation the first time, short after, plural and capitalised; lists the abbreviations; reports unknown and unused keys', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}loa: true\nglossary:\n  scs: { short: SCS, long: Social Credit System }\n  ngo: { short: NGO, long: non-governmental organisation }\n  prc: { short: PRC, long: People's Republic of China }\n  ccp: { short: CCP, long: Chinese Communist Party }\n`);
    edit(dir, 'thesis/one.md', (text) => `${text}\n\nThe [+scs] is new. The [+scs] has pilots. [+Ngo]s watch it; [+ngo]s report on it. See [+sc].\n`);
    write(dir, 'thesis/two.md', "# Two\n\nIn the [+prc]'s cities, the [+scs] is discussed.\n");
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/one\.md:\d+:\d+: warning: "sc" is not in the glossary; did you mean \[\+scs\]/);
    expect(result.stderr).toMatch(/thesis\.yaml:\d+:\d+: warning: the glossary term "ccp" \(CCP\) is never used/);
    const pages = (await pdfPages(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).map((page) => page.replace(/\s+/g, ' '));
    const text = await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')));
    expect(text).toContain('The Social Credit System (SCS) is new. The SCS has pilots. Non-governmental organisations (NGOs) watch it; NGOs report on it.');
    // The apostrophe after "(PRC)" is one, not an opening quote.
    expect(text).toContain('In the People’s Republic of China (PRC)’s cities, the SCS is discussed.');
    const list = pages.find((page) => page.includes('List of Abbreviations'))!;
    expect(list.indexOf('CCP')).toBeLessThan(list.indexOf('NGO'));
    expect(list.indexOf('NGO')).toBeLessThan(list.indexOf('PRC'));
    expect(list.indexOf('PRC')).toBeLessThan(list.indexOf('SCS'));
    expect(list).toContain('Social Credit System');
    expect(list).toContain('People’s Republic of China');
  });
});
