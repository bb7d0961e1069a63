// Templates (issue 12, part 6), the German hold-out the issue names, the
// glossary in a file of its own (part 3) and a bad value for each key of
// thesis.yaml (part 9): a positioned message at the key's line.
import fs from 'node:fs';
import path from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { runCli, spawnCli } from './helpers/cli.js';
import { lastPageWith, pdfPages } from './helpers/pdf-text.js';
import { copyProject, edit, tempDir, write } from './helpers/project.js';

async function pageLabels(data: Uint8Array): Promise<string[] | null> {
  const document = await pdfjs.getDocument({ data: new Uint8Array(data), verbosity: 0 }).promise;
  const labels = await document.getPageLabels();
  await document.destroy();
  return labels;
}

/** A German bachelor thesis as a student in Vienna writes one: glossary file, appendix, declaration, two abstracts. */
function germanThesis(template: string): string {
  const dir = copyProject('minimal');
  write(dir, 'thesis/thesis.yaml', `title: "Selbstregierte Gesellschaft: Das Sozialkreditsystem in China"
author: Diana Muratova
type: Bachelorarbeit
institution: Universität Wien
course: Politikwissenschaft
supervisor: Univ.-Prof. Dr. Beispiel
date: 2020-08-31
place: Wien
lang: de-AT
template: ${template}
csl: apa
declaration: true
abstract:
  - lang: en
    text: An English abstract about the [+scs].
  - lang: de-AT
    text: Eine deutsche Kurzfassung über das [+scs].
lot: true
loa: true
glossary: glossar.yaml
chapters: [01-einleitung.md]
appendices: [anhang.md]
`);
  edit(dir, 'bibliography/references.bib', (text) => `${text}\n@collection{mueller2019,\n  editor = {Müller, Hans and Meier, Anna},\n  title = {Regieren durch Daten},\n  publisher = {Springer VS},\n  location = {Wiesbaden},\n  year = {2019},\n}\n`);
  write(dir, 'thesis/glossar.yaml', 'scs:\n  short: SKS\n  long: Sozialkreditsystem\nprc: { short: VRC, long: Volksrepublik China }\nkpch:\n  short: KPCh\n  long: Kommunistischen Partei Chinas\n');
  const filler = Array.from({ length: 40 }, (_, i) => `Absatz ${i + 1}: Das [+scs] verbindet Bewertungen von Unternehmen, Behörden und Personen zu einem Bild der Vertrauenswürdigkeit, das Belohnungen und Strafen steuert.`).join('\n\n');
  write(dir, 'thesis/01-einleitung.md', `# Einleitung

Das [+scs] der [+prc] wird von der [+kpch] gesteuert [@foucault1977, S. 3; @mueller2019]. Das [+scs] ist umstritten.

| Jahr | Dokument |
|------|----------|
| 2014 | Planungsentwurf |

: Dokumente des Staatsrats {#tbl:docs}

## Forschungsfrage

Wie @tbl:docs zeigt; die Zeitleiste steht in @sec:zeit.

${filler}
`);
  write(dir, 'thesis/anhang.md', '# Zeitleiste {#sec:zeit}\n\n| Jahr | Ereignis |\n|------|----------|\n| 2020 | Ende der Planungsperiode |\n\n: Zeitleiste {#tbl:zeit}\n');
  return dir;
}

async function built(dir: string): Promise<{ pages: string[]; labels: string[] | null }> {
  const result = await runCli(['build', dir]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const pdf = fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf'));
  return { pages: (await pdfPages(pdf)).map((page) => page.replace(/\s+/g, ' ')), labels: await pageLabels(pdf) };
}

describe('the diplomarbeit template on a German thesis (the hold-out of issue 12)', () => {
  it('puts the labelled title page, the declaration, Kurzfassung before Abstract, the lists and German terms where a German-speaking university expects them', async () => {
    const dir = germanThesis('diplomarbeit');
    const { pages, labels } = await built(dir);
    // The last page with the text: the contents name the reference list too.
    const pageOf = (text: string) => lastPageWith(pages, text);
    expect(pages[0]).toContain('verfasst von');
    expect(pages[0]).toContain('Betreut von Univ.-Prof. Dr. Beispiel');
    expect(pages[0]).toContain('Wien, 2020-08-31');
    // The declaration right after the title page, then the abstracts in the thesis's language first.
    expect(pageOf('Eidesstattliche Erklärung')).toBe(1);
    const order = ['Eidesstattliche Erklärung', 'Kurzfassung', 'Abstract', 'Inhaltsverzeichnis', 'Tabellenverzeichnis', 'Abkürzungsverzeichnis', 'KAPITEL 1', 'Literaturverzeichnis', 'ANHANG A'].map(pageOf);
    expect(order.every((page) => page > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Roman numbers before the first chapter, arabic from it; the title page unnumbered (its label is its index).
    const first = pageOf('KAPITEL 1');
    expect(labels?.slice(1, first)).toEqual(['i', 'ii', 'iii', 'iv', 'v', 'vi'].slice(0, first - 1));
    expect(labels?.[first]).toBe('1');
    // A page inside a chapter has the chapter's title in its running head.
    expect(pages[first + 1]).toMatch(/^\s*Einleitung 2/);
    // The glossary from its own file, German terms in the citations and the reference list.
    expect(pages[first]).toContain('Das Sozialkreditsystem (SKS) der Volksrepublik China (VRC) wird von der Kommunistischen Partei Chinas (KPCh) gesteuert (Foucault, 1977, S. 3; Müller & Meier, 2019). Das SKS ist umstritten.');
    expect(pages[first]).toContain('Wie Tabelle 1 zeigt; die Zeitleiste steht in Anhang A.');
    expect(pages[pageOf('Abkürzungsverzeichnis')]).toMatch(/KPCh Kommunistischen Partei Chinas SKS Sozialkreditsystem VRC Volksrepublik China/);
    // The list of tables gives each table's page number as its page is labelled.
    const appendixPage = labels?.[pageOf('ANHANG A')];
    expect(pages[pageOf('Tabellenverzeichnis')]).toMatch(/Tabelle 1:? Dokumente des Staatsrats[ .]+ 1 /);
    expect(pages[pageOf('Tabellenverzeichnis')]).toMatch(new RegExp(`Tabelle A\\.1:? Zeitleiste[ .]+ ${appendixPage}\\b`));
    expect(pages[pageOf('Inhaltsverzeichnis')]).toMatch(new RegExp(`Anhang A Zeitleiste[ .]+ ${appendixPage}\\b`));
    expect(pages[pageOf('Literaturverzeichnis')]).toContain('Müller, H., & Meier, A. (Hrsg.). (2019). Regieren durch Daten. Springer VS.');
  });

  it('labels the title page and the chapters in French and Chinese too', async () => {
    for (const [lang, submittedBy, supervisor, chapter] of [
      ['fr-FR', 'présenté par', 'Sous la direction de Prof. Exemple', 'CHAPITRE 1'],
      ['zh-CN', '作者', '指导教师 Prof. Exemple', '第 1 章'],
    ]) {
      const dir = copyProject('minimal');
      edit(dir, 'thesis/thesis.yaml', (text) => `${text.replace('lang: en-US', `lang: ${lang}`)}template: diplomarbeit\nsupervisor: Prof. Exemple\n`);
      const { pages } = await built(dir);
      expect(pages[0]).toContain(submittedBy);
      expect(pages[0]).toContain(supervisor);
      expect(pages.join(' ')).toContain(chapter);
      expect(pages.join(' ')).not.toMatch(/submitted by|CHAPTER|Contents|References/);
    }
  });

  it('differs from the default template, which the same thesis gets with template: thesis', async () => {
    const dir = germanThesis('thesis');
    const { pages } = await built(dir);
    expect(pages.join(' ')).not.toContain('verfasst von');
    expect(pages.join(' ')).not.toContain('KAPITEL 1');
    const pageOf = (text: string) => pages.findIndex((page) => page.includes(text));
    // thesis.typ keeps the abstracts in the order thesis.yaml lists them.
    expect(pageOf('Abstract')).toBeLessThan(pageOf('Kurzfassung'));
  });
});

describe('a project template', () => {
  it('is taken by name from templates/, or as a .typ file in the project; a name nobody has is an error with did-you-mean', async () => {
    const dir = copyProject('minimal');
    const own = fs.readFileSync(path.join(__dirname, '..', 'templates', 'thesis.typ'), 'utf8').replace('// Title page', '// Title page\n  page(numbering: none)[University of Somewhere, own template]');
    write(dir, 'templates/somewhere.typ', own);
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}template: somewhere\n`);
    expect((await built(dir)).pages[0]).toContain('University of Somewhere, own template');

    fs.renameSync(path.join(dir, 'templates'), path.join(dir, 'layout'));
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('template: somewhere', 'template: layout/somewhere.typ'));
    expect((await built(dir)).pages[0]).toContain('University of Somewhere, own template');

    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('template: layout/somewhere.typ', 'template: diplomarbet'));
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('thesis/thesis.yaml:18:1: error: no template "diplomarbet": neither templates/diplomarbet.typ in the project nor a built-in one (thesis, diplomarbeit); did you mean "diplomarbeit"? [config-invalid]');
  });

  it('init writes the chosen template into thesis.yaml', async () => {
    const dir = path.join(copyProject('minimal'), 'neu');
    const made = await runCli(['init', dir, '--lang', 'de-AT', '--template', 'diplomarbeit']);
    expect(made.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'thesis', 'thesis.yaml'), 'utf8')).toMatch(/^template: diplomarbeit +#/m);
    const { pages } = await built(dir);
    expect(pages[0]).toContain('verfasst von');
  });
});

describe('init beside another command writing the folder', () => {
  it('waits for it under the project\'s lock, then writes nothing over what it wrote', async () => {
    const dir = tempDir();
    // Another command (a second init) holding the lock: it writes a thesis a moment later and lets go.
    const holder = spawn(process.execPath, ['-e', `
      const fs = require('fs'), path = require('path');
      const dir = ${JSON.stringify(dir)};
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.writeFileSync(path.join(dir, 'dist', '.lock'), JSON.stringify({ pid: process.pid, what: 'init', since: new Date().toISOString() }), { flag: 'wx' });
      process.stdout.write('locked\\n');
      setTimeout(() => {
        fs.mkdirSync(path.join(dir, 'thesis'));
        fs.writeFileSync(path.join(dir, 'thesis', 'thesis.yaml'), 'title: The first one\\n');
        fs.rmSync(path.join(dir, 'dist', '.lock'));
      }, 800);`]);
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const second = await spawnCli(['init', dir]);
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('the folder is not empty: it already has thesis/');
    expect(fs.readFileSync(path.join(dir, 'thesis', 'thesis.yaml'), 'utf8')).toBe('title: The first one\n');
    expect(fs.existsSync(path.join(dir, 'bibliography'))).toBe(false);
    // A folder that has a thesis already is turned away before the lock: no dist/ left in it.
    const other = tempDir();
    fs.mkdirSync(path.join(other, 'thesis'));
    expect((await runCli(['init', other])).status).toBe(1);
    expect(fs.readdirSync(other)).toEqual(['thesis']);
  }, 30_000);
});

describe('a bad value for each key of thesis.yaml', () => {
  // Each is written as the last line of the minimal project's thesis.yaml, in place of the key's own line.
  const cases: [string, RegExp][] = [
    ['title: ""', /`title` must NOT have fewer than 1 characters/],
    ['subtitle: [a, b]', /`subtitle` must be string/],
    ['author: { name: x }', /`author` must be string/],
    ['type: [Bachelor]', /`type` must be string/],
    ['institution: 3', /`institution` must be string/],
    ['supervisor: [x]', /`supervisor` must be string/],
    ['date: [2020]', /`date` must be string,number/],
    ['lang: deutsch', /`lang` must be a language tag such as en-US or de-AT/],
    ['csl: ""', /`csl` must NOT have fewer than 1 characters/],
    ['bibliography: 3', /`bibliography` must be a \.bib, CSL-JSON or CSL YAML file, or a list of them/],
    ['appendices: anhang.md', /`appendices` must be array/],
    ['nocite: { a: 1 }', /`nocite` must be a citation key \("@\*" for all\), or a list of them/],
    ['toc: yes please', /`toc` must be boolean/],
    ['link-citations: 1', /`link-citations` must be boolean/],
    ['reference-section-title: [a]', /`reference-section-title` must be string/],
    ['words: { min: -1 }', /`words.min` must be >= 0/],
    ['key-pattern: ""', /`key-pattern` must NOT have fewer than 1 characters/],
    ['keywords: { a: b }', /`keywords` must be a keyword, or a list of them/],
    ['pdf-standard: a-9', /`pdf-standard` must be one of a-1b, /],
    ['abstract: 3', /`abstract` must be Markdown text, a file in thesis\/, or a list of abstracts/],
    ['acknowledgements: [a]', /`acknowledgements` must be string/],
    ['dedication: 3', /`dedication` must be string/],
    ['preface: { a: 1 }', /`preface` must be string/],
    ['declaration: 3', /`declaration` must be boolean,string/],
    ['place: [Wien]', /`place` must be string/],
    ['lof: "no"', /`lof` must be boolean/],
    ['lot: 1', /`lot` must be boolean/],
    ['loa: maybe', /`loa` must be boolean/],
    ['glossary: terms.txt', /`glossary` must be a YAML file \(name\.yaml\) in thesis\//],
    ['glossary: { ai: { short: AI } }', /`glossary.ai` is missing the required key `long`/],
    ['glossary: missing.yaml', /`glossary` names "missing.yaml", but thesis\/missing.yaml does not exist/],
    ['template: ""', /`template` must NOT have fewer than 1 characters/],
    ['milestone: x', /unknown key `milestone` in thesis\.yaml/],
  ];

  it.each(cases)('%s', async (line, message) => {
    const dir = copyProject('minimal');
    const key = line.slice(0, line.indexOf(':') + 1);
    let at = 0;
    edit(dir, 'thesis/thesis.yaml', (text) => {
      const kept = text.split('\n').filter((written) => written && !written.startsWith(key));
      at = kept.length + 1;
      return `${kept.join('\n')}\n${line}\n`;
    });
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(1);
    const reported = result.stderr.split('\n').filter((text) => text.includes('[config-invalid]'));
    expect(reported).toHaveLength(1);
    expect(reported[0]).toContain(`/thesis/thesis.yaml:${at}:`);
    expect(reported[0]).toContain(': error: ');
    expect(reported[0]).toMatch(message);
  });

  it('a bad entry in the glossary file is reported at its line there', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}glossary: terms.yaml\n`);
    write(dir, 'thesis/terms.yaml', 'scs:\n  short: SCS\n  long: Social Credit System\nprc:\n  short: PRC\n  lang: en\n');
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('thesis/terms.yaml:4:1: error: `prc` is missing the required key `long` [config-invalid]');
    expect(result.stderr).toContain('thesis/terms.yaml:6:3: error: unknown key `lang` in `prc`; did you mean `long`? [config-invalid]');
  });
});

describe("Pandoc's key `institute`", () => {
  it('is read as `institution` (a list is joined), and both at once is a warning at the line of `institute`', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}\ninstitute: [University of Vienna, Department of Political Science]\n`);
    const built = await runCli(['build', dir]);
    expect(built.stderr).toBe('');
    expect(built.status).toBe(0);
    const [titlePage] = await pdfPages(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')));
    expect(titlePage.replace(/\s+/g, ' ')).toContain('University of Vienna, Department of Political Science');

    edit(dir, 'thesis/thesis.yaml', (text) => `${text}institution: Universität Wien\n`);
    const both = await runCli(['build', dir]);
    expect(both.status).toBe(0);
    expect(both.stderr).toMatch(/thesis\.yaml:\d+:1: warning: `institute` \(Pandoc's name\) and `institution` both name the institution/);
  });
});
