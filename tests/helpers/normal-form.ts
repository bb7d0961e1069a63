// One normal form for two syntax trees of the same Markdown: Pandoc's JSON
// AST and our mdast. Each block becomes one line of text that says what it
// is and what it holds (`p: A _(word)` for a paragraph with an emphasised
// word), so the two trees can be compared block by block and, inside the
// blocks, token by token. What the normal form leaves out on purpose:
// automatic heading ids (only pandoc-crossref labels are kept), the
// difference between Plain and Para (tight lists), curly and straight
// quotes (Typst sets quotes for the document's language), and how a
// citation is rendered (only its keys).
import { smartPunctuation } from '../../scripts/core/typography.js';
import type { Definition, FootnoteDefinition, Nodes, PhrasingContent, Root, RootContent } from 'mdast';

/* ---------------------------------------------------------------- Pandoc */

interface PandocNode {
  t: string;
  c?: unknown;
}

type Attr = [string, string[], [string, string][]];

const crossrefId = /^(sec|fig|tbl|eq|lst):/;

function text(value: string): string {
  return value.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ');
}

function attrPart([id, classes]: Attr): string {
  return `${crossrefId.test(id) ? `#${id}` : ''}${classes.map((c) => `.${c}`).join('')}`;
}

export function pandocInlines(nodes: PandocNode[]): string {
  return nodes.map(pandocInline).join('').replace(/ +/g, ' ').trim();
}

function pandocInline(node: PandocNode): string {
  const c = node.c as never;
  switch (node.t) {
    case 'Str':
      return text(c);
    case 'Space':
    case 'SoftBreak':
      return ' ';
    case 'LineBreak':
      return '⏎';
    case 'Emph':
      return `_(${pandocInlines(c)})`;
    case 'Strong':
      return `*(${pandocInlines(c)})`;
    case 'Strikeout':
      return `~~(${pandocInlines(c)})`;
    case 'Superscript':
      return `^(${pandocInlines(c)})`;
    case 'Subscript':
      return `~(${pandocInlines(c)})`;
    case 'SmallCaps':
      // Pandoc reads [x]{.smallcaps} as SmallCaps; so is our span with that class.
      return `span.smallcaps(${pandocInlines(c)})`;
    case 'Underline':
      return `span.underline(${pandocInlines(c)})`;
    case 'Quoted': {
      const [kind, inner] = c as [PandocNode, PandocNode[]];
      const quote = kind.t === 'DoubleQuote' ? '"' : "'";
      return `${quote}${pandocInlines(inner)}${quote}`;
    }
    case 'Code':
      return `\`${(c as [Attr, string])[1]}\``;
    case 'Math': {
      const [kind, tex] = c as [PandocNode, string];
      return kind.t === 'DisplayMath' ? `$$${tex.trim()}$$` : `$${tex.trim()}$`;
    }
    case 'RawInline':
      return `raw(${(c as [string, string])[1]})`;
    case 'Link': {
      const [, inner, [url]] = c as [Attr, PandocNode[], [string, string]];
      return `[${pandocInlines(inner)}](${url})`;
    }
    case 'Image': {
      const [, inner, [url]] = c as [Attr, PandocNode[], [string, string]];
      return `![${pandocInlines(inner)}](${url})`;
    }
    case 'Cite': {
      const [citations] = c as [{ citationId: string }[], PandocNode[]];
      return `@(${citations.map((citation) => citation.citationId).join(';')})`;
    }
    case 'Note':
      return `note(${pandocBlocks(c).join(' | ')})`;
    case 'Span': {
      const [attr, inner] = c as [Attr, PandocNode[]];
      return `span${attrPart(attr)}(${pandocInlines(inner)})`;
    }
    default:
      return `?${node.t}`;
  }
}

export function pandocBlocks(nodes: PandocNode[]): string[] {
  return nodes.map(pandocBlock);
}

function pandocBlock(node: PandocNode): string {
  const c = node.c as never;
  switch (node.t) {
    case 'Para':
    case 'Plain':
      return `p: ${pandocInlines(c)}`;
    case 'Header': {
      const [level, attr, inner] = c as [number, Attr, PandocNode[]];
      return `h${level}${attrPart(attr)}: ${pandocInlines(inner)}`;
    }
    case 'BlockQuote':
      return `quote[${pandocBlocks(c).join(' | ')}]`;
    case 'BulletList':
      return `ul[${(c as PandocNode[][]).map((item) => pandocBlocks(item).join(' | ')).join(' || ')}]`;
    case 'OrderedList': {
      const [[start], items] = c as [[number], PandocNode[][]];
      return `ol(${start})[${items.map((item) => pandocBlocks(item).join(' | ')).join(' || ')}]`;
    }
    case 'CodeBlock': {
      const [attr, code] = c as [Attr, string];
      return `code${attrPart(attr)}: ${code}`;
    }
    case 'RawBlock':
      return `raw(${(c as [string, string])[0]}): ${(c as [string, string])[1].trim()}`;
    case 'HorizontalRule':
      return 'hr';
    case 'Div': {
      const [attr, blocks] = c as [Attr, PandocNode[]];
      return `div${attrPart(attr)}[${pandocBlocks(blocks).join(' | ')}]`;
    }
    case 'DefinitionList':
      return `dl[${(c as [PandocNode[], PandocNode[][]][]).map(([term, definitions]) => `${pandocInlines(term)}: ${definitions.map((d) => pandocBlocks(d).join(' | ')).join(' ; ')}`).join(' || ')}]`;
    case 'LineBlock':
      return `lines[${(c as PandocNode[][]).map(pandocInlines).join(' / ')}]`;
    case 'Figure': {
      const [attr, [, caption], body] = c as [Attr, [unknown, PandocNode[]], PandocNode[]];
      return `figure${attrPart(attr)}[${pandocBlocks(caption).map((b) => b.replace(/^p: /, '')).join(' ')}](${imageUrl(body) ?? '?'})`;
    }
    case 'Table':
      return pandocTable(c);
    default:
      return `?${node.t}`;
  }
}

/** The URL of the first image in a Pandoc subtree. */
function imageUrl(node: unknown): string | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const url = imageUrl(child);
      if (url !== null) return url;
    }
    return null;
  }
  if (node && typeof node === 'object') {
    const element = node as PandocNode;
    if (element.t === 'Image') return (element.c as [Attr, PandocNode[], [string, string]])[2][0];
    return imageUrl(element.c);
  }
  return null;
}

function pandocTable(c: never): string {
  type Cell = [unknown, unknown, number, number, PandocNode[]];
  type Row = [unknown, Cell[]];
  const [attr, [, caption], specs, head, bodies, foot] = c as [Attr, [unknown, PandocNode[]], [PandocNode, PandocNode][], [unknown, Row[]], [unknown, unknown, Row[], Row[]][], [unknown, Row[]]];
  const cell = ([, , rowspan, colspan, blocks]: Cell) => pandocBlocks(blocks).map((b) => b.replace(/^p: /, '')).join(' ') + spanPart(rowspan, colspan);
  const rows = (list: Row[]) => list.map(([, cells]) => cells.map(cell).join(' | ')).join(' / ');
  const align = specs.map(([a]) => ({ AlignLeft: 'L', AlignRight: 'R', AlignCenter: 'C' })[a.t] ?? 'D').join('');
  const widths = specs.map(([, w]) => (w.t === 'ColWidth' ? (w.c as number).toFixed(3) : '-')).join(' ');
  return tableForm(attrPart(attr), pandocBlocks(caption).map((b) => b.replace(/^p: /, '')).join(' '), align, widths, rows(head[1]), rows(bodies.flatMap((body) => [...body[2], ...body[3]])), rows(foot[1]));
}

const spanPart = (rowspan: number, colspan: number) => (rowspan !== 1 || colspan !== 1 ? ` ⟨${rowspan}×${colspan}⟩` : '');

function tableForm(label: string, caption: string, align: string, widths: string, head: string, body: string, foot: string): string {
  return `table${label}[${caption}]{${align} ${widths} | head: ${head} | body: ${body}${foot ? ` | foot: ${foot}` : ''}}`;
}

type PandocRow = [unknown, [unknown, unknown, unknown, unknown, PandocNode[]][]];

/* ----------------------------------------------------------------- ours */


export class OurNormalForm {
  private readonly notes = new Map<string, FootnoteDefinition>();
  private readonly links = new Map<string, Definition>();

  constructor(
    private readonly tree: Root,
    private readonly source: string,
  ) {
    const walk = (node: Nodes) => {
      if (node.type === 'footnoteDefinition') this.notes.set(node.identifier, node);
      if (node.type === 'definition') this.links.set(node.identifier, node);
      if ('children' in node) node.children.forEach((child) => walk(child as Nodes));
    };
    walk(tree);
  }

  blocks(nodes: readonly (RootContent | Nodes)[] = this.tree.children): string[] {
    return nodes.flatMap((node) => this.block(node as Nodes));
  }

  inlines(nodes: readonly PhrasingContent[]): string {
    return nodes.map((node) => this.inline(node)).join('').replace(/ +/g, ' ').trim();
  }

  private block(node: Nodes): string[] {
    switch (node.type) {
      case 'paragraph':
        // A paragraph of raw LaTeX alone is a raw block to Pandoc.
        if (node.children.length > 0 && node.children.every((child) => child.type === 'rawLatex')) return [`raw(tex): ${node.children.map((child) => (child.type === 'rawLatex' ? child.value : '')).join(' ')}`];
        return [`p: ${this.inlines(node.children)}`];
      case 'heading': {
        const label = node.data?.label && crossrefId.test(node.data.label) ? `#${node.data.label}` : '';
        return [`h${node.depth}${label}${node.data?.unnumbered ? '.unnumbered' : ''}: ${this.inlines(node.children)}`];
      }
      case 'blockquote':
        return [`quote[${this.blocks(node.children).join(' | ')}]`];
      case 'list': {
        const items = node.children.map((item) => this.blocks(item.children).join(' | ')).join(' || ');
        return [node.ordered ? `ol(${node.start ?? 1})[${items}]` : `ul[${items}]`];
      }
      case 'code':
        return [node.lang?.startsWith('{=') ? `raw(${node.lang.slice(2, -1)}): ${node.value.trim()}` : `code${node.lang ? `.${node.lang}` : ''}: ${node.value}`];
      case 'html':
        return [`raw(html): ${node.value.trim()}`];
      case 'rawLatexBlock':
        return [`raw(tex): ${node.value}`];
      case 'thematicBreak':
        return ['hr'];
      case 'math':
      case 'displayMath':
        return [`p: $$${node.value.trim()}$$`];
      case 'table':
        return [this.table(node, '', '')];
      case 'figure': {
        const [body, caption] = node.children;
        const label = node.label ? `#${node.label}` : '';
        const captionText = caption?.type === 'caption' ? this.inlines(caption.children) : '';
        if (body.type === 'table') return [this.table(body, label, captionText)];
        const url = body.type === 'image' ? body.url : body.type === 'imageReference' ? this.links.get(body.identifier)?.url : undefined;
        return [`figure${label}[${captionText}](${url ?? '?'})`];
      }
      case 'lineBlock':
        return [`lines[${node.children.map((line) => this.inlines(line.children)).join(' / ')}]`];
      case 'div':
        return [`div${node.attributes.id && crossrefId.test(node.attributes.id) ? `#${node.attributes.id}` : ''}${node.attributes.classes.map((c) => `.${c}`).join('')}[${this.blocks(node.children).join(' | ')}]`];
      case 'defList': {
        const entries: string[] = [];
        for (const child of node.children) {
          if (child.type === 'defListTerm') entries.push(`${this.inlines(child.children)}: `);
          else entries[entries.length - 1] += `${entries[entries.length - 1].endsWith(': ') ? '' : ' ; '}${this.blocks(child.children).join(' | ')}`;
        }
        return [`dl[${entries.join(' || ')}]`];
      }
      case 'footnoteDefinition':
      case 'definition':
      case 'yaml':
        return [];
      default:
        return [`?${node.type}`];
    }
  }

  private table(node: Extract<Nodes, { type: 'table' }>, label: string, caption: string): string {
    const cell = (c: (typeof node.children)[number]['children'][number]) => {
      const [first] = c.children;
      const content = first?.type === 'cellBlocks' ? this.blocks(first.children).map((b) => b.replace(/^p: /, '')).join(' ') : this.inlines(c.children);
      return content + spanPart(c.data?.rowspan ?? 1, c.data?.colspan ?? 1);
    };
    const rows = (list: typeof node.children) => list.map((row) => row.children.map(cell).join(' | ')).join(' / ');
    const headerRows = node.data?.headerRows ?? 1;
    const footerRows = node.data?.footerRows ?? 0;
    const align = (node.align ?? []).map((a) => (a === 'left' ? 'L' : a === 'right' ? 'R' : a === 'center' ? 'C' : 'D')).join('');
    const widths = (node.align ?? []).map((_, k) => node.data?.widths?.[k]?.toFixed(3) ?? '-').join(' ');
    return tableForm(label, caption, align, widths, rows(node.children.slice(0, headerRows)), rows(node.children.slice(headerRows, node.children.length - footerRows)), rows(node.children.slice(node.children.length - footerRows)));
  }

  private inline(node: PhrasingContent): string {
    switch (node.type) {
      case 'text':
        return text(smartPunctuation(node.value));
      case 'emphasis':
        return `_(${this.inlines(node.children)})`;
      case 'strong':
        return `*(${this.inlines(node.children)})`;
      case 'delete':
        return `~~(${this.inlines(node.children)})`;
      case 'superscript':
        return `^(${this.inlines(node.children)})`;
      case 'subscript':
        return `~(${this.inlines(node.children)})`;
      case 'inlineCode':
        return `\`${node.value.replace(/\n/g, ' ')}\``;
      case 'inlineMath': {
        const offset = node.position?.start.offset ?? 0;
        return this.source.slice(offset, offset + 2) === '$$' ? `$$${node.value.trim()}$$` : `$${node.value.trim()}$`;
      }
      case 'break':
        return '⏎';
      case 'html':
        return `raw(${node.value})`;
      case 'link':
        return `[${this.inlines(node.children)}](${node.url})`;
      case 'linkReference': {
        const definition = this.links.get(node.identifier);
        return definition ? `[${this.inlines(node.children)}](${definition.url})` : `[${this.inlines(node.children)}]`;
      }
      case 'image':
        return `![${text(smartPunctuation(node.alt ?? ''))}](${node.url})`;
      case 'imageReference': {
        const definition = this.links.get(node.identifier);
        return `![${text(smartPunctuation(node.alt ?? ''))}](${definition?.url ?? '?'})`;
      }
      case 'cite':
        if (node.data?.exampleNumber !== undefined) return String(node.data.exampleNumber);
        return `@(${node.items.map((item) => item.key).join(';')})`;
      case 'crossref':
        return `@(${node.label})`;
      case 'citeKey':
        return `@${node.key}`;
      case 'rawLatex':
        return `raw(${node.value})`;
      case 'span':
        return `span${node.attributes.id && crossrefId.test(node.attributes.id) ? `#${node.attributes.id}` : ''}${node.attributes.classes.map((c) => `.${c}`).join('')}(${this.inlines(node.children)})`;
      case 'footnoteReference': {
        const definition = this.notes.get(node.identifier);
        return definition ? `note(${this.blocks(definition.children).join(' | ')})` : `[^${node.identifier}]`;
      }
      default:
        return `?${(node as Nodes).type}`;
    }
  }
}
