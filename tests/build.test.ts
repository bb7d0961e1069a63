// End to end: `thesis build` on real thesis folders, read back from the PDF.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import fs from 'node:fs';
import path from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './helpers/cli.js';
import { lastPageWith, pdfPages, pdfText } from './helpers/pdf-text.js';
import { copyProject } from './helpers/project.js';

describe('building the thesis in this repository', () => {
  const dir = copyProject('repo');
  const pdf = path.join(dir, 'dist', 'thesis.pdf');
  let result: CliResult;
  beforeAll(async () => {
    result = await runCli(['build', dir]);
  });

  it('succeeds with a summary line and no diagnostics', async () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/dist\/thesis\.pdf: \d+ pages, 3\d citations, 10 references, 0 errors, 0 warnings, [\d.]+ s/);
  });

  it('has the title page facts on page 1', async () => {
    const [titlePage] = await pdfPages(fs.readFileSync(pdf));
    const text = titlePage.replace(/\s+/g, ' ');
    expect(text).toContain('Self-Governing Society: Social Credit System in China');
    expect(text).toContain('Diana Muratova');
    expect(text).toContain('210104-1 BAK18: Bachelorseminar');
    expect(text).toContain('2020SS');
  });

  it('formats citations in APA and lists the references', async () => {
    const text = await pdfText(fs.readFileSync(pdf));
    expect(text).toContain('Contents');
    expect(text).toContain('(Foucault, 1977, pp. 135–169)');
    expect(text).toContain('(Simon, 2005; Zhen, 2015)');
    expect(text).toContain('Kostka & Antoine (2018, p. 3)');
    expect(text).toContain('(1977, p. 170)'); // suppressed author
    expect(text).toMatch(/References.*Allen, A\. \(2002\)\. Power, subjectivity, and agency: Between Arendt and Foucault/);
    expect(text).toContain('State Council of the People’s Republic of China. (2014). Planning outline for the construction of a social credit system (2014–2020) (Guofa [2014] No. 21). State Council policy document.');
    expect(text).toContain('社会信用体系');
    expect(text).toContain('Table 1: Techniques of the Social Credit System');
    expect(text).toMatch(/set out in Section 2/);
  });

  it('is a thesis an examination office accepts: declaration, abstracts, lists and appendix in order, roman then arabic page labels', async () => {
    const data = new Uint8Array(fs.readFileSync(pdf));
    const pages = (await pdfPages(data)).map((page) => page.replace(/\s+/g, ' '));
    // The last page with the text: the contents name the chapters and the appendix too.
    const pageOf = (text: string) => lastPageWith(pages, text);
    const order = ['Declaration of Authorship', 'Abstract', 'Kurzfassung', 'Contents', 'List of Tables', 'List of Abbreviations', 'Introduction The Social Credit System', 'References', 'Appendix A'].map(pageOf);
    expect(order.every((page) => page > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const document = await pdfjs.getDocument({ data, verbosity: 0 }).promise;
    const labels = await document.getPageLabels();
    await document.destroy();
    const first = pageOf('Introduction The Social Credit System');
    expect(labels?.slice(1, first)).toEqual(['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii'].slice(0, first - 1));
    expect(labels?.[first]).toBe('1');
    // The abbreviations from thesis/glossary.yaml: long at the first use, short after, listed in order.
    const text = pages.slice(first).join(' ');
    expect(text).toContain('The Social Credit System (SCS) of the People’s Republic of China (PRC)');
    expect(text).toContain('carries out the Chinese Communist Party (CCP)’s 2013 decision');
    expect(text).toContain('In public debate the SCS is read');
    expect(pages[pageOf('List of Abbreviations')]).toMatch(/CCP Chinese Communist Party PRC People’s Republic of China SCS Social Credit System/);
  });
});

describe('building another thesis folder', () => {
  it('lists every entry with nocite "@*", thesis types in words as Pandoc writes them, never "[Phdthesis]"', async () => {
    const dir = copyProject('minimal');
    fs.appendFileSync(
      path.join(dir, 'bibliography', 'references.bib'),
      '\n@phdthesis{wang2019,\n  author = {Wang, Li},\n  title = {Governing Through Credit},\n  school = {Peking University},\n  year = {2019},\n}\n\n@mastersthesis{li2018,\n  author = {Li, Chen},\n  title = {Credit and Trust},\n  school = {Fudan University},\n  year = {2018},\n}\n',
    );
    fs.appendFileSync(path.join(dir, 'thesis', 'thesis.yaml'), 'nocite: ["@*"]\n');
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('5 references');
    const text = await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')));
    expect(text).toContain('Wang, L. (2019). Governing through credit [PhD thesis]. Peking University.');
    expect(text).toContain("Li, C. (2018). Credit and trust [Master’s thesis]. Fudan University.");
    expect(text).not.toMatch(/\[(Phdthesis|Mathesis)\]/);
  });

  it('builds a folder without thesis.yaml from thesis/*.md and bibliography/', async () => {
    const dir = copyProject('minimal');
    fs.rmSync(path.join(dir, 'thesis', 'thesis.yaml'));
    const result = await runCli(['build', '--project', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')));
    expect(text).toContain('(Simon, 2005, p. 3)');
    expect(text.indexOf('First chapter')).toBeLessThan(text.indexOf('Second chapter'));
  });

  it('uses a CSL file named in thesis.yaml and the locale for lang', async () => {
    const dir = copyProject('minimal');
    // A real CSL file: the Vancouver style as citation-js ships it.
    const styles = require('@citation-js/plugin-csl/lib/styles.json') as Record<string, string>;
    fs.writeFileSync(path.join(dir, 'thesis', 'numbered.csl'), styles.vancouver);
    const config = path.join(dir, 'thesis', 'thesis.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace('csl: apa', 'csl: numbered.csl').replace('lang: en-US', 'lang: de-DE'));
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(0);
    const text = await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')));
    expect(text).toMatch(/discipline makes individuals/);
    expect(text).toMatch(/new forms \(1, p\. 3\)/);
    expect(text).toContain('Literaturverzeichnis');
    expect(text).toContain('Inhaltsverzeichnis');
  });
});

describe('a {#refs} div', () => {
  it('places the reference list under the writer\'s own heading, before an appendix', async () => {
    const dir = copyProject('minimal');
    fs.appendFileSync(path.join(dir, 'thesis', 'two.md'), '\n# Sources {-}\n\n::: {#refs}\n:::\n\n# Appendix {-}\n\nThe interview questions follow.\n');
    const result = await runCli(['build', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')));
    const sources = text.indexOf('Sources');
    const entry = text.indexOf('Simon, B. (2005)');
    expect(sources).toBeGreaterThan(0);
    expect(entry).toBeGreaterThan(sources);
    expect(text.indexOf('The interview questions follow')).toBeGreaterThan(entry);
    expect(text).not.toContain('References');
  });
});

describe('a CSL style without a reference list', () => {
  it('builds, with citations that link nowhere left unlinked', async () => {
    const dir = copyProject('minimal');
    fs.writeFileSync(
      path.join(dir, 'thesis', 'titles.csl'),
      `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Titles only</title><id>titles-only</id></info>
  <citation><layout prefix="[" suffix="]" delimiter="; "><text variable="title" font-style="italic"/></layout></citation>
</style>
`,
    );
    const config = path.join(dir, 'thesis', 'thesis.yaml');
    fs.writeFileSync(config, fs.readFileSync(config, 'utf8').replace(/^csl: .*$/m, 'csl: thesis/titles.csl'));
    const result = await runCli(['build', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/0 references, 0 errors, 0 warnings/);
    const text = await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')));
    expect(text).toContain('[Discipline and punish');
    expect(text).not.toContain('References');
  });
});

describe('the caches in dist/.cache', () => {
  it('give the same Typst as a build from nothing, and never a stale chapter', async () => {
    const dir = copyProject('repo');
    expect((await runCli(['build', '--typst', dir])).status).toBe(0);
    const fresh = fs.readFileSync(path.join(dir, 'dist', 'thesis.typ'), 'utf8');
    const chapters = path.join(dir, 'dist', '.cache', 'chapters');
    expect(fs.readdirSync(chapters)).toHaveLength(6); // five chapters and the appendix
    expect((await runCli(['build', '--typst', dir])).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'dist', 'thesis.typ'), 'utf8')).toBe(fresh);

    // An edited chapter is parsed again; a damaged cache file is parsed past.
    const chapter = path.join(dir, 'thesis', '02-theory.md');
    fs.appendFileSync(chapter, '\nA sentence added after the cache was written.\n');
    const [damaged] = fs.readdirSync(chapters);
    fs.writeFileSync(path.join(chapters, damaged), '{"key": "not json');
    const result = await runCli(['build', '--typst', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'dist', 'thesis.typ'), 'utf8')).toContain('A sentence added after the cache was written');
    fs.rmSync(path.join(dir, 'dist', '.cache'), { recursive: true });
    const rebuilt = await runCli(['build', '--typst', dir]);
    expect(rebuilt.status).toBe(0);
    const again = fs.readFileSync(path.join(dir, 'dist', 'thesis.typ'), 'utf8');
    expect((await runCli(['build', '--typst', dir])).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'dist', 'thesis.typ'), 'utf8')).toBe(again);
  });
});

describe('a cache someone else wrote', () => {
  it('is never used: an edited citations cache holding raw Typst, or a chapter cache with a raw block, is rebuilt, also with --no-raw', async () => {
    const dir = copyProject('minimal');
    expect((await runCli(['build', dir])).status).toBe(0);
    const marker = `TAMPERED${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    // The attacker's edit: the formatted citation's text and a chapter's parsed tree, keys kept.
    const citations = path.join(dir, 'dist', '.cache', 'citations.json');
    fs.writeFileSync(citations, fs.readFileSync(citations, 'utf8').replace(/"value":"\(/, `"value":"${marker} (`));
    const chapters = path.join(dir, 'dist', '.cache', 'chapters');
    for (const name of fs.readdirSync(chapters)) {
      const file = path.join(chapters, name);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"type":"text","value":"([^"]*)"/, `"type":"code","lang":"{=typst}","value":"${marker}"`));
    }
    const result = await runCli(['build', dir, '--no-raw']);
    expect(result.status).toBe(0);
    expect(await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).not.toContain(marker);
    expect(result.stderr).not.toContain('raw-typst-refused');
  }, 60_000);
});

describe("Pandoc's example lists across chapters", () => {
  it('are numbered through the thesis, and `@label` prints the number of an example in another chapter', async () => {
    const dir = copyProject('minimal');
    fs.writeFileSync(path.join(dir, 'thesis', 'one.md'), '# One\n\n(@) A first example.\n(@trust) Trust is scored.\n');
    fs.writeFileSync(path.join(dir, 'thesis', 'two.md'), '# Two\n\n(@) A third example, after (@trust).\n\nAs @trust shows.\n');
    const result = await runCli(['build', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/0 warnings/);
    const text = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');
    expect(text).toContain('(1) A first example. (2) Trust is scored.');
    expect(text).toContain('(3) A third example, after (2).');
    expect(text).toContain('As 2 shows.');

    // A new example in the first chapter moves the numbers of the second.
    fs.writeFileSync(path.join(dir, 'thesis', 'one.md'), '# One\n\n(@) A first example.\n(@) A new one.\n(@trust) Trust is scored.\n');
    expect((await runCli(['build', dir])).status).toBe(0);
    const after = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');
    expect(after).toContain('(4) A third example, after (3).');
  });
});

describe("links and LaTeX references to Pandoc's heading identifiers", () => {
  it('reach headings in other chapters, a repeated title taking -1', async () => {
    const dir = copyProject('minimal');
    fs.writeFileSync(path.join(dir, 'thesis', 'one.md'), '# Method\n\n## Results\n\nSee [the later results](#results-1) and Section \\ref{discussion-of-the-results}.\n');
    fs.writeFileSync(path.join(dir, 'thesis', 'two.md'), '# Discussion of the results\n\n## Results\n\nA link to [nowhere](#no-such-heading).\n');
    const result = await runCli(['build', '--typst', dir]);
    expect(result.stderr).toContain('two.md:5:11: warning: link to "#no-such-heading" points to no heading or label in the thesis [crossref-unknown]');
    expect(result.status).toBe(0);
    const typst = fs.readFileSync(path.join(dir, 'dist', 'thesis.typ'), 'utf8');
    expect(typst).toContain('#link(<results-1>)[the later results]');
    const text = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');
    expect(text).toContain('See the later results and Section 2.');
  });
});
