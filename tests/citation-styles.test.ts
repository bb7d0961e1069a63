// Citation styles by name (issue 21): the CSL project's styles ship in
// styles/ and are found offline by their id; a dependent style (by id, or a
// file a university hands out) is its parent with its own default locale; a
// near miss is answered with the ids it was probably meant to be.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StyleLibrary, withDefaultLocale } from '../scripts/format/style-library.js';
import { runCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, edit, removeTempDirs, write } from './helpers/project.js';

afterAll(removeTempDirs);

const library = StyleLibrary.shared()!;

describe('the shipped CSL styles', () => {
  it('hold the independent and the dependent styles of the CSL repository, each by its id', () => {
    expect(library.size).toBeGreaterThan(10_000);
    for (const id of ['chicago-author-date', 'chicago-notes-bibliography', 'ieee', 'modern-language-association', 'din-1505-2', 'iso690-author-date-de', 'apa']) {
      const style = library.style(id);
      expect(style?.xml, id).toMatch(/<citation[\s>]/);
      expect(style?.xml, id).toContain(`<id>http://www.zotero.org/styles/${id}</id>`);
    }
  });

  it('resolve a dependent style to its parent, with the locale the dependent sets', () => {
    const dependent = Object.entries(library.index.dependent).find(([, [, , locale]]) => locale && locale !== 'en-US');
    expect(dependent).toBeDefined();
    const [id, [title, parent, locale]] = dependent!;
    const style = library.style(id)!;
    expect(style.title).toBe(title);
    expect(style.parent).toBe(parent);
    expect(style.xml).toContain(`<id>http://www.zotero.org/styles/${parent}</id>`);
    expect(/<style\b[^>]*>/.exec(style.xml)![0]).toContain(`default-locale="${locale}"`);
  });

  it('answer names the CSL project has renamed', () => {
    expect(library.canonical('harvard1')).toBe('harvard-cite-them-right');
    expect(library.canonical('vancouver')).toBe('vancouver-nlm');
    expect(library.canonical('no-such-style')).toBeNull();
  });

  it('set a default locale whether or not the style had one', () => {
    expect(withDefaultLocale('<style class="in-text" default-locale="en-US">', 'de-DE')).toBe('<style class="in-text" default-locale="de-DE">');
    expect(withDefaultLocale('<?xml version="1.0"?>\n<style class="in-text">', 'fr-FR')).toBe('<?xml version="1.0"?>\n<style default-locale="fr-FR" class="in-text">');
  });
});

describe('csl: in thesis.yaml', () => {
  it('builds with chicago-author-date by its id, citations in Chicago form', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('csl: apa', 'csl: chicago-author-date'));
    const result = await runCli(['build', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');
    // Chicago author-date: no comma between author and year, "3" without "p."
    expect(text).toContain('(Simon 2005, 3)');
  }, 60_000);

  it("builds with a university's dependent style file, resolved to its parent offline", async () => {
    const dir = copyProject('minimal');
    write(
      dir,
      'templates/our-faculty.csl',
      [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0" default-locale="en-GB">',
        '  <info>',
        '    <title>Our Faculty</title>',
        '    <id>http://example.org/styles/our-faculty</id>',
        '    <link href="http://www.zotero.org/styles/chicago-author-date" rel="independent-parent"/>',
        '    <updated>2026-01-01T00:00:00+00:00</updated>',
        '  </info>',
        '</style>',
        '',
      ].join('\n'),
    );
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('csl: apa', 'csl: templates/our-faculty.csl'));
    const result = await runCli(['build', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const text = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');
    expect(text).toContain('(Simon 2005, 3)');
  }, 60_000);

  it('answers a near miss with the ids it was probably meant to be, at its line', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('csl: apa', 'csl: ieeee'));
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/thesis\.yaml:6:1: error: citation style "ieeee" not found: did you mean "ieee"\?.*templates\/.*\[style-missing\]/);
  });

  it('says where a missing style file was looked for and where a .csl goes', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('csl: apa', 'csl: our-university.csl'));
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('citation style file "our-university.csl" not found (looked in the project folder, thesis/ and templates/)');
  });
});
