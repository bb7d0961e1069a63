// A formatted citation or reference entry (format/rich-text.ts) as Pandoc
// inlines, for the Word, HTML, ODT and EPUB outputs: the same tree the PDF's
// Typst is written from, so both print the same words.
import type { RichText } from '../format/rich-text.js';
import { noAttr, safeLinkTarget, textInlines, type Inline } from './pandoc-ast.js';

/** A reference entry's key to the HTML id Pandoc's citeproc gives it. */
export type ReferenceAnchor = (key: string) => string;

export function richTextToPandoc(rich: RichText, anchor: ReferenceAnchor): Inline[] {
  const inner = (children: RichText) => richTextToPandoc(children, anchor);
  return rich.flatMap((node): Inline[] => {
    switch (node.type) {
      case 'text':
        return textInlines(node.value);
      case 'missing':
        return [{ t: 'Span', c: [['', ['citation-missing'], []], [{ t: 'Strong', c: textInlines(`?${node.key}`) }]] }];
      case 'emphasis':
        return [{ t: 'Emph', c: inner(node.children) }];
      case 'strong':
        return [{ t: 'Strong', c: inner(node.children) }];
      case 'smallcaps':
        return [{ t: 'SmallCaps', c: inner(node.children) }];
      case 'superscript':
        return [{ t: 'Superscript', c: inner(node.children) }];
      case 'subscript':
        return [{ t: 'Subscript', c: inner(node.children) }];
      case 'underline':
        return [{ t: 'Underline', c: inner(node.children) }];
      case 'quoted':
        return [{ t: 'Quoted', c: [{ t: node.double ? 'DoubleQuote' : 'SingleQuote' }, inner(node.children)] }];
      case 'link':
        // A bibliography field's URL that would run code when clicked stays text.
        return safeLinkTarget(node.url) ? [{ t: 'Link', c: [noAttr(), inner(node.children), [node.url, '']] }] : inner(node.children);
      case 'reference-link':
        return [{ t: 'Link', c: [noAttr(), inner(node.children), [`#${anchor(node.key)}`, '']] }];
      case 'note':
        return [{ t: 'Note', c: [{ t: 'Para', c: inner(node.children) }] }];
      case 'left-margin':
        // A numbered entry's number: a space after it stands for the column.
        return [...inner(node.children), { t: 'Space' }];
      default:
        return inner(node.children);
    }
  });
}
