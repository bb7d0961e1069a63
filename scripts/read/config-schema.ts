// The shape of thesis.yaml. Keys follow Pandoc's metadata names where Pandoc
// has one (title, author, date, lang, csl, bibliography, nocite, toc).
export const chapterStatuses = ['draft', 'review', 'final'] as const;
export type ChapterStatus = (typeof chapterStatuses)[number];

export interface MilestoneConfig {
  title: string;
  due: string;
  chapters: string[];
  /** Every listed chapter must have reached at least this status. */
  status?: ChapterStatus;
  /** Every listed chapter must have reached its word target. */
  words?: boolean;
  /** These bibliography keys must be cited somewhere in the listed chapters. */
  cite?: string[];
}

/** One abstract: Markdown text (or a file in thesis/), its language, and a title other than the language's usual one. */
export interface AbstractConfig {
  text: string;
  lang?: string;
  title?: string;
}

/** A term of the glossary: its short form (the abbreviation), its long form, plurals when not made with -s, a description. */
export interface GlossaryEntry {
  short: string;
  long: string;
  'short-plural'?: string;
  'long-plural'?: string;
  description?: string;
}

export interface WordLimits {
  min?: number;
  max?: number;
  /** Count the appendices' words against the limits too (they are not counted by default). */
  appendices?: boolean;
}

export interface ThesisConfig {
  title: string;
  subtitle?: string;
  author: string;
  course?: string;
  semester?: string;
  type?: string;
  institution?: string;
  supervisor?: string;
  date?: string;
  lang: string;
  csl: string;
  bibliography: string[];
  chapters: string[];
  /** Chapters after the reference list, numbered A, B, …: files in thesis/. */
  appendices: string[];
  nocite: string[];
  toc: boolean;
  'link-citations': boolean;
  'reference-section-title'?: string;
  words?: WordLimits;
  'key-pattern'?: string;
  /** Pandoc's `abstract`: one text, or one per language. */
  abstract: AbstractConfig[];
  /** Markdown text or a file in thesis/ for each of the front matter's parts. */
  acknowledgements?: string;
  dedication?: string;
  preface?: string;
  /** `true` for the declaration of authorship in the thesis's language; Markdown text or a file for a university's own wording. */
  declaration?: boolean | string;
  /** Where the declaration is signed. */
  place?: string;
  /** The list of figures and the list of tables after the contents. */
  lof: boolean;
  lot: boolean;
  /** Terms written `[+key]` in the text, by key; `loa` prints the list of abbreviations. */
  glossary: Record<string, GlossaryEntry>;
  /** The YAML file in thesis/ the glossary was written in, when it is not in thesis.yaml (read/glossary-file.ts fills `glossary`). */
  glossaryFile?: string;
  /** The Typst template: a built-in one by name (`thesis`, `diplomarbeit`), the project's `templates/NAME.typ`, or a `.typ` file in the project. */
  template: string;
  /** Whether ```{=typst} blocks run (default true); `false` for a thesis one does not trust. */
  raw?: boolean;
  /** Pandoc's `reference-doc`: a Word file in the project whose styles the Word output takes. */
  'reference-doc'?: string;
  loa: boolean;
  /** Pandoc's `keywords`: the PDF's keywords (and the title page's, where a template prints them). */
  keywords: string[];
  /** The archival or accessible PDF standard the build writes (`a-2b`, `ua-1`, …): one, as the compiler writes one at a time. */
  'pdf-standard'?: PdfStandardName;
  milestones: MilestoneConfig[];
  // Pandoc's layout variables, as its LaTeX template reads them (render/layout.ts).
  fontsize?: string | number;
  linestretch?: number | string;
  mainfont?: string;
  sansfont?: string;
  monofont?: string;
  papersize?: string;
  geometry?: string | string[];
  'margin-left'?: string;
  'margin-right'?: string;
  'margin-top'?: string;
  'margin-bottom'?: string;
  indent?: boolean;
  classoption?: string | string[];
  twoside?: boolean;
  numbersections?: boolean;
  secnumdepth?: number;
  'toc-depth'?: number;
  /** pandoc-crossref's `chapters: true` (figures, tables and equations numbered per chapter); `chapters` itself is the chapter list. */
  chapters_numbering?: boolean;
}

/** The PDF standards the pinned Typst compiler writes, as `thesis.yaml` and `--pdf-standard` name them. */
export const pdfStandards = ['a-1b', 'a-1a', 'a-2b', 'a-2u', 'a-2a', 'a-3b', 'a-3u', 'a-3a', 'a-4', 'a-4f', 'a-4e', 'ua-1'] as const;
export type PdfStandardName = (typeof pdfStandards)[number];

/** Standards whose conformance asks for a tagged, accessible PDF, where every image needs a text alternative. */
export const accessibleStandards: ReadonlySet<string> = new Set(['a-1a', 'a-2a', 'a-3a', 'ua-1']);

export const defaultConfig: Omit<ThesisConfig, 'title' | 'author' | 'chapters' | 'bibliography'> = {
  appendices: [],
  lang: 'en-US',
  csl: 'apa',
  nocite: [],
  keywords: [],
  abstract: [],
  lof: false,
  lot: false,
  glossary: {},
  template: 'thesis',
  loa: false,
  toc: true,
  'link-citations': true,
  milestones: [],
};

const languageTag = { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$', description: 'a language tag such as en-US or de-AT' };
const stringOrList = (what: string) => ({ anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: `${what}, or a list of them` });

/** The glossary's terms by key, in thesis.yaml or in a YAML file of their own. */
export const glossaryEntriesSchema = {
  type: 'object',
  propertyNames: { pattern: '^[A-Za-z][\\w-]*$' },
  additionalProperties: {
    type: 'object',
    additionalProperties: false,
    required: ['short', 'long'],
    properties: {
      short: { type: 'string', minLength: 1 },
      long: { type: 'string', minLength: 1 },
      'short-plural': { type: 'string' },
      'long-plural': { type: 'string' },
      description: { type: 'string' },
    },
  },
} as const;

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1 },
    subtitle: { type: 'string' },
    author: { type: 'string', minLength: 1 },
    course: { type: 'string' },
    semester: { type: ['string', 'number'] },
    type: { type: 'string' },
    institution: { type: 'string' },
    // Pandoc's name for it (its LaTeX and Beamer templates read `institute`); one alias of the other.
    institute: stringOrList('the institution'),
    supervisor: { type: 'string' },
    // `date: 2024` as a user writes it is a number to YAML.
    date: { type: ['string', 'number'] },
    lang: languageTag,
    csl: { type: 'string', minLength: 1 },
    bibliography: stringOrList('a .bib, CSL-JSON or CSL YAML file'),
    // Pandoc's `references:`: CSL items written in the metadata, read as a bibliography of their own.
    references: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: ['string', 'number'] } } }, description: 'a list of CSL items, each with an `id`' },
    // The chapter list; `true` is pandoc-crossref's `chapters` (figures numbered per chapter), the chapters then found in thesis/.
    chapters: { anyOf: [{ type: 'array', items: { type: 'string', minLength: 1 } }, { type: 'boolean' }], description: 'a list of chapter files in thesis/ (or pandoc-crossref\'s `true`: figures numbered per chapter)' },
    appendices: { type: 'array', items: { type: 'string', minLength: 1 } },
    nocite: stringOrList('a citation key ("@*" for all)'),
    toc: { type: 'boolean' },
    'link-citations': { type: 'boolean' },
    'reference-section-title': { type: 'string' },
    words: {
      type: 'object',
      additionalProperties: false,
      properties: { min: { type: 'integer', minimum: 0 }, max: { type: 'integer', minimum: 1 }, appendices: { type: 'boolean' } },
    },
    'key-pattern': { type: 'string', minLength: 1 },
    keywords: stringOrList('a keyword'),
    'pdf-standard': { type: 'string', enum: pdfStandards },
    abstract: {
      anyOf: [
        { type: 'string' },
        {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['text'],
            properties: { text: { type: 'string' }, lang: languageTag, title: { type: 'string' } },
          },
        },
      ],
      description: 'Markdown text, a file in thesis/, or a list of abstracts each with its `text` and `lang`',
    },
    acknowledgements: { type: 'string' },
    dedication: { type: 'string' },
    preface: { type: 'string' },
    declaration: { type: ['boolean', 'string'] },
    place: { type: 'string' },
    lof: { type: 'boolean' },
    lot: { type: 'boolean' },
    loa: { type: 'boolean' },
    glossary: {
      anyOf: [{ type: 'string', pattern: '\\.ya?ml$', description: 'a YAML file (name.yaml) in thesis/' }, glossaryEntriesSchema],
      description: 'a map of terms (`key: { short: …, long: … }`) or a YAML file in thesis/ holding one',
    },
    template: { type: 'string', minLength: 1 },
    raw: { type: 'boolean' },
    fontsize: { type: ['string', 'number'] },
    linestretch: { type: ['number', 'string'] },
    mainfont: { type: 'string', minLength: 1 },
    sansfont: { type: 'string', minLength: 1 },
    monofont: { type: 'string', minLength: 1 },
    papersize: { type: 'string', minLength: 1 },
    geometry: stringOrList('geometry options such as margin=2.5cm'),
    'margin-left': { type: 'string' },
    'margin-right': { type: 'string' },
    'margin-top': { type: 'string' },
    'margin-bottom': { type: 'string' },
    indent: { type: 'boolean' },
    classoption: stringOrList('a document class option such as twoside'),
    twoside: { type: 'boolean' },
    numbersections: { type: 'boolean' },
    secnumdepth: { type: 'integer', minimum: 0, maximum: 6 },
    'toc-depth': { type: 'integer', minimum: 1, maximum: 6 },
    'reference-doc': { type: 'string', pattern: '\\.(docx|odt)$', description: 'a .docx (or .odt) file in the project whose styles the Word output takes' },
    milestones: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'due', 'chapters'],
        properties: {
          title: { type: 'string', minLength: 1 },
          due: { type: 'string' },
          chapters: { type: 'array', items: { type: 'string' } },
          status: { type: 'string' },
          words: { type: 'boolean' },
          cite: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
} as const;
