// One handler per mdast node type; the writer dispatches on `node.type`.
// The map is typed by every node type the parser can produce (mdast with
// the GFM, math, front-matter and citation extensions, and our own
// figure/caption/displayMath), so a node type without a handler does not
// compile.
import type { Nodes } from 'mdast';
import type { Handler } from '../writer.js';
import { blockquote } from './blockquote.js';
import { cite, citeKey, crossref } from './cite.js';
import { code, inlineCode } from './code.js';
import { defList, defListDescription, defListTerm } from './definition-list.js';
import { div } from './div.js';
import { emphasis, strikethrough, strong, subscript, superscript } from './emphasis.js';
import { caption, figure, image } from './figure.js';
import { footnoteDefinition, footnoteReference } from './footnote.js';
import { heading } from './heading.js';
import { rawLatex, rawLatexBlock } from './latex.js';
import { lineBlock, lineOf } from './line-block.js';
import { link } from './link.js';
import { list, listItem } from './list.js';
import { displayMath, inlineMath, math } from './math.js';
import { html, lineBreak, root, thematicBreak, yaml } from './misc.js';
import { paragraph } from './paragraph.js';
import { definition, imageReference, linkReference } from './reference.js';
import { span } from './span.js';
import { cellBlocks, table, tableCell, tableRow } from './table.js';
import { glossaryTerm } from './glossary.js';
import { text } from './text.js';

export type Handlers = { [Type in Nodes['type']]: Handler<Extract<Nodes, { type: Type }>> };

export const handlers: Handlers = {
  caption,
  blockquote,
  break: lineBreak,
  cite,
  citeKey,
  code,
  crossref,
  defList,
  defListDescription,
  defListTerm,
  definition,
  delete: strikethrough,
  displayMath,
  div,
  emphasis,
  figure,
  footnoteDefinition,
  footnoteReference,
  heading,
  html,
  image,
  imageReference,
  inlineCode,
  inlineMath,
  line: lineOf,
  lineBlock,
  link,
  linkReference,
  list,
  listItem,
  math,
  paragraph,
  rawLatex,
  rawLatexBlock,
  span,
  strong,
  subscript,
  superscript,
  table,
  cellBlocks,
  glossaryTerm,
  tableCell,
  tableRow,
  text,
  root,
  thematicBreak,
  yaml,
};
