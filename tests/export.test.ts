// Word and HTML out through Pandoc (issue 13, part 1): the same thesis as
// the PDF, read back by readers we did not write: mammoth for the DOCX,
// linkedom for the HTML, pdf.js for the PDF they are compared with.
import fs from 'node:fs';
import path from 'node:path';
import mammoth from 'mammoth';
import { parseHTML } from 'linkedom';
import { beforeAll, describe, expect, it } from 'vitest';
import { PANDOC_API_VERSION } from '../scripts/export/pandoc-ast.js';
import { runPandoc } from '../scripts/export/pandoc-runner.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, edit, repoDir, write } from './helpers/project.js';

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The DOCX's paragraphs as mammoth reads them, footnotes included. */
async function docxParagraphs(file: string): Promise<string[]> {
  const { value } = await mammoth.convertToHtml({ path: file });
  const { document } = parseHTML(`<html><body>${value}</body></html>`);
  return [...document.querySelectorAll('p, h1, h2, h3, h4, li, td, th')].map((element) => squash(element.textContent ?? ''));
}

describe("this repository's thesis as Word and HTML", () => {
  const dir = copyProject('repo');
  let result: CliResult;
  beforeAll(async () => {
    result = await runCli(['build', dir, '--to', 'pdf,docx,html']);
  }, 120_000);

  it('writes the PDF, the DOCX and the HTML in one build', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/dist\/thesis\.pdf: \d+ pages/);
    expect(result.stdout).toMatch(/dist\/thesis\.docx: 3\d citations, 10 references/);
    expect(result.stdout).toMatch(/dist\/thesis\.html: 3\d citations, 10 references/);
  });

  it('has in the DOCX the PDF’s citations, reference entries, numbers, notes and table cells', async () => {
    const paragraphs = await docxParagraphs(path.join(dir, 'dist', 'thesis.docx'));
    const docx = paragraphs.join(' ');
    const pdf = squash(await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf'))));
    // Headings with the PDF's numbers, appendix included.
    for (const heading of ['1 Introduction', '1.1 The SCS in a global context', '2 Theory: Disciplinary Power and Self-Governance', 'References', 'Appendix A Timeline of the State Council documents']) {
      expect(paragraphs).toContain(heading);
    }
    // Citations as our citeproc run formats them for the PDF.
    for (const citation of ['(Foucault, 1977, pp. 135–169)', '(Simon, 2005; Zhen, 2015)', 'Kostka & Antoine (2018, p. 3)', '(1977, p. 170)']) {
      expect(pdf).toContain(citation);
      expect(docx).toContain(citation);
    }
    // Every reference entry of the DOCX is, word for word, in the PDF (whose lines break inside URLs, and after
    // the hyphen of "credit-based", which the PDF's text cannot tell from a hyphenation): spaces and hyphens aside.
    const references = paragraphs.slice(paragraphs.indexOf('References') + 1, paragraphs.findIndex((p) => p.startsWith('Appendix A')));
    expect(references).toHaveLength(10);
    const unbroken = (text: string) => text.replace(/[\s\u00ad-]/g, '');
    for (const entry of references) expect(unbroken(pdf)).toContain(unbroken(entry));
    // Cross-references print the PDF's numbers; a table keeps its caption number and cells.
    expect(docx).toContain('The theory for answering it is set out in Section 2, the method in Section 3, and the results are summarised in Table 1.');
    expect(paragraphs).toContain('Table 1: Techniques of the Social Credit System and their reading');
    expect(paragraphs).toContain('Table A.1: The State Council documents analysed');
    expect(paragraphs).toContain('normalising judgement');
    // A footnote's text, and the glossary's first use.
    expect(docx).toContain('For a comparison of commercial and state scoring, see the discussion of “model citizenship” in Kostka & Antoine (2018, pp. 12–14)');
    expect(docx).toContain('The Social Credit System (SCS) of the People’s Republic of China (PRC)');
    // The front matter before the contents, in the PDF's order, with the list of abbreviations.
    const order = ['Declaration of Authorship', 'Abstract', 'Kurzfassung', 'List of Abbreviations', 'CCP', 'Chinese Communist Party', 'SCS', '1 Introduction'].map((text) => paragraphs.indexOf(text));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('makes one self-contained HTML document: contents, citations linked to their entries', () => {
    const html = fs.readFileSync(path.join(dir, 'dist', 'thesis.html'), 'utf8');
    const { document } = parseHTML(html);
    expect(document.documentElement.getAttribute('lang')).toBe('en-US');
    expect(document.querySelector('nav#TOC')?.textContent).toContain('Introduction');
    const link = document.querySelector('a[href="#ref-foucault1977"]');
    expect(link).not.toBeNull();
    expect(document.getElementById('ref-foucault1977')?.textContent).toContain('Discipline and punish');
    // Nothing is fetched from elsewhere: the stylesheet is inside.
    expect(document.querySelector('link[rel="stylesheet"]')).toBeNull();
    expect(html).toContain('nav#TOC');
  });
});

describe('a German thesis with math and a figure, as Word and HTML', () => {
  it('names tables, figures, equations and appendices as the PDF does; math as Word equations and MathML; the image inside', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('lang: en-US', 'lang: de-AT') + 'appendices: [anhang.md]\n');
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'writer', 'figures', 'pixel.png'), path.join(dir, 'thesis', 'pixel.png'));
    write(dir, 'thesis/one.md', `# Eins

Siehe @tbl:werte, @fig:karte, @eq:summe und @sec:zeit [@foucault1977, S. 3].

| a | b |
|---|---|
| 1 | 2 |

: Werte {#tbl:werte}

![Die Karte der Pilotstädte](pixel.png){#fig:karte}

$$ \\sum_{i=1}^{n} x_i $$ {#eq:summe}
`);
    write(dir, 'thesis/anhang.md', '# Zeitleiste {#sec:zeit}\n\nText.\n');
    const result = await runCli(['build', dir, '--to', 'pdf,docx,html']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const pdf = squash(await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf'))));
    const docx = (await docxParagraphs(path.join(dir, 'dist', 'thesis.docx'))).join(' ');
    const sentence = 'Siehe Tabelle 1, Abbildung 1, Gleichung 1 und Anhang A (Foucault, 1977, S. 3).';
    expect(pdf).toContain(sentence);
    expect(docx).toContain(sentence);
    expect(docx).toContain('Tabelle 1: Werte');
    expect(docx).toContain('Abbildung 1: Die Karte der Pilotstädte');
    // The formula as Office math, the picture embedded.
    const { unzipSync, strFromU8 } = await import('fflate');
    const files = unzipSync(new Uint8Array(fs.readFileSync(path.join(dir, 'dist', 'thesis.docx'))));
    const body = strFromU8(files['word/document.xml']);
    expect(body).toContain('<m:oMath');
    expect(Object.keys(files).some((name) => name.startsWith('word/media/'))).toBe(true);
    const html = fs.readFileSync(path.join(dir, 'dist', 'thesis.html'), 'utf8');
    expect(html).toContain('<math');
    expect(html).toMatch(/<img [^>]*src="data:image\/png;base64,/);
    expect(squash(parseHTML(html).document.body.textContent ?? '')).toContain(sentence);
    // Our thesis look: a serif, black headings, one-and-a-half spacing.
    const styles = strFromU8(files['word/styles.xml']);
    expect(styles).toContain('w:ascii="Times New Roman"');
    expect(styles).toContain('w:line="360"');
    expect(styles.match(/<w:style [^>]*w:styleId="Heading1"[\s\S]*?<\/w:style>/)?.[0]).not.toContain('<w:color');
  }, 120_000);
});

describe('the outputs asked for', () => {
  it('an unknown format is a usage error; a reference-doc that is not there is an error at its line', async () => {
    const dir = copyProject('minimal');
    const unknown = await runCli(['build', dir, '--to', 'pdf,doc']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('the outputs are pdf, docx, html, odt, epub (comma-separated), not "doc"');
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}reference-doc: styles/university.docx\n`);
    const missing = await runCli(['build', dir, '--to', 'docx']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/thesis\/thesis\.yaml:18:1: error: `reference-doc`: styles\/university\.docx does not exist \[config-invalid\]/);
    expect(fs.existsSync(path.join(dir, 'dist', 'thesis.docx'))).toBe(false);
  });

  it('speaks the pandoc-types version of the Pandoc it runs', async () => {
    const { stdout } = await runPandoc({ options: { from: 'markdown', to: 'json' }, input: 'x', files: {} });
    expect(JSON.parse(stdout)['pandoc-api-version']).toEqual(PANDOC_API_VERSION);
  });
});

describe('a Pandoc installed on the machine', () => {
  it('is used instead of the embedded one when THESIS_PANDOC names it, with the same options as a defaults file', async () => {
    const dir = copyProject('minimal');
    // A stand-in for a system pandoc: it records what it was given and writes the output file.
    const fake = path.join(dir, 'fake-pandoc.mjs');
    write(dir, 'fake-pandoc.mjs', `#!/usr/bin/env node
import fs from 'node:fs';
const defaults = JSON.parse(fs.readFileSync('defaults.json', 'utf8'));
const input = fs.readFileSync(0, 'utf8');
fs.writeFileSync(defaults['output-file'], 'written by the system pandoc: ' + defaults.from + ' to ' + defaults.to + ', ' + JSON.parse(input).blocks.length + ' blocks' + (process.argv.includes('--sandbox') ? ', sandboxed' : '') + (input.includes('data:image/png;base64,') ? ', image inline' : '') + (String(defaults.css).startsWith('data:text/css;base64,') ? ', css inline' : ''));
process.stderr.write('[WARNING] a warning from the system pandoc\\n');
`);
    fs.chmodSync(fake, 0o755);
    fs.copyFileSync(path.join(repoDir, 'tests', 'fixtures', 'writer', 'crossrefs', 'map.png'), path.join(dir, 'thesis', 'map.png'));
    edit(dir, 'thesis/two.md', (text) => `${text}\n![A map](map.png)\n`);
    process.env.THESIS_PANDOC = fake;
    try {
      const result = await runCli(['build', dir, '--to', 'html']);
      expect(result.status).toBe(0);
      expect(result.stderr).toContain('warning: Pandoc (html): a warning from the system pandoc [pandoc-warning]');
      expect(fs.readFileSync(path.join(dir, 'dist', 'thesis.html'), 'utf8')).toMatch(/^written by the system pandoc: json to html, \d+ blocks, sandboxed, image inline, css inline$/);
    } finally {
      delete process.env.THESIS_PANDOC;
    }
  });
});
