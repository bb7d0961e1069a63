// Raw LaTeX blocks, as Pandoc's `raw_tex` reads them: at the start of a
// block, a LaTeX environment (`\begin{figure}` … `\end{figure}`, braces and
// nested environments balanced over as many lines as they take), a ConTeXt
// environment (`\startformula` … `\stopformula`, `\start[a2]` … `\stop[a2]`,
// which Pandoc keeps as a raw block too), or a block command (`\newpage`, `\section{…}`, `\hypertarget{fig:x}{%` … `}`) is one
// raw block, and what follows on the next line is a block of its own:
// `\newpage` directly followed by `# Introduction` is a page break and a
// heading, not a paragraph that prints "# Introduction". Without this, an
// environment was read as a paragraph of loose commands and text, and its
// cells, braces and `&` were printed in part.
//
// What a block means is decided after parsing (latex-blocks.ts): the
// commands the Typst writer knows keep their meaning, anything else is read
// by Pandoc's own LaTeX reader or, when that reads nothing, left out whole
// with one positioned warning.
import type { Literal } from 'mdast';
import type { CompileContext, Extension as FromMarkdownExtension, Token as FromMarkdownToken } from 'mdast-util-from-markdown';
import type { Code, Construct, Effects, Extension, State, TokenizeContext } from 'micromark-util-types';

declare module 'mdast' {
  interface RawLatexBlock extends Literal {
    type: 'rawLatexBlock';
    /** The block as written, its lines joined (container prefixes such as `> ` left out). */
    value: string;
  }
  interface RootContentMap {
    rawLatexBlock: RawLatexBlock;
  }
  interface BlockContentMap {
    rawLatexBlock: RawLatexBlock;
  }
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    rawTexBlock: 'rawTexBlock';
    rawTexBlockData: 'rawTexBlockData';
  }
}

/** Commands that make a raw block at the start of a block, as in Pandoc's LaTeX reader (text commands such as `\textit` stay in the paragraph). */
const BLOCK_COMMANDS = new Set([
  'newpage', 'clearpage', 'cleardoublepage', 'pagebreak', 'vspace', 'vfill', 'bigskip', 'medskip', 'smallskip', 'centering', 'noindent',
  'hypertarget', 'part', 'chapter', 'section', 'subsection', 'subsubsection', 'paragraph', 'subparagraph', 'maketitle', 'tableofcontents',
  'listoffigures', 'listoftables', 'input', 'include', 'includegraphics', 'centerline', 'hline', 'rule', 'bibliography', 'printbibliography',
  'appendix', 'setlength', 'frontmatter', 'mainmatter', 'backmatter', 'singlespacing', 'doublespacing', 'onehalfspacing', 'raggedright',
]);

/** Text commands: a raw block only when their braces run over lines (`\textit{` … `}`), which a paragraph cannot hold. */
const TEXT_COMMANDS = new Set(['textit', 'textbf', 'emph', 'underline', 'textsc', 'texttt', 'textrm', 'textsf', 'mbox']);

/** Environments that are not raw blocks: math (read as formulas), and `landscape` (its content is Markdown, see raw-latex.ts). */
const INLINE_ENVIRONMENTS = /^(equation|align|alignat|gather|multline|flalign|eqnarray|displaymath|math|split|landscape)\*?$/;

/** Beyond this many characters an unclosed environment is not a raw block (and the search for its end stops). */
const MAX_BLOCK = 100_000;

const backslash = 92;

const isLetter = (code: Code) => code !== null && ((code >= 65 && code <= 90) || (code >= 97 && code <= 122));
const isLineEnding = (code: Code) => code !== null && code < -2;

/** The next line belongs to the same container (not a lazy line after a quote). */
const nonLazyContinuation: Construct = {
  partial: true,
  tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this;
    return (code) => {
      if (code === null) return nok(code);
      effects.enter('lineEnding');
      effects.consume(code);
      effects.exit('lineEnding');
      return (next: Code) => (self.parser.lazy[self.now().line] ? nok(next) : ok(next));
    };
  },
};

const rawTexBlockConstruct: Construct = {
  name: 'rawTexBlock',
  concrete: true,
  tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    // A raw block does not interrupt a paragraph: `Text\n\newpage` is one paragraph, as in Pandoc.
    if (this.interrupt) return nok;
    let text = '';
    let name = '';
    let depth = 0;
    let inComment = false;
    let dataOpen = false;
    const environments: string[] = [];
    let contextEnvironment: string | null = null;
    let contextMarker: RegExp | null = null;
    let contextDepth = 0;
    let contextScanned = 0;

    // A line's data token is opened by its first character, so a blank line inside an environment makes no empty token.
    const consume = (code: Code) => {
      if (!dataOpen) {
        effects.enter('rawTexBlockData');
        dataOpen = true;
      }
      text += code === -1 || code === -2 ? ' ' : String.fromCharCode(code as number);
      effects.consume(code);
    };
    const closeData = () => {
      if (dataOpen) effects.exit('rawTexBlockData');
      dataOpen = false;
    };

    return (code) => {
      if (code !== backslash) return nok(code);
      effects.enter('rawTexBlock');
      consume(code);
      return commandName;
    };

    function commandName(code: Code): State | undefined {
      if (isLetter(code)) {
        name += String.fromCharCode(code as number);
        consume(code);
        return commandName;
      }
      if (name === 'begin') return body(code);
      if (name.startsWith('start')) return contextName(code);
      if (!BLOCK_COMMANDS.has(name) && !TEXT_COMMANDS.has(name)) return nok(code);
      if (code === 42) {
        consume(code);
        return body;
      }
      return body(code);
    }

    /** `\startformula`, or `\start[a2]`: the name its `\stop` repeats. */
    function contextName(code: Code): State | undefined {
      if (name !== 'start') {
        contextEnvironment = name.slice('start'.length);
        return body(code);
      }
      if (code !== 91) return nok(code);
      return contextBracket(code);
    }

    function contextBracket(code: Code): State | undefined {
      if (code === null || isLineEnding(code)) return nok(code);
      consume(code);
      if (code === 93) {
        contextEnvironment = text.slice(text.indexOf('['));
        return body;
      }
      return contextBracket;
    }

    /**
     * Whether a `\start<name>` of the block still waits for its `\stop<name>`,
     * counting the text read since the last call only (a long block stays linear).
     */
    function contextOpen(): boolean {
      if (contextEnvironment === null) return false;
      contextMarker ??= new RegExp(`\\\\(start|stop)${contextEnvironment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${/^[A-Za-z]/.test(contextEnvironment) ? '(?![A-Za-z])' : ''}`, 'g');
      contextMarker.lastIndex = contextScanned;
      for (let marker = contextMarker.exec(text); marker; marker = contextMarker.exec(text)) contextDepth += marker[1] === 'start' ? 1 : -1;
      contextScanned = text.length;
      return contextDepth > 0;
    }

    function body(code: Code): State | undefined {
      if (text.length > MAX_BLOCK) return nok(code);
      if (code === null) {
        if (depth > 0 || environments.length > 0 || contextOpen()) return nok(code);
        return done(code);
      }
      if (isLineEnding(code)) {
        inComment = false;
        if (depth === 0 && environments.length === 0 && !contextOpen()) return done(code);
        closeData();
        return effects.check(nonLazyContinuation, lineStart, unclosed)(code);
      }
      if (inComment) {
        consume(code);
        return body;
      }
      if (code === backslash) {
        consume(code);
        return escaped;
      }
      if (code === 37) inComment = true;
      else if (code === 123) depth++;
      else if (code === 125) {
        depth = Math.max(0, depth - 1);
        consume(code);
        return afterClose;
      }
      consume(code);
      return body;
    }

    function escaped(code: Code): State | undefined {
      if (code === null || isLineEnding(code)) return body(code);
      consume(code);
      return body;
    }

    /** After a `}`: a `\begin{x}` or `\end{x}` just closed opens or closes an environment. */
    function afterClose(code: Code): State | undefined {
      const marker = /\\(begin|end)\s*\{([^{}]*)\}$/.exec(text);
      if (marker && depth === 0) {
        const environment = marker[2].trim();
        if (marker[1] === 'begin') {
          // The first environment decides: math and landscape are not raw blocks.
          if (environments.length === 0 && name === 'begin' && text.indexOf('\\begin') === marker.index && INLINE_ENVIRONMENTS.test(environment)) return nok(code);
          environments.push(environment);
        } else if (environments[environments.length - 1] === environment) environments.pop();
      }
      return body(code);
    }

    function lineStart(code: Code): State | undefined {
      effects.enter('lineEnding');
      effects.consume(code);
      effects.exit('lineEnding');
      text += '\n';
      return body;
    }

    /** The container ended (a lazy line) before the environment did: not a raw block. */
    function unclosed(code: Code): State | undefined {
      return nok(code);
    }

    function done(code: Code): State | undefined {
      // Text after the commands on their line (`\noindent A paragraph …`) makes it a paragraph, as in Pandoc.
      if (contextEnvironment !== null) {
        if (!/\\stop(?:[A-Za-z]+|\[[^\]\n]*\])\s*(?:%[^\n]*)?$/.test(text)) return nok(code);
      } else if (!(name === 'begin' ? /\\end\s*\{[^{}]*\}\s*(?:%[^\n]*)?$/.test(text) : onlyCommands(text))) return nok(code);
      if (TEXT_COMMANDS.has(name) && !text.includes('\n')) return nok(code);
      closeData();
      effects.exit('rawTexBlock');
      return ok(code);
    }
  },
};

/** Whether a text is commands with their arguments, spaces and comments only. */
export function onlyCommands(text: string): boolean {
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) i++;
    else if (ch === '%') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '\\' && /[A-Za-z]/.test(text[i + 1] ?? '')) {
      i++;
      while (/[A-Za-z]/.test(text[i] ?? '')) i++;
      if (text[i] === '*') i++;
      while (text[i] === '{' || text[i] === '[') {
        const close = text[i] === '{' ? '}' : ']';
        const open = text[i];
        let depth = 0;
        for (; i < text.length; i++) {
          if (text[i] === '\\') i++;
          else if (text[i] === open) depth++;
          else if (text[i] === close && --depth === 0) break;
        }
        i++;
      }
    } else return false;
  }
  return true;
}

export function rawTexBlockSyntax(): Extension {
  return { flow: { [backslash]: rawTexBlockConstruct } };
}

export function rawTexBlockFromMarkdown(): FromMarkdownExtension {
  let lines: { line: number; text: string }[] = [];
  return {
    enter: {
      rawTexBlock(this: CompileContext, token: FromMarkdownToken) {
        lines = [];
        this.enter({ type: 'rawLatexBlock', value: '' }, token);
      },
    },
    exit: {
      rawTexBlockData(this: CompileContext, token: FromMarkdownToken) {
        lines.push({ line: token.start.line, text: this.sliceSerialize(token) });
      },
      rawTexBlock(this: CompileContext, token: FromMarkdownToken) {
        const node = this.stack[this.stack.length - 1] as unknown as { value: string };
        // A blank line inside an environment has no data token: its place is kept.
        const byLine = new Map(lines.map((part) => [part.line, part.text]));
        const first = token.start.line;
        node.value = Array.from({ length: token.end.line - first + 1 }, (_, k) => byLine.get(first + k) ?? '').join('\n');
        this.exit(token);
      },
    },
  };
}
