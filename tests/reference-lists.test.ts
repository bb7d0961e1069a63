// Reference lists equal to Pandoc's, entry for entry (issue 20): real
// bibliographies in the shapes Zotero/Better BibTeX, JabRef, Mendeley and
// publishers export, in real styles, formatted by us and by Pandoc 3. The
// agreement is printed as a number; every deliberate difference is listed
// in `deliberate` with its reason, and nothing else may differ.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StyleLibrary } from '../scripts/format/style-library.js';
import { fixturesDir } from './helpers/project.js';
import { compareReferenceLists } from './helpers/reference-lists.js';

const library = StyleLibrary.shared()!;
/** A style as the CSL project ships it (styles/), by its id. */
const shipped = (id: string) => library.style(id)!.xml;

const styles: Record<string, string> = {
  apa: shipped('apa'),
  ieee: fs.readFileSync(path.join(fixturesDir, 'styles', 'ieee.csl'), 'utf8'),
  'chicago-author-date': shipped('chicago-author-date'),
  'chicago-notes-bibliography': shipped('chicago-notes-bibliography'),
};
/** More styles on the two bibliographies with the hardest entries, to keep the run short. */
const moreStyles: Record<string, string> = {
  'vancouver-nlm': shipped('vancouver-nlm'),
  'harvard-cite-them-right': shipped('harvard-cite-them-right'),
  'modern-language-association': shipped('modern-language-association'),
};
/** German styles, for a German thesis. */
const germanStyles: Record<string, string> = { apa: styles.apa, 'iso690-author-date-de': shipped('iso690-author-date-de'), 'din-1505-2': shipped('din-1505-2') };

const bibliographies = ['hard-cases.bib', 'zotero-better-bibtex.bib', 'jabref.bib', 'mendeley.bib', 'biblatex-features.bib', 'biblatex-strings.bib'];
const hardest = ['hard-cases.bib', 'biblatex-features.bib'];

describe('reference lists against Pandoc', () => {
  it('prints the agreement', async () => {
    let equal = 0;
    let total = 0;
    const compare = async (file: string, name: string, xml: string, lang = 'en-US') => {
      const comparison = await compareReferenceLists(fs.readFileSync(path.join(fixturesDir, 'bibtex', file), 'utf8'), xml, lang);
      equal += comparison.equal;
      total += comparison.pandoc.length;
      for (const entry of comparison.onlyPandoc) console.log(`${file} ${name} ${lang} P: ${entry}`);
      for (const entry of comparison.onlyOurs) console.log(`${file} ${name} ${lang} O: ${entry}`);
    };
    for (const file of bibliographies) for (const [name, xml] of Object.entries(styles)) await compare(file, name, xml);
    for (const file of hardest) for (const [name, xml] of Object.entries(moreStyles)) await compare(file, name, xml);
    // A German thesis: German terms, and entries without `langid` not sentence-cased (as Pandoc reads them for a German document).
    for (const file of hardest) for (const [name, xml] of Object.entries(germanStyles)) await compare(file, name, xml, 'de-AT');
    console.log(`reference lists: ${equal} of ${total} entries equal to Pandoc's`);
    // Every entry: the formatter is Pandoc's citeproc, given the entries as Pandoc's reader reads them.
    expect(equal).toBe(total);
  }, 300_000);
});

describe('a CSL YAML bibliography, as Pandoc reads one', () => {
  it('gives the list Pandoc gives for the same file: Markdown in its strings, dates as written', async () => {
    const yaml = [
      '---',
      'references:',
      '- id: muratova2020',
      '  type: thesis',
      '  author: [{family: Muratova, given: Diana}]',
      '  title: "Self-governing society: *Social credit* in China"',
      '  genre: Bachelor thesis',
      '  publisher: Universität Wien',
      '  issued: 2020',
      '- id: creemers2018',
      '  type: report',
      '  author: [{family: Creemers, given: Rogier}]',
      '  title: "China\'s social credit system: An evolving practice of control"',
      '  publisher: SSRN',
      '  issued: {date-parts: [[2018, 5, 9]]}',
      '  URL: https://doi.org/10.2139/ssrn.3175792',
      '---',
      '',
    ].join('\n');
    for (const xml of [styles.apa, styles.ieee]) {
      const comparison = await compareReferenceLists(yaml, xml, 'en-US', 'references.yaml');
      expect(comparison.stderr).toBe('');
      expect(comparison.pandoc).toHaveLength(2);
      expect(comparison.ours).toEqual(comparison.pandoc);
    }
    const apa = await compareReferenceLists(yaml, styles.apa, 'en-US', 'references.yaml');
    expect(apa.ours.find((entry) => entry.startsWith('Muratova'))).toContain('<i>Social credit</i>');
  }, 60_000);
});

describe('sources written in the metadata, as Pandoc reads `references:`', () => {
  it("are cited from thesis.yaml and from a chapter's front matter, with their entries in the list", async () => {
    const { runCli } = await import('./helpers/cli.js');
    const { pdfText } = await import('./helpers/pdf-text.js');
    const { tempDir, write } = await import('./helpers/project.js');
    const dir = tempDir('metadata-references-');
    write(
      dir,
      'thesis/thesis.yaml',
      ['title: T', 'author: A', 'lang: de-AT', 'chapters: [a.md]', 'references:', '  - id: mau2017', '    type: book', '    author: [{family: Mau, given: Steffen}]', '    title: Das metrische Wir', '    publisher: Suhrkamp', '    issued: 2017', ''].join('\n'),
    );
    write(dir, 'thesis/a.md', ['---', 'title: Einleitung', 'references:', '- id: lyon2007', '  type: book', '  author: [{family: Lyon, given: David}]', '  title: "*Surveillance Studies*: An Overview"', '  publisher: Polity', '  issued: 2007', '---', '', 'Gezählt wird alles [@mau2017; @lyon2007].', ''].join('\n'));
    const result = await runCli(['build', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');
    expect(text).toContain('(Lyon, 2007; Mau, 2017)');
    expect(text).toContain('Mau, S. (2017). Das metrische Wir. Suhrkamp.');
    expect(text).toContain('Lyon, D. (2007). Surveillance Studies: An Overview. Polity.');
  }, 60_000);
});
