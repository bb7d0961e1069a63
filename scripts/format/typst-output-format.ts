// A citeproc-js output format that writes Typst markup, so formatted
// citations and reference entries keep their rich text (italic titles, small
// caps, links) and every character from a bibliography field is escaped.
import { citeproc } from '../core/lazy-modules.js';
import { escapeMarkup, typstString } from '../core/typst-syntax.js';

export const TYPST_FORMAT = 'typst';

function unescape(markup: string): string {
  return markup.replace(/\\(.)/gs, '$1');
}

type Formatter = (this: unknown, state: any, str?: string) => string;

export function registerTypstFormat(): void {
  // After loading, `citeproc().Output.Formats` is an instance; formats are looked up on it.
  const formats = citeproc().Output.Formats as Record<string, Record<string, unknown>>;
  if (formats[TYPST_FORMAT]) return;
  const text = formats.text;
  const quotes = (open: string, close: string): Formatter =>
    function (state, str) {
      if (str === undefined) return state.getTerm(open === 'open-quote' ? 'open-quote' : 'close-inner-quote');
      return state.getTerm(open) + str + state.getTerm(close);
    };
  formats[TYPST_FORMAT] = {
    ...text,
    text_escape: (value: string) => escapeMarkup(value ?? ''),
    bibstart: '',
    bibend: '',
    '@font-style/italic': '#emph[%%STRING%%]',
    '@font-style/oblique': '#emph[%%STRING%%]',
    '@font-style/normal': '#text(style: "normal")[%%STRING%%]',
    '@font-variant/small-caps': '#smallcaps[%%STRING%%]',
    '@font-variant/normal': false,
    '@font-weight/bold': '#strong[%%STRING%%]',
    '@font-weight/normal': '#text(weight: "regular")[%%STRING%%]',
    '@font-weight/light': false,
    '@text-decoration/none': false,
    '@text-decoration/underline': '#underline[%%STRING%%]',
    '@vertical-align/baseline': false,
    '@vertical-align/sup': '#super[%%STRING%%]',
    '@vertical-align/sub': '#sub[%%STRING%%]',
    '@quotes/true': quotes('open-quote', 'close-quote'),
    '@quotes/inner': function (this: unknown, state: any, str?: string) {
      if (str === undefined) return '\u2019';
      return state.getTerm('open-inner-quote') + str + state.getTerm('close-inner-quote');
    },
    '@bibliography/entry': (_state: unknown, str: string) => str,
    '@display/block': (_state: unknown, str: string) => `#block[${str}]`,
    '@display/left-margin': (_state: unknown, str: string) => `#box(width: 2.2em)[${str}]`,
    '@display/right-inline': (_state: unknown, str: string) => str,
    '@display/indent': (_state: unknown, str: string) => `#block(inset: (left: 2em))[${str}]`,
    '@URL/true': (_state: unknown, str: string) => `#link(${typstString(unescape(str))})[${str}]`,
    '@DOI/true': (_state: unknown, str: string) => {
      const doi = unescape(str);
      const url = /^https?:\/\//.test(doi) ? doi : `https://doi.org/${doi}`;
      return `#link(${typstString(url)})[${str}]`;
    },
  };
}
