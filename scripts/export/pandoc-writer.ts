// The parsed and resolved thesis as Pandoc's document model, for the
// outputs Pandoc writes (Word, HTML, ODT, EPUB). It mirrors the Typst
// writer (render/handlers/) node type by node type, but what Typst works out
// while typesetting is settled here: citations are the format step's rich
// text (rich-text-pandoc.ts), cross-references print the PDF's numbers
// (numbering.ts), headings, figures and tables carry their numbers, glossary
// terms their first-use and later forms. What a Pandoc output cannot hold
// is a positioned warning, never dropped silently.
import type { Definition, FootnoteDefinition, Nodes, PhrasingContent, RootContent, TableCell } from 'mdast';
import { diagnostic, type Diagnostic, type RuleId } from '../core/diagnostics.js';
import { smartPunctuation } from '../core/typography.js';
import { leftOutMessage } from '../parse/latex-blocks.js';
import { languageOf } from '../core/language.js';
import type { GlossaryEntry } from '../read/config-schema.js';
import { figureBody, figureCaption } from '../parse/labels.js';
import { glossaryForms } from '../parse/glossary-terms.js';
import { isRemote } from '../resolve/images.js';
import type { RichText } from '../format/rich-text.js';
import { richTextToPandoc } from './rich-text-pandoc.js';
import type { ThesisNumbers } from './numbering.js';
import { inlineText, mergeStrings, noAttr, textInlines, type Alignment, type Attr, type Block, type Cell, type Inline, type ListAttributes, type Row, safeLinkTarget } from './pandoc-ast.js';

export interface ExportContext {
  /** Our formatted citations, by citation id. */
  citations: Map<string, RichText>;
  numbers: ThesisNumbers;
  glossary: Record<string, GlossaryEntry>;
  /** Expands the thesis's own math macros (`\newcommand`) in a formula, as Pandoc's reader does. */
  expandMath(tex: string): string;
  /** The HTML id of a reference entry from its key. */
  referenceAnchor(key: string): string;
  /** An image the thesis links to, as the file Pandoc is given (project-relative), or null when it is missing or remote. */
  imageFile(chapterFile: string, url: string): string | null;
  /** The reference list's blocks, for a `{#refs}` div that places it. */
  referenceList: Block[];
  /** The thesis's language, whose quotation marks straight quotes become. */
  lang: string;
  /** Whether raw blocks (```{=html}, raw HTML) go into the output: not for a thesis built with `--no-raw`. */
  raw: boolean;
}

/**
 * Straight quotes as Pandoc's `smart` reading and Typst's smart quotes set
 * them: opening after a space or an opening bracket, closing otherwise; an
 * apostrophe between letters stays one.
 */
export function smartQuotes(text: string, lang: string): string {
  if (!/["']/.test(text)) return text;
  const [openDouble, closeDouble, openSingle, closeSingle] = languageOf(lang).quotationMarks;
  return text.replace(/["']/g, (quote, offset: number) => {
    const before = offset === 0 ? '' : text[offset - 1];
    if (quote === "'" && /[\p{L}\p{N}]/u.test(before)) return '\u2019';
    const opening = before === '' || /[\s([{\u2014\u2013/-]/.test(before);
    if (quote === '"') return opening ? openDouble : closeDouble;
    return opening ? openSingle : closeSingle;
  });
}

type Out = (Block | Inline)[];
type Handlers = { [Type in Nodes['type']]: (node: Extract<Nodes, { type: Type }>, writer: PandocWriter) => Out };

const blockTypes = new Set(['Plain', 'Para', 'LineBlock', 'CodeBlock', 'RawBlock', 'BlockQuote', 'OrderedList', 'BulletList', 'DefinitionList', 'Header', 'HorizontalRule', 'Table', 'Figure', 'Div']);
const isBlock = (node: Block | Inline): node is Block => blockTypes.has(node.t);

/** Pandoc's attributes from ours (`{#id .class key=value}`). */
function attrOf(attributes: { id?: string; classes: string[]; keyValues: Record<string, string> } | undefined): Attr {
  if (!attributes) return noAttr();
  return [attributes.id ?? '', attributes.classes, Object.entries(attributes.keyValues)];
}

export class PandocWriter {
  readonly diagnostics: Diagnostic[] = [];
  readonly footnotes = new Map<string, FootnoteDefinition>();
  readonly definitions = new Map<string, Definition>();
  private readonly writtenNotes = new Set<string>();

  constructor(
    readonly file: string,
    readonly context: ExportContext,
  ) {}

  warn(rule: RuleId, message: string, node?: { position?: { start: { line: number; column: number } } }): void {
    this.diagnostics.push(diagnostic(rule, message, { file: this.file, line: node?.position?.start.line ?? 1, column: node?.position?.start.column ?? 1 }));
  }

  blocks(nodes: readonly (RootContent | Nodes)[]): Block[] {
    const out: Block[] = [];
    let loose: Inline[] = [];
    for (const node of nodes) {
      for (const written of handlers[node.type](node as never, this)) {
        if (isBlock(written)) {
          if (loose.length) out.push({ t: 'Plain', c: mergeStrings(loose) });
          loose = [];
          out.push(written);
        } else loose.push(written);
      }
    }
    if (loose.length) out.push({ t: 'Plain', c: mergeStrings(loose) });
    return out;
  }

  inlines(nodes: readonly (PhrasingContent | Nodes)[]): Inline[] {
    const out: Inline[] = [];
    for (const node of nodes) {
      for (const written of handlers[node.type](node as never, this)) {
        // A block where only text can go (a note's paragraph in a table cell): its text.
        if (isBlock(written)) out.push(...blockText(written));
        else out.push(written);
      }
    }
    return mergeStrings(out);
  }

  /** Text as Pandoc's `smart` reader and the PDF set it: dashes, ellipses and quotation marks. */
  text(value: string): Inline[] {
    return textInlines(smartQuotes(smartPunctuation(value), this.context.lang));
  }

  footnote(identifier: string): Inline[] | null {
    const definition = this.footnotes.get(identifier);
    if (!definition) return null;
    const note: Inline = { t: 'Note', c: this.blocks(definition.children) };
    this.writtenNotes.add(identifier);
    return [note];
  }
}

function blockText(block: Block): Inline[] {
  switch (block.t) {
    case 'Plain':
    case 'Para':
      return block.c;
    default:
      return [];
  }
}

const numberedHeading = (number: string | undefined, content: Inline[]): Inline[] => (number ? [{ t: 'Str', c: number }, { t: 'Space' }, ...content] : content);

/** The Typst numbering pattern of a Pandoc list (`a)`, `(i)`, `A.`) back to Pandoc's list attributes. */
function listAttributes(start: number, numbering: string | undefined, example: boolean): ListAttributes {
  if (example) return [start, { t: 'Example' }, { t: 'TwoParens' }];
  if (!numbering) return [start, { t: 'DefaultStyle' }, { t: 'DefaultDelim' }];
  const style = /a/.test(numbering) ? 'LowerAlpha' : /A/.test(numbering) ? 'UpperAlpha' : /i/.test(numbering) ? 'LowerRoman' : /I/.test(numbering) ? 'UpperRoman' : 'Decimal';
  const delim = numbering.startsWith('(') ? 'TwoParens' : numbering.endsWith(')') ? 'OneParen' : 'Period';
  return [start, { t: style }, { t: delim }];
}

const align = (value: string | null | undefined): Alignment => ({ t: value === 'left' ? 'AlignLeft' : value === 'right' ? 'AlignRight' : value === 'center' ? 'AlignCenter' : 'AlignDefault' });

function tableBlock(node: Extract<Nodes, { type: 'table' }>, writer: PandocWriter, caption: Inline[] | null, attr: Attr): Block {
  const rows = node.children;
  const columns = node.align?.length ?? Math.max(...rows.map((row) => row.children.length));
  const widths = node.data?.widths?.length === columns ? node.data.widths : undefined;
  const cell = (cell: TableCell, column: number): Cell => [noAttr(), align(node.align?.[column]), cell.data?.rowspan ?? 1, cell.data?.colspan ?? 1, cellContent(cell, writer)];
  const row = (cells: TableCell[]): Row => [noAttr(), cells.map(cell)];
  const headerRows = node.data?.headerRows ?? 1;
  const footerRows = node.data?.footerRows ?? 0;
  const head = rows.slice(0, headerRows).map((r) => row(r.children));
  const body = rows.slice(headerRows, rows.length - footerRows).map((r) => row(r.children));
  const foot = rows.slice(rows.length - footerRows).map((r) => row(r.children));
  return {
    t: 'Table',
    c: [
      attr,
      [null, caption ? [{ t: 'Plain', c: caption }] : []],
      Array.from({ length: columns }, (_, i) => [align(node.align?.[i]), widths ? { t: 'ColWidth', c: widths[i] } : { t: 'ColWidthDefault' }]),
      [noAttr(), head],
      [[noAttr(), 0, [], body]],
      [noAttr(), foot],
    ],
  };
}

function cellContent(cell: TableCell, writer: PandocWriter): Block[] {
  const blocks = cell.children.filter((child) => child.type === 'cellBlocks');
  if (blocks.length) return blocks.flatMap((child) => writer.blocks((child as Extract<Nodes, { type: 'cellBlocks' }>).children));
  const inlines = writer.inlines(cell.children);
  return inlines.length ? [{ t: 'Plain', c: inlines }] : [];
}

function imageInline(node: { url: string; alt?: string | null; position?: Nodes['position'] }, writer: PandocWriter, options: { width?: string; height?: string; alt?: string; caption?: Inline[] } = {}): Inline {
  const file = writer.context.imageFile(writer.file, node.url);
  const keyValues: [string, string][] = [];
  if (options.width) keyValues.push(['width', options.width]);
  if (options.height) keyValues.push(['height', options.height]);
  const alt = options.alt ?? node.alt ?? '';
  if (!file) {
    // The PDF build reported it (resolve/images.ts); a missing image is a visible placeholder here too.
    if (!isRemote(node.url)) return { t: 'Span', c: [['', ['image-missing'], []], writer.text(`missing image: ${node.url}`)] };
    return { t: 'Image', c: [['', [], keyValues], alt ? writer.text(alt) : options.caption ?? [], [node.url, '']] };
  }
  return { t: 'Image', c: [['', [], keyValues], alt ? writer.text(alt) : options.caption ?? [], [file, '']] };
}

/**
 * The images raw HTML shows (`<img src="figures/x.png">`): a file of the
 * project is given to Pandoc as the Markdown images are, under the name it is
 * given by; any other (outside the project, missing, not a file) is left out
 * with a warning at its line. Pandoc, asked to embed what the page shows,
 * failed the whole export on one it could not read.
 */
function withHtmlImagesGiven(html: string, node: { position?: Nodes['position'] }, writer: PandocWriter): string {
  return html.replace(/<img\b[^>]*>/gi, (tag) => {
    const source = /\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(tag);
    const url = source ? (source[1] ?? source[2] ?? source[3] ?? '') : '';
    if (url === '' || /^data:/i.test(url)) return tag;
    if (isRemote(url)) return tag;
    const given = writer.context.imageFile(writer.file, url);
    if (!given) {
      writer.warn('image-missing', `the raw HTML image "${url}" is not a file of the project; it is left out of this output`, node);
      return '';
    }
    return tag.replace(source![0], ` src="${given}"`);
  });
}

const handlers: Handlers = {
  root: (node, w) => w.blocks(node.children),
  yaml: () => [],
  definition: () => [],
  footnoteDefinition: () => [],
  paragraph: (node, w) => {
    const inlines = w.inlines(node.children);
    return inlines.length ? [{ t: 'Para', c: inlines }] : [];
  },
  heading: (node, w) => {
    const id = node.data?.label ?? node.data?.autoId ?? '';
    const content = w.inlines(node.children);
    return [{ t: 'Header', c: [node.depth, [id, node.data?.unnumbered ? ['unnumbered'] : [], []], numberedHeading(w.context.numbers.headings.get(node), content)] }];
  },
  thematicBreak: () => [{ t: 'HorizontalRule' }],
  rawLatexBlock: (node, w) => {
    w.warn('raw-latex-ignored', leftOutMessage(node), node);
    return [];
  },
  blockquote: (node, w) => [{ t: 'BlockQuote', c: w.blocks(node.children) }],
  list: (node, w) => {
    const items = node.children.map((item) => w.blocks(item.children).map((block, index) => {
      // A task item's box, as Pandoc's task_lists writes it.
      if (index === 0 && item.checked !== null && item.checked !== undefined && (block.t === 'Plain' || block.t === 'Para')) return { ...block, c: [{ t: 'Str', c: item.checked ? '☒' : '☐' } as Inline, { t: 'Space' } as Inline, ...block.c] };
      return block;
    }));
    // A tight list's paragraphs are plain, as Pandoc reads them.
    const tight = items.map((blocks) => (node.spread ? blocks : blocks.map((block): Block => (block.t === 'Para' ? { t: 'Plain', c: block.c } : block))));
    if (!node.ordered) return [{ t: 'BulletList', c: tight }];
    return [{ t: 'OrderedList', c: [listAttributes(node.start ?? 1, node.data?.numbering, !!node.data?.example), tight] }];
  },
  listItem: (node, w) => w.blocks(node.children),
  code: (node, w) => {
    if (node.lang === '{=typst}') {
      w.warn('node-unsupported', 'this ```{=typst} block is for the PDF; it is left out of this output', node);
      return [];
    }
    const raw = /^\{=([\w-]+)\}$/.exec(node.lang ?? '');
    // Pandoc passes a raw block to the output it is for and leaves it out of the others.
    if (raw && !w.context.raw) {
      w.warn('raw-typst-refused', `this \`\`\`{=${raw[1]}} block is left out: raw blocks are switched off (--no-raw, or raw: false in thesis.yaml)`, node);
      return [];
    }
    if (raw) return [{ t: 'RawBlock', c: [raw[1].toLowerCase(), node.value] }];
    return [{ t: 'CodeBlock', c: [['', node.lang ? [node.lang.replace(/^\{?\.?|\}$/g, '')] : [], []], node.value] }];
  },
  html: (node, w) => {
    if (/^<!--[\s\S]*-->$/.test(node.value.trim())) return [];
    // Raw HTML could carry a script into the HTML output: not from a thesis built with `--no-raw`.
    if (!w.context.raw) {
      w.warn('html-ignored', 'raw HTML is left out: raw blocks are switched off (--no-raw, or raw: false in thesis.yaml)', node);
      return [];
    }
    return [{ t: 'RawInline', c: ['html', withHtmlImagesGiven(node.value, node, w)] }];
  },
  math: (node, w) => displayEquation(node.value, w.context.numbers.equations.get(node), (node.data as { label?: string } | undefined)?.label, w),
  displayMath: (node, w) => displayEquation(node.value, w.context.numbers.equations.get(node), node.label, w),
  inlineMath: (node, w) => [{ t: 'Math', c: [{ t: 'InlineMath' }, w.context.expandMath(node.value)] }],
  div: (node, w) => {
    // A `{#refs}` div places the reference list, as in Pandoc.
    if (node.attributes.id === 'refs') return [{ t: 'Div', c: [attrOf(node.attributes), [...w.blocks(node.children), ...w.context.referenceList]] }];
    return [{ t: 'Div', c: [attrOf(node.attributes), w.blocks(node.children)] }];
  },
  lineBlock: (node, w) => [{ t: 'LineBlock', c: node.children.map((line) => w.inlines(line.children)) }],
  line: (node, w) => w.inlines(node.children),
  defList: (node, w) => {
    const items: [Inline[], Block[][]][] = [];
    for (const child of node.children) {
      if (child.type === 'defListTerm') items.push([w.inlines(child.children), []]);
      else if (items.length > 0) items[items.length - 1][1].push(w.blocks(child.children));
    }
    return [{ t: 'DefinitionList', c: items }];
  },
  defListTerm: (node, w) => w.inlines(node.children),
  defListDescription: (node, w) => w.blocks(node.children),
  table: (node, w) => [tableBlock(node, w, null, [node.data && 'label' in node.data ? String((node.data as { label?: string }).label ?? '') : '', [], []])],
  tableRow: (node, w) => node.children.flatMap((cell) => w.inlines(cell.children)),
  tableCell: (node, w) => w.inlines(node.children),
  cellBlocks: (node, w) => w.blocks(node.children),
  figure: (node, w) => {
    const body = figureBody(node);
    const numbered = w.context.numbers.figures.get(node);
    const captionText = w.inlines(figureCaption(node));
    // The caption carries its number, as the PDF prints it: "Figure 3: …".
    const caption: Inline[] = numbered ? [{ t: 'Str', c: `${numbered.supplement}\u00a0${numbered.number}:` }, ...(captionText.length ? [{ t: 'Space' } as Inline, ...captionText] : [])] : captionText;
    const attr: Attr = [node.label ?? '', [], []];
    if (body.type === 'table') return [tableBlock(body, w, caption, attr)];
    if (body.type === 'code') return [{ t: 'Figure', c: [attr, [null, [{ t: 'Plain', c: caption }]], handlers.code(body, w) as Block[]] }];
    const definition = body.type === 'imageReference' ? w.definitions.get(body.identifier) : undefined;
    const image = body.type === 'imageReference' ? { url: definition?.url ?? '', alt: body.alt, position: body.position } : body;
    const picture = imageInline(image, w, { width: node.width, height: node.height, alt: node.alt ?? (image.alt || inlineText(captionText)) });
    return [{ t: 'Figure', c: [attr, [null, [{ t: 'Plain', c: caption }]], [{ t: 'Plain', c: [picture] }]] }];
  },
  caption: (node, w) => w.inlines(node.children),
  text: (node, w) => w.text(node.value),
  emphasis: (node, w) => [{ t: 'Emph', c: w.inlines(node.children) }],
  strong: (node, w) => [{ t: 'Strong', c: w.inlines(node.children) }],
  delete: (node, w) => [{ t: 'Strikeout', c: w.inlines(node.children) }],
  superscript: (node, w) => [{ t: 'Superscript', c: w.inlines(node.children) }],
  subscript: (node, w) => [{ t: 'Subscript', c: w.inlines(node.children) }],
  span: (node, w) => [{ t: 'Span', c: [attrOf(node.attributes), w.inlines(node.children)] }],
  break: () => [{ t: 'LineBreak' }],
  inlineCode: (node) => [{ t: 'Code', c: [noAttr(), node.value.replace(/\r?\n/g, ' ')] }],
  link: (node, w) => {
    const content = w.inlines(node.children);
    if (!safeLinkTarget(node.url)) {
      w.warn('attribute-ignored', `a link to "${node.url.slice(0, 40)}" would run code when clicked: it is kept as text in this output`, node);
      return content.length ? content : w.text(node.url);
    }
    return [{ t: 'Link', c: [noAttr(), content.length ? content : w.text(node.url), [node.url, node.title ?? '']] }];
  },
  linkReference: (node, w) => {
    const definition = w.definitions.get(node.identifier);
    if (!definition) return [...w.text('['), ...w.inlines(node.children), ...w.text(']')];
    return handlers.link({ type: 'link', url: definition.url, title: definition.title, children: node.children, position: node.position }, w);
  },
  image: (node, w) => [imageInline(node, w)],
  imageReference: (node, w) => {
    const definition = w.definitions.get(node.identifier);
    if (!definition) return w.text(`![${node.alt ?? ''}]`);
    return [imageInline({ url: definition.url, alt: node.alt, position: node.position }, w)];
  },
  footnoteReference: (node, w) => {
    const note = w.footnote(node.identifier);
    if (note) return note;
    w.warn('footnote-undefined', `footnote [^${node.label ?? node.identifier}] has no definition; add a line \`[^${node.label ?? node.identifier}]: …\``, node);
    return w.text(`[^${node.label ?? node.identifier}]`);
  },
  cite: (node, w) => {
    if (node.data?.exampleNumber !== undefined) return [{ t: 'Str', c: String(node.data.exampleNumber) }];
    // In a note style, a citation in running text comes formatted as a footnote, as in the PDF.
    const inlines = richTextToPandoc(w.context.citations.get(node.data?.citationId ?? '') ?? [], w.context.referenceAnchor);
    return [{ t: 'Span', c: [['', ['citation'], [['data-cites', node.items.map((item) => item.key).join(' ')]]], inlines] }];
  },
  citeKey: (node, w) => w.text('@' + node.key),
  crossref: (node, w) => {
    const label = node.label.charAt(0).toLowerCase() + node.label.slice(1);
    const numbered = w.context.numbers.labels.get(label);
    if (!numbered) return [{ t: 'Strong', c: w.text(`??${node.label}`) }];
    const text = node.numberOnly === 'eqref' ? `(${numbered.number})` : node.numberOnly ? numbered.number : numbered.reference;
    // "Figure 3" never breaks between the word and the number, as in the PDF.
    return [{ t: 'Link', c: [noAttr(), [{ t: 'Str', c: text.replace(/ /g, '\u00a0') }], [`#${label}`, '']] }];
  },
  glossaryTerm: (node, w) => {
    const entry = w.context.glossary[node.key];
    if (!entry) return w.text(`[+${node.key}]${node.plural ? 's' : ''}`);
    const { long, short, later } = glossaryForms(node, entry);
    const text = node.data?.first ? `${long} (${short})` : later;
    return [{ t: 'Span', c: [[node.data?.first ? `gls-${node.key}` : '', ['glossary-term'], []], w.text(text)] }];
  },
  rawLatex: (node, w) => {
    // The text commands keep their text; layout commands mean nothing outside the PDF.
    const content = w.inlines(node.children);
    const name = node.command.replace(/\*$/, '');
    switch (name) {
      case 'textbf':
        return [{ t: 'Strong', c: content }];
      case 'emph':
      case 'textit':
        return [{ t: 'Emph', c: content }];
      case 'underline':
        return [{ t: 'Underline', c: content }];
      case 'textsc':
        return [{ t: 'SmallCaps', c: content }];
      case 'footnote':
        return [{ t: 'Note', c: [{ t: 'Para', c: content }] }];
    }
    if (content.length) return content;
    // Pandoc keeps raw TeX for LaTeX output only: Word and HTML leave it out, as here.
    return [{ t: 'RawInline', c: ['tex', node.value] }];
  },
};

/** A display formula, with its number after it when it is labelled, as in the PDF. */
function displayEquation(tex: string, number: string | undefined, label: string | undefined, w: PandocWriter): Out {
  const math: Inline = { t: 'Math', c: [{ t: 'DisplayMath' }, w.context.expandMath(tex)] };
  const inlines: Inline[] = number ? [math, { t: 'Space' }, { t: 'Str', c: number }] : [math];
  return [label ? { t: 'Div', c: [[label, ['equation'], []], [{ t: 'Para', c: inlines }]] } : { t: 'Para', c: inlines }];
}

/** The footnotes and link definitions of a chapter, which the writer looks up as it meets their references. */
export function chapterWriter(file: string, tree: { children: RootContent[] }, context: ExportContext): PandocWriter {
  const writer = new PandocWriter(file, context);
  const walk = (nodes: readonly RootContent[]) => {
    for (const node of nodes) {
      if (node.type === 'footnoteDefinition' && !writer.footnotes.has(node.identifier)) writer.footnotes.set(node.identifier, node);
      if (node.type === 'definition' && !writer.definitions.has(node.identifier)) writer.definitions.set(node.identifier, node);
      if ('children' in node) walk(node.children as RootContent[]);
    }
  };
  walk(tree.children);
  return writer;
}
