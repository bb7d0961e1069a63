// Colour only on a terminal, never with NO_COLOR; plain text everywhere else.
import { describe, expect, it } from 'vitest';
import { progressLine, useColour, type Terminal } from '../scripts/commands/output.js';
import { spawnCli } from './helpers/cli.js';
import { copyProject } from './helpers/project.js';

const terminal = (isTTY: boolean, env: Record<string, string> = {}): Terminal => ({
  stdout: { write: () => true, isTTY },
  stderr: { write: () => true, isTTY },
  cwd: '.',
  env,
  readStdin: async () => '',
});

describe('terminal colour', () => {
  it('is on for a terminal', () => {
    expect(useColour(terminal(true))).toBe(true);
  });

  it('is off when NO_COLOR is set, even on a terminal', () => {
    expect(useColour(terminal(true, { NO_COLOR: '' }))).toBe(false);
  });

  it('is off on a dumb terminal', () => {
    expect(useColour(terminal(true, { TERM: 'dumb' }))).toBe(false);
  });

  it('is off when output goes to a file or a pipe', () => {
    expect(useColour(terminal(false))).toBe(false);
  });

  it('leaves no escape codes in piped progress output, with or without NO_COLOR', async () => {
    for (const withoutNoColor of [true, false]) {
      const result = await spawnCli(['progress', copyProject('timeplan'), '--today', '2020-06-15'], { withoutNoColor, env: { TERM: 'xterm-256color' } });
      expect(result.status).toBe(0);
      expect(result.stdout).toContain('intro.md');
      expect(result.stdout).not.toMatch(/\x1b\[/);
    }
  });
});

describe('the progress line', () => {
  const recording = (isTTY: boolean) => {
    const written: string[] = [];
    const t: Terminal = { stdout: { write: () => true, isTTY }, stderr: { write: (text: string) => written.push(text), isTTY }, cwd: '.', env: {}, readStdin: async () => '' };
    return { t, written };
  };

  it('shows a slow asynchronous step after a second with its seconds, and clears itself', async () => {
    const { t, written } = recording(true);
    const line = progressLine(t, 'writing docx');
    await new Promise((resolve) => setTimeout(resolve, 1_150));
    line.done();
    expect(written).toEqual(['\r\x1b[Kwriting docx… 1 s', '\r\x1b[K']);
  });

  it('shows a synchronous step at once, and nothing at all off a terminal', async () => {
    const tty = recording(true);
    progressLine(tty.t, 'typesetting the thesis', { atOnce: true }).done();
    expect(tty.written).toEqual(['\r\x1b[Ktypesetting the thesis…', '\r\x1b[K']);
    const pipe = recording(false);
    const line = progressLine(pipe.t, 'writing docx', { atOnce: true });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    line.done();
    expect(pipe.written).toEqual([]);
  });
});
