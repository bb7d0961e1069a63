// `refs add` as Zotero users expect it (issue 21): a source by its DOI, ISBN,
// arXiv id or PubMed id, looked up from services answered by a local server
// with their responses (tests/fixtures/lookup/); the keys entries come with
// (Better BibTeX's) kept unless --rekey; a Zotero export outside the thesis
// never written.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseIdentifier } from '../scripts/refs/identifiers.js';
import { loadBibliography } from '../scripts/resolve/bibliography.js';
import { runCli } from './helpers/cli.js';
import { startLookupServer, type LookupServer } from './helpers/lookup-server.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, edit, removeTempDirs, tempDir, write } from './helpers/project.js';

let server: LookupServer;
beforeAll(async () => {
  server = await startLookupServer();
});
afterAll(async () => {
  await server.close();
  removeTempDirs();
});

const bibFile = (dir: string) => path.join(dir, 'bibliography', 'references.bib');
const add = (dir: string, args: string[], input?: string, env: Record<string, string> = server.env) => runCli(['refs', 'add', ...args, '--project', dir], { cwd: dir, env, ...(input === undefined ? {} : { input }) });

/** A port nothing listens on: one a server had a moment ago. */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('identifiers', () => {
  it('are told apart: DOIs in every written form, ISBNs by their check digit, arXiv and PubMed ids', () => {
    expect(parseIdentifier('10.1002/poi3.213')).toEqual({ kind: 'doi', id: '10.1002/poi3.213' });
    expect(parseIdentifier('https://doi.org/10.1002/poi3.213')).toEqual({ kind: 'doi', id: '10.1002/poi3.213' });
    expect(parseIdentifier('doi:10.1007/978-3-030-12345-6_7')).toEqual({ kind: 'doi', id: '10.1007/978-3-030-12345-6_7' });
    expect(parseIdentifier('978-0-394-49942-0')).toEqual({ kind: 'isbn', id: '9780394499420' });
    expect(parseIdentifier('ISBN 0394499425')).toEqual({ kind: 'isbn', id: '0394499425' });
    expect(parseIdentifier('978-0-394-49942-1')).toBeNull();
    expect(parseIdentifier('1706.03762')).toEqual({ kind: 'arxiv', id: '1706.03762' });
    expect(parseIdentifier('arXiv:hep-th/9901001v2')).toEqual({ kind: 'arxiv', id: 'hep-th/9901001v2' });
    expect(parseIdentifier('https://arxiv.org/abs/1706.03762v7')).toEqual({ kind: 'arxiv', id: '1706.03762v7' });
    expect(parseIdentifier('PMID: 26017442')).toEqual({ kind: 'pmid', id: '26017442' });
    expect(parseIdentifier('26017442')).toEqual({ kind: 'pmid', id: '26017442' });
    expect(parseIdentifier('new.bib')).toBeNull();
  });
});

describe('refs add by identifier', () => {
  it('adds a DOI from doi.org as CSL-JSON, shows the entry and its key, and the thesis cites it', async () => {
    const dir = copyProject('minimal');
    const result = await add(dir, ['https://doi.org/10.1002/poi3.213']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^found the DOI 10\.1002\/poi3\.213 at 127\.0\.0\.1:\d+\n/);
    expect(result.stdout).toContain('added @liang2018 to bibliography/references.bib: Liang et al., 2018, Constructing a Data‐Driven Society');
    expect(server.requests.some((line) => line.startsWith('application/vnd.citationstyles.csl+json /doi/10.1002/poi3.213'))).toBe(true);
    const entry = loadBibliography([bibFile(dir)]).entries.get('liang2018')!;
    expect(entry.item.DOI).toBe('10.1002/poi3.213');
    expect(entry.item['container-title']).toBe('Policy & Internet');
    edit(dir, 'thesis/two.md', (text) => `${text}\nData-driven governance [@liang2018, p. 420].\n`);
    const build = await runCli(['build', dir]);
    expect(build.status).toBe(0);
    const text = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');
    expect(text).toContain('(Liang et al., 2018, p. 420)');
    expect(text).toContain('Policy & Internet, 10(4), 415–453.');
  }, 60_000);

  it("falls back to BibTeX when the agency answers no CSL-JSON, keeping the entry's fields", async () => {
    const dir = copyProject('minimal');
    const result = await add(dir, ['10.5281/zenodo.1200251']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('added @maassen2018 to bibliography/references.bib: Maassen et al., 2018, Xenon');
    expect(server.requests.filter((line) => line.includes('/doi/10.5281/zenodo.1200251')).map((line) => line.split(' ')[0])).toEqual(['application/vnd.citationstyles.csl+json', 'application/x-bibtex']);
    expect(loadBibliography([bibFile(dir)]).entries.get('maassen2018')?.item.publisher).toBe('Zenodo');
  });

  it('adds a book by ISBN, a preprint by arXiv id and an article by PubMed id', async () => {
    const dir = copyProject('minimal');
    const isbn = await add(dir, ['978-0-394-49942-0', '--force']);
    expect(isbn.stdout).toContain('added @foucault1977a to bibliography/references.bib: Foucault, 1977, Discipline and punish: the birth of the prison');
    const arxiv = await add(dir, ['arXiv:1706.03762']);
    expect(arxiv.stdout).toContain('added @vaswani2017 to bibliography/references.bib: Vaswani et al., 2017, Attention Is All You Need');
    const pubmed = await add(dir, ['PMID:26017442']);
    expect(pubmed.stdout).toContain('added @lecun2015 to bibliography/references.bib: LeCun et al., 2015, Deep learning');
    const entries = loadBibliography([bibFile(dir)]).entries;
    expect(entries.get('foucault1977a')?.item.publisher).toBe('Pantheon Books');
    expect(entries.get('vaswani2017')?.item.URL).toBe('https://arxiv.org/abs/1706.03762');
    expect(entries.get('lecun2015')?.item.DOI).toBe('10.1038/nature14539');
  });

  it('says in one line when an identifier is unknown or the service cannot be reached, and adds nothing', async () => {
    const dir = copyProject('minimal');
    const before = fs.readFileSync(bibFile(dir), 'utf8');
    const unknown = await add(dir, ['10.9999/no-such-doi']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^error: 127\.0\.0\.1:\d+ does not know the DOI 10\.9999\/no-such-doi \(HTTP 404\): check it, or add the entry as BibTeX \[bib-lookup-failed\]\n$/);
    const noArxiv = await add(dir, ['arXiv:9999.99999']);
    expect(noArxiv.stderr).toContain('does not know the arXiv id 9999.99999');
    const port = await closedPort();
    const offline = await add(dir, ['10.1002/poi3.213'], undefined, { THESIS_DOI_RESOLVER: `http://127.0.0.1:${port}/` });
    expect(offline.status).toBe(1);
    expect(offline.stderr).toMatch(/^error: cannot reach 127\.0\.0\.1:\d+ to look up the DOI 10\.1002\/poi3\.213 \(ECONNREFUSED\); offline\? Copy the entry as BibTeX/);
    expect(fs.readFileSync(bibFile(dir), 'utf8')).toBe(before);
  });
});

describe('refs add keeps keys', () => {
  it("keeps Better BibTeX's keys, gives a taken key a letter and says so, and rekeys only when asked", async () => {
    const dir = copyProject('minimal');
    const betterBibtex = '@book{Foucault_1977,\n  title = {Surveiller et punir},\n  author = {Foucault, Michel},\n  date = {1975},\n  publisher = {Gallimard},\n}\n\n@article{Simon:2005:Return,\n  title = {Another Title},\n  author = {Simon, Bart},\n  date = {2006},\n  journaltitle = {Other Journal},\n}\n';
    const kept = await add(dir, ['-'], betterBibtex);
    expect(kept.status).toBe(0);
    expect(kept.stdout).toContain('added @Foucault_1977 to bibliography/references.bib: Foucault, 1975, Surveiller et punir');
    expect(kept.stdout).toContain('added @Simon:2005:Return to bibliography/references.bib: Simon, 2006');
    const again = await add(dir, ['-', '--force'], betterBibtex.replace('1975', '1976').replace('Another Title', 'A Third Title'));
    expect(again.stdout).toContain("added @Foucault_1977a to bibliography/references.bib (its key Foucault_1977 is another entry's: added as Foucault_1977a)");
    const rekeyed = await add(dir, ['-', '--rekey'], '@book{Mau_2017,\n  title = {Das metrische Wir},\n  author = {Mau, Steffen},\n  date = {2017},\n  publisher = {Suhrkamp},\n}\n');
    expect(rekeyed.stdout).toContain('added @mau2017 to bibliography/references.bib (was Mau_2017; --rekey)');
    const keys = [...loadBibliography([bibFile(dir)]).entries.keys()];
    expect(keys).toEqual(expect.arrayContaining(['Foucault_1977', 'Simon:2005:Return', 'Foucault_1977a', 'mau2017']));
  });

  it("never writes into a Zotero export outside the thesis: that is Zotero's to write", async () => {
    const zotero = tempDir('zotero-');
    write(zotero, 'My Library.bib', '@book{Foucault_1977,\n  title = {Discipline and Punish},\n  author = {Foucault, Michel},\n  date = {1977},\n}\n');
    const dir = copyProject('minimal');
    fs.rmSync(path.join(dir, 'bibliography'), { recursive: true });
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}bibliography: ${JSON.stringify(path.join(zotero, 'My Library.bib'))}\n`);
    const result = await runCli(['refs', 'add', '-', '--project', dir, '--allow', zotero], { input: '@book{x, title = {T}, author = {A, B}, year = {2000}}' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("the bibliography is outside the thesis folder (Zotero's export?), which refs add never writes: add the source in Zotero");
    expect(fs.readFileSync(path.join(zotero, 'My Library.bib'), 'utf8')).not.toContain('@book{x');
  });
});
