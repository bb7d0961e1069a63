// The main file's text sent to Typst's process as what changed since the text before (compile/main-text.ts).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mainText, receivedText } from '../scripts/compile/main-text.js';
import { ThesisBuild } from '../scripts/pipeline.js';
import { copyProject, edit } from './helpers/project.js';
import { pdfText } from './helpers/pdf-text.js';

/** A random text of `length` characters from a small alphabet (many repeats, as a thesis's Typst has). */
function randomText(random: () => number, length: number): string {
  const alphabet = 'ab \n#[]é€𝒜';
  let text = '';
  while (text.length < length) text += alphabet[Math.floor(random() * alphabet.length)] ?? 'a';
  return text;
}

describe('the main text sent as a change', () => {
  it('gives back the text sent, for edits anywhere, of any size, across the stride it compares by', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let run = 0; run < 300; run++) {
      const before = randomText(random, Math.floor(random() * 20_000));
      const at = Math.floor(random() * (before.length + 1));
      const cut = Math.floor(random() * Math.min(5000, before.length - at + 1));
      const after = before.slice(0, at) + randomText(random, Math.floor(random() * 3000)) + before.slice(at + cut);
      const sent = mainText(run + 1, after, { id: run, text: before });
      expect(receivedText(sent, { id: run, text: before })).toBe(after);
      // Only the change travels.
      if ('middle' in sent) expect(sent.middle.length).toBeLessThanOrEqual(after.length - sent.head - sent.tail);
    }
  });

  it('sends little for a small edit of a long text, and nothing for the same text', () => {
    const long = 'A paragraph of the thesis.\n\n'.repeat(60_000);
    const edited = long.slice(0, 800_000) + 'An edit.' + long.slice(800_000);
    const sent = mainText(2, edited, { id: 1, text: long });
    expect('middle' in sent && sent.middle).toBe('An edit.');
    const same = mainText(3, edited, { id: 2, text: edited });
    expect('middle' in same && same.middle).toBe('');
    expect(receivedText(same, { id: 2, text: edited })).toBe(edited);
  });

  it('is refused against another text than the one it was made against, and whole when there was none', () => {
    const sent = mainText(5, 'new text', { id: 4, text: 'old text' });
    expect(receivedText(sent, { id: 3, text: 'old text' })).toBeNull();
    expect(receivedText(sent, undefined)).toBeNull();
    expect(mainText(1, 'first', undefined)).toEqual({ id: 1, text: 'first' });
  });
});

describe('a change sent to a Typst process that does not have the text before', () => {
  it('is sent again whole: a build after its process made way for other projects’ compiles what was saved', async () => {
    const [first, ...others] = [copyProject('minimal'), copyProject('minimal'), copyProject('minimal')];
    const builds = [first, ...others].map((dir) => new ThesisBuild(dir));
    try {
      expect(builds[0].run({ preview: true }).ok).toBe(true);
      // Two other projects: the first one's process makes way (two are kept at once, compile/typst-process.ts).
      for (const build of builds.slice(1)) expect(build.run({ preview: true }).ok).toBe(true);
      edit(first, 'thesis/one.md', (text) => `${text}\nA sentence saved while another project built.\n`);
      const again = builds[0].run({ preview: true });
      expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(await pdfText(fs.readFileSync(again.pdfFile!))).toContain('A sentence saved while another project built.');
    } finally {
      for (const build of builds) build.stop();
    }
  }, 60_000);
});
