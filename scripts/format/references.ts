// A formatted reference list outside the PDF (refs format): the same reading
// of the entries and the same formatter as a build (Pandoc's citeproc), the
// entries written as text, Markdown or HTML.
import { escapeHtml } from '../core/html.js';
import type { Bibliography } from '../resolve/bibliography.js';
import { pandocRequest } from './citeproc.js';
import { formatWithPandoc } from './pandoc-citeproc.js';
import { plainText, type RichNode, type RichText } from './rich-text.js';
import type { CitationStyle } from './styles.js';

export type ReferenceFormat = 'text' | 'markdown' | 'html';

const escapeMarkdown = (text: string) => text.replace(/([\\*_`[\]<>#])/g, '\\$1');

const HTML_TAGS: Partial<Record<RichNode['type'], [string, string]>> = {
  emphasis: ['<i>', '</i>'],
  strong: ['<b>', '</b>'],
  smallcaps: ['<span style="font-variant:small-caps;">', '</span>'],
  superscript: ['<sup>', '</sup>'],
  subscript: ['<sub>', '</sub>'],
  underline: ['<u>', '</u>'],
  'left-margin': ['<div class="csl-left-margin">', '</div>'],
  'right-inline': ['<div class="csl-right-inline">', '</div>'],
  block: ['<div class="csl-block">', '</div>'],
  indent: ['<div class="csl-indent">', '</div>'],
};

export function toHtml(rich: RichText): string {
  return rich
    .map((node) => {
      if (node.type === 'text') return escapeHtml(node.value);
      if (node.type === 'missing') return `<b>?${escapeHtml(node.key)}</b>`;
      if (node.type === 'quoted') return (node.double ? '\u201c' : '\u2018') + toHtml(node.children) + (node.double ? '\u201d' : '\u2019');
      if (node.type === 'link') return `<a href="${escapeHtml(node.url)}">${toHtml(node.children)}</a>`;
      const tags = HTML_TAGS[node.type];
      return tags ? tags[0] + toHtml(node.children) + tags[1] : toHtml(node.children);
    })
    .join('');
}

export function toMarkdown(rich: RichText): string {
  return rich
    .map((node) => {
      if (node.type === 'text') return escapeMarkdown(node.value);
      if (node.type === 'missing') return `**?${escapeMarkdown(node.key)}**`;
      if (node.type === 'quoted') return (node.double ? '\u201c' : '\u2018') + toMarkdown(node.children) + (node.double ? '\u201d' : '\u2019');
      if (node.type === 'emphasis') return `*${toMarkdown(node.children)}*`;
      if (node.type === 'strong') return `**${toMarkdown(node.children)}**`;
      if (node.type === 'superscript') return `^${toMarkdown(node.children)}^`;
      if (node.type === 'subscript') return `~${toMarkdown(node.children)}~`;
      if (node.type === 'smallcaps') return `[${toMarkdown(node.children)}]{.smallcaps}`;
      if (node.type === 'link') return plainText(node.children) === node.url ? `<${node.url}>` : `[${toMarkdown(node.children)}](${node.url})`;
      return toMarkdown(node.children);
    })
    .join('');
}

/** The entries named by `keys`, formatted in the style as a build's reference list would hold them. */
export function formatReferenceList(bibliography: Bibliography, keys: string[], style: CitationStyle, lang: string, format: ReferenceFormat): string[] {
  if (keys.length === 0) return [];
  const request = pandocRequest([], bibliography, { style, lang, linkCitations: false, nocite: keys });
  const run = formatWithPandoc(request);
  const write = format === 'html' ? (rich: RichText) => `<div class="csl-entry">${toHtml(rich)}</div>` : format === 'markdown' ? toMarkdown : plainText;
  return run.references.map((reference) => write(reference.content).replace(/\s+/g, ' ').trim());
}
