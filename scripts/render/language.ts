// A `lang=` attribute (on a div or a span) as the Typst text settings it means.
import { typstString } from '../core/typst-syntax.js';

/** `lang: "de", region: "AT"` for `de-AT`; null when it is not a language tag. */
export function languageArguments(lang: string): string | null {
  const [language, region] = lang.split('-');
  if (!/^[A-Za-z]{2,3}$/.test(language)) return null;
  return `lang: ${typstString(language.toLowerCase())}${region && /^[A-Za-z]{2}$/.test(region) ? `, region: ${typstString(region.toUpperCase())}` : ''}`;
}
