// citation-js is CommonJS and takes a while to load; it is required on first
// use, so a build whose bibliography comes from the cache never loads it,
// and `--help` stays instant.
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
