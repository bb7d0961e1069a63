// Adding a source by its identifier, as Zotero's magic wand, JabRef and
// RStudio's visual editor do: a DOI (or a doi.org link), an ISBN, an arXiv id
// or a PubMed id is looked up at use time and comes back as a record
// `refs add` reads like any pasted entry.
//
// - DOI: content negotiation on doi.org, asking for CSL-JSON and falling
//   back to BibTeX (the registration agency answers: Crossref, DataCite, mEDRA);
// - ISBN: Open Library's books API (JSON), mapped to a CSL book;
// - arXiv: the arXiv API's Atom feed, mapped to a CSL preprint;
// - PubMed: NCBI's literature citation exporter, which answers CSL-JSON.
//
// Each service's base URL can be set (THESIS_DOI_RESOLVER, THESIS_ISBN_SERVICE,
// THESIS_ARXIV_SERVICE, THESIS_PUBMED_SERVICE) for an institution's mirror,
// and for the tests, which serve recorded responses from a local server.
import type { CslItem } from '../resolve/csl-item.js';

export type Identifier = { kind: 'doi' | 'isbn' | 'arxiv' | 'pmid'; id: string };

const kindNames: Record<Identifier['kind'], string> = { doi: 'DOI', isbn: 'ISBN', arxiv: 'arXiv id', pmid: 'PubMed id' };

export function describeIdentifier(identifier: Identifier): string {
  return `${kindNames[identifier.kind]} ${identifier.id}`;
}

/** Whether an ISBN-10 or ISBN-13 (digits only, X for 10 in an ISBN-10's last place) has a valid check digit. */
function validIsbn(digits: string): boolean {
  if (/^\d{9}[\dX]$/.test(digits)) {
    const sum = [...digits].reduce((total, ch, index) => total + (ch === 'X' ? 10 : Number(ch)) * (10 - index), 0);
    return sum % 11 === 0;
  }
  if (/^97[89]\d{10}$/.test(digits)) {
    const sum = [...digits].reduce((total, ch, index) => total + Number(ch) * (index % 2 === 0 ? 1 : 3), 0);
    return sum % 10 === 0;
  }
  return false;
}

/** The identifier a `refs add` argument is, or null (then it is a file name). */
export function parseIdentifier(argument: string): Identifier | null {
  const text = argument.trim();
  const doi = /^(?:doi:\s*|https?:\/\/(?:dx\.)?doi\.org\/)?(10\.\d{4,9}\/\S+)$/i.exec(text);
  if (doi) {
    let id = doi[1];
    try {
      id = decodeURIComponent(id);
    } catch {
      // As written.
    }
    return { kind: 'doi', id };
  }
  const arxiv = /^(?:arxiv:\s*|https?:\/\/arxiv\.org\/(?:abs|pdf)\/)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?\/\d{7}(?:v\d+)?)(?:\.pdf)?$/i.exec(text);
  if (arxiv && (/^arxiv:|arxiv\.org/i.test(text) || /^\d{4}\.\d{4,5}(v\d+)?$/.test(arxiv[1]))) return { kind: 'arxiv', id: arxiv[1] };
  const isbn = /^(?:isbn(?:-1[03])?:?\s*)?([\d\s-]{9,17}[\dXx])$/i.exec(text);
  if (isbn) {
    const digits = isbn[1].replace(/[\s-]/g, '').toUpperCase();
    if (validIsbn(digits)) return { kind: 'isbn', id: digits };
  }
  const pmid = /^(?:pmid:\s*|https?:\/\/pubmed\.ncbi\.nlm\.nih\.gov\/)?(\d{1,9})\/?$/i.exec(text);
  if (pmid) return { kind: 'pmid', id: pmid[1] };
  return null;
}

export interface LookupServices {
  doi: string;
  isbn: string;
  arxiv: string;
  pubmed: string;
}

/** The services' base URLs, from the environment where set. */
export function lookupServices(env: Record<string, string | undefined>): LookupServices {
  const base = (value: string | undefined, fallback: string) => {
    const url = value?.trim() || fallback;
    return url.endsWith('/') ? url : `${url}/`;
  };
  return {
    doi: base(env.THESIS_DOI_RESOLVER, 'https://doi.org/'),
    isbn: base(env.THESIS_ISBN_SERVICE, 'https://openlibrary.org/'),
    arxiv: base(env.THESIS_ARXIV_SERVICE, 'https://export.arxiv.org/'),
    pubmed: base(env.THESIS_PUBMED_SERVICE, 'https://api.ncbi.nlm.nih.gov/lit/ctxp/v1/'),
  };
}

/** What a lookup gives: a record `refs add` reads (CSL-JSON or BibTeX), or why there is none. */
export type LookupResult = { ok: true; text: string; from: string } | { ok: false; message: string };

type Fetch = typeof fetch;

const timeoutMs = 20_000;

async function get(url: string, accept: string, fetchImpl: Fetch): Promise<{ status: number; body: string; type: string } | { failed: string }> {
  try {
    const response = await fetchImpl(url, { headers: { Accept: accept, 'User-Agent': 'thesis-toolchain (refs add)' }, redirect: 'follow', signal: AbortSignal.timeout(timeoutMs) });
    return { status: response.status, body: await response.text(), type: response.headers.get('content-type') ?? '' };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs / 1000} s` : (cause?.code ?? (error as Error).message);
    return { failed: reason };
  }
}

/** Looks an identifier up; never throws. */
export async function lookUp(identifier: Identifier, services: LookupServices, fetchImpl: Fetch = fetch): Promise<LookupResult> {
  const service = { doi: services.doi, isbn: services.isbn, arxiv: services.arxiv, pmid: services.pubmed }[identifier.kind];
  const host = (() => {
    try {
      return new URL(service).host;
    } catch {
      return service;
    }
  })();
  const unreachable = (reason: string): LookupResult => ({
    ok: false,
    message: `cannot reach ${host} to look up the ${describeIdentifier(identifier)} (${reason}); offline? Copy the entry as BibTeX from the publisher's page or your library and paste it into \`refs add\``,
  });
  const unknown = (status: number): LookupResult => ({
    ok: false,
    message: `${host} does not know the ${describeIdentifier(identifier)} (HTTP ${status}): check it, or add the entry as BibTeX`,
  });
  switch (identifier.kind) {
    case 'doi': {
      const url = `${service}${identifier.id.split('/').map(encodeURIComponent).join('/')}`;
      const csl = await get(url, 'application/vnd.citationstyles.csl+json', fetchImpl);
      if ('failed' in csl) return unreachable(csl.failed);
      if (csl.status === 200 && isJsonObject(csl.body)) return { ok: true, text: `[${csl.body}]`, from: host };
      if (csl.status === 404) return unknown(404);
      // Some agencies answer CSL-JSON badly or not at all: BibTeX, as Zotero falls back to.
      const bibtex = await get(url, 'application/x-bibtex', fetchImpl);
      if ('failed' in bibtex) return unreachable(bibtex.failed);
      if (bibtex.status === 200 && /^\s*@\w+\s*\{/.test(bibtex.body)) return { ok: true, text: bibtex.body, from: host };
      return unknown(bibtex.status);
    }
    case 'pmid': {
      const answer = await get(`${service}pubmed/?format=csl&id=${identifier.id}`, 'application/json', fetchImpl);
      if ('failed' in answer) return unreachable(answer.failed);
      if (answer.status !== 200 || !isJsonObject(answer.body)) return unknown(answer.status === 200 ? 404 : answer.status);
      const item = JSON.parse(answer.body) as CslItem;
      // The exporter names PubMed's own record ids ("pmid:31452104"); the key is made from the record.
      return { ok: true, text: JSON.stringify([{ ...item, id: `pmid${identifier.id}`, PMID: identifier.id }]), from: host };
    }
    case 'isbn': {
      const answer = await get(`${service}api/books?bibkeys=ISBN:${identifier.id}&format=json&jscmd=data`, 'application/json', fetchImpl);
      if ('failed' in answer) return unreachable(answer.failed);
      const record = answer.status === 200 ? (safeJson(answer.body) as Record<string, OpenLibraryBook> | null)?.[`ISBN:${identifier.id}`] : undefined;
      if (!record) return unknown(answer.status === 200 ? 404 : answer.status);
      return { ok: true, text: JSON.stringify([openLibraryBook(record, identifier.id)]), from: host };
    }
    case 'arxiv': {
      const answer = await get(`${service}api/query?id_list=${encodeURIComponent(identifier.id)}`, 'application/atom+xml', fetchImpl);
      if ('failed' in answer) return unreachable(answer.failed);
      const item = answer.status === 200 ? arxivEntry(answer.body, identifier.id) : null;
      if (!item) return unknown(answer.status === 200 ? 404 : answer.status);
      return { ok: true, text: JSON.stringify([item]), from: host };
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isJsonObject(text: string): boolean {
  const value = safeJson(text);
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

interface OpenLibraryBook {
  title?: string;
  subtitle?: string;
  authors?: { name?: string }[];
  publishers?: { name?: string }[];
  publish_places?: { name?: string }[];
  publish_date?: string;
  number_of_pages?: number;
  url?: string;
}

/** "Michel Foucault" as CSL's family and given; a single word stays a literal name. */
function personName(name: string): { family: string; given?: string } | { literal: string } {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return { literal: name.trim() };
  return { family: parts[parts.length - 1], given: parts.slice(0, -1).join(' ') };
}

function openLibraryBook(book: OpenLibraryBook, isbn: string): CslItem {
  const year = /\b(\d{4})\b/.exec(book.publish_date ?? '')?.[1];
  return {
    id: `isbn${isbn}`,
    type: 'book',
    title: book.subtitle ? `${book.title}: ${book.subtitle}` : (book.title ?? ''),
    ...(book.authors?.length ? { author: book.authors.filter((a) => a.name).map((a) => personName(a.name!)) } : {}),
    ...(book.publishers?.[0]?.name ? { publisher: book.publishers[0].name } : {}),
    ...(book.publish_places?.[0]?.name ? { 'publisher-place': book.publish_places[0].name } : {}),
    ...(year ? { issued: { 'date-parts': [[Number(year)]] } } : {}),
    ...(book.number_of_pages ? { 'number-of-pages': String(book.number_of_pages) } : {}),
    ISBN: isbn,
  } as CslItem;
}

/** The text of the first `<tag>` in an XML fragment, entities decoded, spaces collapsed. */
function tagText(xml: string, tag: string): string | undefined {
  const found = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml)?.[1];
  return found
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function arxivEntry(atom: string, id: string): CslItem | null {
  const entry = /<entry>([\s\S]*?)<\/entry>/.exec(atom)?.[1];
  const title = entry && tagText(entry, 'title');
  // The API answers an unknown id with an entry titled "Error".
  if (!entry || !title || title === 'Error') return null;
  const authors = [...entry.matchAll(/<author>([\s\S]*?)<\/author>/g)].map((match) => tagText(match[1], 'name')).filter((name): name is string => Boolean(name));
  const published = tagText(entry, 'published');
  const date = published ? /^(\d{4})-(\d{2})-(\d{2})/.exec(published) : null;
  const doi = tagText(entry, 'arxiv:doi');
  const bare = id.replace(/v\d+$/, '');
  return {
    id: `arxiv${bare}`,
    type: 'article',
    title,
    author: authors.map(personName),
    ...(date ? { issued: { 'date-parts': [[Number(date[1]), Number(date[2]), Number(date[3])]] } } : {}),
    publisher: 'arXiv',
    number: `arXiv:${bare}`,
    URL: `https://arxiv.org/abs/${bare}`,
    ...(doi ? { DOI: doi } : {}),
    ...(tagText(entry, 'summary') ? { abstract: tagText(entry, 'summary') } : {}),
  } as CslItem;
}
