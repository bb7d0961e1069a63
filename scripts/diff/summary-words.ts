// The words `thesis diff` prints into the document — the first page that
// sums the changes up, the "moved" beside a moved paragraph, the author of
// Word's tracked changes — in the thesis's language: the supervisor reads
// them beside the thesis's own text. The languages are those the front
// matter has titles for (core/language.ts); others get English.
import { languageOf } from '../core/language.js';

/** A sentence with coloured words in it: plain text, and the words each key of the legend colours. */
export type LegendPart = string | { mark: 'added' | 'removed' | 'changed' | 'moved'; text: string };

export interface SummaryWords {
  /** The page's heading, and the author of Word's tracked changes. */
  changesSince: (label: string) => string;
  commit: (date: string, hash: string) => string;
  legend: LegendPart[];
  columns: [chapter: string, added: string, removed: string, moved: string, sections: string];
  total: string;
  newChapter: string;
  removedChapter: string;
  renamedFrom: (name: string) => string;
  sources: (firstCited: string, noLongerCited: string) => string;
  none: string;
  listSeparator: string;
  newReferences: string;
  /** Beside a paragraph moved from elsewhere, in the margin. */
  moved: string;
}

const words: Record<string, SummaryWords> = {
  en: {
    changesSince: (label) => `Changes since ${label}`,
    commit: (date, hash) => `${date}, commit ${hash}`,
    legend: ['Words added are ', { mark: 'added', text: 'underlined in blue' }, ', words removed ', { mark: 'removed', text: 'struck through in red' }, '; a ', { mark: 'changed', text: 'yellow' }, ' bar in the margin marks a passage that changed, a ', { mark: 'moved', text: 'purple' }, ' one a passage moved there from elsewhere.'],
    columns: ['Chapter', 'Added', 'Removed', 'Moved', 'Sections touched'],
    total: 'Total',
    newChapter: 'all (new chapter)',
    removedChapter: 'the whole chapter (removed)',
    renamedFrom: (name) => `renamed from ${name}`,
    sources: (first, gone) => `Sources cited for the first time: ${first}. No longer cited: ${gone}.`,
    none: 'none',
    listSeparator: ', ',
    newReferences: 'New entries of the reference list are marked as added words are.',
    moved: 'moved',
  },
  de: {
    changesSince: (label) => `Änderungen seit ${label}`,
    commit: (date, hash) => `${date}, Commit ${hash}`,
    legend: ['Hinzugefügte Wörter sind ', { mark: 'added', text: 'blau unterstrichen' }, ', gestrichene ', { mark: 'removed', text: 'rot durchgestrichen' }, '; ein ', { mark: 'changed', text: 'gelber' }, ' Balken am Rand markiert eine geänderte Passage, ein ', { mark: 'moved', text: 'violetter' }, ' eine von anderswo hierher verschobene.'],
    columns: ['Kapitel', 'Hinzugefügt', 'Entfernt', 'Verschoben', 'Geänderte Abschnitte'],
    total: 'Summe',
    newChapter: 'alles (neues Kapitel)',
    removedChapter: 'das ganze Kapitel (entfernt)',
    renamedFrom: (name) => `umbenannt, vorher ${name}`,
    sources: (first, gone) => `Erstmals zitierte Quellen: ${first}. Nicht mehr zitiert: ${gone}.`,
    none: 'keine',
    listSeparator: ', ',
    newReferences: 'Neue Einträge im Literaturverzeichnis sind wie hinzugefügte Wörter markiert.',
    moved: 'verschoben',
  },
  fr: {
    changesSince: (label) => `Modifications depuis ${label}`,
    commit: (date, hash) => `${date}, commit ${hash}`,
    // French sets a no-break space before a colon or a semicolon.
    legend: ['Les mots ajoutés sont ', { mark: 'added', text: 'soulignés en bleu' }, ', les mots supprimés ', { mark: 'removed', text: 'barrés en rouge' }, '\u00a0; une barre ', { mark: 'changed', text: 'jaune' }, ' dans la marge signale un passage modifié, une barre ', { mark: 'moved', text: 'violette' }, ' un passage déplacé depuis un autre endroit.'],
    columns: ['Chapitre', 'Ajoutés', 'Supprimés', 'Déplacés', 'Sections modifiées'],
    total: 'Total',
    newChapter: 'tout (nouveau chapitre)',
    removedChapter: 'tout le chapitre (supprimé)',
    renamedFrom: (name) => `renommé, auparavant ${name}`,
    sources: (first, gone) => `Sources citées pour la première fois\u00a0: ${first}. Sources qui ne sont plus citées\u00a0: ${gone}.`,
    none: 'aucune',
    listSeparator: ', ',
    newReferences: 'Les nouvelles entrées de la bibliographie sont marquées comme les mots ajoutés.',
    moved: 'déplacé',
  },
  es: {
    changesSince: (label) => `Cambios desde ${label}`,
    commit: (date, hash) => `${date}, commit ${hash}`,
    legend: ['Las palabras añadidas aparecen ', { mark: 'added', text: 'subrayadas en azul' }, ', las eliminadas ', { mark: 'removed', text: 'tachadas en rojo' }, '; una barra ', { mark: 'changed', text: 'amarilla' }, ' en el margen señala un pasaje modificado, una ', { mark: 'moved', text: 'morada' }, ' un pasaje trasladado desde otro lugar.'],
    columns: ['Capítulo', 'Añadidas', 'Eliminadas', 'Movidos', 'Secciones modificadas'],
    total: 'Total',
    newChapter: 'todo (capítulo nuevo)',
    removedChapter: 'todo el capítulo (eliminado)',
    renamedFrom: (name) => `renombrado, antes ${name}`,
    sources: (first, gone) => `Fuentes citadas por primera vez: ${first}. Ya no citadas: ${gone}.`,
    none: 'ninguna',
    listSeparator: ', ',
    newReferences: 'Las entradas nuevas de la bibliografía se marcan como las palabras añadidas.',
    moved: 'movido',
  },
  nl: {
    changesSince: (label) => `Wijzigingen sinds ${label}`,
    commit: (date, hash) => `${date}, commit ${hash}`,
    legend: ['Toegevoegde woorden zijn ', { mark: 'added', text: 'blauw onderstreept' }, ', verwijderde woorden ', { mark: 'removed', text: 'rood doorgestreept' }, '; een ', { mark: 'changed', text: 'gele' }, ' streep in de marge markeert een gewijzigde passage, een ', { mark: 'moved', text: 'paarse' }, ' een passage die van elders hierheen is verplaatst.'],
    columns: ['Hoofdstuk', 'Toegevoegd', 'Verwijderd', 'Verplaatst', 'Gewijzigde secties'],
    total: 'Totaal',
    newChapter: 'alles (nieuw hoofdstuk)',
    removedChapter: 'het hele hoofdstuk (verwijderd)',
    renamedFrom: (name) => `hernoemd, eerder ${name}`,
    sources: (first, gone) => `Voor het eerst geciteerde bronnen: ${first}. Niet meer geciteerd: ${gone}.`,
    none: 'geen',
    listSeparator: ', ',
    newReferences: 'Nieuwe items in de literatuurlijst zijn gemarkeerd zoals toegevoegde woorden.',
    moved: 'verplaatst',
  },
  zh: {
    changesSince: (label) => `自 ${label} 以来的修改`,
    commit: (date, hash) => `${date}，提交 ${hash}`,
    legend: ['新增的文字以', { mark: 'added', text: '蓝色下划线' }, '标出，删除的文字以', { mark: 'removed', text: '红色删除线' }, '标出；页边的', { mark: 'changed', text: '黄色' }, '竖线标记修改过的段落，', { mark: 'moved', text: '紫色' }, '竖线标记从别处移来的段落。'],
    columns: ['章', '新增', '删除', '移动', '涉及的节'],
    total: '合计',
    newChapter: '全部（新章）',
    removedChapter: '整章（已删除）',
    renamedFrom: (name) => `原名 ${name}`,
    sources: (first, gone) => `首次引用的文献：${first}。不再引用的文献：${gone}。`,
    none: '无',
    listSeparator: '、',
    newReferences: '参考文献表中的新条目与新增文字的标记方式相同。',
    moved: '已移动',
  },
};

/** The languages the diff's words are written in. */
export const summaryLanguages = Object.keys(words);

/** The diff's words in the thesis's language (`de-AT` → German); English where we have none. */
export function summaryWords(lang: string): SummaryWords {
  return words[languageOf(lang).code] ?? words.en;
}
