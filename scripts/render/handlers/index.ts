// One handler per mdast node type; the writer dispatches on `node.type`.
import { blockquote } from './blockquote.js';
import { cite, citeKey, crossref } from './cite.js';
import { code, inlineCode } from './code.js';
import { emphasis, strikethrough, strong } from './emphasis.js';
import { figure, image } from './figure.js';
import { footnoteDefinition, footnoteReference } from './footnote.js';
import { heading } from './heading.js';
import { link } from './link.js';
import { list, listItem } from './list.js';
import { displayMath, inlineMath, math } from './math.js';
import { html, lineBreak, thematicBreak } from './misc.js';
import { paragraph } from './paragraph.js';
import { definition, imageReference, linkReference } from './reference.js';
import { table } from './table.js';
import { text } from './text.js';

export const handlers = {
  blockquote,
  break: lineBreak,
  cite,
  citeKey,
  code,
  crossref,
  definition,
  delete: strikethrough,
  displayMath,
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
  link,
  linkReference,
  list,
  listItem,
  math,
  paragraph,
  strong,
  table,
  text,
  thematicBreak,
};
