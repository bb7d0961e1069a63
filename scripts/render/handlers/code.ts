import type { Code, InlineCode } from 'mdast';
import { typstString } from '../../core/typst-syntax.js';
import type { Writer } from '../writer.js';

/** Longest run of backticks in the text, so the fence can be longer. */
function fenceFor(value: string, minimum: number): string {
  const longest = Math.max(0, ...[...value.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(minimum, longest + 1));
}

export function inlineCode(node: InlineCode, _state: Writer): string {
  // A line ending inside a code span is a space (CommonMark, Pandoc); mdast keeps it as written.
  return `#raw(${typstString(node.value.replace(/\r?\n/g, ' '))})`;
}

/** A raw block for another output (```{=latex}, ```{=html}): what a PDF made through Typst can take of it. */
function rawBlock(node: Code, format: string, writer: Writer): string {
  const lines = node.value.split('\n').map((line) => line.trim()).filter(Boolean);
  if ((format === 'latex' || format === 'tex') && lines.length > 0 && lines.every((line) => /^\\(newpage|clearpage|cleardoublepage|pagebreak)\b\s*$/.test(line))) {
    if (writer.depth === 0) return '#pagebreak(weak: true)';
  }
  if (format === 'latex' || format === 'tex') writer.warn('raw-latex-ignored', 'this ```{=latex} block is not typeset; use Markdown, or a ```{=typst} block', node);
  else writer.warn('node-unsupported', `this \`\`\`{=${format}} block is for another output format and is not typeset in the PDF`, node);
  return '';
}

/** Code blocks that a Pandoc filter would run to draw a picture. */
const diagramFilters = new Set(['gnuplot', 'graphviz', 'dot', 'plantuml', 'matplotlib', 'pyplot', 'mermaid', 'tikz', 'asymptote', 'ditaa', 'vegalite', 'abc']);

export function code(node: Code, writer: Writer): string {
  // ```{=typst} is the one way to write raw Typst, as in Pandoc; a thesis one does not trust is built without it (`--no-raw`).
  if (node.lang === '{=typst}') {
    if (writer.context.raw !== false) return node.value;
    writer.warn('raw-typst-refused', `this \`\`\`{=typst} block is not run: ${writer.context.rawRefusal ?? 'raw Typst is switched off (--no-raw, or raw: false in thesis.yaml)'}`, node);
    return '';
  }
  const raw = /^\{=([\w-]+)\}$/.exec(node.lang ?? '');
  if (raw) return rawBlock(node, raw[1].toLowerCase(), writer);
  if (node.lang && diagramFilters.has(node.lang.toLowerCase())) {
    writer.warn('node-unsupported', `this ${node.lang} block is shown as code: a Pandoc filter would run it to draw a picture, and no code in a thesis folder is run; export the picture and include it as an image`, node);
  }
  const fence = fenceFor(node.value, 3);
  const lang = node.lang && /^[\w+#-]+$/.test(node.lang) ? node.lang : '';
  if (node.value.includes(fence.slice(0, 3)) || /^\s|\s$/.test(node.value)) {
    return `#raw(block: true, ${lang ? `lang: ${typstString(lang)}, ` : ''}${typstString(node.value)})`;
  }
  return `${fence}${lang}\n${node.value}\n${fence}`;
}
