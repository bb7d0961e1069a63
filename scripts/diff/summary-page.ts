// The first page of `thesis diff`'s PDF: one row per chapter (words added
// and removed, paragraphs moved, the sections touched; chapters new, renamed
// or removed), the sources cited for the first time or no longer, and what
// the colours mean — in the thesis's language (summary-words.ts).
import { escapeMarkup } from '../core/typst-syntax.js';
import { languageOf } from '../core/language.js';
import type { ChapterChanges } from './mark.js';
import type { OldThesis } from './revision.js';
import type { LegendPart, SummaryWords } from './summary-words.js';

/** A chapter's row: today's chapter beside its earlier text, or an earlier chapter gone. */
export interface ChapterRow {
  title: string;
  status: 'kept' | 'new' | 'renamed' | 'removed';
  /** The earlier file name of a renamed chapter. */
  renamedFrom?: string;
  changes?: ChapterChanges;
  /** The words of a removed chapter. */
  removedWords?: number;
}

export const wordsAdded = (row: ChapterRow): number => row.changes?.added ?? 0;
export const wordsRemoved = (row: ChapterRow): number => row.changes?.removed ?? row.removedWords ?? 0;
export const isTouched = (row: ChapterRow): boolean => row.status !== 'kept' || Boolean(row.changes && (row.changes.added || row.changes.removed || row.changes.moved));

/** The colour of each kind of mark, as the document shows it (render/handlers/div.ts, templates). */
const colours: Record<Exclude<LegendPart, string>['mark'], string> = { added: '#1a5fb4', removed: '#c01c28', changed: '#e5a50a', moved: '#813d9c' };

function legend(parts: LegendPart[]): string {
  return parts
    .map((part) => {
      if (typeof part === 'string') return escapeMarkup(part);
      const text = escapeMarkup(part.text);
      const shown = part.mark === 'added' ? `#underline[${text}]` : part.mark === 'removed' ? `#strike[${text}]` : text;
      return `#text(fill: rgb("${colours[part.mark]}"))[${shown}]`;
    })
    .join('');
}

export function summaryPage(old: OldThesis, rows: ChapterRow[], firstCited: string[], noLongerCited: string[], lang: string, words: SummaryWords): string {
  const cell = (text: string) => `[${escapeMarkup(text)}]`;
  const body = rows.map((row) => {
    const added = wordsAdded(row);
    const removed = wordsRemoved(row);
    const sections = row.status === 'new' ? words.newChapter : row.status === 'removed' ? words.removedChapter : (row.changes?.sections ?? []).join('; ') || '—';
    const title = row.status === 'renamed' && row.renamedFrom ? `${row.title} (${words.renamedFrom(row.renamedFrom)})` : row.title;
    return [cell(title), cell(added ? `+${added}` : '0'), cell(removed ? `−${removed}` : '0'), cell(String(row.changes?.moved ?? 0)), cell(sections)].join(', ');
  });
  const total = (pick: (row: ChapterRow) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
  const list = (keys: string[]) => (keys.length ? [...keys].sort().join(words.listSeparator) : words.none);
  const strong = (text: string) => `[*${escapeMarkup(text)}*]`;
  return [
    '#page(numbering: none, header: none, footer: none)[',
    `  #set text(font: ("Noto Serif", "Noto Serif SC"), size: 10.5pt, ${languageOf(lang).typstArguments() ?? 'lang: "en"'})`,
    `  #text(size: 16pt, weight: "bold")[${escapeMarkup(words.changesSince(old.label))}]`,
    `  #v(0.3em)`,
    `  ${escapeMarkup(words.commit(old.date, old.commit.slice(0, 7)))}`,
    `  #v(0.8em)`,
    `  ${legend(words.legend)}`,
    `  #v(1em)`,
    `  #table(columns: (auto, auto, auto, auto, 1fr), stroke: 0.4pt + luma(180), inset: 5pt, table.header(${words.columns.map(strong).join(', ')}),`,
    ...body.map((line) => `    ${line},`),
    `    ${strong(words.total)}, ${strong(`+${total(wordsAdded)}`)}, ${strong(`−${total(wordsRemoved)}`)}, ${strong(String(total((row) => row.changes?.moved ?? 0)))}, [],`,
    '  )',
    `  #v(0.8em)`,
    `  ${escapeMarkup(words.sources(list(firstCited), list(noLongerCited)))} ${escapeMarkup(words.newReferences)}`,
    ']',
  ].join('\n');
}
