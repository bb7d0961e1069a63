// The front matter as the template's arguments: the abstracts (each in its
// own language), the dedication, the acknowledgements, the preface and the
// declaration of authorship, written from their Markdown by the same writer
// as the chapters; the titles in the thesis's language. The declaration's
// wording is ours in English and German; a university's own goes in
// `declaration:` as Markdown.
import type { Root } from 'mdast';
import type { Diagnostic } from '../core/diagnostics.js';
import type { SourceMapping } from '../core/source-map.js';
import { escapeMarkup, typstString } from '../core/typst-syntax.js';
import type { ThesisConfig } from '../read/config-schema.js';
import type { FrontPart } from '../read/project.js';
import { renderChapter, type FrontMatterMarkup } from './document.js';
import { languageOf } from '../core/language.js';
import { firstUseLabel } from './handlers/glossary.js';
import { smartPunctuation } from '../core/typography.js';
import type { RenderContext } from './writer.js';

export function frontMatterArguments(config: ThesisConfig, parts: { part: FrontPart; tree: Root }[], context: RenderContext, usedTerms: ReadonlySet<string> = new Set()): FrontMatterMarkup {
  const lines: string[] = [];
  const sourceMap: SourceMapping[] = [];
  const diagnostics: Diagnostic[] = [];
  const language = languageOf(config.lang);
  const names = language.words;
  /** A part's Markdown as a content block, its lines mapped back to the Markdown. */
  const content = (part: FrontPart, tree: Root): string => {
    const rendered = renderChapter({ file: part.file, tree }, context);
    diagnostics.push(...rendered.diagnostics);
    const offset = lines.length + 1;
    for (const mapping of rendered.sourceMap) sourceMap.push({ ...mapping, typLine: mapping.typLine + offset });
    return `[\n${rendered.markup}\n]`;
  };
  const push = (text: string) => lines.push(...text.split('\n'));
  const abstracts = parts.filter(({ part }) => part.kind === 'abstract');
  if (abstracts.length) {
    push('  abstracts: (');
    for (const { part, tree } of abstracts) {
      const lang = part.lang ?? config.lang;
      const title = part.title ?? languageOf(lang).words.abstract;
      const text = languageOf(lang).typstArguments();
      push(`    (title: ${typstString(title)}, lang: (${text ?? ':'}), body: ${content(part, tree)}),`);
    }
    push('  ),');
  }
  for (const kind of ['dedication', 'acknowledgements', 'preface'] as const) {
    const found = parts.find(({ part }) => part.kind === kind);
    if (!found) continue;
    push(`  ${kind}: ${content(found.part, found.tree)},`);
    if (kind !== 'dedication') push(`  ${kind}-title: ${typstString(names[kind])},`);
  }
  if (config.declaration) {
    const own = parts.find(({ part }) => part.kind === 'declaration');
    const wording = own ? content(own.part, own.tree) : `[${escapeMarkup(language.declaration)}]`;
    push(`  declaration: ${wording},`);
    push(`  declaration-title: ${typstString(names.declaration)},`);
    push(`  declaration-place: ${typstString([config.place, config.date].filter(Boolean).join(', '))},`);
    push(`  declaration-labels: (${typstString(names.placeDate)}, ${typstString(names.signature)}),`);
  }
  if (config.lof) push(`  lof-title: ${typstString(names.lof)},`);
  if (config.lot) push(`  lot-title: ${typstString(names.lot)},`);
  if (config.loa && Object.keys(config.glossary).length) {
    push(`  abbreviations: ${abbreviationsList(config, usedTerms)},`);
    push(`  abbreviations-title: ${typstString(names.loa)},`);
  }
  return { lines, sourceMap, diagnostics };
}

/**
 * The list of abbreviations: the glossary's terms sorted by their short form
 * in the thesis's language, each linking to its first use.
 */
function abbreviationsList(config: ThesisConfig, usedTerms: ReadonlySet<string>): string {
  const collator = new Intl.Collator(config.lang, { sensitivity: 'base' });
  const entries = Object.entries(config.glossary).sort(([, a], [, b]) => collator.compare(a.short, b.short));
  const cells = entries.flatMap(([key, entry]) => {
    // Set as the chapters' text is: Typst's quotes for the language, Pandoc's dashes.
    const prose = (text: string) => escapeMarkup(smartPunctuation(text), { smartQuotes: true });
    const short = `*${prose(entry.short)}*`;
    const long = prose(entry.long) + (entry.description ? `: ${prose(entry.description)}` : '');
    return [usedTerms.has(key) ? `[#link(<${firstUseLabel(key)}>)[${short}]]` : `[${short}]`, `[${long}]`];
  });
  return `grid(columns: (auto, 1fr), column-gutter: 1.5em, row-gutter: 0.8em, ${cells.join(', ')})`;
}
