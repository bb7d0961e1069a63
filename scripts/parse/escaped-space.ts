// Pandoc's escaped space: a backslash before a space (`Mr.\ Smith`) is a
// no-break space. CommonMark leaves `\ ` as it is, so the backslash would be
// printed.
import type { Parent, Text } from 'mdast';
import type { CompileContext, Extension as FromMarkdownExtension, Token as FromMarkdownToken } from 'mdast-util-from-markdown';
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    escapedSpace: 'escapedSpace';
  }
}

const escapedSpace: Construct = {
  name: 'escapedSpace',
  tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    return (code: Code) => {
      effects.enter('escapedSpace');
      effects.consume(code);
      return (next: Code) => {
        if (next !== 32) return nok(next);
        effects.consume(next);
        effects.exit('escapedSpace');
        return ok;
      };
    };
  },
};

export function escapedSpaceSyntax(): Extension {
  return { text: { 92: escapedSpace } };
}

export function escapedSpaceFromMarkdown(): FromMarkdownExtension {
  return {
    exit: {
      escapedSpace(this: CompileContext, token: FromMarkdownToken) {
        const parent = this.stack[this.stack.length - 1] as Parent;
        const last = parent.children[parent.children.length - 1];
        const end = { line: token.end.line, column: token.end.column, offset: token.end.offset };
        if (last?.type === 'text' && last.position) {
          last.value += '\u00a0';
          last.position.end = end;
        } else {
          const text: Text = { type: 'text', value: '\u00a0', position: { start: { line: token.start.line, column: token.start.column, offset: token.start.offset }, end } };
          parent.children.push(text as Parent['children'][number]);
        }
      },
    },
  };
}
