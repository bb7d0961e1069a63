// Reading bibliographies as Zotero (Better BibTeX), JabRef and Mendeley write
// them, and BibLaTeX with dates, @string macros, crossref and xdata.
import fs from 'node:fs';
import path from 'node:path';
import { convert } from 'pandoc-wasm';
import { describe, expect, it } from 'vitest';
import { loadBibliography } from '../scripts/resolve/bibliography.js';
import { fixturesDir, tempDir } from './helpers/project.js';

const load = (name: string) => loadBibliography([path.join(fixturesDir, 'bibtex', name)]);

describe('real-world BibTeX', () => {
  it('reads a Zotero / Better BibTeX export', () => {
    const bib = load('zotero-better-bibtex.bib');
    expect(bib.diagnostics).toEqual([]);
    expect([...bib.entries.keys()]).toEqual(['allenPowerSubjectivityAgency2002', 'foucaultDisciplinePunishBirth1977', 'kostkaFosteringModelCitizenship2018']);
    const allen = bib.entries.get('allenPowerSubjectivityAgency2002')!.item;
    expect(allen.title).toBe('Power, Subjectivity, and Agency: Between Arendt and Foucault');
    expect(allen['container-title']).toBe('International Journal of Philosophical Studies');
    expect(allen.issued).toEqual({ 'date-parts': [[2002, 1]] });
    expect(allen.abstract).toContain('power & subjectivity');
    const kostka = bib.entries.get('kostkaFosteringModelCitizenship2018')!.item;
    expect(kostka.type).toBe('report');
    expect(kostka.publisher).toBe('Social Science Research Network');
    expect(kostka.author).toEqual([{ family: 'Kostka', given: 'Genia' }, { family: 'Antoine', given: 'Lukas' }]);
  });

  it('reads a JabRef export and ignores its @Comment metadata', () => {
    const bib = load('jabref.bib');
    expect(bib.diagnostics).toEqual([]);
    expect([...bib.entries.keys()]).toEqual(['Luxon2008', 'Simon2005']);
    expect(bib.entries.get('Luxon2008')!.item.issued).toEqual({ 'date-parts': [[2008, 6]] });
    expect(bib.entries.get('Simon2005')!.item['container-title']).toBe('Surveillance & Society');
  });

  it('reads a Mendeley export with abstracts, file fields and LaTeX accents', () => {
    const bib = load('mendeley.bib');
    expect(bib.diagnostics).toEqual([]);
    const nica = bib.entries.get('Nica2017')!;
    expect(nica.item.abstract).toContain('Österreich and São Paulo');
    expect(nica.item.abstract).toContain('…');
    expect(nica.fields?.file).toContain('Nica - 2017');
    expect(bib.entries.get('Zhen2015')!.item.URL).toBe('http://www.inquiriesjournal.com/a?id=1061');
  });

  it('reads BibLaTeX with @string, concatenation, dates, crossref and xdata', () => {
    const bib = load('biblatex-strings.bib');
    expect(bib.diagnostics).toEqual([]);
    expect([...bib.entries.keys()]).toEqual(['statecouncil2014', 'surveillance2010', 'bigo2010', 'lyon2007', 'creemers2018']);
    const sc = bib.entries.get('statecouncil2014')!.item;
    // A brace-protected corporate author stays one name, never "Council, S.".
    expect(sc.author).toHaveLength(1);
    expect(sc.author![0].family ?? sc.author![0].literal).toBe("State Council of the People's Republic of China");
    expect(sc.note).toBe('English translation, published 2014');
    expect(sc.issued).toEqual({ 'date-parts': [[2014, 6, 14]] });
    const bigo = bib.entries.get('bigo2010')!.item;
    // The parent's title, in sentence case as Pandoc stores English titles.
    expect(bigo['container-title']).toBe('Surveillance and democracy');
    expect(bigo.publisher).toBe('Routledge');
    expect(bigo.editor?.map((n) => n.family)).toEqual(['Haggerty', 'Samatas']);
    const lyon = bib.entries.get('lyon2007')!.item;
    expect(lyon.publisher).toBe('Routledge');
    expect(lyon['publisher-place']).toBe('Abingdon');
    expect(lyon.issued).toEqual({ 'date-parts': [[2007], [2008]] });
  });

  it('reads CSL-JSON and points at each item', () => {
    const dir = tempDir();
    const file = path.join(dir, 'refs.json');
    fs.writeFileSync(file, JSON.stringify([{ id: 'a2020', type: 'book', title: 'A' }, { id: 'b2021', type: 'article-journal', title: 'B' }, { title: 'no id' }], null, 2));
    const bib = loadBibliography([file]);
    expect([...bib.entries.keys()]).toEqual(['a2020', 'b2021']);
    expect(bib.entries.get('b2021')!.line).toBe(8);
    expect(bib.diagnostics.map((d) => [d.rule, d.line])).toEqual([['bib-syntax', 12]]);
  });
});

describe('BibTeX as real exports write it, compared with Pandoc', () => {
  it('keeps padded names, BibLaTeX quotation commands, TeX logos, crossref titles and @type(…) entries', async () => {
    const file = path.join(fixturesDir, 'bibtex', 'real-export-quirks.bib');
    const bib = loadBibliography([file]);
    expect(bib.diagnostics).toEqual([]);
    expect([...bib.entries.keys()]).toEqual(['padded', 'enq', 'parent', 'child', 'tex', 'paren', 'padded2']);
    // Pandoc reads the same file (without the @article(…) form, which its reader refuses; BibTeX allows it).
    const text = fs.readFileSync(file, 'utf8').replace(/@article\(paren[\s\S]*?\n\)\n/, '');
    const pandoc = JSON.parse((await convert({ from: 'biblatex', to: 'csljson' }, text, {})).stdout) as { id: string; author?: unknown; title?: string; 'container-title'?: string }[];
    expect(pandoc.map((item) => item.id)).toEqual(['padded', 'enq', 'parent', 'child', 'tex', 'padded2']);
    for (const item of pandoc) {
      const ours = bib.entries.get(item.id)!.item;
      expect(ours.author, item.id).toEqual(item.author);
      expect(ours['container-title'], item.id).toBe(item['container-title']);
      // Pandoc stores English titles in sentence case; the words are the same. Deliberate
      // difference: Pandoc drops \textquote{…} (an unknown command to it); we keep its text in quotes.
      if (item.id !== 'enq') expect(ours.title?.toLowerCase(), item.id).toBe(item.title?.toLowerCase());
    }
    expect(bib.entries.get('enq')!.item.title).toBe('On \u201ctrust\u201d and \u201ccredit\u201d with \u201cquotes\u201d');
    expect(bib.entries.get('paren')!.item.title).toBe('A title (with parentheses)');
  }, 60_000);
});

describe("BibLaTeX's features, compared with Pandoc field by field", () => {
  /**
   * Fields we write differently from Pandoc's `biblatex` reader, with the reason.
   * English titles are in sentence case on both sides (words in braces keep their
   * capitals); any title that differs in letter case only is counted below.
   */
  const deliberate: Record<string, string> = {
    'chen:thesis.genre': 'a thesis type is printed by styles as it stands: APA wants "Doctoral dissertation", Pandoc writes "PhD thesis"',
    'dai:tex.type': 'Pandoc gives @misc the empty CSL type ""; we give "document", a CSL type styles know',
  };

  it('agrees with Pandoc on every field but the listed ones', async () => {
    const file = path.join(fixturesDir, 'bibtex', 'biblatex-features.bib');
    const text = fs.readFileSync(file, 'utf8');
    const pandoc = JSON.parse((await convert({ from: 'biblatex', to: 'csljson' }, text, {})).stdout) as Record<string, unknown>[];
    const ours = loadBibliography([file]);
    expect(ours.diagnostics).toEqual([]);
    expect([...ours.entries.keys()].sort()).toEqual(pandoc.map((item) => item.id as string).sort());
    // One form for both: keys in order, Pandoc's curly apostrophes straight.
    const form = (value: unknown): string =>
      JSON.stringify(value, (_key, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : typeof x === 'string' ? x.replace(/’/g, "'") : x)) ?? 'none';
    const titleFields = new Set(['title', 'title-short', 'container-title']);
    const differing: string[] = [];
    let fields = 0;
    let caseOnly = 0;
    for (const theirs of pandoc) {
      const item = ours.entries.get(theirs.id as string)!.item as Record<string, unknown>;
      for (const key of new Set([...Object.keys(theirs), ...Object.keys(item)])) {
        if (key === 'id' || key === 'citation-key') continue;
        fields++;
        const [a, b] = [form(theirs[key]), form(item[key])];
        if (a === b) continue;
        if (titleFields.has(key) && a.toLowerCase() === b.toLowerCase()) caseOnly++;
        else differing.push(`${theirs.id}.${key}`);
      }
    }
    console.log(`BibLaTeX fields against Pandoc: ${fields - differing.length - caseOnly} of ${fields} equal, ${caseOnly} differ in letter case only`);
    expect(differing.sort()).toEqual(Object.keys(deliberate).sort());
    expect(caseOnly).toBe(0);
  }, 60_000);
});
