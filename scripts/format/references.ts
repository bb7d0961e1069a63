// A formatted reference list outside the PDF (refs format, refs list): the
// same citeproc engine and style, written as text, Markdown or HTML.
import { citeproc } from '../core/lazy-modules.js';
import type { CslItem } from '../resolve/csl-item.js';
import { localeFor, localeXml } from './locales.js';
import type { CitationStyle } from './styles.js';

export type ReferenceFormat = 'text' | 'markdown' | 'html';

function htmlToMarkdown(html: string): string {
  return html
    .replace(/<\/?(i|em)>/g, '*')
    .replace(/<\/?(b|strong)>/g, '**')
    .replace(/<a href="([^"]+)">([^<]*)<\/a>/g, (_m, url: string, text: string) => (text === url ? `<${url}>` : `[${text}](${url})`))
    .replace(/<[^>]+>/g, '')
    .replace(/&#38;/g, '&')
    .replace(/&#60;/g, '<')
    .replace(/&#62;/g, '>');
}

export function formatReferenceList(items: CslItem[], style: CitationStyle, lang: string, format: ReferenceFormat): string[] {
  if (items.length === 0) return [];
  const byId = new Map(items.map((item) => [item.id, item]));
  const engine = new (citeproc().Engine)(
    { retrieveLocale: (l: string) => localeXml(localeFor(l).tag), retrieveItem: (id: string) => structuredClone(byId.get(id)) },
    style.xml,
    localeFor(lang).tag,
    true,
  );
  engine.setOutputFormat(format === 'text' ? 'text' : 'html');
  engine.updateItems(items.map((item) => item.id));
  const result = engine.makeBibliography();
  if (!result) return [];
  const entries = (result[1] as string[]).map((entry) => entry.trim());
  if (format === 'markdown') return entries.map((entry) => htmlToMarkdown(entry));
  return entries;
}
