// The thesis where the student keeps it (issue 21): commands work on the
// nearest thesis from where the user stands; a Zotero export outside the
// thesis is read only when the *user* allows it (--allow, THESIS_ALLOW, the
// user's configuration file), never because the thesis asks; a bibliography
// that cannot be read is an error at its thesis.yaml line; hints name the
// command as the user runs it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findThesisFolder } from '../scripts/core/thesis-folder.js';
import { repoDir as toolchainRepo } from './helpers/project.js';
import { runCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, edit, removeTempDirs, tempDir, write } from './helpers/project.js';

afterAll(removeTempDirs);

/** A Better BibTeX export where Zotero keeps it: outside the thesis, a space in its name. */
function zoteroLibrary(): { dir: string; file: string } {
  const dir = path.join(tempDir('zotero-home-'), 'Zotero');
  fs.mkdirSync(dir);
  const file = path.join(dir, 'My Library.bib');
  fs.writeFileSync(
    file,
    [
      '@comment{jabref-meta: databaseType:biblatex;}',
      '',
      '@book{Foucault_1977,',
      '  title = {Discipline and Punish: {The} Birth of the Prison},',
      '  author = {Foucault, Michel},',
      '  date = {1977},',
      '  publisher = {Pantheon Books},',
      '  location = {New York},',
      '}',
      '',
      '@article{Simon:2005:ReturnPanopticism,',
      '  title = {The Return of Panopticism},',
      '  author = {Simon, Bart},',
      '  date = {2005},',
      '  journaltitle = {Surveillance \\& Society},',
      '  volume = {3},',
      '  number = {1},',
      '  pages = {1--20},',
      '}',
      '',
    ].join('\n'),
  );
  return { dir, file };
}

function thesisCiting(bibliography: string): string {
  const dir = copyProject('minimal');
  edit(dir, 'thesis/thesis.yaml', (text) => `${text}bibliography: ${JSON.stringify(bibliography)}\n`);
  write(dir, 'thesis/one.md', '# First chapter\n\nPanopticism returns [@Simon:2005:ReturnPanopticism, p. 3], as @Foucault_1977 argued.\n');
  write(dir, 'thesis/two.md', '# Second chapter\n\nMore text.\n');
  return dir;
}

describe('the thesis a command works on', () => {
  it('is the nearest folder holding a thesis, from where the user stands upward', () => {
    const dir = copyProject('minimal');
    fs.mkdirSync(path.join(dir, 'notes', 'deep'), { recursive: true });
    expect(findThesisFolder(path.join(dir, 'notes', 'deep'))).toBe(dir);
    expect(findThesisFolder(path.join(dir, 'thesis'))).toBe(dir);
    expect(findThesisFolder(tempDir('empty-'))).toBeNull();
    expect(findThesisFolder(path.join(toolchainRepo, 'scripts'))).toBe(toolchainRepo);
  });

  it('is found from a subfolder with no folder named, and paths print relative to where the user is', async () => {
    const dir = copyProject('minimal');
    fs.mkdirSync(path.join(dir, 'notes'));
    const result = await runCli(['build'], { cwd: path.join(dir, 'notes') });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\.\.\/dist\/thesis\.pdf: /);
  }, 60_000);

  it('is none outside a thesis: the command says so and how to name or start one, and writes nothing', async () => {
    const empty = tempDir('no-thesis-');
    for (const args of [['check'], ['refs', 'add', '-']]) {
      const result = await runCli(args, { cwd: empty, input: '@book{a, title={A}, author={B}, year={2000}}' });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`no thesis here: neither ${empty} nor a folder above it has thesis/thesis.yaml`);
      expect(result.stderr).toContain('thesis init --here');
    }
    expect(fs.readdirSync(empty)).toEqual([]);
  });
});

describe('a Zotero library kept where Zotero keeps it', () => {
  it('is refused with exit 1 at its thesis.yaml line, saying how to allow it; nothing of it is read', async () => {
    const zotero = zoteroLibrary();
    const dir = thesisCiting(zotero.file);
    const result = await runCli(['build', dir], { env: { XDG_CONFIG_HOME: tempDir('xdg-') } });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/thesis\.yaml:\d+:1: error: bibliography ".*My Library\.bib" is outside the thesis folder, which a build reads only when you allow it .*--allow .*Zotero.*THESIS_ALLOW=.*\[path-outside-project\]/);
    expect(fs.existsSync(path.join(dir, 'dist', 'thesis.pdf'))).toBe(false);
  });

  it('builds once allowed by --allow, by THESIS_ALLOW or by the user configuration file, its Better BibTeX keys as they are', async () => {
    const zotero = zoteroLibrary();
    const xdg = tempDir('xdg-');
    const ways: [string[], Record<string, string>][] = [
      [['--allow', zotero.dir], { XDG_CONFIG_HOME: xdg }],
      [[], { THESIS_ALLOW: zotero.dir, XDG_CONFIG_HOME: xdg }],
      [[], { XDG_CONFIG_HOME: path.join(xdg, 'with-config') }],
    ];
    write(path.join(xdg, 'with-config'), 'thesis/config.yaml', `allow:\n  - ${zotero.dir}\n`);
    for (const [options, env] of ways) {
      const dir = thesisCiting(zotero.file);
      const result = await runCli(['build', dir, ...options], { env });
      expect(result.stderr, JSON.stringify(env)).toBe('');
      expect(result.status).toBe(0);
      const text = (await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).replace(/\s+/g, ' ');
      expect(text).toContain('Panopticism returns (Simon, 2005, p. 3), as Foucault (1977) argued.');
      expect(text).toContain('Foucault, M. (1977). Discipline and punish: The birth of the prison. Pantheon Books.');
    }
  }, 120_000);

  it('is also found as ~/…, and a missing one is an error at its line, not "0 references"', async () => {
    const dir = thesisCiting('bibliography/zotero.bib');
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/thesis\.yaml:\d+:1: error: bibliography "bibliography\/zotero\.bib" does not exist \(looked for .*zotero\.bib\) \[bib-unreadable\]/);
    const home = await runCli(['build', thesisCiting('~/no-such-folder-for-thesis-tests/My Library.bib')]);
    expect(home.status).toBe(1);
    expect(home.stderr).toMatch(/error: bibliography "~\/no-such-folder-for-thesis-tests\/My Library\.bib" is outside the thesis folder/);
  });
});

describe('hints', () => {
  it('name the command as the user runs it: npm run where npm runs our scripts, thesis otherwise', async () => {
    const dir = copyProject('minimal');
    const direct = await runCli(['check', dir]);
    expect(direct.stdout).toContain('dist/thesis.pdf does not exist; run `thesis build`');
    const viaNpm = await runCli(['check', dir], { env: { npm_command: 'run-script', npm_package_json: path.join(toolchainRepo, 'package.json') } });
    expect(viaNpm.stdout).toContain('dist/thesis.pdf does not exist; run `npm run build`');
    const viaNpx = await runCli(['check', dir], { env: { npm_command: 'exec' } });
    expect(viaNpx.stdout).toContain('dist/thesis.pdf does not exist; run `npx thesis build`');
  });
});
