// The thesis's language, in one place for both writers (Typst for the PDF,
// Pandoc's AST for Word and HTML): its tag split once into language and
// region, and the words the thesis prints in it (the titles of the contents,
// the reference list, the appendices and the front matter; the declaration
// of authorship; the quotation marks). A language we have no words for gets
// English words; `hasOwnWords` says so, for the warning.

export interface ThesisWords {
  contents: string;
  references: string;
  appendix: string;
  abstract: string;
  acknowledgements: string;
  preface: string;
  declaration: string;
  lof: string;
  lot: string;
  loa: string;
  placeDate: string;
  signature: string;
}

const words: Record<string, ThesisWords> = {
  en: { contents: 'Contents', references: 'References', appendix: 'Appendix', abstract: 'Abstract', acknowledgements: 'Acknowledgements', preface: 'Preface', declaration: 'Declaration of Authorship', lof: 'List of Figures', lot: 'List of Tables', loa: 'List of Abbreviations', placeDate: 'Place, date', signature: 'Signature' },
  de: { contents: 'Inhaltsverzeichnis', references: 'Literaturverzeichnis', appendix: 'Anhang', abstract: 'Kurzfassung', acknowledgements: 'Danksagung', preface: 'Vorwort', declaration: 'Eidesstattliche Erklärung', lof: 'Abbildungsverzeichnis', lot: 'Tabellenverzeichnis', loa: 'Abkürzungsverzeichnis', placeDate: 'Ort, Datum', signature: 'Unterschrift' },
  fr: { contents: 'Table des matières', references: 'Bibliographie', appendix: 'Annexe', abstract: 'Résumé', acknowledgements: 'Remerciements', preface: 'Préface', declaration: 'Déclaration sur l’honneur', lof: 'Table des figures', lot: 'Liste des tableaux', loa: 'Liste des abréviations', placeDate: 'Lieu, date', signature: 'Signature' },
  es: { contents: 'Índice', references: 'Referencias', appendix: 'Apéndice', abstract: 'Resumen', acknowledgements: 'Agradecimientos', preface: 'Prefacio', declaration: 'Declaración de autoría', lof: 'Índice de figuras', lot: 'Índice de tablas', loa: 'Lista de abreviaturas', placeDate: 'Lugar, fecha', signature: 'Firma' },
  nl: { contents: 'Inhoud', references: 'Literatuurlijst', appendix: 'Bijlage', abstract: 'Samenvatting', acknowledgements: 'Dankwoord', preface: 'Voorwoord', declaration: 'Verklaring', lof: 'Lijst van figuren', lot: 'Lijst van tabellen', loa: 'Lijst van afkortingen', placeDate: 'Plaats, datum', signature: 'Handtekening' },
  zh: { contents: '目录', references: '参考文献', appendix: '附录', abstract: '摘要', acknowledgements: '致谢', preface: '前言', declaration: '独创性声明', lof: '插图目录', lot: '表格目录', loa: '缩略语表', placeDate: '地点，日期', signature: '签名' },
};

/** The declaration of authorship, in the languages we have written it for. */
const declarations: Record<string, string> = {
  en:
    'I hereby declare that I have written this thesis on my own, that I have used no sources or aids other than those stated, and that I have marked as such every passage taken from other works, word for word or in substance. This thesis has not been submitted in the same or a similar form to any other examining authority.',
  de:
    'Ich erkläre hiermit, dass ich die vorliegende Arbeit selbstständig verfasst, keine anderen als die angegebenen Quellen und Hilfsmittel benutzt und alle wörtlich oder sinngemäß aus anderen Werken übernommenen Stellen als solche kenntlich gemacht habe. Die Arbeit wurde in gleicher oder ähnlicher Form noch keiner anderen Prüfungsbehörde vorgelegt.',
};

/** Opening and closing double, then single, quotation marks, as Typst sets them for the language. */
const quotationMarks: Record<string, string> = { en: '“”‘’', de: '„“‚‘', fr: '«»‹›', es: '«»“”', nl: '“”‘’', zh: '“”‘’', pl: '„”‚’', cs: '„“‚‘', da: '»«›‹', sv: '””’’', it: '«»“”', pt: '“”‘’', ru: '«»„“' };

export class Language {
  /** The primary language subtag, lower case: `de` for `de-AT`. */
  readonly code: string;
  /** The region subtag, upper case (`AT`; `CN` of `zh-Hans-CN`), or null: Typst takes two letters. */
  readonly region: string | null;

  constructor(readonly tag: string) {
    const [code, ...rest] = tag.split('-');
    this.code = code.toLowerCase();
    this.region = rest.find((subtag) => /^[A-Za-z]{2}$/.test(subtag))?.toUpperCase() ?? null;
  }

  get words(): ThesisWords {
    return words[this.code] ?? words.en;
  }

  /** Whether the thesis's words are in its own language (else English). */
  get hasOwnWords(): boolean {
    return this.code in words;
  }

  /** Our declaration of authorship in the language; English where we have none. */
  get declaration(): string {
    return declarations[this.code] ?? declarations.en;
  }

  get hasOwnDeclaration(): boolean {
    return this.code in declarations;
  }

  /** Opening and closing double, then single, quotation marks. */
  get quotationMarks(): [openDouble: string, closeDouble: string, openSingle: string, closeSingle: string] {
    return [...(quotationMarks[this.code] ?? quotationMarks.en)] as [string, string, string, string];
  }

  /** Whether the tag starts with a language code at all (`lang=` on a span may hold anything). */
  get isLanguage(): boolean {
    return /^[a-z]{2,3}$/.test(this.code);
  }

  /** The Typst text settings it means: `lang: "de", region: "AT"`; null when it is not a language tag. */
  typstArguments(): string | null {
    if (!this.isLanguage) return null;
    return `lang: "${this.code}"${this.region ? `, region: "${this.region}"` : ''}`;
  }
}

/** The language of a `lang:` tag (or a `lang=` attribute). */
export function languageOf(tag: string): Language {
  return new Language(tag);
}
