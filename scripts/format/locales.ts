// The CSL locales: the terms a reference list prints in the thesis's
// language ("ed." and "Hrsg.", "et al." and "u. a.", "n.d." and "o. J.").
// Pandoc's citeproc formats with the locales Pandoc embeds; the same files
// are in locales/ (60 languages and regions, taken from pandoc-wasm by
// scripts/maintenance/refresh-locales.ts), so a build can say which one a
// thesis gets. A tag with no locale of its own gets its language's main one
// (de-LI: de-DE), and a language with none gets en-US.
import { languageOf } from '../core/language.js';
import fs from 'node:fs';
import path from 'node:path';
import { toolchainDir } from '../core/toolchain-dir.js';

const localesDir = path.join(toolchainDir, 'locales');

let tags: string[] | undefined;
/** The locales shipped, by tag (en-US, de-AT, …). */
export const available = (): string[] => (tags ??= (JSON.parse(fs.readFileSync(path.join(localesDir, 'index.json'), 'utf8')) as { tags: string[] }).tags);

/** The region a language's main locale is for, where it is not the language's own code in capitals (de-DE, pl-PL). */
const mainRegions: Record<string, string> = {
  en: 'en-US', zh: 'zh-CN', ja: 'ja-JP', ko: 'ko-KR', cs: 'cs-CZ', da: 'da-DK', el: 'el-GR', he: 'he-IL', hi: 'hi-IN', ca: 'ca-AD',
  cy: 'cy-GB', af: 'af-ZA', et: 'et-EE', fa: 'fa-IR', km: 'km-KH', nb: 'nb-NO', nn: 'nn-NO', pa: 'pa-PK', sl: 'sl-SI', sr: 'sr-RS',
  sv: 'sv-SE', uk: 'uk-UA', vi: 'vi-VN', pt: 'pt-PT', es: 'es-ES', de: 'de-DE', fr: 'fr-FR', no: 'nb-NO',
};

/** The locale for a language tag: exact when there is one for it, else the nearest. */
export function localeFor(lang: string): { tag: string; exact: boolean } {
  const all = available();
  const exact = all.find((tag) => tag.toLowerCase() === lang.toLowerCase());
  if (exact) return { tag: exact, exact: true };
  const language = languageOf(lang).code;
  const main = mainRegions[language] ?? `${language}-${language.toUpperCase()}`;
  const nearest = all.find((tag) => tag === main) ?? all.find((tag) => tag.toLowerCase() === language) ?? all.find((tag) => tag.split('-')[0] === language);
  return nearest ? { tag: nearest, exact: false } : { tag: 'en-US', exact: false };
}
