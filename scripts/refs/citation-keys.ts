// Citation keys for new entries from a pattern, as Better BibTeX and JabRef
// make them: `[auth:lower][year]` (the default) gives `foucault1977`; a clash
// gets a, b, c.
import type { CslItem } from '../resolve/csl-item.js';
import { yearOf } from './rules.js';

export const defaultKeyPattern = '[auth:lower][year]';

const stopWords = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'and', 'for', 'to', 'der', 'die', 'das', 'le', 'la', 'les']);

function ascii(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/ß/g, 'ss').replace(/[^A-Za-z0-9]/g, '');
}

function tokenValue(token: string, item: CslItem): string {
  const names = item.author ?? item.editor ?? [];
  const family = (i: number) => ascii(names[i]?.family ?? names[i]?.literal?.split(/\s+/)[0] ?? '');
  const titleWords = String(item.title ?? '').replace(/<[^>]+>/g, '').split(/\s+/).map(ascii).filter(Boolean);
  switch (token) {
    case 'auth':
      return family(0) || 'anon';
    case 'authors2':
      return names.length > 2 ? `${family(0)}EtAl` : names.map((_, i) => family(i)).join('');
    case 'year':
      return yearOf(item) ?? 'nd';
    case 'title':
    case 'shorttitle':
      return titleWords.filter((w) => !stopWords.has(w.toLowerCase())).slice(0, token === 'title' ? 1 : 3).join('');
    default:
      throw new Error(`unknown key pattern field [${token}]`);
  }
}

export function keyFromPattern(pattern: string, item: CslItem): string {
  return pattern.replace(/\[([a-z0-9]+)((?::[a-z]+)*)\]/gi, (_m, token: string, modifiers: string) => {
    let value = tokenValue(token, item);
    for (const modifier of modifiers.split(':').filter(Boolean)) {
      if (modifier === 'lower') value = value.toLowerCase();
      else if (modifier === 'upper') value = value.toUpperCase();
      else if (modifier === 'capitalize') value = value.charAt(0).toUpperCase() + value.slice(1);
      else throw new Error(`unknown key pattern modifier :${modifier}`);
    }
    return value;
  });
}

/** The key, with a, b, c … appended while it clashes with an existing one. */
export function uniqueKey(base: string, taken: (key: string) => boolean): string {
  if (!taken(base)) return base;
  for (let i = 0; ; i++) {
    let suffix = '';
    for (let n = i; ; n = Math.floor(n / 26) - 1) {
      suffix = String.fromCharCode(97 + (n % 26)) + suffix;
      if (n < 26) break;
    }
    if (!taken(base + suffix)) return base + suffix;
  }
}
