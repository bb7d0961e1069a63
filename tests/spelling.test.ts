// Spelling in the thesis's language and per passage (issue 22): Hunspell
// dictionaries from npm through nspell; prose only, the project's own words
// and the bibliography's names never flagged; the same from `check --spelling`.
import { describe, expect, it } from 'vitest';
import { parseChapter } from '../scripts/parse/markdown.js';
import { spellingDiagnostics } from '../scripts/report/spelling.js';
import { runCli } from './helpers/cli.js';
import { copyProject, write } from './helpers/project.js';

const flagged = (text: string, lang = 'en-US', known: string[] = []) =>
  spellingDiagnostics('a.md', parseChapter('a.md', text).tree, { lang, known: new Set(known) }).map((d) => `${d.line}:${d.column} ${d.actual}`);

describe('spelling', () => {
  it('flags misspelled prose and nothing that is not prose', () => {
    const text = [
      '# A heading with a mispeled word',
      '',
      'The sistem works [@foucault1977, p. 3] and @fig:map shows it; see `codde`, $\\mathrm{frac}$, <https://exampel.org> and [+scs].',
      '',
      'SCS and PRC are abbreviations; x and y are letters; covid19 has digits.',
    ].join('\n');
    expect(flagged(text)).toEqual(['1:20 mispeled', '3:5 sistem']);
  });

  it('checks a passage in its own language, and leaves a language without a dictionary alone', () => {
    const text = ['An Englsh sentence.', '', '::: {lang=de-AT}', 'Ein deutscher Satz mit einem Fehlr und dem Jänner.', ':::', '', '[Un mot françois]{lang=fr}.'].join('\n');
    expect(flagged(text)).toEqual(['1:4 Englsh', '4:30 Fehlr']);
  });

  it("keeps the project's own words", () => {
    expect(flagged('Governmentality and panopticism.', 'en-US', ['governmentality', 'panopticism'])).toEqual([]);
  });

  it('comes from check --spelling, with thesis/words.txt and the bibliography names known', async () => {
    const dir = copyProject('minimal');
    write(dir, 'thesis/one.md', '# First chapter\n\nAs Foucault argued [@foucault1977], panopticism retuns.\n');
    write(dir, 'thesis/words.txt', 'panopticism\n');
    const result = await runCli(['check', dir, '--spelling', '--format', 'json']);
    const words = (JSON.parse(result.stdout) as { diagnostics: { rule: string; actual?: string; line: number }[] }).diagnostics.filter((d) => d.rule === 'spelling');
    expect(words.map((d) => `${d.line} ${d.actual}`)).toEqual(['3 retuns']);
  }, 60_000);
});
