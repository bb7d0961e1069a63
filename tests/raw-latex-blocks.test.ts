// Raw LaTeX is typeset as LaTeX would or left out whole with a warning, never
// printed in part (issue 20): environments and block commands at the start of
// a block are raw blocks, as in Pandoc, read by Pandoc's own LaTeX reader; a
// raw TeX line directly followed by a heading keeps both; a command whose
// braces run over lines is read whole; `` `\newpage`{=latex} `` is raw LaTeX.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseChapter } from '../scripts/parse/markdown.js';
import { runCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, fixturesDir, tempDir, write } from './helpers/project.js';

const chapter = `# Start

Text before.

\\newpage
# Introduction

\\begin{figure}
\\centering
\\includegraphics[width=0.5\\textwidth]{figures/map.png}
\\caption{A map of the pilot cities}\\label{fig:map}
\\end{figure}

See @fig:map for the pilots.

\\begin{tabular}{ll}
Alpha & Beta \\\\
Gamma & Delta \\\\
\\end{tabular}

\\begin{longtable}{ll}
\\caption{Scores by city}\\label{tbl:scores}\\\\
Rongcheng & 1000 \\\\
Suining & 900 \\\\
\\end{longtable}

> \\begin{quote}{\\centerline{A centred line}}\\end{quote}

\\textit{Some italic
over two lines}

Text with \\textit{more italic
over lines} and \`\\newpage\`{=latex} inline.

\\hypertarget{fig:grid}{%
\\centering
\\includegraphics{figures/map.png}
\\caption{The grid}\\label{fig:grid}
}

\\begin{weirdenv}
\\weirdcommand{secret}
\\end{weirdenv}

Markdown in \\textit{words that *run*
over the line [@foucault1977] end} and \\textbf{bold
with $x$ math} here.

\\startcolumns
ConTeXt, not LaTeX.
\\stopcolumns

\\newpage
## Last section

The end.
`;

describe('raw LaTeX blocks', () => {
  it('are blocks of their own: a heading right after \\newpage stays a heading', () => {
    const parsed = parseChapter('a.md', chapter);
    const headings = parsed.tree.children.filter((node) => node.type === 'heading');
    expect(headings.map((heading) => heading.depth)).toEqual([1, 1, 2]);
    expect(parsed.diagnostics.map((d) => d.rule)).not.toContain('blank-line-missing');
  });

  it('are read by a Pandoc that sees no file of the machine: \\input of a file outside the project reads nothing', async () => {
    const dir = copyProject('minimal');
    const outside = tempDir('outside-');
    fs.writeFileSync(path.join(outside, 'secret.tex'), 'OUTSIDE-MARKER-7731\n');
    write(dir, 'thesis/one.md', `# One\n\n\\input{${path.join(outside, 'secret')}}\n\nText after.\n`);
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/one\.md:3:1: warning: the LaTeX block `\\input\{.*\}` is left out/);
    const text = await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')));
    expect(text).toContain('Text after.');
    expect(text).not.toContain('OUTSIDE-MARKER');
  }, 60_000);

  it('build: figures, tables and quotes as Pandoc reads them, nothing printed in part, what is left out reported at its line', async () => {
    const dir = copyProject('minimal');
    fs.copyFileSync(path.join(fixturesDir, 'writer', 'crossrefs', 'map.png'), path.join(dir, 'thesis', 'map.png'));
    fs.mkdirSync(path.join(dir, 'thesis', 'figures'));
    fs.renameSync(path.join(dir, 'thesis', 'map.png'), path.join(dir, 'thesis', 'figures', 'map.png'));
    write(dir, 'thesis/one.md', chapter);
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(0);
    // Only what Pandoc's reader skips is reported, at its line: the unknown command.
    expect(result.stderr).toMatch(/one\.md:42:1: warning: `\\weirdcommand\{secret\}` is left out/);
    expect(result.stderr).not.toMatch(/centering|includegraphics|hypertarget|caption/);
    const text = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');
    for (const words of ['Figure 1: A map of the pilot cities', 'See Figure 1 for the pilots', 'Alpha Beta', 'Gamma Delta', 'Table 1: Scores by city', 'Rongcheng 1000', 'A centred line', 'Some italic over two lines Text with more italic over lines and inline', 'Figure 2: The grid', 'Markdown in words that run over the line (Foucault, 1977) end and bold with', 'Introduction', 'Last section', 'The end.']) {
      expect(text).toContain(words);
    }
    // No command, no cell separator, no brace, and not the skipped command's argument.
    expect(text).not.toMatch(/\\[A-Za-z]|&|[{}]|secret|=latex|ConTeXt/);
    expect(result.stderr).toMatch(/one\.md:49:1: warning: the ConTeXt environment `\\startcolumns` is left out/);
  }, 60_000);
});
