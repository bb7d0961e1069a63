// Pandoc's document model as its JSON form (pandoc-types 1.23, what
// `pandoc -t json` writes and `-f json` reads), for the outputs Pandoc
// writes from our parsed and resolved thesis: Word, HTML, ODT, EPUB.
// Only what the export writer builds is typed here.

/** The pandoc-types version of the pinned pandoc-wasm (Pandoc 3.10); a test compares it with `pandoc -t json`. */
export const PANDOC_API_VERSION = [1, 23, 1, 2];

/** Identifier, classes, key-value pairs. */
export type Attr = [string, string[], [string, string][]];

export const noAttr = (): Attr => ['', [], []];

export type Target = [string, string];

export type Inline =
  | { t: 'Str'; c: string }
  | { t: 'Space' }
  | { t: 'SoftBreak' }
  | { t: 'LineBreak' }
  | { t: 'Emph' | 'Strong' | 'Underline' | 'Strikeout' | 'Superscript' | 'Subscript' | 'SmallCaps'; c: Inline[] }
  | { t: 'Quoted'; c: [{ t: 'SingleQuote' | 'DoubleQuote' }, Inline[]] }
  | { t: 'Code'; c: [Attr, string] }
  | { t: 'Math'; c: [{ t: 'InlineMath' | 'DisplayMath' }, string] }
  | { t: 'RawInline'; c: [string, string] }
  | { t: 'Link'; c: [Attr, Inline[], Target] }
  | { t: 'Image'; c: [Attr, Inline[], Target] }
  | { t: 'Note'; c: Block[] }
  | { t: 'Span'; c: [Attr, Inline[]] };

export type ListAttributes = [number, { t: 'DefaultStyle' | 'Decimal' | 'LowerRoman' | 'UpperRoman' | 'LowerAlpha' | 'UpperAlpha' | 'Example' }, { t: 'DefaultDelim' | 'Period' | 'OneParen' | 'TwoParens' }];

export type Alignment = { t: 'AlignLeft' | 'AlignRight' | 'AlignCenter' | 'AlignDefault' };
export type ColWidth = { t: 'ColWidth'; c: number } | { t: 'ColWidthDefault' };
/** Attr, alignment, row span, column span, content. */
export type Cell = [Attr, Alignment, number, number, Block[]];
export type Row = [Attr, Cell[]];
export type Caption = [Inline[] | null, Block[]];

export type Block =
  | { t: 'Plain' | 'Para'; c: Inline[] }
  | { t: 'LineBlock'; c: Inline[][] }
  | { t: 'CodeBlock'; c: [Attr, string] }
  | { t: 'RawBlock'; c: [string, string] }
  | { t: 'BlockQuote'; c: Block[] }
  | { t: 'OrderedList'; c: [ListAttributes, Block[][]] }
  | { t: 'BulletList'; c: Block[][] }
  | { t: 'DefinitionList'; c: [Inline[], Block[][]][] }
  | { t: 'Header'; c: [number, Attr, Inline[]] }
  | { t: 'HorizontalRule' }
  | { t: 'Table'; c: [Attr, Caption, [Alignment, ColWidth][], [Attr, Row[]], [Attr, number, Row[], Row[]][], [Attr, Row[]]] }
  | { t: 'Figure'; c: [Attr, Caption, Block[]] }
  | { t: 'Div'; c: [Attr, Block[]] };

export type MetaValue =
  | { t: 'MetaString'; c: string }
  | { t: 'MetaBool'; c: boolean }
  | { t: 'MetaInlines'; c: Inline[] }
  | { t: 'MetaBlocks'; c: Block[] }
  | { t: 'MetaList'; c: MetaValue[] }
  | { t: 'MetaMap'; c: Record<string, MetaValue> };

export interface PandocDocument {
  'pandoc-api-version': number[];
  meta: Record<string, MetaValue>;
  blocks: Block[];
}

/**
 * Text as Pandoc's readers split it: words as `Str`, runs of spaces as one
 * `Space`, line ends as `SoftBreak`. A no-break space stays inside its word.
 */
export function textInlines(text: string): Inline[] {
  const out: Inline[] = [];
  for (const part of text.split(/([ \t]*\n[ \t]*|[ \t]+)/)) {
    if (part === '') continue;
    if (/^[ \t]*\n[ \t]*$/.test(part)) out.push({ t: 'SoftBreak' });
    else if (/^[ \t]+$/.test(part)) out.push({ t: 'Space' });
    else out.push({ t: 'Str', c: part });
  }
  return out;
}

/** Adjacent `Str`s joined, as Pandoc keeps them (a word split over two nodes is one word). */
export function mergeStrings(inlines: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const inline of inlines) {
    const last = out[out.length - 1];
    if (inline.t === 'Str' && last?.t === 'Str') out[out.length - 1] = { t: 'Str', c: last.c + inline.c };
    else out.push(inline);
  }
  return out;
}

/** The plain text of inlines (for alt texts and messages). */
export function inlineText(inlines: readonly Inline[]): string {
  return inlines
    .map((inline) => {
      switch (inline.t) {
        case 'Str':
          return inline.c;
        case 'Space':
        case 'SoftBreak':
        case 'LineBreak':
          return ' ';
        case 'Code':
        case 'Math':
          return inline.c[1];
        case 'Quoted':
          return inlineText(inline.c[1]);
        case 'Link':
        case 'Image':
        case 'Span':
          return inlineText(inline.c[1]);
        case 'Note':
        case 'RawInline':
          return '';
        default:
          return inlineText(inline.c);
      }
    })
    .join('');
}

/**
 * Whether a link may be followed from the Word or HTML output: a URL with a
 * scheme that runs code when clicked (`javascript:`, `vbscript:`, `data:`),
 * from a chapter or a bibliography field, is kept as text instead.
 */
export function safeLinkTarget(url: string): boolean {
  return !/^\s*(?:javascript|vbscript|data):/i.test(url.replace(/[\u0000-\u001f]/g, ''));
}
