// Watch parses chapters section by section and reuses the sections that did
// not change; the tree must be exactly the one a whole parse gives, for real
// chapters, after edits, and for generated documents full of the constructs
// that make cutting hard (code fences, math blocks, HTML, front matter,
// footnotes defined in another section, inline notes, citations).
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateThesis } from '../scripts/bench/generate.js';
import { IncrementalParser } from '../scripts/parse/incremental.js';
import { parseChapter } from '../scripts/parse/markdown.js';
import { splitSections } from '../scripts/parse/sections.js';
import { fixturesDir, repoDir, tempDir } from './helpers/project.js';

const snapshot = (value: unknown) => JSON.parse(JSON.stringify(value));

function expectSameAsWhole(parser: IncrementalParser, file: string, text: string) {
  expect(snapshot(parser.parse(file, text))).toEqual(snapshot(parseChapter(file, text)));
}

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownFiles(full);
    return entry.name.endsWith('.md') ? [full] : [];
  });
}

describe('cutting a chapter into sections', () => {
  it('cuts before top-level headings after a blank line only', () => {
    const text = ['---', 'title: x', '# not a heading', '---', 'Intro.', '', '# One', 'Text.', '# glued to a paragraph', '```', '# code', '```', '## Two', '$$', '# math', '$$', '<!--', '# comment', '-->', '<div>', '# html', '', '### Three', '#hashtag', '    # indented code'].join('\n');
    const sections = splitSections(text)!;
    expect(sections.map((s) => s.text.split('\n')[0])).toEqual(['---', '# One', '## Two', '### Three']);
    expect(sections.map((s) => s.line)).toEqual([1, 7, 13, 23]);
    expect(sections.map((s) => text.slice(s.offset, s.offset + s.text.length))).toEqual(sections.map((s) => s.text));
  });

  it('does not cut inside one of Pandoc\'s tables, whose rows may start with #', () => {
    const text = ['Intro.', '', 'A      B', '-----  -----', '# row  cell', '', '# Heading', '', '---------', ' a    b', '---  -----', ' x    y', '', '# row  cell', '---------'].join('\n');
    expect(splitSections(text)!.map((s) => s.line)).toEqual([1, 7]);
  });

  it('does not cut inside a raw LaTeX block: an environment, or a command whose braces run over lines', () => {
    const text = ['# One', '', '\\begin{quote}', 'A line', '', '# Inside the quote', '', '\\end{quote}', '', '\\hypertarget{fig:x}{%', '', '# Inside the braces', '}', '', '# Two', '', 'End.'].join('\n');
    expect(splitSections(text)!.map((s) => s.line)).toEqual([1, 15]);
    expectSameAsWhole(new IncrementalParser(), 'a.md', text);
    expect(splitSections('\\begin{quote}\n\n# Open to the end\n')).toBeNull();
  });

  it('declines a chapter with unclosed front matter or a block open at the end', () => {
    expect(splitSections('---\ntitle: x\n# One\n')).toBeNull();
    expect(splitSections('# One\n```\n# code\n')).toBeNull();
    expect(splitSections('# One\n<!-- open\n# Two\n')).toBeNull();
  });
});

describe('incremental parsing', () => {
  it('gives the whole-parse tree for every chapter in the repository and the fixtures', () => {
    const files = [...markdownFiles(path.join(repoDir, 'thesis')), ...markdownFiles(fixturesDir)];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expectSameAsWhole(new IncrementalParser(), file, fs.readFileSync(file, 'utf8'));
  });

  it('gives the whole-parse tree after edits to a generated chapter, reusing unchanged sections', () => {
    const dir = tempDir();
    generateThesis(dir, 1);
    const file = path.join(dir, 'thesis', fs.readdirSync(path.join(dir, 'thesis')).filter((f) => f.endsWith('.md')).sort()[0]);
    const original = fs.readFileSync(file, 'utf8');
    const parser = new IncrementalParser();
    expectSameAsWhole(parser, file, original);
    const headings = [...original.matchAll(/^#{1,6} .*$/gm)].map((m) => m.index!);
    expect(headings.length).toBeGreaterThan(3);
    const edits = [
      original.slice(0, headings[1]) + 'A new paragraph with a citation [@nobody2020, p. 3].\n\n' + original.slice(headings[1]),
      original.slice(0, headings[2]) + original.slice(headings[3]), // a section deleted
      original.replace(/\n(#{1,6} )/, '\n\nMore text.^[An inline note.]\n\n$1'),
      original + '\n[^late]: A footnote defined at the end.\n',
      original.replace(/^(#{1,6} .*)$/m, '$1\n\nA reference to a later note.[^late]\n') + '\n[^late]: Defined here.\n',
      original,
    ];
    for (const text of edits) expectSameAsWhole(parser, file, text);
  });

  it('reads references to labels another section defines as micromark matches them: any case, white space as one', () => {
    const text = [
      '# One',
      '',
      'A note in capitals.[^Long-Note] A [Two',
      '   Words] link, [ALSO][two words], and [unknown] text.',
      '',
      '# Two',
      '',
      'Text.',
      '',
      '[^long-note]: The note.',
      '',
      '[two  words]: https://example.org',
      '',
    ].join('\n');
    expect(splitSections(text)!.length).toBe(2);
    const parser = new IncrementalParser();
    expectSameAsWhole(parser, 'a.md', text);
    const found: string[] = [];
    const walk = (node: { type: string; children?: unknown[] }) => {
      found.push(node.type);
      node.children?.forEach((child) => walk(child as typeof node));
    };
    walk(parser.parse('a.md', text).tree);
    expect(found.filter((type) => type === 'footnoteReference')).toHaveLength(1);
    expect(found.filter((type) => type === 'linkReference')).toHaveLength(2);
  });

  const parseRuns = Number(process.env.PARSE_RUNS ?? 30);
  it('gives the whole-parse tree for generated documents and random edits', async () => {
    const block = fc.constantFrom(
      '# Heading {#sec:a}',
      '## Second level',
      'Plain text with a citation [@smith2019, p. 12] and @kostka2019 says.',
      'A note reference.[^n1] Another.[^n2]',
      '[^n1]: The first note, with [@creemers2018].',
      '[^n2]: The second note.\n\n    Its second paragraph.',
      'An inline note.^[With *emphasis* and [see @liang2018].]',
      '[link]: https://example.org',
      'A [link] and [another][link].',
      // Labels are matched as micromark does (case folded, white space runs as one): only the labels a
      // section's text can refer to are given it as stand-ins, so these must still resolve across sections.
      'In capitals [LINK], and a [Two\n  Words] link and a note.[^N1]',
      '[two   words]: https://example.org/two',
      '```\n# not a heading\n```',
      '~~~python\n# comment\n~~~',
      '$$\n# x = 1\n$$',
      '$$E = mc^2$$ {#eq:e}',
      '$$\nx = 1\n$$ {#eq:block}',
      '\\newpage',
      'a) letters [@smith2019]\nb) two',
      '(@) an example',
      'i. roman\nj. then a letter',
      'Term\n~   a tilde definition',
      '| a line block\n|   indented [@smith2019]',
      '::: {.note}\n# heading in a div\n\nText [@smith2019].\n:::',
      '::: warning\nan unclosed div',
      ':::',
      'A [span with @smith2019]{.smallcaps lang=de} and [x]{#id}.',
      'Term\n:   Its definition [@smith2019].\n\n    More of it.',
      'Mr.\\ Smith and a hard\\\nbreak',
      'Raw \\textbf{bold [@smith2019]} and \\parencite[p. 3]{liang2018} and H~2~O^2^.',
      '<!--\n# hidden\n-->',
      '<div>\n# inside html\n</div>',
      '> A quote\n# right after',
      '- item\n- item [@smith2019]\n# heading ends the list',
      '| a | b |\n|---|---|\n| 1 | 2 |\n\n: Caption {#tbl:t}',
      '![A figure](image.png){#fig:f}',
      '![A caption citing [@smith2019, p. 2] and @liang2018](image.png){#fig:g width=50% short-caption="Short"}',
      'Unclosed [see @smith2019 bracket',
      '#hashtag is not a heading',
      'Setext title\n=====',
      '   # indented heading',
      '- item\n\n  ```\n  # code in a list\n  ```',
      '> ```\n> # quoted code\n> ```',
      '<pre>\n# preformatted\n</pre>',
      '<span>inline html</span> starts a paragraph',
      '| a |\n|---|\n| 1 |\n# heading after a table',
      '[^n1]: A note\ncontinued lazily\n# heading ends it',
      '  Right  Left\n  -----  ----\n  # row  cell [@smith2019]\n\nTable: A simple table {#tbl:s}',
      '---------\n a    b\n--- ------\n # x  y\n\n # z  w\n---------',
      '-----  -----\n# not  a heading\n-----  -----',
      '+---+---+\n| a | b |\n+===+===+\n| - x | [^n2] |\n+---+---+',
      '> a   b\n> --- ---\n> 1   2',
      '> ::: note\n> # quoted heading in a div\n> :::',
      '\\begin{landscape}\n\n# Landscape heading\n\n\\end{landscape}',
      '- item\n\n  x   y\n  --- ---\n  1   2',
      '',
    );
    const document = fc.tuple(fc.boolean(), fc.array(block, { minLength: 1, maxLength: 25 })).map(([front, blocks]) => (front ? '---\ntitle: T\n# yaml comment\n---\n' : '') + blocks.join('\n'));
    // One run at a time with the event loop let through in between: a long
    // synchronous run would starve the test runner's messages to this worker.
    await fc.assert(
      fc.asyncProperty(document, document, async (first, second) => {
        await new Promise((resolve) => setImmediate(resolve));
        const parser = new IncrementalParser();
        const file = '/tmp/chapter.md';
        expectSameAsWhole(parser, file, first);
        expectSameAsWhole(parser, file, second);
        expectSameAsWhole(parser, file, first + '\n' + second);
        expectSameAsWhole(parser, file, second + '\n' + first);
        expectSameAsWhole(parser, file, (first + '\n' + second).replace(/\n/g, '\r\n')); // Windows line ends
      }),
      // 30 documents in npm test, and no more than 20 s of them: on a busy machine fewer documents are tried
      // instead of the test timing out. `npm run fuzz` asks for as many as its theses (PARSE_RUNS; 3,000 were
      // run while developing), with time for them.
      { numRuns: parseRuns, interruptAfterTimeLimit: process.env.PARSE_RUNS ? undefined : 20_000, markInterruptAsFailure: false },
    );
  }, Math.max(60_000, parseRuns * 500));
});
