// The whole thesis as one Pandoc document: the title-page facts and the
// front matter (dedication, declaration, abstracts, acknowledgements,
// preface) before the contents, as the PDF has them; the chapters with
// their numbers; the reference list from our citeproc run (Pandoc's own
// citeproc never runs: the text is the PDF's); the appendices after it.
import type { Root } from 'mdast';
import type { Diagnostic } from '../core/diagnostics.js';
import type { FormattedCitations } from '../format/citeproc.js';
import type { ThesisConfig } from '../read/config-schema.js';
import type { FrontPart } from '../read/project.js';
import { keyNodes } from '../render/document.js';
import { languageOf } from '../core/language.js';
import { richTextToPandoc } from './rich-text-pandoc.js';
import { PANDOC_API_VERSION, textInlines, type Block, type Inline, type MetaValue, type PandocDocument } from './pandoc-ast.js';
import { chapterWriter, type ExportContext } from './pandoc-writer.js';

import type { ExportFormat } from '../core/output-formats.js';
export type { ExportFormat };

export interface ChapterToExport {
  file: string;
  tree: Root;
  title?: string;
  appendix?: boolean;
}

/** The HTML id of a reference entry, as Pandoc's citeproc names it (`ref-KEY`). */
export const referenceAnchor = (key: string) => `ref-${key}`;

const inlinesMeta = (text: string): MetaValue => ({ t: 'MetaInlines', c: textInlines(text) });

/**
 * Metadata Pandoc's HTML template puts inside attributes (`<meta name="keywords"
 * content="…">`, the author, the date): Pandoc escapes < and > there but not the
 * straight double quote, so `"><img onerror=…>` in a keyword ended the attribute
 * and added one of its own. Straight quotes become typographic ones, as Pandoc's
 * smart punctuation would set them in text.
 */
const attributeMeta = (text: string): MetaValue => inlinesMeta(text.replace(/(^|[\s([{])"/g, '$1\u201c').replace(/"/g, '\u201d'));

export function exportDocument(
  config: ThesisConfig,
  chapters: readonly ChapterToExport[],
  frontParts: readonly { part: FrontPart; tree: Root }[],
  formatted: FormattedCitations,
  context: Omit<ExportContext, 'referenceList' | 'referenceAnchor'>,
  format: ExportFormat,
): { document: PandocDocument; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const language = languageOf(config.lang);
  const titles = language.words;
  const names = language.words;
  const entries: Block[] = formatted.references.map((reference) => ({
    t: 'Div',
    c: [[referenceAnchor(reference.key), ['csl-entry'], []], [{ t: 'Para', c: richTextToPandoc(reference.content, referenceAnchor) }]],
  }));
  const full: ExportContext = { ...context, referenceAnchor, referenceList: entries.length ? [{ t: 'Div', c: [['refs', ['references', 'csl-bib-body', ...(formatted.hangingIndent ? ['hanging-indent'] : [])], []], entries] }] : [] };

  /** A title the contents do not list: a styled paragraph in Word, an unlisted heading in HTML. */
  const partTitle = (title: string): Block =>
    format === 'docx' || format === 'odt'
      ? { t: 'Div', c: [['', [], [['custom-style', 'Abstract Title']]], [{ t: 'Para', c: textInlines(title) }]] }
      : { t: 'Header', c: [1, ['', ['unnumbered', 'unlisted'], []], textInlines(title)] };
  const write = (file: string, tree: Root): Block[] => {
    const writer = chapterWriter(file, tree, full);
    const blocks = writer.blocks(tree.children);
    diagnostics.push(...writer.diagnostics);
    return blocks;
  };

  // The front matter, in the PDF's order.
  const front: Block[] = [];
  const facts = [config.type, config.institution, config.course, config.semester, config.supervisor, [config.place, config.date].filter(Boolean).join(', ')].filter((fact): fact is string => !!fact);
  if (facts.length) front.push({ t: 'Div', c: [['', ['title-page'], []], facts.map((fact) => ({ t: 'Para', c: textInlines(fact) }))] });
  const part = (kind: FrontPart['kind']) => frontParts.filter((found) => found.part.kind === kind);
  for (const { part: dedication, tree } of part('dedication')) front.push({ t: 'Div', c: [['', ['dedication'], []], write(dedication.file, tree)] });
  if (config.declaration) {
    const own = part('declaration')[0];
    front.push(partTitle(names.declaration));
    front.push(...(own ? write(own.part.file, own.tree) : [{ t: 'Para', c: textInlines(language.declaration) } as Block]));
    front.push({ t: 'Para', c: [...textInlines([config.place, config.date].filter(Boolean).join(', ') || names.placeDate), { t: 'LineBreak' }, ...textInlines(`${names.signature}: ______________________`)] });
  }
  for (const { part: abstract, tree } of part('abstract')) {
    const lang = abstract.lang ?? config.lang;
    front.push({ t: 'Div', c: [['', ['abstract'], [['lang', lang]]], [partTitle(abstract.title ?? languageOf(lang).words.abstract), ...write(abstract.file, tree)]] });
  }
  for (const kind of ['acknowledgements', 'preface'] as const) {
    for (const { part: found, tree } of part(kind)) front.push(partTitle(names[kind]), ...write(found.file, tree));
  }
  // The list of abbreviations, sorted in the thesis's language, each linking to its first use.
  if (config.loa && Object.keys(config.glossary).length) {
    const collator = new Intl.Collator(config.lang, { sensitivity: 'base' });
    const terms = Object.entries(config.glossary).sort(([, a], [, b]) => collator.compare(a.short, b.short));
    front.push(partTitle(names.loa), {
      t: 'DefinitionList',
      c: terms.map(([key, entry]) => [
        [{ t: 'Link', c: [['', [], []], [{ t: 'Strong', c: textInlines(entry.short) }], [`#gls-${key}`, '']] }],
        [[{ t: 'Plain', c: textInlines(entry.long + (entry.description ? `: ${entry.description}` : '')) }]],
      ]),
    });
  }

  const blocks: Block[] = [];
  chapters.forEach((chapter, index) => {
    if (chapter.appendix) return;
    blocks.push(...chapterBlocks(chapter, index));
  });
  if (!chapters.some((chapter) => keyNodes(chapter.tree).placesReferences) && entries.length) {
    const title = config['reference-section-title'] ?? titles.references;
    blocks.push({ t: 'Header', c: [1, ['bibliography', ['unnumbered'], []], textInlines(title)] }, ...full.referenceList);
  }
  chapters.forEach((chapter, index) => {
    if (chapter.appendix) blocks.push(...chapterBlocks(chapter, index));
  });

  function chapterBlocks(chapter: ChapterToExport, index: number): Block[] {
    const out: Block[] = [];
    const number = context.numbers.titleHeadings.get(index);
    if (chapter.title && !chapter.tree.children.some((node) => node.type === 'heading' && node.depth === 1)) {
      out.push({ t: 'Header', c: [1, ['', [], []], [...(number ? [{ t: 'Str', c: number } as Inline, { t: 'Space' } as Inline] : []), ...textInlines(chapter.title)]] });
    }
    out.push(...write(chapter.file, chapter.tree));
    return out;
  }

  const meta: Record<string, MetaValue> = {
    title: attributeMeta(config.title),
    author: { t: 'MetaList', c: [attributeMeta(config.author)] },
    lang: { t: 'MetaString', c: config.lang },
    'toc-title': inlinesMeta(titles.contents),
  };
  if (config.subtitle) meta.subtitle = inlinesMeta(config.subtitle);
  if (config.date) meta.date = attributeMeta(config.date);
  if (config.keywords.length) meta.keywords = { t: 'MetaList', c: config.keywords.map(attributeMeta) };
  // Pandoc sets the abstract between the title and the contents: the whole front matter goes there, untitled.
  if (front.length) {
    meta.abstract = { t: 'MetaBlocks', c: front };
    meta['abstract-title'] = { t: 'MetaInlines', c: [] };
  }
  return { document: { 'pandoc-api-version': PANDOC_API_VERSION, meta, blocks }, diagnostics };
}
