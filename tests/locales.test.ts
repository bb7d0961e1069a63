// Every CSL locale (issue 12, part 5): `lang` picks the reference list's
// terms from the CSL project's locales, shipped in locales/ and read offline.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localeFor } from '../scripts/format/locales.js';
import { runCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, edit } from './helpers/project.js';

describe('the CSL locale for the thesis language', () => {
  it('is the exact one when the CSL project has it, else the language\'s main one, else en-US', () => {
    expect(localeFor('de-AT')).toEqual({ tag: 'de-AT', exact: true });
    expect(localeFor('zh-cn')).toEqual({ tag: 'zh-CN', exact: true });
    expect(localeFor('de-LI')).toEqual({ tag: 'de-DE', exact: false });
    expect(localeFor('pt')).toEqual({ tag: 'pt-PT', exact: false });
    expect(localeFor('sw-KE')).toEqual({ tag: 'en-US', exact: false });
  });

  // An edited book without a date shows two terms of the locale: the editor's and "no date".
  const terms: [string, string[]][] = [
    ['de-AT', ['Hrsg.', 'o. J.']],
    // APA capitalises the editor term in parentheses. An entry without `langid` is in
    // the thesis's language, so only an English thesis puts its title in sentence case (as Pandoc).
    ['pl-PL', ['(Red.)', 'b.d.', 'Governing Through Credit']],
    ['pt-BR', ['(Org.)', 's. d.']],
    ['zh-CN', ['不详']],
    ['en-US', ['(Ed.)', 'n.d.', 'Governing through credit']],
  ];
  for (const [lang, expected] of terms) {
    it(`gives ${lang} terms in the reference list`, async () => {
      const dir = copyProject('minimal');
      edit(dir, 'thesis/thesis.yaml', (text) => text.replace(/^lang: .*$/m, `lang: ${lang}`));
      fs.appendFileSync(path.join(dir, 'bibliography', 'references.bib'), '\n@book{edited,\n  editor = {Kostka, Genia},\n  title = {Governing Through Credit},\n  publisher = {Routledge},\n}\n');
      edit(dir, 'thesis/one.md', (text) => `${text}\n\nAs edited [@edited].\n`);
      const result = await runCli(['build', dir]);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const text = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');
      const references = text.slice(text.lastIndexOf('Kostka'));
      for (const term of expected) expect(references, `${lang}: ${term}`).toContain(term);
    });
  }
});
