// Colour only on a terminal, never with NO_COLOR; plain text everywhere else.
import { afterEach, describe, expect, it } from 'vitest';
import { useColour } from '../scripts/commands/output.js';
import { runCli } from './helpers/cli.js';
import { copyProject } from './helpers/project.js';

const stream = (isTTY: boolean) => ({ isTTY }) as NodeJS.WriteStream;
const saved = process.env.NO_COLOR;
afterEach(() => {
  if (saved === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = saved;
});

describe('terminal colour', () => {
  it('is on for a terminal', () => {
    delete process.env.NO_COLOR;
    expect(useColour(stream(true))).toBe(true);
  });

  it('is off when NO_COLOR is set, even on a terminal', () => {
    process.env.NO_COLOR = '';
    expect(useColour(stream(true))).toBe(false);
  });

  it('is off when output goes to a file or a pipe', () => {
    delete process.env.NO_COLOR;
    expect(useColour(stream(false))).toBe(false);
  });

  it('leaves no escape codes in piped progress output, with or without NO_COLOR', () => {
    for (const withoutNoColor of [true, false]) {
      const result = runCli(['progress', copyProject('timeplan'), '--today', '2020-06-15'], { withoutNoColor, env: { TERM: 'xterm-256color' } });
      expect(result.stdout).toContain('intro.md');
      expect(result.stdout).not.toMatch(/\x1b\[/);
    }
  });
});
