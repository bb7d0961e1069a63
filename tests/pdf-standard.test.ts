// PDF/A and PDF/UA (issue 12): `pdf-standard` in thesis.yaml or
// `--pdf-standard`, checked on the written PDF requirement by requirement
// with a PDF parser we did not write (tests/helpers/pdf-standard.ts).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { readPdfStandard } from './helpers/pdf-standard.js';
import { copyProject, edit, write } from './helpers/project.js';

const pdfOf = (dir: string) => fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf'));

describe('an archival PDF', () => {
  it('is PDF/A-2b when thesis.yaml asks for it: identified in XMP, with an output intent, every font embedded, not encrypted', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}pdf-standard: a-2b\nkeywords: [social credit, governmentality]\ndate: 2020-08-31\n`);
    const result = await runCli(['build', dir]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = await readPdfStandard(pdfOf(dir));
    expect(report.failures).toEqual([]);
    expect([report.part, report.conformance]).toEqual(['2', 'B']);
    expect(report.title).toBe('A Small Thesis');
    expect(report.keywords).toBe('social credit, governmentality');
    expect(report.language).toBe('en-US');
  });

  it('is not claimed when not asked for (the check can fail)', async () => {
    const dir = copyProject('minimal');
    expect((await runCli(['build', dir])).status).toBe(0);
    const report = await readPdfStandard(pdfOf(dir));
    expect(report.part).toBeUndefined();
    expect(report.failures).toContain('no output intent');
  });

  it('is PDF/UA-1 with --pdf-standard, and an image without a text alternative is an error at its line', async () => {
    const dir = copyProject('minimal');
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'writer', 'figures', 'pixel.png'), path.join(dir, 'thesis', 'pixel.png'));
    write(dir, 'thesis/two.md', '# Two\n\n![](pixel.png)\n\n![A described picture](pixel.png)\n');
    const failed = await runCli(['build', '--pdf-standard', 'ua-1', dir]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/thesis\/two\.md:3:1: error: this image has no text alternative, which UA-1 requires/);
    write(dir, 'thesis/two.md', '# Two\n\n![A described picture](pixel.png)\n');
    expect((await runCli(['build', '--pdf-standard', 'ua-1', dir])).status).toBe(0);
    expect((await readPdfStandard(pdfOf(dir))).uaPart).toBe('1');
  });

  it('names a standard it does not know at its line in thesis.yaml', async () => {
    const dir = copyProject('minimal');
    edit(dir, 'thesis/thesis.yaml', (text) => `${text}pdf-standard: a-9z\n`);
    const result = await runCli(['build', dir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/thesis\.yaml:\d+:1: error: `pdf-standard` must be one of a-1b, .*a-2b, .*ua-1 \[config-invalid\]/);
  });
});

describe("this repository's thesis", () => {
  it('is built as PDF/A-2b, with its keywords', async () => {
    const dir = copyProject('repo');
    expect((await runCli(['build', dir])).status).toBe(0);
    const report = await readPdfStandard(pdfOf(dir));
    expect(report.failures).toEqual([]);
    expect([report.part, report.conformance]).toEqual(['2', 'B']);
    expect(report.keywords).toContain('Social Credit System');
  });
});
