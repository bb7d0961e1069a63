// Dollar math as Pandoc reads it (its `tex_math_dollars` extension), in
// place of remark-math's inline rule, which takes any pair of dollars:
//
//   $…$    inline math: the opening `$` has a non-space right after it, the
//          closing `$` a non-space right before it and no digit right after
//          it, so `$20,000 and $30,000` is text, as in Pandoc;
//   $$…$$  display math inside a paragraph (labels.ts makes it a block).
//
// A backslash takes the next character with it (`\$` inside math is a dollar
// of the formula). What does not match stays text. `$$` on lines of their
// own (a math block) is still remark-math's flow construct.
import { math } from 'micromark-extension-math';
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';

const dollar = 36;
const backslash = 92;
const leftBrace = 123;
const rightBrace = 125;
/** `text`, the command whose braces may hold dollars. */
const TEXT = [116, 101, 120, 116];

const isLineEnding = (code: Code) => code === -5 || code === -4 || code === -3;
const isSpace = (code: Code) => code === 32 || code === -2 || code === -1 || code === 9 || isLineEnding(code);
const isDigit = (code: Code) => code !== null && code >= 48 && code <= 57;

const pandocMathText: Construct = {
  name: 'mathText',
  tokenize: tokenizePandocMath,
  previous(this: TokenizeContext, code: Code) {
    // Not right after another dollar, unless that one was escaped.
    return code !== dollar || this.events[this.events.length - 1][1].type === 'characterEscape';
  },
};

function tokenizePandocMath(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let display = false;
  /** Whether the last character of the formula so far was a space (a closer cannot follow one). */
  let afterSpace = false;
  let inData = false;

  const enterData = () => {
    if (!inData) {
      effects.enter('mathTextData');
      inData = true;
    }
  };
  const exitData = () => {
    if (inData) {
      effects.exit('mathTextData');
      inData = false;
    }
  };

  /** A line ending inside the formula: a token of its own, between the formula's data. */
  const lineEnding = (code: Code) => {
    exitData();
    effects.enter('lineEnding');
    effects.consume(code);
    effects.exit('lineEnding');
  };

  return start;

  function start(code: Code): State | undefined {
    effects.enter('mathText');
    effects.enter('mathTextSequence');
    effects.consume(code);
    return afterFirstDollar;
  }

  function afterFirstDollar(code: Code): State | undefined {
    if (code === dollar) {
      display = true;
      effects.consume(code);
      effects.exit('mathTextSequence');
      return content;
    }
    effects.exit('mathTextSequence');
    // An opening `$` needs a non-space right after it.
    if (code === null || isSpace(code)) return nok(code);
    return content(code);
  }

  function content(code: Code): State | undefined {
    if (code === null) return nok(code);
    if (isLineEnding(code)) {
      lineEnding(code);
      afterSpace = true;
      return content;
    }
    if (code === dollar) {
      if (display) return closeDisplay(code);
      // A closing `$` needs a non-space right before it; Pandoc gives up on
      // the whole formula rather than look further.
      if (afterSpace) return nok(code);
      exitData();
      effects.enter('mathTextSequence');
      effects.consume(code);
      effects.exit('mathTextSequence');
      return afterClose;
    }
    enterData();
    effects.consume(code);
    afterSpace = isSpace(code);
    return code === backslash ? escaped : content;
  }

  function escaped(code: Code): State | undefined {
    if (code === null || isLineEnding(code)) return content(code);
    effects.consume(code);
    afterSpace = false;
    return code === TEXT[0] ? textCommand(1) : content;
  }

  // `\text{…}` may hold dollars (`\text{the $n$th}`): as in Pandoc, its braces are read whole.
  function textCommand(matched: number): State {
    return (code) => {
      if (matched === TEXT.length) {
        if (code !== leftBrace) return content(code);
        effects.consume(code);
        return braced(1);
      }
      if (code !== TEXT[matched]) return content(code);
      effects.consume(code);
      return textCommand(matched + 1);
    };
  }

  function braced(depth: number): State {
    return (code) => {
      if (code === null) return nok(code);
      if (isLineEnding(code)) {
        lineEnding(code);
        return braced(depth);
      }
      enterData();
      effects.consume(code);
      if (code === backslash) return (next: Code) => (next === null || isLineEnding(next) ? braced(depth)(next) : (effects.consume(next), braced(depth)));
      if (code === rightBrace) return depth === 1 ? afterBraced : braced(depth - 1);
      return braced(code === leftBrace ? depth + 1 : depth);
    };
  }

  function afterBraced(code: Code): State | undefined {
    afterSpace = false;
    return content(code);
  }

  function afterClose(code: Code): State | undefined {
    // `$5`: no digit right after the closing dollar.
    if (isDigit(code)) return nok(code);
    effects.exit('mathText');
    return ok(code);
  }

  function closeDisplay(code: Code): State | undefined {
    return effects.check({ tokenize: tokenizeDoubleDollar, partial: true }, closeDisplayNow, keepDollar)(code);
  }

  function keepDollar(code: Code): State | undefined {
    enterData();
    effects.consume(code);
    afterSpace = false;
    return content;
  }

  function closeDisplayNow(code: Code): State | undefined {
    exitData();
    effects.enter('mathTextSequence');
    effects.consume(code);
    return secondClosingDollar;
  }

  function secondClosingDollar(code: Code): State | undefined {
    effects.consume(code);
    effects.exit('mathTextSequence');
    effects.exit('mathText');
    return ok;
  }
}

function tokenizeDoubleDollar(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return (code) => {
    effects.enter('mathTextSequence');
    effects.consume(code);
    return (next) => {
      if (next !== dollar) return nok(next);
      effects.consume(next);
      effects.exit('mathTextSequence');
      return ok;
    };
  };
}

/** remark-math's math blocks with Pandoc's inline dollar rules. */
export function pandocMathSyntax(): Extension {
  return { ...math(), text: { [dollar]: pandocMathText } };
}
