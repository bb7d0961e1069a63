// A supervisor's Word comments and tracked changes, as Pandoc reads them
// (`--track-changes=all`: comments as `comment-start`/`comment-end` spans,
// changes as `insertion`/`deletion` spans, each with its author and date),
// with the paragraph they are in, as the supervisor saw it (deletions in,
// insertions out), so they can be placed in the Markdown that has moved on.
import { inlineText, type Block, type Inline } from '../export/pandoc-ast.js';

export interface ReviewItem {
  kind: 'comment' | 'insertion' | 'deletion' | 'replacement';
  author: string;
  date?: string;
  /** A comment's text; the words inserted (an insertion, a replacement). */
  text: string;
  /** The words the comment is anchored to, or deleted or replaced ('' for an insertion). */
  anchor: string;
  /** The paragraph's text as the supervisor read it, and where the anchor starts in it. */
  context: string;
  at: number;
}

const attribute = (attrs: [string, string][], key: string) => attrs.find(([name]) => name === key)?.[1];

/** Every comment and tracked change in a document Pandoc read from a .docx. */
export function reviewItems(blocks: readonly Block[]): ReviewItem[] {
  const items: ReviewItem[] = [];
  const paragraph = (inlines: readonly Inline[]) => {
    let context = '';
    const open = new Map<string, ReviewItem>();
    const found: ReviewItem[] = [];
    const notes: Block[][] = [];
    const walk = (list: readonly Inline[]) => {
      for (const inline of list) {
        switch (inline.t) {
          case 'Str':
            context += inline.c;
            break;
          case 'Space':
          case 'SoftBreak':
          case 'LineBreak':
            context += ' ';
            break;
          case 'Code':
          case 'Math':
            context += inline.c[1];
            break;
          case 'Note':
            notes.push(inline.c);
            break;
          case 'Span': {
            const [[, classes, attrs], content] = inline.c;
            const author = attribute(attrs, 'author') ?? 'unknown';
            const date = attribute(attrs, 'date');
            if (classes.includes('comment-start')) {
              const item: ReviewItem = { kind: 'comment', author, ...(date ? { date } : {}), text: inlineText(content).trim(), anchor: '', context: '', at: context.length };
              open.set(attribute(attrs, 'id') ?? String(open.size), item);
              found.push(item);
            } else if (classes.includes('comment-end')) {
              const item = open.get(attribute(attrs, 'id') ?? '');
              if (item) item.anchor = context.slice(item.at);
              open.delete(attribute(attrs, 'id') ?? '');
            } else if (classes.includes('deletion')) {
              const start = context.length;
              walk(content);
              found.push({ kind: 'deletion', author, ...(date ? { date } : {}), text: '', anchor: context.slice(start), context: '', at: start });
            } else if (classes.includes('insertion')) {
              const previous = found[found.length - 1];
              const text = inlineText(content);
              // Words struck out and others written in their place: one suggested replacement.
              if (previous?.kind === 'deletion' && previous.at + previous.anchor.length === context.length && previous.author === author) {
                previous.kind = 'replacement';
                previous.text = text;
              } else found.push({ kind: 'insertion', author, ...(date ? { date } : {}), text, anchor: '', context: '', at: context.length });
            } else walk(content);
            break;
          }
          case 'Quoted':
            context += '"';
            walk(inline.c[1]);
            context += '"';
            break;
          case 'Link':
          case 'Image':
            walk(inline.c[1]);
            break;
          case 'RawInline':
            break;
          default:
            walk(inline.c);
        }
      }
    };
    walk(inlines);
    // A comment whose end is in a later paragraph runs to the end of this one.
    for (const item of open.values()) item.anchor = context.slice(item.at);
    for (const item of found) items.push({ ...item, context });
    for (const note of notes) blocksOf(note);
  };
  const blocksOf = (list: readonly Block[]) => {
    for (const block of list) {
      switch (block.t) {
        case 'Para':
        case 'Plain':
          paragraph(block.c);
          break;
        case 'Header':
          paragraph(block.c[2]);
          break;
        case 'LineBlock':
          block.c.forEach(paragraph);
          break;
        case 'BlockQuote':
          blocksOf(block.c);
          break;
        case 'Div':
          blocksOf(block.c[1]);
          break;
        case 'BulletList':
          block.c.forEach(blocksOf);
          break;
        case 'OrderedList':
          block.c[1].forEach(blocksOf);
          break;
        case 'DefinitionList':
          for (const [term, definitions] of block.c) {
            paragraph(term);
            definitions.forEach(blocksOf);
          }
          break;
        case 'Figure':
          blocksOf(block.c[1][1]);
          blocksOf(block.c[2]);
          break;
        case 'Table': {
          const [, caption, , head, bodies, foot] = block.c;
          blocksOf(caption[1]);
          const rows = [...head[1], ...bodies.flatMap((body) => [...body[2], ...body[3]]), ...foot[1]];
          for (const [, cells] of rows) for (const cell of cells) blocksOf(cell[4]);
          break;
        }
        default:
          break;
      }
    }
  };
  blocksOf(blocks);
  return items;
}
