// A thesis folder someone else wrote (issue 14, part 1): it reads nothing
// outside itself — not through thesis.yaml paths, image paths, symbolic
// links, math or raw Typst — each attempt is reported at its place, the
// build goes on, and nothing from the thesis acts on the terminal.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInside } from '../scripts/core/containment.js';
import { toolchainDir } from '../scripts/core/toolchain-dir.js';
import { ThesisBuild } from '../scripts/pipeline.js';
import { runCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { parseHTML } from 'linkedom';
import { copyProject, edit, repoDir, tempDir, write } from './helpers/project.js';

/** A file outside the project that an attack tries to print. */
function secretOutside(): { file: string; secret: string } {
  const secret = `SECRET${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
  const file = path.join(tempDir('thesis-secret-'), 'secret.txt');
  fs.writeFileSync(file, `${secret}\n`);
  return { file, secret };
}

describe('the sandbox', () => {
  it('refuses chapters, styles, templates and images outside the project, also through symbolic links, and builds on', async () => {
    const dir = copyProject('minimal');
    const { file, secret } = secretOutside();
    const relative = path.relative(path.join(dir, 'thesis'), file);
    fs.symlinkSync(file, path.join(dir, 'thesis', 'linked.md'));
    fs.symlinkSync(file, path.join(dir, 'thesis', 'linked.png'));
    fs.symlinkSync(path.dirname(file), path.join(dir, 'templates-outside'));
    edit(dir, 'thesis/thesis.yaml', (text) =>
      text
        .replace('csl: apa', `csl: ${file}`)
        .replace('  - two.md', `  - two.md\n  - ${file}\n  - ${relative}\n  - linked.md`)
        + `template: templates-outside/secret.typ\n`);
    fs.writeFileSync(path.join(path.dirname(file), 'secret.typ'), `#let thesis(..args, body) = [${secret}]\n#let references(..args, body) = []\n`);
    edit(dir, 'thesis/two.md', (text) => `${text}\n![a](linked.png)\n\n![b](${file})\n`);
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(0);
    const pdf = await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')));
    expect(pdf).not.toContain(secret);
    expect(pdf).toContain('Panopticism returns');
    const warnings = result.stderr.split('\n').filter((line) => line.includes('[path-outside-project]'));
    expect(warnings.length).toBeGreaterThanOrEqual(7);
    expect(result.stderr).toMatch(/thesis\.yaml:\d+:\d+: warning: citation style ".*secret\.txt" is outside the project folder/);
    expect(result.stderr).toMatch(/thesis\.yaml:\d+:\d+: warning: "linked\.md" is outside the project folder/);
    expect(result.stderr).toMatch(/thesis\.yaml:\d+:\d+: warning: `template`: "templates-outside\/secret\.typ" leads outside the project folder/);
    expect(result.stderr).toMatch(/two\.md:\d+:1: warning: image "linked\.png" is outside the project folder/);
  });

  it('counts no file outside the project among what a build depends on (a csl outside was watched; found by fuzzing)', () => {
    const dir = copyProject('minimal');
    const { file } = secretOutside();
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace('csl: apa', `csl: ${JSON.stringify(file)}`));
    const result = new ThesisBuild(dir).run({ until: 'resolve' });
    expect(result.diagnostics.map((d) => d.rule)).toContain('path-outside-project');
    expect(result.inputs.filter((input) => !isInside(input, [dir, toolchainDir]))).toEqual([]);
  });

  it('never runs code from math; raw Typst runs, but reads through a link out of the project nothing; --no-raw runs none', async () => {
    const dir = copyProject('minimal');
    const { file, secret } = secretOutside();
    fs.copyFileSync(file, path.join(dir, 'thesis', 'inside.txt'));
    fs.symlinkSync(file, path.join(dir, 'thesis', 'link.txt'));
    write(dir, 'thesis/two.md', [
      '# Two',
      '',
      'Math: $\\text{"#read("/thesis/inside.txt")"}$, $\\operatorname{a"b}$ and $\\read{x}$.',
      '',
      '```{=typst}',
      '#read("/thesis/link.txt")',
      '```',
      '',
    ].join('\n'));
    const linked = await runCli(['build', dir]);
    expect(linked.status).toBe(1);
    expect(linked.stderr).toMatch(/two\.md:5:1: error: thesis\/link\.txt is not given to Typst: a symbolic link leads from it out of the project folder/);
    expect(linked.stderr + linked.stdout).not.toContain(secret);
    // The thesis's own file: raw Typst reads it (once, from the raw block; never from the math), but not with --no-raw.
    edit(dir, 'thesis/two.md', (text) => text.replace('/thesis/link.txt', '/thesis/inside.txt'));
    expect((await runCli(['build', dir])).status).toBe(0);
    const trusted = await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')));
    expect(trusted.split(secret).length).toBe(2);
    const untrusted = await runCli(['build', dir, '--no-raw']);
    expect(untrusted.stderr).toMatch(/two\.md:5:1: warning: this ```\{=typst\} block is not run: raw Typst is switched off/);
    expect(await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).not.toContain(secret);
  });

  it('keeps a javascript: link from a chapter or a bibliography field out of the HTML output', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'bibliography/references.bib', (text) => `${text}\n@online{evil,\n  author = {Evil, Eve},\n  title = {Click},\n  year = {2020},\n  url = {javascript:alert(document.cookie)},\n}\n`);
    write(dir, 'thesis/two.md', '# Two\n\nA [harmless link](javascript:alert(1)) and a source [@evil].\n');
    const result = await runCli(['build', dir, '--to', 'html']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/two\.md:3:3: warning: a link to "javascript:alert\(1\)" would run code when clicked/);
    const html = fs.readFileSync(path.join(dir, 'dist', 'thesis.html'), 'utf8');
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('harmless link');
  }, 60_000);

  it('prints no control character from a thesis to the terminal', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/two.md', (text) => `${text}\nTODO fix \u001b[2J \u001b]0;owned\u0007 and \u202egnp.exe\n`);
    const result = await runCli(['check', dir]);
    const output = result.stdout + result.stderr;
    expect(output).toContain('TODO');
    expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(output).toContain('␛[2J ␛]0;owned␇ and <U+202E>gnp.exe');
  });

  it('lets no escape from a title, a milestone, a chapter name or a .bib field act on the terminal, in any command', async () => {
    const dir = copyProject('minimal');
    const hostile = '\u001b]52;c;cHduZWQ=\u0007\u001b[2J\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007\r\u202eevil\u001b[8m';
    edit(dir, 'thesis/thesis.yaml', (text) =>
      text.replace(/^title: .*$/m, `title: ${JSON.stringify(`Title ${hostile}`)}`).replace('  - title: Draft', `  - title: ${JSON.stringify(`Draft ${hostile}`)}`),
    );
    fs.renameSync(path.join(dir, 'thesis', 'two.md'), path.join(dir, 'thesis', 'two\u001b[2J.md'));
    edit(dir, 'thesis/thesis.yaml', (text) => text.replace(/\btwo\.md\b/g, JSON.stringify('two\u001b[2J.md')));
    edit(dir, 'bibliography/references.bib', (text) => text.replace(/title\s*=\s*\{/, `title = {Evil ${hostile.replace(/[{}]/g, '')} `));
    const runs = await Promise.all([
      runCli(['progress', dir, '--today', '2024-10-01']),
      runCli(['check', dir]),
      runCli(['refs', 'list', '--project', dir]),
      runCli(['refs', 'export', '--to', 'bibtex', '--project', dir]),
      runCli(['refs', 'check', '--project', dir]),
      runCli(['build', dir]),
    ]);
    for (const [index, result] of runs.entries()) {
      const output = result.stdout + result.stderr;
      // Nothing but line feeds, tabs and the toolchain's own colours (none here: not a terminal).
      expect(output, String(index)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
    expect(runs[0].stdout).toContain('Draft ␛]52;c;cHduZWQ=␇␛[2J');
  }, 120_000);

  it('escapes metadata in the HTML output\'s attributes, and gives raw HTML images as files or leaves them out with a warning', async () => {
    const dir = copyProject('minimal');
    const { file, secret } = secretOutside();
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}keywords: ['"><img src=x onerror=alert(2)>']\n`.replace(/^author: .*$/m, 'author: \'Eve "><b onmouseover=alert(3)>\''));
    fs.copyFileSync(path.join(repoDir, 'tests', 'fixtures', 'writer', 'crossrefs', 'map.png'), path.join(dir, 'thesis', 'map.png'));
    edit(dir, 'thesis/two.md', (text) => `${text}\nA map <img src="map.png" alt="a map"> inline.\n\n<img src="${file}">\n\n<img src="missing.png">\n`);
    const result = await runCli(['build', dir, '--to', 'html']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/two\.md:\d+:1: warning: the raw HTML image ".*secret\.txt" is not a file of the project; it is left out of this output \[image-missing\]/);
    expect(result.stderr).toMatch(/two\.md:\d+:1: warning: the raw HTML image "missing\.png" is not a file of the project/);
    const html = fs.readFileSync(path.join(dir, 'dist', 'thesis.html'), 'utf8');
    const { document } = parseHTML(html);
    // Each <meta> has only the attributes Pandoc's template writes: nothing broke out of content="…".
    for (const meta of document.querySelectorAll('meta')) for (const attribute of meta.getAttributeNames()) expect(['charset', 'name', 'content', 'http-equiv', 'role']).toContain(attribute);
    expect(document.querySelector('meta[name="keywords"]')?.getAttribute('content')?.replace(/\s+/g, ' ')).toBe('“><img src=x onerror=alert(2)>');
    expect(html).not.toContain(secret);
    expect(document.querySelectorAll('img[src^="data:image/png"]').length).toBe(1);
  }, 60_000);
});
