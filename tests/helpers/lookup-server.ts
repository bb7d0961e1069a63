// A local HTTP server that answers as doi.org, Open Library, the arXiv API
// and NCBI's citation exporter answer, from the responses in
// tests/fixtures/lookup/: `refs add <identifier>` is tested without the
// network. Each service gets a path prefix; the environment variables that
// point the toolchain at it are in `env`.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fixturesDir } from './project.js';

const recorded = (file: string) => fs.readFileSync(path.join(fixturesDir, 'lookup', file), 'utf8');

export interface LookupServer {
  env: Record<string, string>;
  /** The requests served, as `Accept url` lines. */
  requests: string[];
  close(): Promise<void>;
}

export async function startLookupServer(): Promise<LookupServer> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const accept = request.headers.accept ?? '';
    requests.push(`${accept} ${url.pathname}${url.search}`);
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'Content-Type': type });
      response.end(body);
    };
    const route = decodeURIComponent(url.pathname);
    if (route === '/doi/10.1002/poi3.213') {
      // doi.org redirects to the agency's content negotiation; the answer is what counts.
      if (accept.includes('citationstyles.csl+json')) return send(200, 'application/vnd.citationstyles.csl+json', recorded('doi-10.1002-poi3.213.json'));
    }
    if (route === '/doi/10.5281/zenodo.1200251') {
      if (accept.includes('x-bibtex')) return send(200, 'application/x-bibtex; charset=utf-8', recorded('doi-10.5281-zenodo.1200251.bib'));
      return send(406, 'text/plain', 'Not Acceptable');
    }
    if (route.startsWith('/doi/')) return send(404, 'text/html', '<html><body><h1>DOI Not Found</h1></body></html>');
    if (route === '/isbn/api/books') {
      const key = url.searchParams.get('bibkeys');
      return send(200, 'application/json', key === 'ISBN:9780394499420' ? recorded('isbn-9780394499420.json') : '{}');
    }
    if (route === '/arxiv/api/query') {
      return send(200, 'application/atom+xml; charset=utf-8', url.searchParams.get('id_list') === '1706.03762' ? recorded('arxiv-1706.03762.xml') : recorded('arxiv-unknown.xml'));
    }
    if (route === '/pubmed/pubmed/') {
      if (url.searchParams.get('id') === '26017442') return send(200, 'application/json', recorded('pubmed-26017442.json'));
      return send(404, 'application/json', '{"status":"error","message":"ID not found"}');
    }
    return send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    env: { THESIS_DOI_RESOLVER: `${base}/doi/`, THESIS_ISBN_SERVICE: `${base}/isbn/`, THESIS_ARXIV_SERVICE: `${base}/arxiv/`, THESIS_PUBMED_SERVICE: `${base}/pubmed/` },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
