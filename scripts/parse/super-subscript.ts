// Pandoc's superscript and subscript: `2^10^`, `H~2~O`, `a^*hello*^`. The
// text between the markers is inline Markdown with no spaces or line ends
// (an escaped space, `\ `, is a space);
// `~~` stays GFM strikethrough, and a single `~` is never strikethrough
// (the GFM strikethrough extension is told so in markdown.ts). `^[` starts an inline note, not a
// superscript.
import type { Parent, PhrasingContent } from 'mdast';
import type { CompileContext, Extension as FromMarkdownExtension, Token as FromMarkdownToken } from 'mdast-util-from-markdown';
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';

declare module 'mdast' {
  interface Superscript extends Parent {
    type: 'superscript';
    children: PhrasingContent[];
  }
  interface Subscript extends Parent {
    type: 'subscript';
    children: PhrasingContent[];
  }
  interface PhrasingContentMap {
    superscript: Superscript;
    subscript: Subscript;
  }
  interface RootContentMap {
    superscript: Superscript;
    subscript: Subscript;
  }
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    superscript: 'superscript';
    subscript: 'subscript';
    scriptMarker: 'scriptMarker';
    scriptText: 'scriptText';
  }
}

const caret = 94;
const tilde = 126;
const backslash = 92;
const leftBracket = 91;

const isBreak = (code: Code) => code === null || code < 0 || code === 32;

function scriptConstruct(marker: number, type: 'superscript' | 'subscript'): Construct {
  return {
    name: type,
    tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
      return (code) => {
        effects.enter(type);
        effects.enter('scriptMarker');
        effects.consume(code);
        effects.exit('scriptMarker');
        return first;
      };

      function first(code: Code): State | undefined {
        // `~~` is strikethrough, `^[` an inline note, and a script is never empty.
        if (code === marker || isBreak(code) || (marker === caret && code === leftBracket)) return nok(code);
        effects.enter('scriptText');
        // The script's content is inline Markdown (`a^*hello*^`), tokenized as text.
        effects.enter('chunkText', { contentType: 'text' });
        return inside(code);
      }

      function inside(code: Code): State | undefined {
        if (code === marker) {
          effects.exit('chunkText');
          effects.exit('scriptText');
          effects.enter('scriptMarker');
          effects.consume(code);
          effects.exit('scriptMarker');
          effects.exit(type);
          return ok;
        }
        if (isBreak(code)) return nok(code);
        effects.consume(code);
        return code === backslash ? escaped : inside;
      }

      function escaped(code: Code): State | undefined {
        if (code === null || code < 0) return nok(code);
        effects.consume(code);
        return inside;
      }
    },
  };
}

export function superSubscriptSyntax(): Extension {
  return { text: { [caret]: scriptConstruct(caret, 'superscript'), [tilde]: scriptConstruct(tilde, 'subscript') } };
}

export function superSubscriptFromMarkdown(): FromMarkdownExtension {
  const enter = (type: 'superscript' | 'subscript') =>
    function (this: CompileContext, token: FromMarkdownToken) {
      this.enter({ type, children: [] }, token);
    };
  return {
    enter: { superscript: enter('superscript'), subscript: enter('subscript') },
    exit: {
      superscript(this: CompileContext, token: FromMarkdownToken) {
        this.exit(token);
      },
      subscript(this: CompileContext, token: FromMarkdownToken) {
        this.exit(token);
      },
    },
  };
}
