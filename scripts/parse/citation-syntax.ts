// Pandoc's citation key syntax as a micromark extension: `@key` and `@{key}`.
// Tokenizing the key inside micromark (rather than searching text afterwards)
// means code spans, escapes (`\@a`), autolinks and math never yield a key.
// The surrounding brackets, prefixes, suffixes and locators are grouped on the
// syntax tree afterwards (see citations.ts), because they contain ordinary
// inline Markdown.
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';
import type { CompileContext, Extension as FromMarkdownExtension, Token } from 'mdast-util-from-markdown';

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    citeKey: 'citeKey';
    citeKeyMarker: 'citeKeyMarker';
    citeKeyValue: 'citeKeyValue';
  }
}

declare module 'mdast' {
  interface CiteKey extends Node {
    type: 'citeKey';
    key: string;
  }
  interface PhrasingContentMap {
    citeKey: CiteKey;
  }
  interface RootContentMap {
    citeKey: CiteKey;
  }
}

const AT = 64;
const LEFT_BRACE = 123;
const RIGHT_BRACE = 125;
const UNDERSCORE = 95;
/** Punctuation allowed inside a key when a letter or digit follows it. */
const INTERNAL_PUNCTUATION = new Set([...':.#$%&-+?<>~/'].map((c) => c.charCodeAt(0)));

function isWordCode(code: Code): boolean {
  return code !== null && code > 0 && /[\p{L}\p{N}]/u.test(String.fromCharCode(code));
}

const citeKeyConstruct: Construct = {
  name: 'citeKey',
  tokenize: tokenizeCiteKey,
  // `name@example.org` is an address, not a citation.
  previous: (code) => !(isWordCode(code) || code === UNDERSCORE || code === 46 /* . */ || code === 43 /* + */),
};

const internalPunctuation: Construct = { tokenize: tokenizeInternalPunctuation, partial: true };

function tokenizeCiteKey(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return start;

  function start(code: Code): State | undefined {
    if (code !== AT) return nok(code);
    effects.enter('citeKey');
    effects.enter('citeKeyMarker');
    effects.consume(code);
    effects.exit('citeKeyMarker');
    return afterMarker;
  }

  function afterMarker(code: Code): State | undefined {
    if (code === LEFT_BRACE) {
      effects.enter('citeKeyMarker');
      effects.consume(code);
      effects.exit('citeKeyMarker');
      effects.enter('citeKeyValue');
      return braced;
    }
    if (isWordCode(code) || code === UNDERSCORE) {
      effects.enter('citeKeyValue');
      effects.consume(code);
      return bare;
    }
    return nok(code);
  }

  function braced(code: Code): State | undefined {
    if (code === null || code < 0 || code === LEFT_BRACE) return nok(code);
    if (code === RIGHT_BRACE) {
      effects.exit('citeKeyValue');
      effects.enter('citeKeyMarker');
      effects.consume(code);
      effects.exit('citeKeyMarker');
      effects.exit('citeKey');
      return ok;
    }
    effects.consume(code);
    return braced;
  }

  function bare(code: Code): State | undefined {
    if (isWordCode(code) || code === UNDERSCORE) {
      effects.consume(code);
      return bare;
    }
    if (code !== null && INTERNAL_PUNCTUATION.has(code)) {
      return effects.check(internalPunctuation, punctuation, done)(code);
    }
    return done(code);
  }

  function punctuation(code: Code): State | undefined {
    effects.consume(code);
    return bare;
  }

  function done(code: Code): State | undefined {
    effects.exit('citeKeyValue');
    effects.exit('citeKey');
    return ok(code);
  }
}

function tokenizeInternalPunctuation(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return (code) => {
    effects.enter('citeKeyValue');
    effects.consume(code);
    return (next) => {
      effects.exit('citeKeyValue');
      return isWordCode(next) || next === UNDERSCORE ? ok(next) : nok(next);
    };
  };
}

export function citeKeySyntax(): Extension {
  return { text: { [AT]: citeKeyConstruct } };
}

export function citeKeyFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      citeKey(this: CompileContext, token: Token) {
        this.enter({ type: 'citeKey', key: '' }, token);
      },
    },
    exit: {
      citeKeyValue(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as unknown as { key: string };
        node.key = this.sliceSerialize(token);
      },
      citeKey(this: CompileContext, token: Token) {
        this.exit(token);
      },
    },
  };
}
