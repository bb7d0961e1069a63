// Records the answers of the lookup services (tests/fixtures/lookup/) that
// the tests of `refs add <identifier>` serve from a local server: run where
// the network is reachable, after a service changed its format.
//
//   npm run compile && node compiled/scripts/maintenance/record-lookups.js
import fs from 'node:fs';
import path from 'node:path';
import { toolchainDir } from '../core/toolchain-dir.js';

const requests: [file: string, url: string, accept: string][] = [
  ['doi-10.1002-poi3.213.json', 'https://doi.org/10.1002/poi3.213', 'application/vnd.citationstyles.csl+json'],
  ['doi-10.5281-zenodo.1200251.bib', 'https://doi.org/10.5281/zenodo.1200251', 'application/x-bibtex'],
  ['isbn-9780394499420.json', 'https://openlibrary.org/api/books?bibkeys=ISBN:9780394499420&format=json&jscmd=data', 'application/json'],
  ['arxiv-1706.03762.xml', 'https://export.arxiv.org/api/query?id_list=1706.03762', 'application/atom+xml'],
  ['arxiv-unknown.xml', 'https://export.arxiv.org/api/query?id_list=9999.99999', 'application/atom+xml'],
  ['pubmed-26017442.json', 'https://api.ncbi.nlm.nih.gov/lit/ctxp/v1/pubmed/?format=csl&id=26017442', 'application/json'],
];

const dir = path.join(toolchainDir, 'tests', 'fixtures', 'lookup');
for (const [file, url, accept] of requests) {
  const response = await fetch(url, { headers: { Accept: accept, 'User-Agent': 'thesis-toolchain (recording test fixtures)' }, redirect: 'follow' });
  if (!response.ok) {
    console.error(`${url}: HTTP ${response.status}, ${file} left as it is`);
    continue;
  }
  fs.writeFileSync(path.join(dir, file), await response.text());
  console.log(`${file}: recorded from ${url}`);
}
