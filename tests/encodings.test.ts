// Chapters as editors save them (issue 14, part 5): UTF-16 and UTF-32 with a
// BOM decoded, Latin-1 bytes a positioned warning, lone carriage returns as
// line ends, front matter left open a warning — never silent garbage.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText } from '../scripts/core/inputs.js';
import { runCli } from './helpers/cli.js';
import { pdfText } from './helpers/pdf-text.js';
import { copyProject, write } from './helpers/project.js';

const chapter = '# Zweites Kapitel\n\nGrüße aus Wien, 社会信用体系 [@luxon2008].\n';

function utf32(text: string, order: 'le' | 'be'): Buffer {
  const points = [...text].map((ch) => ch.codePointAt(0)!);
  const out = Buffer.alloc(4 + points.length * 4);
  out.set(order === 'le' ? [0xff, 0xfe, 0, 0] : [0, 0, 0xfe, 0xff]);
  points.forEach((code, i) => (order === 'le' ? out.writeUInt32LE(code, 4 + i * 4) : out.writeUInt32BE(code, 4 + i * 4)));
  return out;
}

describe('text files in any encoding an editor writes', () => {
  it.each([
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(chapter)])],
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(chapter, 'utf16le')])],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(chapter, 'utf16le').swap16()])],
    ['UTF-32 LE with a BOM', utf32(chapter, 'le')],
    ['UTF-32 BE with a BOM', utf32(chapter, 'be')],
  ])('%s is read as the text it holds', (_name, bytes) => {
    const { text, problem } = decodeText(bytes);
    expect(text).toBe(chapter);
    expect(problem).toBeUndefined();
  });

  it.each([
    ['a lone high surrogate in UTF-16 LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('# A\n\nab\ud800cd\n', 'utf16le')]), 3, 3, 'half of a UTF-16 surrogate pair (0xd800, byte 16)'],
    ['a lone low surrogate in UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('x\udc00\n', 'utf16le').swap16()]), 1, 2, 'half of a UTF-16 surrogate pair (0xdc00, byte 4)'],
    ['a lone surrogate after a line ended by a lone CR (found by fuzzing)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\rb\ud93c\n', 'utf16le')]), 2, 2, 'half of a UTF-16 surrogate pair (0xd93c, byte 8)'],
    ['a UTF-16 file cut in half a character', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab\n', 'utf16le'), Buffer.from([0x41])]), 2, 1, 'ends in half a character'],
    ['a surrogate in UTF-32', utf32('# A\n\nab', 'le').subarray(0, 4 + 7 * 4), 3, 3, 'no Unicode character'],
  ])('%s is read as � with a positioned warning', (_name, bytes, line, column, message) => {
    const surrogate = _name.includes('UTF-32') ? Buffer.concat([bytes, Buffer.from([0x00, 0xd8, 0, 0])]) : bytes;
    const { text, problem } = decodeText(surrogate);
    expect(text).toContain('\ufffd');
    expect(problem?.rule).toBe('encoding-invalid');
    expect(problem?.message).toContain(message);
    expect([problem?.line, problem?.column]).toEqual([line, column]);
  });

  it('reads a UTF-16 chapter into the PDF, and reports Latin-1 bytes at their line, column and byte', async () => {
    const dir = copyProject('minimal');
    fs.writeFileSync(path.join(dir, 'thesis', 'two.md'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(chapter, 'utf16le')]));
    const utf16 = await runCli(['build', dir]);
    expect(utf16.status).toBe(0);
    expect(utf16.stderr).not.toContain('encoding-invalid');
    expect(await pdfText(fs.readFileSync(path.join(dir, 'dist', 'thesis.pdf')))).toContain('Grüße aus Wien, 社会信用体系 (Luxon, 2008)');
    fs.writeFileSync(path.join(dir, 'thesis', 'two.md'), Buffer.concat([Buffer.from('# Zwei\n\nLatin: Gr'), Buffer.from([0xfc, 0xdf]), Buffer.from('e.\n')]));
    const latin1 = await runCli(['build', dir]);
    expect(latin1.status).toBe(0);
    expect(latin1.stderr).toContain('thesis/two.md:3:10: warning: the file is not valid UTF-8 (byte 17, 0xfc; saved as Latin-1 or Windows-1252?)');
  });

  it('counts lines ended by a lone carriage return, and warns of front matter never closed', async () => {
    const dir = copyProject('minimal');
    write(dir, 'thesis/two.md', '---\rtitle: Second\r---\r\r# Second\r\rCR only [see @luxon2008.\r');
    const cr = await runCli(['build', dir]);
    expect(cr.stderr).toContain('thesis/two.md:7:9: warning: unclosed bracket before @luxon2008');
    write(dir, 'thesis/two.md', '---\ntitle: Second\nstatus: draft\n\n# Second\n\nText.\n');
    const open = await runCli(['build', dir]);
    expect(open.stderr).toContain('thesis/two.md:1:1: warning: the front matter opened on line 1 is never closed, so it is printed as text (as Pandoc does)');
  });
});
