// The supervisor's Word comments back at their Markdown lines (issue 13,
// part 3): our DOCX, commented through Pandoc's comment and change spans (as
// Word writes them), read back after the chapter was edited.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block, Inline, PandocDocument } from '../scripts/export/pandoc-ast.js';
import { runPandoc } from '../scripts/export/pandoc-runner.js';
import { runCli } from './helpers/cli.js';
import { copyProject, edit, tempDir, write } from './helpers/project.js';

type Mark = { phrase: string; comment?: string; replaceWith?: string; author: string };

/** The words of `phrase` wrapped in a comment (or struck out and replaced) where they stand in a paragraph. */
function mark(blocks: Block[], { phrase, comment, replaceWith, author }: Mark, id: number): boolean {
  const words = phrase.split(' ');
  for (const block of blocks) {
    if (block.t !== 'Para' && block.t !== 'Plain') continue;
    const inlines = block.c;
    for (let start = 0; start < inlines.length; start++) {
      let k = start;
      let matched = 0;
      while (matched < words.length && k < inlines.length) {
        const inline = inlines[k];
        if (inline.t === 'Space' && matched > 0) {
          k++;
          continue;
        }
        if (inline.t !== 'Str' || inline.c !== words[matched]) break;
        matched++;
        k++;
      }
      if (matched < words.length) continue;
      const covered = inlines.slice(start, k);
      const attrs: [string, string][] = [['id', String(id)], ['author', author], ['date', '2026-11-20T10:00:00Z']];
      const replacement: Inline[] = comment
        ? [{ t: 'Span', c: [['', ['comment-start'], attrs], [{ t: 'Str', c: comment }]] }, ...covered, { t: 'Span', c: [['', ['comment-end'], [['id', String(id)]]], []] }]
        : [{ t: 'Span', c: [['', ['deletion'], attrs.slice(1)], covered] }, { t: 'Span', c: [['', ['insertion'], attrs.slice(1)], [{ t: 'Str', c: replaceWith ?? '' }]] }];
      inlines.splice(start, k - start, ...replacement);
      return true;
    }
  }
  return false;
}

/** Our DOCX with a supervisor's comments and changes, written back as Word writes them. */
async function commented(docx: Uint8Array, marks: Mark[]): Promise<Uint8Array> {
  const read = await runPandoc({ options: { from: 'docx', to: 'json', 'input-files': ['in.docx'] }, input: null, files: { 'in.docx': docx } });
  const document = JSON.parse(read.stdout) as PandocDocument;
  marks.forEach((m, id) => expect(mark(document.blocks, m, id)).toBe(true));
  const written = await runPandoc({ options: { from: 'json', to: 'docx', 'output-file': 'out.docx' }, input: JSON.stringify(document), files: {} });
  return written.output!;
}

describe('thesis review', () => {
  const dir = copyProject('minimal');
  let reviewed: string;
  beforeAll(async () => {
    const built = await runCli(['build', dir, '--to', 'docx']);
    expect(built.status).toBe(0);
    const docx = new Uint8Array(fs.readFileSync(path.join(dir, 'dist', 'thesis.docx')));
    const returned = await commented(docx, [
      { phrase: 'discipline makes individuals.', comment: 'Cite the 2019 document here', author: 'Prof. Weber' },
      { phrase: 'Self-governance is an ethics', comment: 'Which ethics?', author: 'Prof. Weber' },
      { phrase: 'returns', replaceWith: 'comes back', author: 'Dr. Lang' },
    ]);
    reviewed = path.join(tempDir(), 'thesis-weber.docx');
    fs.writeFileSync(reviewed, returned);
    // The writer goes on meanwhile: lines added above the commented ones.
    edit(dir, 'thesis/one.md', (text) => text.replace('# First chapter {#sec:first}\n', '# First chapter {#sec:first}\n\nA new opening paragraph, written after the draft went out.\n'));
    edit(dir, 'thesis/two.md', (text) => text.replace('Self-governance is an ethics', 'A sentence first.\n\nSelf-governance is an ethics'));
  }, 120_000);

  it('prints each comment and change at its Markdown line and column, the commented words quoted', async () => {
    const result = await runCli(['review', reviewed, '--project', dir]);
    expect(result.status).toBe(0);
    const one = fs.readFileSync(path.join(dir, 'thesis', 'one.md'), 'utf8').split('\n');
    const two = fs.readFileSync(path.join(dir, 'thesis', 'two.md'), 'utf8').split('\n');
    const at = (file: string[], text: string) => {
      const line = file.findIndex((l) => l.includes(text));
      return `${line + 1}:${file[line].indexOf(text) + 1}`;
    };
    expect(result.stdout).toContain(`thesis/one.md:${at(one, 'discipline makes individuals.')}: note: [Prof. Weber] Cite the 2019 document here — on “discipline makes individuals.” [review-comment]`);
    expect(result.stdout).toContain(`thesis/one.md:${at(one, 'returns in new forms')}: note: [Dr. Lang] suggests “comes back” for “returns” [review-change]`);
    expect(result.stdout).toContain(`thesis/two.md:${at(two, 'Self-governance is an ethics')}: note: [Prof. Weber] Which ethics? — on “Self-governance is an ethics” [review-comment]`);
    expect(result.stdout).toContain('2 comments, 1 tracked change, 0 not placed');
  });

  it('lists apart a comment whose paragraph is gone, and gives JSON for editors', async () => {
    const copy = path.join(tempDir(), 'project');
    fs.cpSync(dir, copy, { recursive: true });
    write(copy, 'thesis/two.md', '---\ntitle: Second\n---\n\n# Second chapter {#sec:second}\n\nEntirely rewritten.\n');
    const result = await runCli(['review', reviewed, '--project', copy, '--format', 'json']);
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { comments: number; unplaced: number; diagnostics: { file: string; rule: string; message: string; line: number }[] };
    expect(json.comments).toBe(2);
    expect(json.unplaced).toBe(1);
    const unplaced = json.diagnostics.find((d) => d.rule === 'review-unplaced')!;
    expect(unplaced.message).toContain('[Prof. Weber] Which ethics?');
    expect(unplaced.message).toContain('is no longer in the chapters');
  });

  it('says what is wrong with a file that is not a commented DOCX of ours', async () => {
    const folder = tempDir();
    const corrupt = path.join(folder, 'corrupt.docx');
    fs.writeFileSync(corrupt, 'PK\u0003\u0004 not really a zip');
    const text = path.join(folder, 'notes.docx');
    fs.writeFileSync(text, 'just text');
    const bad = await runCli(['review', corrupt, '--project', dir]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/corrupt\.docx:1:1: error: Pandoc cannot read this Word file: .+ \[review-unreadable\]/);
    const notDocx = await runCli(['review', text, '--project', dir]);
    expect(notDocx.stderr).toMatch(/notes\.docx:1:1: error: this is not a Word \(\.docx\) file \[review-unreadable\]/);
    const missing = await runCli(['review', path.join(folder, 'none.docx'), '--project', dir]);
    expect(missing.stderr).toMatch(/none\.docx:1:1: error: there is no such file \[review-unreadable\]/);
    // A Word file of another document, without comments.
    const other = await runPandoc({ options: { from: 'markdown', to: 'docx', 'output-file': 'o.docx' }, input: '---\ntitle: Another paper\n---\n\nUnrelated text.\n', files: {} });
    const foreign = path.join(folder, 'other.docx');
    fs.writeFileSync(foreign, other.output!);
    const result = await runCli(['review', foreign, '--project', dir]);
    expect(result.status).toBe(0);
    expect(result.stderr + result.stdout).toContain('this Word file is titled “Another paper”, not “A Small Thesis”');
    expect(result.stdout).toContain('other.docx: no comments and no tracked changes');
  });
});
