// The preview's draft (preview/draft.ts), without a browser: which lines a
// save changed, where a draft starts and ends, what it sets before its first
// block, and that Typst compiles it into the pages the full build makes.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ThesisBuild } from '../scripts/pipeline.js';
import { chapterChange, planDraft, type DraftPlan } from '../scripts/preview/draft.js';
import { numberThesis } from '../scripts/export/numbering.js';
import { englishSupplements, type BlockPlace, type CompileOutput } from '../scripts/compile/typst-compiler.js';
import { copyProject, repoDir, tempDir } from './helpers/project.js';
import { pdfPages } from './helpers/pdf-text.js';

describe('the lines a save changed', () => {
  it('keeps the common head and tail, and says how far the lines after moved', () => {
    expect(chapterChange('a.md', '/p/a.md', 'a\nb\nc\nd', 'a\nb\nX\nY\nc\nd')).toEqual({ file: 'a.md', absolute: '/p/a.md', firstLine: 3, lastOldLine: 3, delta: 2 });
    expect(chapterChange('a.md', '/p/a.md', 'a\nb\nc', 'a\nB\nc')).toMatchObject({ firstLine: 2, lastOldLine: 2, delta: 0 });
    expect(chapterChange('a.md', '/p/a.md', 'a\nb\nc', 'a\nb\nc\nd')).toMatchObject({ firstLine: 4, delta: 1 });
    expect(chapterChange('a.md', '/p/a.md', 'a\nb\nc', 'a\nb')).toMatchObject({ firstLine: 2, lastOldLine: 3, delta: -1 });
    expect(chapterChange('a.md', '/p/a.md', 'same', 'same')).toBeNull();
  });
});

describe('a draft of the pages around an edit', () => {
  const dir = copyProject('minimal');
  const build = new ThesisBuild(dir);
  /** The run after a save of a chapter (its text before: `before`), with the draft planned and compiled for it. */
  const draftAfterSave = (blocks: BlockPlace[], file: string, before: string, on = { build, dir }, notes: Record<string, string> = {}) => {
    let plan: DraftPlan | null = null;
    let draft: CompileOutput | null = null;
    const edited = on.build.run({
      preview: true,
      sourceMarkers: true,
      beforeCompile: (rendered, chapters, compileDraft) => {
        const change = chapterChange(path.relative(on.dir, file).split(path.sep).join('/'), file, before, chapters.find((c) => c.file === file)!.source)!;
        plan = planDraft({ main: rendered.main, sourceMap: rendered.sourceMap, switchable: rendered.switchable ?? false, blocks, change, chapters, labels: () => new Map(), notes }, on.dir);
        if (plan) draft = compileDraft(rendered, plan.switches);
      },
    });
    return { plan: plan as DraftPlan | null, draft: draft as CompileOutput | null, edited };
  };
  afterAll(() => build.stop());

  it('starts at the chapter, sets its counters, names places outside it, and compiles into the full build’s page', () => {
    const first = build.run({ preview: true, sourceMarkers: true });
    expect(first.ok).toBe(true);
    const blocks = first.blocks!;
    // The first block of each page carries the counters there.
    expect(blocks.filter((block) => block.counters).length).toBeGreaterThan(0);
    const file = path.join(dir, 'thesis', 'one.md');
    const before = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, before.replace('discipline makes individuals.', 'discipline makes individuals, a drafted clause.'));
    let draft: CompileOutput | null = null;
    let main = '';
    const second = build.run({
      preview: true,
      sourceMarkers: true,
      beforeCompile: (rendered, chapters, compileDraft) => {
        const chapter = chapters.find((c) => c.file === file)!;
        const change = chapterChange('thesis/one.md', file, before, chapter.source)!;
        const labels = () => numberThesis(chapters.map((c) => ({ tree: c.tree, title: c.frontMatter.title, appendix: c.appendix })), englishSupplements, 'Appendix').labels;
        const plan = planDraft({ main: rendered.main, sourceMap: rendered.sourceMap, switchable: rendered.switchable ?? false, blocks, change, chapters, labels }, dir);
        expect(plan).not.toBeNull();
        // The chapter's heading begins its page: the draft starts there, with the heading counter before it.
        expect(plan!.start).toMatchObject({ file: 'thesis/one.md', heading: true });
        expect(plan!.switches).toContain('#counter(heading).update((0,))');
        // Only that chapter's blocks are shown, from its heading's line to the chapter's end.
        expect(plan!.switches).toContain(`#let thesis-file = "thesis/one.md"\n#let thesis-from = ${plan!.start.line}\n#let thesis-to = ${2 ** 31 - 1}\n`);
        // The cross-reference to the second chapter, outside the draft, prints what the thesis numbers it.
        expect(plan!.switches).toContain('"sec:second": ("Section\u00a02", "2")');
        main = rendered.main;
        draft = compileDraft(rendered, plan!.switches);
      },
    });
    expect(second.ok).toBe(true);
    expect(main).toContain('a drafted clause');
    const compiled = draft as CompileOutput | null;
    expect(compiled?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // The draft's first block lands where the full build put it, on its own page of the draft.
    const firstBlock = compiled!.blocks![0];
    const full = second.blocks!.find((block) => block.file === firstBlock.file && block.line === firstBlock.line)!;
    expect(firstBlock.y).toBeCloseTo(full.y, 1);
    expect(firstBlock.counters?.page).toBe(full.counters?.page);
    expect(firstBlock.counters?.heading).toEqual(full.counters?.heading);
    // Nothing of the second chapter is in the draft.
    expect(compiled!.blocks!.every((block) => block.file === 'thesis/one.md')).toBe(true);
  }, 60_000);

  it('does not start on a page a footnote from the page before runs on to', () => {
    // A note too long for the foot of its page: Typst carries the rest to the next page's foot.
    const paragraph = (n: number) => `Paragraph ${n} of a long chapter, with words enough to fill two or three lines of the page it stands on, and more.`;
    const note = 'A long note that cannot end on its own page. '.repeat(60);
    const blocks = Array.from({ length: 40 }, (_, i) => paragraph(i + 1));
    blocks.splice(8, 0, `A paragraph with a long note.[^long]\n\n[^long]: ${note}`);
    const file = path.join(dir, 'thesis', 'two.md');
    const original = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, `# Two\n\n${blocks.join('\n\n')}\n`);
      const run = build.run({ preview: true, sourceMarkers: true });
      expect(run.ok).toBe(true);
      const mine = run.blocks!.filter((block) => block.file === 'thesis/two.md');
      const runOn = mine.filter((block) => block.counters?.notesRunOn);
      expect(runOn.length).toBeGreaterThan(0);
      // Every page but those the note runs on to starts without one.
      expect(mine.filter((block) => block.counters && !block.counters.notesRunOn).length).toBeGreaterThan(runOn.length);
      // An edit on the page the note runs on to: the draft starts on an earlier page, and the page is the full build's.
      const [carried] = runOn;
      const text = fs.readFileSync(file, 'utf8');
      const lines = text.split('\n');
      fs.writeFileSync(file, [...lines.slice(0, carried.line - 1), lines[carried.line - 1].replace('and more.', 'and an edit.'), ...lines.slice(carried.line)].join('\n'));
      const { plan: made, draft, edited } = draftAfterSave(run.blocks!, file, text);
      expect(made?.start.page).toBeLessThan(carried.page);
      const drafted = draft!.blocks!;
      const shift = made!.start.page - drafted[0].page;
      const there = drafted.find((block) => block.line === carried.line)!;
      const full = edited.blocks!.find((block) => block.file === 'thesis/two.md' && block.line === carried.line)!;
      expect([there.page + shift, Math.round(there.y)]).toEqual([full.page, Math.round(full.y)]);
      expect(there.counters?.notesRunOn).toBe(true);
    } finally {
      fs.writeFileSync(file, original);
    }
  }, 60_000);

  it('starts at a section heading that begins its page, counters and all', () => {
    const file = path.join(dir, 'thesis', 'two.md');
    const original = fs.readFileSync(file, 'utf8');
    try {
      // A long paragraph runs over the page break before the section (no clean start there); the section's heading opens a page.
      const long = Array.from({ length: 60 }, (_, k) => `Sentence ${k} of a paragraph that runs on over a page break.`).join(' ');
      fs.writeFileSync(file, `# Two\n\n${long}\n\n\`\`\`{=typst}\n#pagebreak()\n\`\`\`\n\n## A section\n\nIts first paragraph.\n\nIts second paragraph, and more.\n`);
      const run = build.run({ preview: true, sourceMarkers: true });
      expect(run.ok).toBe(true);
      const heading = run.blocks!.find((block) => block.file === 'thesis/two.md' && block.heading && block.counters && block.line > 3)!;
      expect(heading.counters?.headingTop).toBeDefined();
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, text.replace('and more.', 'and an edit.'));
      const { plan: made, draft, edited } = draftAfterSave(run.blocks!, file, text);
      expect([made?.start.line, made?.start.page]).toEqual([heading.line, heading.page]);
      const drafted = draft!.blocks!;
      const shift = made!.start.page - drafted[0].page;
      // Every block of the draft where the whole thesis has it, the heading's number included.
      for (const block of drafted) {
        const full = edited.blocks!.find((other) => other.file === block.file && other.line === block.line)!;
        expect([block.page + shift, Math.round(block.y)]).toEqual([full.page, Math.round(full.y)]);
      }
      expect(drafted[0].counters?.heading).toEqual(heading.counters?.heading);
    } finally {
      fs.writeFileSync(file, original);
    }
  }, 60_000);

  it('prints a second reference to a note before it as the full build numbers it (Typst knows no note there)', async () => {
    const file = path.join(dir, 'thesis', 'two.md');
    const original = fs.readFileSync(file, 'utf8');
    try {
      // The note on the chapter's first page; a section opening a later page (a clean start after the note) refers to it again.
      const paragraphs = Array.from({ length: 12 }, (_, k) => `Paragraph ${k + 1} of the section, long enough to take two lines of its page, and more.`);
      fs.writeFileSync(file, `# Two\n\nA claim with a note.[^again]\n\n\`\`\`{=typst}\n#pagebreak()\n\`\`\`\n\n## A section\n\nThe claim again.[^again]\n\n${paragraphs.join('\n\n')}\n\n[^again]: The note referred to twice.\n`);
      const run = build.run({ preview: true, sourceMarkers: true });
      expect(run.ok).toBe(true);
      expect(run.draftBase!.rendered.main).toMatch(/#footnote\(<fn-two-again>\)/);
      expect(Object.keys(run.notes ?? {})).toEqual(['fn-two-again']);
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, text.replace('Paragraph 3 of the section, long enough', 'Paragraph 3 of the section, edited, long enough'));
      const { plan, draft, edited } = draftAfterSave(run.blocks!, file, text, { build, dir }, run.notes);
      const section = run.blocks!.find((block) => block.file === 'thesis/two.md' && block.heading && block.line > 3)!;
      expect(plan?.start.line).toBe(section.line);
      expect(draft?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      // The draft's page with the edit reads as the full build's page, the note's mark included.
      const draftPages = await pdfPages(new Uint8Array(draft!.pdf!));
      const fullPages = await pdfPages(new Uint8Array(fs.readFileSync(edited.pdfFile!)));
      const shift = plan!.start.page - draft!.blocks![0].page;
      const page = section.page - shift;
      expect(draftPages[page - 1]).toContain('The claim again.');
      expect(draftPages[page - 1]).toBe(fullPages[section.page - 1]);
    } finally {
      fs.writeFileSync(file, original);
    }
  }, 60_000);

  it('compiles where the list of abbreviations links to a term’s first use outside the draft', () => {
    // This repository's own thesis: a glossary, whose list of abbreviations (set by the template from its arguments)
    // links each term to where it is first used.
    const own = tempDir();
    for (const part of ['thesis', 'bibliography']) fs.cpSync(path.join(repoDir, part), path.join(own, part), { recursive: true });
    const ownBuild = new ThesisBuild(own);
    try {
      const run = ownBuild.run({ preview: true, sourceMarkers: true });
      expect(run.ok).toBe(true);
      const file = path.join(own, 'thesis', '03-methodology.md');
      const text = fs.readFileSync(file, 'utf8');
      const lines = text.split('\n');
      const at = lines.findIndex((line, k) => k > 10 && /^[A-Z][a-z]/.test(line) && lines[k + 1] === '');
      fs.writeFileSync(file, [...lines.slice(0, at), `${lines[at]} An edit.`, ...lines.slice(at + 1)].join('\n'));
      const { plan, draft: compiled, edited } = draftAfterSave(run.blocks!, file, text, { build: ownBuild, dir: own });
      expect(plan).not.toBeNull();
      expect(edited.draftBase?.rendered.main).toMatch(/#link\(<gls-/);
      expect(compiled?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(compiled?.blocks?.some((block) => block.file === 'thesis/03-methodology.md' && block.line === at + 1)).toBe(true);
    } finally {
      ownBuild.stop();
    }
  }, 60_000);

  it('keeps what raw Typst before it defines and sets, not what it prints', async () => {
    const one = path.join(dir, 'thesis', 'one.md');
    const two = path.join(dir, 'thesis', 'two.md');
    const [oneText, twoText] = [fs.readFileSync(one, 'utf8'), fs.readFileSync(two, 'utf8')];
    try {
      const raw = ['```{=typst}', '#let term(body) = {', '  emph(body) // a comment with a ) in it', '}', '#set text(fill: rgb("#1a5fb4"))', 'Words the raw Typst prints.', '#show "Marked": [Shown]', '```'].join('\n');
      fs.writeFileSync(one, `${oneText}\n${raw}\n`);
      fs.writeFileSync(two, `${twoText}\nA term: \`#term[defined earlier]\`{=typst}. Marked words.\n`);
      const run = build.run({ preview: true, sourceMarkers: true });
      expect(run.ok).toBe(true);
      // The statements stand outside the switches, what the block prints behind one (render/block-switch.ts).
      const main = run.draftBase!.rendered.main;
      expect(main).toMatch(/\n#let term\(body\) = \{\n  emph\(body\) \/\/ a comment with a \) in it\n\}\n#set text\(fill: rgb\("#1a5fb4"\)\)\n#if thesis-file == none or \(thesis-file == "thesis\/one.md" and \d+ >= thesis-from and \d+ < thesis-to\) \[\nWords the raw Typst prints.\n\]\n#show "Marked": \[Shown\]\n/);
      expect(run.draftBase!.rendered.switchable).toBe(true);
      const before = fs.readFileSync(two, 'utf8');
      fs.writeFileSync(two, `${before}\nAn edit.\n`);
      const { plan, draft } = draftAfterSave(run.blocks!, two, before);
      expect(plan).not.toBeNull();
      expect(draft?.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const text = (await pdfPages(new Uint8Array(draft!.pdf!))).join('\n');
      expect(text).toContain('defined earlier');
      expect(text).toContain('Shown words');
      expect(text).toContain('An edit.');
      expect(text).not.toContain('Words the raw Typst prints.');
    } finally {
      fs.writeFileSync(one, oneText);
      fs.writeFileSync(two, twoText);
    }
  }, 60_000);

  it('makes none when raw Typst sets something in the middle of what it prints, or names the switches (no switch could hold it)', () => {
    const one = path.join(dir, 'thesis', 'one.md');
    const oneText = fs.readFileSync(one, 'utf8');
    try {
      fs.writeFileSync(one, `${oneText}\n\`\`\`{=typst}\nWords, then #set text(fill: red); and more.\n\`\`\`\n\nA paragraph after it.\n`);
      const run = build.run({ preview: true, sourceMarkers: true });
      expect(run.ok).toBe(true);
      expect(run.draftBase!.rendered.switchable).toBe(false);
      // Nor when raw Typst names what the switches compare with: it would turn them.
      fs.writeFileSync(one, `${oneText}\n\`\`\`{=typst}\n#let thesis-file = "mine"\n\`\`\`\n\nA paragraph after it.\n`);
      const named = build.run({ preview: true, sourceMarkers: true });
      expect(named.ok).toBe(true);
      expect(named.draftBase!.rendered.switchable).toBe(false);
      // Its own names are its own.
      fs.writeFileSync(one, `${oneText}\n\`\`\`{=typst}\n#let thesis-files = "mine"\n\`\`\`\n\nA paragraph after it.\n`);
      expect(build.run({ preview: true, sourceMarkers: true }).draftBase!.rendered.switchable).toBe(true);
      fs.writeFileSync(one, `${oneText}\n\`\`\`{=typst}\nWords, then #set text(fill: red); and more.\n\`\`\`\n\nA paragraph after it.\n`);
      build.run({ preview: true, sourceMarkers: true });
      const before = fs.readFileSync(one, 'utf8');
      fs.writeFileSync(one, before.replace('A paragraph after it.', 'A paragraph after it, edited.'));
      expect(draftAfterSave(run.blocks!, one, before).plan).toBeNull();
    } finally {
      fs.writeFileSync(one, oneText);
    }
  }, 60_000);

  it('makes none for an edit before the chapter’s first block (its front matter)', () => {
    const run = build.run({ preview: true, sourceMarkers: true });
    const file = path.join(dir, 'thesis', 'two.md');
    const text = fs.readFileSync(file, 'utf8');
    const change = chapterChange('thesis/two.md', file, text, text.replace('status: draft', 'status: done'))!;
    expect(change.firstLine).toBe(3);
    const chapters = run.analysis!.chapters;
    expect(planDraft({ main: '', sourceMap: [], switchable: true, blocks: run.blocks!, change, chapters, labels: () => new Map() }, dir)).toBeNull();
  }, 60_000);
});

describe('a previewed thesis in chapters’ files', () => {
  it('places a Typst error in a chapter where a build without the preview places it', () => {
    const dir = copyProject('minimal');
    const file = path.join(dir, 'thesis', 'two.md');
    fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}\nA paragraph.\n\n\`\`\`{=typst}\n#text(fill: not-defined)[words]\n\`\`\`\n\nAnother paragraph.\n`);
    const build = new ThesisBuild(dir);
    try {
      const plain = build.run({ preview: true });
      const previewed = build.run({ preview: true, sourceMarkers: true });
      // The chapters go to Typst as files of their own.
      expect(build.run({ preview: true, sourceMarkers: true, until: 'render' }).draftBase?.rendered.parts?.length).toBeGreaterThan(1);
      const error = (run: typeof plain) => run.diagnostics.filter((d) => d.severity === 'error').map(({ file, line, message }) => ({ file, line, message }));
      expect(error(plain)).toHaveLength(1);
      expect(error(plain)[0]).toMatchObject({ file, message: expect.stringContaining('not-defined') });
      expect(error(previewed)).toEqual(error(plain));
    } finally {
      build.stop();
    }
  }, 60_000);
});

describe('the preview’s markers', () => {
  it('change nothing Typst typesets: the PDF is the same, byte for byte, with them and without', () => {
    const dir = copyProject('minimal');
    const note = 'A long note that runs on to the next page. '.repeat(200);
    const paragraphs = Array.from({ length: 30 }, (_, i) => `Paragraph ${i + 1}, long enough to take two lines of the page, with a citation [@luxon2008] and more words.`);
    fs.writeFileSync(
      path.join(dir, 'thesis', 'two.md'),
      [
        '# Second chapter {#sec:second}',
        'A paragraph with a note.[^short] And one with a long one.[^long]',
        ...paragraphs.slice(0, 10),
        '## A section',
        '$$E = mc^2$$ {#eq:energy}',
        '| A | B |\n|---|---|\n| 1 | 2 |\n\n: A table. {#tbl:small}',
        '> A quotation, set apart.',
        '- a list item\n- another, with a note.[^short2]',
        ...paragraphs.slice(10),
        'The short note, referred to again.[^short]',
        '[^short]: A short note.',
        '[^short2]: Another short note.',
        `[^long]: ${note}`,
      ].join('\n\n') + '\n',
    );
    const build = new ThesisBuild(dir);
    try {
      const plain = build.run({ preview: true });
      const plainPdf = fs.readFileSync(plain.pdfFile!);
      const marked = build.run({ preview: true, sourceMarkers: true });
      expect(marked.blocks?.length).toBeGreaterThan(30);
      expect(marked.blocks!.filter((block) => block.counters?.notesRunOn).length).toBeGreaterThan(0);
      const markedPdf = fs.readFileSync(marked.pdfFile!);
      expect(markedPdf.length).toBe(plainPdf.length);
      expect(markedPdf.equals(plainPdf)).toBe(true);
    } finally {
      build.stop();
    }
  }, 60_000);
});
