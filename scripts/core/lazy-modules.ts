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
  if (!citeprocModule) {
    citeprocModule = require('citeproc') as CiteprocModule;
    // citeproc-js reports data problems with console.log; our diagnostics say what matters.
    citeprocModule.debug = () => {};
    indexMacroLookups(citeprocModule);
    plainCaseMapping(citeprocModule);
  }
  return citeprocModule;
}

/**
 * citeproc-js lower- and upper-cases through toLocaleLowerCase(languages),
 * an ICU call that was a tenth of formatting a long thesis. Only Turkish,
 * Azerbaijani and Lithuanian case differently from the plain mapping, so
 * only they keep the locale-aware call.
 */
function plainCaseMapping(csl: CiteprocModule): void {
  const functions = csl as unknown as Record<'toLocaleLowerCase' | 'toLocaleUpperCase', (this: { tmp: { lang_array?: string[] } }, text: string) => string>;
  const specialCasing = (languages: string[] | undefined) => languages?.some((language) => /^(tr|az|lt)\b/i.test(language)) ?? false;
  for (const [name, plain] of [
    ['toLocaleLowerCase', (text: string) => text.toLowerCase()],
    ['toLocaleUpperCase', (text: string) => text.toUpperCase()],
  ] as const) {
    const localeAware = functions[name];
    if (typeof localeAware !== 'function') continue;
    functions[name] = function (text) {
      return specialCasing(this?.tmp?.lang_array) ? localeAware.call(this, text) : plain(text);
    };
  }
}

interface StyleNode {
  name: string;
  attrs: Record<string, string>;
  children: unknown[];
}

/**
 * citeproc-js finds each macro by walking the whole style tree, once per use,
 * which makes building an APA engine quadratic (a fifth of a cold build).
 * The macros of a style are looked up by name from an index built once per
 * style tree instead; every other lookup goes to the original.
 */
function indexMacroLookups(csl: CiteprocModule): void {
  type Lookup = (this: unknown, root: StyleNode, name: string, nameAttribute?: string, collected?: StyleNode[]) => StyleNode[];
  const xmlJson = (csl as unknown as { XmlJSON?: { prototype: { getNodesByName: Lookup } } }).XmlJSON;
  if (!xmlJson) return;
  const original = xmlJson.prototype.getNodesByName;
  const indexes = new WeakMap<object, Map<string, StyleNode[]>>();
  xmlJson.prototype.getNodesByName = function (this: unknown, root: StyleNode, name: string, nameAttribute?: string, collected?: StyleNode[]) {
    if (collected || name !== 'macro' || !nameAttribute || !root || typeof root !== 'object') return original.call(this, root, name, nameAttribute, collected);
    let index = indexes.get(root);
    if (!index) {
      index = new Map();
      for (const macro of original.call(this, root, 'macro') as StyleNode[]) {
        const key = macro.attrs?.name;
        index.set(key, [...(index.get(key) ?? []), macro]);
      }
      indexes.set(root, index);
    }
    return [...(index.get(nameAttribute) ?? [])];
  };
}
