// Fuzzing the whole build (issue 14, part 4): generated chapters mixing
// every construct — citations in every form and broken ones, footnotes,
// tables, math with hostile \text, raw HTML, headings, lists, quotes, code,
// right-to-left text, combining marks, emoji, control characters, form feeds
// — generated BibTeX with braces, macros and broken entries, and generated
// thesis.yaml values. Properties: no exception escapes, no Typst error from
// our own output, nothing read outside the project, a sentence of special
// characters comes through to the PDF text literally. A short run here;
// `npm run fuzz -- --runs N` for a long one. A failure found becomes a case
// in tests/crash-inputs.test.ts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { isInside } from '../scripts/core/containment.js';
import { toolchainDir } from '../scripts/core/toolchain-dir.js';
import { parseChapter } from '../scripts/parse/markdown.js';
import { ThesisBuild } from '../scripts/pipeline.js';
import { pdfText } from './helpers/pdf-text.js';
import { chapterChange, planDraft, type DraftPlan } from '../scripts/preview/draft.js';
import { numberThesis } from '../scripts/export/numbering.js';
import { englishSupplements, type BlockPlace, type CompileOutput } from '../scripts/compile/typst-compiler.js';
import { runCli } from './helpers/cli.js';
import { copyProject, tempDir, write } from './helpers/project.js';

const runs = Number(process.env.FUZZ_RUNS ?? 6);
/** Ten minutes, or two seconds a run for the long runs of `npm run fuzz`. */
const timeout = Math.max(600_000, runs * 2_000);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
// With the seed, the run a failure names (fast-check's `path`): that run alone, again.
const replay = seed !== undefined && process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {};

/** The sentence every generated chapter ends with: Typst's and Markdown's special characters, as text. */
const SENTINEL = 'Sentinel 42 # $ 100% {x} <y> ~z_ = @ end.';
const SENTINEL_MARKDOWN = 'Sentinel 42 \\# \\$ 100% \\{x\\} \\<y\\> \\~z\\_ = \\@ end.';

const keys = ['foucault1977', 'simon2005', 'luxon2008', 'missing2020', 'fig:none', 'sec:first'];
const word = fc.oneof(
  fc.constantFrom('text', 'governance', 'Überwachung', '社会信用体系', 'مرحبا', 'e\u0301', '👩‍🔬', '\u202eevil', 'a\fb', 'c\rd', '\u0000', '\u001b[2J', '*', '_', '#', '$', '\\', '`', '<', '>', '[', ']', '{', '}', '^', '~', '@', '|', '"', "'"),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const words = fc.array(word, { minLength: 1, maxLength: 8 }).map((list) => list.join(' '));
const key = fc.constantFrom(...keys);
const inline = fc.oneof(
  words,
  key.map((k) => `[@${k}]`),
  fc.tuple(words, key, fc.integer({ min: 1, max: 400 })).map(([w, k, p]) => `[${w} @${k}, p. ${p}]`),
  key.map((k) => `@${k}`),
  key.map((k) => `-@${k}`),
  fc.tuple(key, words).map(([k, w]) => `@${k} [${w}]`),
  key.map((k) => `[see @${k}`),
  words.map((w) => `^[${w}]`),
  words.map((w) => `*${w}*`),
  words.map((w) => `**${w}**`),
  words.map((w) => `\`${w}\``),
  fc.constantFrom('$x^2$', '$x_{ȃ} + ǖ$', '$\\text{"#read("/etc/passwd")"}$', '$\\operatorname{a"b}$', '$\\frac{1}{2}$', '$\\unknown{x}$', '$\\read{x}$', '$ $', '$$'),
  fc.constantFrom('<span>html</span>', '<script>alert(1)</script>', '<!-- c -->'),
  words.map((w) => `[${w}](https://example.org)`),
  fc.constantFrom('![a](missing.png)', '![b](../../etc/hostname)', '![c](/etc/passwd)', '![d](a%zz.png)'),
  fc.constantFrom('[+term]', '\\newpage', '\\textbf{bold}', '\\vspace{1cm}', '\\cite{foucault1977}'),
);
const paragraph = fc.array(inline, { minLength: 1, maxLength: 6 }).map((parts) => parts.join(' '));
const block = fc.oneof(
  { weight: 4, arbitrary: paragraph },
  fc.tuple(fc.integer({ min: 1, max: 4 }), words).map(([level, w]) => `${'#'.repeat(level)} ${w}`),
  fc.array(paragraph, { minLength: 1, maxLength: 4 }).map((items) => items.map((item) => `- ${item}`).join('\n')),
  fc.array(paragraph, { minLength: 1, maxLength: 3 }).map((items) => items.map((item, i) => `${i + 1}. ${item}`).join('\n')),
  paragraph.map((p) => `> ${p}`),
  fc.array(fc.tuple(words, paragraph), { minLength: 1, maxLength: 3 }).map((rows) => ['| a | b |', '|---|---|', ...rows.map(([a, b]) => `| ${a.replace(/\|/g, '')} | ${b.replace(/\|/g, '')} |`)].join('\n')),
  words.map((w) => `\`\`\`\n${w}\n\`\`\``),
  fc.constantFrom('$$\n\\sum_{i=1}^n x_i\n$$', '$$\n\\text{"#panic()"}\n$$', '---', '<div>\n*html block*\n</div>', '::: landscape\ntext\n:::', '\\begin{landscape}\nx\n\\end{landscape}', '| a |\n|---|\n| [@simon2005] |', '[^1]\n\n[^1]: a note [@luxon2008]'),
);
const chapter = fc.array(block, { minLength: 1, maxLength: 8 }).map((blocks) => `# Fuzzed\n\n${blocks.join('\n\n')}\n\n${SENTINEL_MARKDOWN}\n`);

/** Right-to-left script or direction marks, which make pdf.js read a page's text in visual order. */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u202a-\u202e\u2066-\u2069]|[\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

const indent = (text: string, prefix: string, first = prefix) => text.split('\n').map((line, k) => (k === 0 ? first : prefix) + line).join('\n');

/**
 * Every construct nested in every other (issue 20): emphasis, spans, notes,
 * links (an empty one too) and math inside each other; quotes, list items,
 * divs and notes holding blocks, deeper than the toolchain reads; tables and
 * figures with rich cells and captions; raw LaTeX environments.
 */
const nested = fc.letrec<{ inline: string; inlines: string; block: string; blocks: string }>((tie) => ({
  inline: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    inline,
    tie('inlines').map((x) => `*${x}*`),
    tie('inlines').map((x) => `**${x}**`),
    tie('inlines').map((x) => `[${x}]{.span lang=de}`),
    tie('inlines').map((x) => `^[${x}]`),
    tie('inlines').map((x) => `[${x}](https://example.org/a)`),
    tie('inlines').map((x) => `[${x}]()`),
    tie('inlines').map((x) => `~~${x}~~`),
    tie('inlines').map((x) => `[see ${x} @simon2005, p. 3]`),
    fc.constantFrom('$$%[$$', '$\\frac{1}{\\frac{1}{\\frac{1}{x}}}$', `$${'\\frac{1}{'.repeat(80)}x${'}'.repeat(80)}$`, '`\\newpage`{=latex}', '\\textit{over\nlines}'),
  ),
  inlines: fc.array(tie('inline'), { minLength: 1, maxLength: 3 }).map((parts) => parts.join(' ')),
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('inlines'),
    tie('blocks').map((x) => indent(x, '> ')),
    tie('blocks').map((x) => indent(x, '    ', '- ')),
    tie('blocks').map((x) => indent(x, '    ', '1. ')),
    tie('blocks').map((x) => `::: {.note}\n${x}\n:::`),
    tie('inlines').map((x) => `Term\n\n:   ${x}`),
    tie('inlines').map((x) => `![${x}](missing.png)`),
    fc.tuple(tie('inlines'), tie('inlines')).map(([a, b]) => `| a | b |\n|---|---|\n| ${a.replace(/[|\n]/g, ' ')} | ${b.replace(/[|\n]/g, ' ')} |\n\n: ${a.replace(/\n/g, ' ')}`),
    fc.constantFrom('\\begin{figure}\n\\centering\n\\includegraphics{missing.png}\n\\caption{A \\emph{figure}}\n\\end{figure}', '\\begin{tabular}{ll}\nA & B \\\\\nC & D \\\\\n\\end{tabular}', '\\newpage\n# After a page break', '\\begin{tabbing}\nA \\= B \\\\\n\\end{tabbing}', '\\begin{unknown}\n\\whatever{x}\n\\end{unknown}'),
  ),
  blocks: fc.array(tie('block'), { minLength: 1, maxLength: 3 }).map((parts) => parts.join('\n\n')),
}));
const nestedChapter = fc.array(nested.block, { minLength: 1, maxLength: 5 }).map((blocks) => `# Nested\n\n${blocks.join('\n\n')}\n\n${SENTINEL_MARKDOWN}\n`);

const bibField = fc.oneof(words.map((w) => w.replace(/[{}]/g, '')), fc.constantFrom('{Braced {Inner}}', 'A and B and C and {D Corp.}', '\\"{o}\\ss{}', '2020/..', '{unbalanced', 'macro # "text"', '1999--2001'));
const bibEntry = fc.oneof(
  fc.tuple(fc.constantFrom('book', 'article', 'misc', 'thesis', 'online', 'weird'), fc.string({ minLength: 1, maxLength: 8 }).map((k) => `fz${k.replace(/[^A-Za-z0-9]/g, 'x')}`), fc.array(fc.tuple(fc.constantFrom('author', 'title', 'date', 'year', 'journal', 'editor', 'url', 'langid'), bibField), { maxLength: 6 })).map(
    ([type, k, fields]) => `@${type}{${k},\n${fields.map(([name, value]) => `  ${name} = {${value}},`).join('\n')}\n}`,
  ),
  fc.constantFrom('@string{a = "x" # b}\n@string{b = "y" # a}', '@book{broken, title = {no end}', '@comment{x}', '@preamble{"\\newcommand"}', '@book{dup, title={A}}\n@book{dup, title={B}}'),
);

/** thesis.yaml values a user might write, right and wrong: every key the schema knows, and some it does not. */
const yamlScalar = fc.oneof(words.map((w) => JSON.stringify(w)), fc.integer({ min: -5, max: 3000 }).map(String), fc.constantFrom('true', 'false', 'null', '~', '[]', '{}', '2020-13-45', '"../../etc/passwd"', '"/etc/hostname"', '*alias', '&anchor x', '"a: b"', '|\n  block text'));
const yamlEntry = fc.tuple(
  fc.constantFrom('title', 'subtitle', 'author', 'date', 'lang', 'csl', 'toc', 'lof', 'lot', 'loa', 'place', 'declaration', 'dedication', 'abstract', 'keywords', 'pdf-standard', 'template', 'glossary', 'nocite', 'appendices', 'words', 'raw', 'link-citations', 'reference-section-title', 'unknown-key'),
  yamlScalar,
);

/** CSL-JSON items with every kind of value in their fields. */
const cslItem = fc.record({
  id: fc.string({ minLength: 1, maxLength: 8 }).map((k) => `js${k.replace(/[^A-Za-z0-9]/g, 'x')}`),
  type: fc.constantFrom('book', 'article-journal', 'chapter', 'webpage', 'thesis', 'nonsense', ''),
  title: fc.oneof(words, fc.constant(''), fc.integer()),
  author: fc.oneof(fc.constant(undefined), fc.array(fc.record({ family: words, given: words }), { maxLength: 3 }), fc.constant([{ literal: '{Corp}' }]), fc.constant('not a list')),
  issued: fc.oneof(fc.constant(undefined), fc.constant({ 'date-parts': [[2020]] }), fc.constant({ 'date-parts': [[2020], null] }), fc.constant({ raw: '2020/..' }), fc.constant({ 'date-parts': 'x' }), fc.constant(null)),
});

/** A generated chapter with lone surrogates (half a UTF-16 pair) put in at random places. */
const loneSurrogates = fc.tuple(chapter, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0xd800, max: 0xdfff })), { maxLength: 3 }), fc.constantFrom('le', 'be')).map(([text, cuts, order]) => {
  let out = text;
  for (const [at, unit] of cuts) {
    const where = at % (out.length + 1);
    out = out.slice(0, where) + String.fromCharCode(unit) + out.slice(where);
  }
  return { text: out, order: order as 'le' | 'be' };
});

/** The first lone surrogate of a string (what TextDecoder turns into U+FFFD), or -1. */
function firstLoneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++;
    else return i;
  }
  return -1;
}

/**
 * How many times the CPU time of parsing `long` is that of parsing `short`.
 * The two are measured in turns, five times each, and the least of each
 * counts: a busy machine (the CI runner shares two cores with Typst's
 * processes and another test worker) slows single parses down by up to twice,
 * but not every one of five. CPU time, not wall time, so waiting for a core
 * does not count; a pause between parses lets the worker answer the runner.
 */
/**
 * One turn of the event loop. fast-check chains the runs of an async property
 * with promises only; without a turn between builds the worker never reads the
 * runner's messages, and after 60 s vitest reports "Timeout calling onTaskUpdate".
 */
const pause = () => new Promise((resolve) => setImmediate(resolve));

async function parseTimeRatio(short: string, long: string): Promise<number> {
  let leastShort = Infinity;
  let leastLong = Infinity;
  const cpuTime = (text: string) => {
    const before = process.cpuUsage();
    parseChapter('long.md', text);
    return process.cpuUsage(before).user;
  };
  for (let k = 0; k < 5; k++) {
    leastShort = Math.min(leastShort, cpuTime(short));
    await pause();
    leastLong = Math.min(leastLong, cpuTime(long));
    await pause();
  }
  return leastLong / Math.max(leastShort, 1_000);
}

function everyReadInside(build: ReturnType<ThesisBuild['run']>, dir: string): string[] {
  return build.inputs.filter((file) => !isInside(file, [dir, toolchainDir]));
}

describe('fuzzing the build', () => {
  it(`reads any thesis.yaml and CSL-JSON bibliography without an exception: a positioned message or a build (${Math.ceil(runs / 2)} runs)`, async () => {
    const dir = copyProject('minimal');
    const original = fs.readFileSync(path.join(dir, 'thesis', 'thesis.yaml'), 'utf8');
    const build = new ThesisBuild(dir);
    await fc.assert(
      fc.asyncProperty(fc.array(yamlEntry, { maxLength: 5 }), fc.array(cslItem, { maxLength: 4 }), async (entries, items) => {
        await pause();
        const kept = original.split('\n').filter((line) => !entries.some(([key]) => line.startsWith(`${key}:`)));
        write(dir, 'thesis/thesis.yaml', `${kept.join('\n')}\n${entries.map(([key, value]) => `${key}: ${value}`).join('\n')}\n`);
        write(dir, 'bibliography/items.json', JSON.stringify(items));
        const result = build.run({});
        expect(result.diagnostics.filter((d) => d.rule === 'internal-error').map((d) => d.message).join('\n')).toBe('');
        // A thesis.yaml problem is at a line of thesis.yaml.
        for (const problem of result.diagnostics.filter((d) => d.rule === 'config-invalid')) expect(problem.line ?? 0).toBeGreaterThan(0);
        expect(everyReadInside(result, dir).join('\n')).toBe('');
      }),
      { numRuns: Math.ceil(runs / 2), ...(seed === undefined ? {} : { seed }), ...replay, endOnFailure: true },
    );
  }, timeout);

  it(`reads UTF-16 chapters with lone surrogates: � and one positioned encoding-invalid warning, never an exception (${Math.ceil(runs / 3)} runs)`, async () => {
    const dir = copyProject('minimal');
    const build = new ThesisBuild(dir);
    await fc.assert(
      fc.asyncProperty(loneSurrogates, async ({ text, order }) => {
        await pause();
        const units = Buffer.from(text, 'utf16le');
        fs.writeFileSync(path.join(dir, 'thesis', 'two.md'), Buffer.concat([order === 'le' ? Buffer.from([0xff, 0xfe]) : Buffer.from([0xfe, 0xff]), order === 'le' ? units : units.swap16()]));
        const result = build.run({});
        expect(result.diagnostics.filter((d) => d.rule === 'internal-error' || d.rule === 'typst-error').map((d) => d.message).join('\n')).toBe('');
        const lone = firstLoneSurrogate(text);
        const warnings = result.diagnostics.filter((d) => d.rule === 'encoding-invalid');
        if (lone < 0) expect(warnings).toEqual([]);
        else {
          // Line ends as the reader counts them: a lone CR ends a line too.
          const line = text.slice(0, lone).split(/\r\n|\r|\n/).length;
          expect(warnings.map((w) => `${path.basename(w.file ?? '')}:${w.line}`)).toEqual([`two.md:${line}`]);
        }
      }),
      { numRuns: Math.ceil(runs / 3), ...(seed === undefined ? {} : { seed }), ...replay, endOnFailure: true },
    );
  }, timeout);

  it(`parses a paragraph four times as long in at most eight times the time: linear, not quadratic (${Math.ceil(runs / 6)} runs)`, async () => {
    // Asynchronous, with a pause between parses: the worker's event loop answers the test runner meanwhile.
    await fc.assert(
      fc.asyncProperty(fc.array(inline, { minLength: 3, maxLength: 8 }), async (parts) => {
        const unit = parts.join(' ').replace(/\n/g, ' ');
        // Long enough that a quadratic term would show: ~16 KB and ~64 KB.
        const copies = Math.max(20, Math.ceil(16_000 / unit.length));
        const paragraph = (n: number) => `# Long\n\n${Array.from({ length: n }, () => unit).join(' ')}\n`;
        parseChapter('warm.md', paragraph(copies));
        await pause();
        // Linear gives about 4 (3 to 5 measured), quadratic about 16. On a busy machine one
        // measurement can reach 11 (garbage collection on another core counts as this process's
        // time); a quadratic parser is over 8 every time, so up to three measurements are taken.
        let ratio = Infinity;
        for (let attempt = 0; attempt < 3 && ratio >= 8; attempt++) ratio = Math.min(ratio, await parseTimeRatio(paragraph(copies), paragraph(4 * copies)));
        expect(ratio).toBeLessThan(8);
      }),
      { numRuns: Math.ceil(runs / 6), ...(seed === undefined ? {} : { seed }), ...replay, endOnFailure: true },
    );
  }, timeout);

  it(`typesets every construct nested in every other: no Typst error, no crash, the sentence literal (${runs} runs)`, async () => {
    const dir = copyProject('minimal');
    const build = new ThesisBuild(dir);
    await fc.assert(
      fc.asyncProperty(nestedChapter, async (text) => {
        await pause();
        write(dir, 'thesis/two.md', text);
        const result = build.run({});
        const failures = result.diagnostics.filter((d) => d.rule === 'internal-error' || d.rule === 'typst-error' || d.rule === 'typst-stopped');
        expect(failures.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n')).toBe('');
        expect(result.pdfFile).toBeTruthy();
        // As below: right-to-left text makes pdf.js read its page in visual order.
        if (!RIGHT_TO_LEFT.test(text)) expect((await pdfText(fs.readFileSync(result.pdfFile!))).replace(/\s+/g, ' ')).toContain(SENTINEL);
      }),
      { numRuns: runs, ...(seed === undefined ? {} : { seed }), ...replay, endOnFailure: true },
    );
  }, timeout);

  it(`a live preview's draft of an edit typesets without error into the pages the whole thesis then has (${Math.ceil(runs / 2)} runs)`, async () => {
    const dir = copyProject('minimal');
    const build = new ThesisBuild(dir);
    // Long chapters (several pages), and an edit: a block put in, or one taken out.
    // The edited chapter runs over many pages, so drafts start at a page inside it and end before its end.
    const longChapter = fc.array(block, { minLength: 8, maxLength: 30 });
    // Many short paragraphs: page breaks fall between blocks often, so drafts also start inside the chapter.
    const longerChapter = fc.array(fc.oneof({ weight: 4, arbitrary: words }, { weight: 1, arbitrary: block }), { minLength: 60, maxLength: 160 });
    await fc.assert(
      fc.asyncProperty(longChapter, longerChapter, fc.nat(), block, fc.boolean(), async (first, second, at, added, remove) => {
        await pause();
        // Landscape pages are left out: the marker before one stands at the page break, and Typst puts it at the
        // foot of the page before in one document and on the landscape page in the other (noted in the README).
        const upright = (blocks: string[]) => blocks.filter((text) => !text.includes('landscape'));
        [first, second] = [upright(first), upright(second)];
        if (added.includes('landscape')) added = 'A paragraph put in.';
        write(dir, 'thesis/one.md', `# One {#sec:first}\n\n${first.join('\n\n')}\n\nSee @sec:second.\n`);
        write(dir, 'thesis/two.md', `# Two {#sec:second}\n\n${second.join('\n\n')}\n\nSee @sec:first.\n`);
        const before = build.run({ preview: true, sourceMarkers: true });
        if (!before.ok || !before.blocks?.length) return;
        const edited = [...second];
        if (remove && edited.length > 1) edited.splice(at % edited.length, 1);
        else edited.splice(at % (edited.length + 1), 0, added);
        const file = path.join(dir, 'thesis', 'two.md');
        const old = fs.readFileSync(file, 'utf8');
        write(dir, 'thesis/two.md', `# Two {#sec:second}\n\n${edited.join('\n\n')}\n\nSee @sec:first.\n`);
        let draft: { plan: DraftPlan; output: CompileOutput } | null = null;
        const after = build.run({
          preview: true,
          sourceMarkers: true,
          beforeCompile: (rendered, chapters, compileDraft) => {
            const change = chapterChange('thesis/two.md', file, old, chapters.find((c) => c.file === file)!.source);
            if (!change) return;
            const labels = () => numberThesis(chapters.map((c) => ({ tree: c.tree, title: c.frontMatter.title, appendix: c.appendix })), englishSupplements, 'Appendix').labels;
            const plan = planDraft({ main: rendered.main, sourceMap: rendered.sourceMap, switchable: rendered.switchable ?? false, blocks: before.blocks!, change, chapters, labels, notes: before.notes }, dir);
            if (plan) draft = { plan, output: compileDraft(rendered, plan.switches) };
          },
        });
        // As watch does after each build: Typst's layouts of documents gone are freed (without it, 238 runs of
        // generated theses and their drafts in one process passed Typst's 4 GB limit).
        build.tidy();
        const made = draft as { plan: DraftPlan; output: CompileOutput } | null;
        if (!made || !after.pdfFile) return;
        // Typst takes every draft we write.
        expect(made.output.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('\n')).toBe('');
        // Its pages are the whole thesis's pages from where it starts: every block of the draft (but those on its
        // last page, which the blocks after the draft may share) stands on the same page at the same height, and
        // the first block of each page finds the same counters. Compared by place, not by the PDF's text: Typst
        // writes a glyph drawn as a letter and a combining mark with the text of the first cluster it drew
        // it for, which differs between two documents that hold different text.
        const blocks = made.output.blocks!;
        const shift = made.plan.start.page - blocks[0].page;
        // Up to the draft's last page, and to the first page with a footnote's reference on it: with a note whose
        // reference falls at the foot of a page, Typst can settle the line and its note on this page or the next,
        // differently in two documents that agree up to that page (1 run in about 165; README).
        const pageFirsts = blocks.filter((block) => block.counters);
        const noted = pageFirsts.find((block, i) => i + 1 < pageFirsts.length && pageFirsts[i + 1].counters!.footnote > block.counters!.footnote);
        const lastPage = Math.min(blocks.at(-1)!.page, noted ? noted.page : Infinity);
        // A line may mark more than one block (the markers of a block and of what it holds): compared in order.
        const full = new Map<string, BlockPlace[]>();
        for (const block of after.blocks!) full.set(`${block.file}:${block.line}`, [...(full.get(`${block.file}:${block.line}`) ?? []), block]);
        const seen = new Map<string, number>();
        const moved = blocks
          .map((block) => {
            const key = `${block.file}:${block.line}`;
            const nth = seen.get(key) ?? 0;
            seen.set(key, nth + 1);
            return { block, there: full.get(key)?.[nth] };
          })
          .filter(({ block }) => block.page < lastPage)
          .filter(({ block, there }) => !there || there.page !== block.page + shift || Math.abs(there.y - block.y) > 0.5 || JSON.stringify(there.counters) !== JSON.stringify(block.counters && { ...block.counters }))
          .map(({ block, there }) => `${block.file}:${block.line} draft page ${block.page + shift} y ${block.y.toFixed(1)} ${JSON.stringify(block.counters)}; full ${there ? `page ${there.page} y ${there.y.toFixed(1)} ${JSON.stringify(there.counters)}` : 'none'}`);
        expect(moved.join('\n')).toBe('');
      }),
      { numRuns: Math.ceil(runs / 2), ...(seed === undefined ? {} : { seed }), ...replay, endOnFailure: true },
    );
    build.stop();
  }, timeout);

  it(`never throws, never gives Typst an error of ours, reads nothing outside, keeps special characters literal (${runs} runs)`, async () => {
    const dir = copyProject('minimal');
    const original = fs.readFileSync(path.join(dir, 'bibliography', 'references.bib'), 'utf8');
    const build = new ThesisBuild(dir);
    await fc.assert(
      fc.asyncProperty(chapter, fc.array(bibEntry, { maxLength: 4 }), fc.constantFrom('en-US', 'de-AT', 'zh-CN', 'ar', 'xx-YY'), async (text, entries, lang) => {
        await pause();
        write(dir, 'thesis/two.md', text);
        write(dir, 'bibliography/references.bib', `${original}\n${entries.join('\n\n')}\n`);
        const yaml = fs.readFileSync(path.join(dir, 'thesis', 'thesis.yaml'), 'utf8').replace(/^lang: .*$/m, `lang: ${lang}`);
        write(dir, 'thesis/thesis.yaml', yaml);
        const result = build.run({});
        const internal = result.diagnostics.filter((d) => d.rule === 'internal-error').map((d) => d.message);
        expect(internal.join('\n')).toBe('');
        // Typst errors in a chapter come only from what the chapter asked for (none is generated): ours would be a bug.
        expect(result.diagnostics.filter((d) => d.rule === 'typst-error').map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n')).toBe('');
        expect(everyReadInside(result, dir).join('\n')).toBe('');
        // Right-to-left text on a page makes pdf.js read the page's text in visual order (brackets mirrored):
        // the sentence is checked on the other pages.
        const rtl = lang === 'ar' || RIGHT_TO_LEFT.test(text);
        if (result.pdfFile && !rtl) {
          const pdf = (await pdfText(fs.readFileSync(result.pdfFile))).replace(/\s+/g, ' ');
          expect(pdf.includes(SENTINEL) ? SENTINEL : pdf.slice(Math.max(0, pdf.indexOf('Sentinel') - 10), pdf.indexOf('Sentinel') + 60)).toBe(SENTINEL);
          expect(pdf).not.toMatch(/root:x:0:0/);
        }
      }),
      { numRuns: runs, ...(seed === undefined ? {} : { seed }), ...replay, endOnFailure: true },
    );
  }, timeout);

  it(`hostile theses, every command (build to PDF, HTML and Word, review, diff, check, progress, refs): nothing from outside in any output, no escape byte on the terminal, no internal error, no hang (${Math.ceil(runs / 4)} runs)`, async () => {
    // A file outside the project that every attack tries to print, by every path there is to it.
    const outsideDir = tempDir('thesis-fuzz-outside-');
    const secret = `OUTSIDE${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
    const outside = path.join(outsideDir, 'secret.txt');
    fs.writeFileSync(outside, `${secret}\n`);
    const attack = fc.constantFrom(
      `\`\`\`{=typst}\n#read("${outside}")\n\`\`\``,
      '```{=typst}\n#read("/thesis/link/secret.txt")\n```',
      '```{=typst}\n#read("/thesis/hard.txt")\n```',
      '```{=typst}\n#read("../../../../../../../../' + outside.slice(1) + '")\n```',
      '```{&#61;typst}\n#read("/thesis/link/secret.txt")\n```',
      '```{=typst}\n#image("/thesis/link/secret.txt")\n```',
      '```{=typst}\n#include "/thesis/link/secret.txt"\n```',
      `![x](${outside})`,
      '![x](link/secret.txt)',
      `<img src="${outside}">`,
      '\\input{' + outside + '}',
      '`\\input{link/secret.txt}`{=latex}',
      '[@missing2020] \u001b]52;c;b3duZWQ=\u0007 \u001b[2J \r\u202e',
    );
    const hostile = fc.tuple(fc.array(fc.oneof(attack, paragraph), { minLength: 1, maxLength: 5 }), fc.constantFrom('title', 'two\u001b[2J.md', 'Draft \u001b]8;;x\u0007')).map(([blocks, odd]) => ({ text: `# Hostile\n\n${blocks.join('\n\n')}\n`, odd }));
    const dir = copyProject('minimal');
    // A repository with a tagged version, so `diff` has something to compare with.
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 'W', GIT_AUTHOR_EMAIL: 'w@example.org', GIT_COMMITTER_NAME: 'W', GIT_COMMITTER_EMAIL: 'w@example.org' } });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'first');
    git('tag', 'draft-1');
    fs.symlinkSync(outsideDir, path.join(dir, 'thesis', 'link'));
    try {
      fs.linkSync(outside, path.join(dir, 'thesis', 'hard.txt'));
    } catch {
      // Another file system: no hard link to try.
    }
    const yaml = fs.readFileSync(path.join(dir, 'thesis', 'thesis.yaml'), 'utf8');
    await fc.assert(
      fc.asyncProperty(hostile, async ({ text, odd }) => {
        await pause();
        write(dir, 'thesis/two.md', text);
        write(dir, 'thesis/thesis.yaml', yaml.replace(/^title: .*$/m, `title: ${JSON.stringify(odd)}`).replace('  - title: Draft', `  - title: ${JSON.stringify(odd)}`));
        const outputs: string[] = [];
        const commands = [
          ['build', dir, '--to', 'pdf,html,docx'],
          ['review', path.join(dir, 'dist', 'thesis.docx'), '--project', dir],
          ['diff', 'draft-1', '--project', dir],
          ['check', dir],
          ['progress', dir],
          ['refs', 'list', '--project', dir],
          ['refs', 'check', '--project', dir],
        ];
        for (const args of commands) {
          const result = await runCli(args);
          const printed = result.stdout + result.stderr;
          expect(printed, args.join(' ')).not.toMatch(/internal error/);
          expect(printed, args.join(' ')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
          outputs.push(printed);
        }
        const pdfFile = path.join(dir, 'dist', 'thesis.pdf');
        if (fs.existsSync(pdfFile)) outputs.push(await pdfText(fs.readFileSync(pdfFile)));
        const diffPdf = path.join(dir, 'dist', 'thesis-diff.pdf');
        if (fs.existsSync(diffPdf)) outputs.push(await pdfText(fs.readFileSync(diffPdf)));
        const docx = path.join(dir, 'dist', 'thesis.docx');
        if (fs.existsSync(docx)) outputs.push((await mammoth.extractRawText({ buffer: fs.readFileSync(docx) })).value);
        for (const name of ['thesis.html', 'progress.html', 'progress.json']) {
          const file = path.join(dir, 'dist', name);
          if (fs.existsSync(file)) outputs.push(fs.readFileSync(file, 'utf8'));
        }
        expect(outputs.join('\n').includes(secret)).toBe(false);
      }),
      { numRuns: Math.ceil(runs / 4), ...(seed === undefined ? {} : { seed }), ...replay, endOnFailure: true },
    );
  }, timeout);
});
