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
import { languageArguments } from './language.js';
import { firstUseLabel } from './handlers/glossary.js';
import { smartPunctuation } from '../core/typography.js';
import type { RenderContext } from './writer.js';

type Titles = Record<'abstract' | 'acknowledgements' | 'preface' | 'declaration' | 'lof' | 'lot' | 'loa' | 'placeDate' | 'signature', string>;

const titles: Record<string, Titles> = {
  en: { abstract: 'Abstract', acknowledgements: 'Acknowledgements', preface: 'Preface', declaration: 'Declaration of Authorship', lof: 'List of Figures', lot: 'List of Tables', loa: 'List of Abbreviations', placeDate: 'Place, date', signature: 'Signature' },
  de: { abstract: 'Kurzfassung', acknowledgements: 'Danksagung', preface: 'Vorwort', declaration: 'Eidesstattliche Erklärung', lof: 'Abbildungsverzeichnis', lot: 'Tabellenverzeichnis', loa: 'Abkürzungsverzeichnis', placeDate: 'Ort, Datum', signature: 'Unterschrift' },
  fr: { abstract: 'Résumé', acknowledgements: 'Remerciements', preface: 'Préface', declaration: 'Déclaration sur l’honneur', lof: 'Table des figures', lot: 'Liste des tableaux', loa: 'Liste des abréviations', placeDate: 'Lieu, date', signature: 'Signature' },
  es: { abstract: 'Resumen', acknowledgements: 'Agradecimientos', preface: 'Prefacio', declaration: 'Declaración de autoría', lof: 'Índice de figuras', lot: 'Índice de tablas', loa: 'Lista de abreviaturas', placeDate: 'Lugar, fecha', signature: 'Firma' },
  nl: { abstract: 'Samenvatting', acknowledgements: 'Dankwoord', preface: 'Voorwoord', declaration: 'Verklaring', lof: 'Lijst van figuren', lot: 'Lijst van tabellen', loa: 'Lijst van afkortingen', placeDate: 'Plaats, datum', signature: 'Handtekening' },
  zh: { abstract: '摘要', acknowledgements: '致谢', preface: '前言', declaration: '独创性声明', lof: '插图目录', lot: '表格目录', loa: '缩略语表', placeDate: '地点，日期', signature: '签名' },
};

/** The declaration of authorship, in the languages we have written it for. */
const declarations: Record<string, string> = {
  en:
    'I hereby declare that I have written this thesis on my own, that I have used no sources or aids other than those stated, and that I have marked as such every passage taken from other works, word for word or in substance. This thesis has not been submitted in the same or a similar form to any other examining authority.',
  de:
    'Ich erkläre hiermit, dass ich die vorliegende Arbeit selbstständig verfasst, keine anderen als die angegebenen Quellen und Hilfsmittel benutzt und alle wörtlich oder sinngemäß aus anderen Werken übernommenen Stellen als solche kenntlich gemacht habe. Die Arbeit wurde in gleicher oder ähnlicher Form noch keiner anderen Prüfungsbehörde vorgelegt.',
};

/** Our declaration in the thesis's language; English where we have none (the render step says so). */
export function declarationWording(lang: string): string {
  return declarations[lang.split('-')[0].toLowerCase()] ?? declarations.en;
}

export const hasDeclarationWording = (lang: string): boolean => lang.split('-')[0].toLowerCase() in declarations;

export function titlesFor(lang: string): Titles {
  return titles[lang.split('-')[0].toLowerCase()] ?? titles.en;
}

export function frontMatterArguments(config: ThesisConfig, parts: { part: FrontPart; tree: Root }[], context: RenderContext, usedTerms: ReadonlySet<string> = new Set()): FrontMatterMarkup {
  const lines: string[] = [];
  const sourceMap: SourceMapping[] = [];
  const diagnostics: Diagnostic[] = [];
  const language = config.lang.split('-')[0].toLowerCase();
  const names = titlesFor(config.lang);
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
      const title = part.title ?? titlesFor(lang).abstract;
      const text = languageArguments(lang);
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
    const wording = own ? content(own.part, own.tree) : `[${escapeMarkup(declarationWording(config.lang))}]`;
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
