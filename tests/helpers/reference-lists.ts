// Our reference list against Pandoc's, entry by entry: the same .bib and
// .csl formatted by this toolchain (`refs format --format html`, the build's
// reading and engine) and by Pandoc 3 (pandoc-wasm, `--citeproc`, HTML).
// Both are reduced to the same text: the words, with italics, bold, small
// caps, superscripts and subscripts marked, whitespace collapsed. (Pandoc's
// plain-text writer would write small caps in capitals and H₂O with a
// Unicode digit, which are its writer's doing, not its reference list's.)
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { convert } from 'pandoc-wasm';
import { runCli } from './cli.js';
import { tempDir, write } from './project.js';

export interface ListComparison {
  ours: string[];
  pandoc: string[];
  /** Entries of Pandoc's list that ours has, text for text. */
  equal: number;
  /** Pandoc's entries ours lacks, and ours that Pandoc lacks. */
  onlyPandoc: string[];
  onlyOurs: string[];
  stderr: string;
}

/** An element's text with its formatting marked: `<i>…</i>`, `<b>…</b>`, `<sc>…</sc>`, `<sup>…</sup>`, `<sub>…</sub>`. */
function markedText(node: Node): string {
  if (node.nodeType === 3) return node.textContent ?? '';
  if (node.nodeType !== 1) return '';
  const element = node as Element;
  const inner = [...element.childNodes].map(markedText).join('');
  const tag = element.tagName.toLowerCase();
  const style = (element.getAttribute('style') ?? '').replace(/\s/g, '');
  const mark = tag === 'em' || tag === 'i' ? 'i' : tag === 'strong' || tag === 'b' ? 'b' : tag === 'sup' || tag === 'sub' ? tag : element.classList.contains('smallcaps') || style.includes('small-caps') ? 'sc' : null;
  // The number column of a numeric style is its own block in both.
  const text = element.classList.contains('csl-left-margin') ? `${inner} ` : inner;
  return mark && inner.trim() ? `<${mark}>${inner}</${mark}>` : text;
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

function entries(html: string): string[] {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return [...document.querySelectorAll('.csl-entry')].map((entry) => normalise(markedText(entry)));
}

/** Formats every entry of a bibliography (`fileName` says its kind: .bib, .yaml, .json) in `styleXml` both ways; `lang` is the thesis's language. */
export async function compareReferenceLists(bibtex: string, styleXml: string, lang = 'en-US', fileName = 'references.bib'): Promise<ListComparison> {
  const dir = tempDir('reference-list-');
  write(dir, `bibliography/${fileName}`, bibtex);
  write(dir, 'thesis/style.csl', styleXml);
  write(dir, 'thesis/thesis.yaml', `title: T\nauthor: A\nlang: ${lang}\ncsl: style.csl\nbibliography: bibliography/${fileName}\nchapters: [a.md]\n`);
  write(dir, 'thesis/a.md', '# A\n\nText.\n');
  const result = await runCli(['refs', 'format', '--format', 'html', '--project', dir]);
  const ours = entries(result.stdout);
  const pandocRun = await convert(
    { from: 'markdown', to: 'html', citeproc: true, bibliography: [fileName], csl: 'style.csl', wrap: 'none' },
    `---\nnocite: "@*"\nlang: ${lang}\n---\n`,
    { [fileName]: bibtex, 'style.csl': styleXml },
  );
  const pandoc = entries(pandocRun.stdout);
  const theirs = new Set(pandoc);
  const mine = new Set(ours);
  return {
    ours,
    pandoc,
    equal: ours.filter((entry) => theirs.has(entry)).length,
    onlyPandoc: pandoc.filter((entry) => !mine.has(entry)),
    onlyOurs: ours.filter((entry) => !theirs.has(entry)),
    stderr: result.stderr,
  };
}

export function readFixture(...parts: string[]): string {
  return fs.readFileSync(path.join(...parts), 'utf8');
}
