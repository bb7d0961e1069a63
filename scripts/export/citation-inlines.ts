// Citations and reference entries as Pandoc inlines. They are formatted
// once, by our citeproc run, into Typst markup of a closed form: text
// escaped with a backslash (core/typst-syntax.ts), calls from our citeproc
// output format (format/typst-output-format.ts: `#emph[…]`, `#smallcaps[…]`,
// `#link("url")[…]`, …), links to entries (`#link(<ref-key>)[…]`) and the
// placeholder of a missing key (`#text(fill: …)[*?key*]`). Read back here,
// the Word and HTML outputs print exactly the PDF's citation text.
import { textInlines, mergeStrings, noAttr, safeLinkTarget, type Inline } from './pandoc-ast.js';

/** The Typst label of a reference entry (`ref-KEY`, escaped) back to the HTML id Pandoc's citeproc gives it. */
export type ReferenceAnchor = (typstLabel: string) => string;

class MarkupReader {
  private at = 0;

  constructor(
    private readonly markup: string,
    private readonly anchor: ReferenceAnchor,
  ) {}

  /** Content up to the end or to the `]` that closes the call being read. */
  content(): Inline[] {
    const out: Inline[] = [];
    let text = '';
    const flush = () => {
      if (text) out.push(...textInlines(text));
      text = '';
    };
    while (this.at < this.markup.length) {
      const ch = this.markup[this.at];
      if (ch === '\\' && this.at + 1 < this.markup.length) {
        text += this.markup[this.at + 1];
        this.at += 2;
      } else if (ch === ']') {
        break;
      } else if (ch === '#' && /[a-z]/.test(this.markup[this.at + 1] ?? '')) {
        flush();
        out.push(...this.call());
      } else if (ch === '*') {
        // Strong emphasis in markup syntax: only the missing-key placeholder writes it.
        flush();
        this.at++;
        const inner = this.until('*');
        out.push({ t: 'Strong', c: inner });
      } else if (ch === '~') {
        text += '\u00a0';
        this.at++;
      } else {
        text += ch;
        this.at++;
      }
    }
    flush();
    return mergeStrings(out);
  }

  /** Content up to a closing character of markup syntax (`*`). */
  private until(close: string): Inline[] {
    let text = '';
    while (this.at < this.markup.length && this.markup[this.at] !== close) {
      if (this.markup[this.at] === '\\') this.at++;
      text += this.markup[this.at] ?? '';
      this.at++;
    }
    this.at++;
    return textInlines(text);
  }

  /** `#name(args)[content]`, either part optional. */
  private call(): Inline[] {
    const name = /^#([a-z][a-z.-]*)/.exec(this.markup.slice(this.at))![1];
    this.at += name.length + 1;
    let args = '';
    if (this.markup[this.at] === '(') {
      let depth = 0;
      const start = this.at;
      do {
        const ch = this.markup[this.at];
        if (ch === '"') {
          // A string argument (a URL): skip to its closing quote.
          this.at++;
          while (this.at < this.markup.length && this.markup[this.at] !== '"') this.at += this.markup[this.at] === '\\' ? 2 : 1;
        } else if (ch === '(') depth++;
        else if (ch === ')') depth--;
        this.at++;
      } while (depth > 0 && this.at < this.markup.length);
      args = this.markup.slice(start + 1, this.at - 1);
    }
    let body: Inline[] = [];
    if (this.markup[this.at] === '[') {
      this.at++;
      body = this.content();
      this.at++;
    }
    switch (name) {
      case 'emph':
        return [{ t: 'Emph', c: body }];
      case 'strong':
        return [{ t: 'Strong', c: body }];
      case 'smallcaps':
        return [{ t: 'SmallCaps', c: body }];
      case 'super':
        return [{ t: 'Superscript', c: body }];
      case 'sub':
        return [{ t: 'Subscript', c: body }];
      case 'underline':
        return [{ t: 'Underline', c: body }];
      case 'link': {
        const label = /^<([^>]*)>$/.exec(args.trim());
        if (label) return [{ t: 'Link', c: [noAttr(), body, [`#${this.anchor(label[1])}`, '']] }];
        const url = /^"((?:[^"\\]|\\.)*)"$/.exec(args.trim());
        const target = url?.[1].replace(/\\(.)/g, '$1');
        // A bibliography field's URL that would run code when clicked stays text.
        return target !== undefined && safeLinkTarget(target) ? [{ t: 'Link', c: [noAttr(), body, [target, '']] }] : body;
      }
      case 'box':
        // A numbered entry's number (`#box(width: 2.2em)[1.]`): a space after it stands for the column.
        return [...body, { t: 'Space' }];
      case 'text':
        // A missing key's placeholder is coloured; the other text settings (upright, regular weight) keep their content.
        return /fill:/.test(args) ? [{ t: 'Span', c: [['', ['citation-missing'], []], body] }] : body;
      default:
        // `#block[…]` and any other wrapper of our output format: its content.
        return body;
    }
  }
}

/** Our formatted markup of a citation or reference entry, as Pandoc inlines. */
export function citationInlines(markup: string, anchor: ReferenceAnchor): Inline[] {
  return new MarkupReader(markup, anchor).content();
}
