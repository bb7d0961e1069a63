// citation-js and citeproc-js are CommonJS and take a while to load; they are
// required on first use, so a build whose bibliography and citations come
// from the cache never loads them, and `--help` stays instant.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type CitationJs = typeof import('@citation-js/core');

let citationJsModule: CitationJs | null = null;

/** citation-js with the BibTeX and RIS plugins registered. */
export function citationJs(): CitationJs {
  if (!citationJsModule) {
    citationJsModule = require('@citation-js/core') as CitationJs;
    require('@citation-js/plugin-bibtex');
    require('@citation-js/plugin-ris');
  }
  return citationJsModule;
}

/** The parts of citeproc-js's `CSL` object we use (it ships no types). */
export interface CiteprocModule {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Engine: new (sys: object, style: string, lang: string, forceLang: boolean) => any;
  Output: { Formats: Record<string, Record<string, unknown>> };
  debug: (message: string) => void;
}

let citeprocModule: CiteprocModule | null = null;

/** The citeproc-js `CSL` object. */
export function citeproc(): CiteprocModule {
  citeprocModule ??= require('citeproc') as CiteprocModule;
  return citeprocModule;
}
