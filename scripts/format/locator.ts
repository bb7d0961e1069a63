// Pandoc's reading of a citation suffix: `, pp. 33-35, emphasis added` gives
// the locator "33-35" with the label "page" and the suffix ", emphasis added".
import { smartPunctuation } from '../core/typography.js';

/** Locator terms as Pandoc's English locale knows them, mapped to CSL labels. */
const terms: [RegExp, string][] = [
  [/^(?:book|books|bk\.|bks\.)/i, 'book'],
  [/^(?:chapter|chapters|chap\.|chaps\.|ch\.)/i, 'chapter'],
  [/^(?:column|columns|col\.|cols\.)/i, 'column'],
  [/^(?:figure|figures|fig\.|figs\.)/i, 'figure'],
  [/^(?:folio|folios|fol\.|fols\.|f\.|ff\.)/i, 'folio'],
  [/^(?:number|numbers|no\.|nos\.)/i, 'issue'],
  [/^(?:line|lines|l\.|ll\.)/i, 'line'],
  [/^(?:note|notes|n\.|nn\.)/i, 'note'],
  [/^(?:opus|opera|op\.|opp\.)/i, 'opus'],
  [/^(?:page|pages|p\.|pp\.)/i, 'page'],
  [/^(?:paragraph|paragraphs|para\.|paras\.|¶¶|¶)/i, 'paragraph'],
  [/^(?:part|parts|pt\.|pts\.)/i, 'part'],
  [/^(?:section|sections|sec\.|secs\.|§§|§)/i, 'section'],
  [/^(?:sub verbo|sub verbis|s\.v\.|s\.vv\.)/i, 'sub verbo'],
  [/^(?:verse|verses|v\.|vv\.)/i, 'verse'],
  [/^(?:volume|volumes|vol\.|vols\.)/i, 'volume'],
];

/** A locator value: numbers, roman numerals, ranges and lists of them. */
const value = /^(?:[0-9]+[a-z]?|[ivxlcdm]+)(?:\s*[-–—]\s*(?:[0-9]+[a-z]?|[ivxlcdm]+))?(?:\s*[,&]\s*(?:[0-9]+[a-z]?|[ivxlcdm]+)(?:\s*[-–—]\s*(?:[0-9]+[a-z]?|[ivxlcdm]+))?)*(?![\p{L}\p{N}])/iu;

export interface Locator {
  label: string;
  locator: string;
  /** What is left of the suffix text after the locator. */
  rest: string;
}

export function parseLocator(suffix: string): Locator | null {
  // Pandoc reads `pp. 93--101` with its `smart` extension: an en dash, a range.
  const text = smartPunctuation(suffix).replace(/^\s*,?\s*/, '');
  // `{pp. iv, vi-xi}`: braces give an explicit locator.
  const braced = /^\{([^{}]*)\}/.exec(text);
  if (braced) {
    const inner = parseLabelled(braced[1].trim(), true);
    return inner ? { ...inner, rest: text.slice(braced[0].length) } : null;
  }
  return parseLabelled(text, false);

  function parseLabelled(input: string, whole: boolean): Locator | null {
    let label = 'page';
    let labelled = false;
    let rest = input;
    for (const [pattern, name] of terms) {
      const match = pattern.exec(rest);
      if (match && /^(\s|$)/.test(rest.slice(match[0].length))) {
        label = name;
        labelled = true;
        rest = rest.slice(match[0].length).trimStart();
        break;
      }
    }
    if (whole) return rest ? { label, locator: rest, rest: '' } : null;
    // Without a label only a number is a locator: `[@a, did]` is a suffix.
    if (!labelled && !/^[0-9]/.test(rest)) return null;
    const match = value.exec(rest);
    if (!match) return null;
    return { label, locator: match[0].trim(), rest: rest.slice(match[0].length) };
  }
}
