// The last line of `npm test` is what CI reads: it must agree with the exit
// code, whatever made the run fail. Each case runs a child vitest with our
// reporters on a deliberately passing or failing fixture.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, repoDir } from './helpers/project.js';

function childVitest(testCase: string): Promise<{ status: number | null; lastLine: string; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(repoDir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', path.join(fixturesDir, 'verdict', 'vitest.config.ts')], {
      cwd: repoDir,
      env: { ...process.env, VERDICT_CASE: testCase, NO_COLOR: '1', CI: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      const lines = output.trimEnd().split('\n');
      resolve({ status, lastLine: lines[lines.length - 1], output });
    });
  });
}

// The four child runs start at once (each is a process of its own), so the file takes the time of one.
const runs = Object.fromEntries(
  ['passing', 'failing', 'unhandled', 'broken-file'].map((name) => {
    const run = childVitest(name);
    run.catch(() => {}); // a failed start is reported by the test that awaits it, not as an unhandled rejection
    return [name, run];
  }),
);

describe('the verdict line of a test run', () => {
  it('says all passed, with exit 0, when all pass', async () => {
    const run = await runs['passing'];
    expect(run.lastLine).toBe('2 passed, 0 failed');
    expect(run.status).toBe(0);
  });

  it('counts a failed test, with exit 1', async () => {
    const run = await runs['failing'];
    expect(run.lastLine).toBe('1 passed, 1 failed');
    expect(run.status).toBe(1);
  });

  it('counts an error outside any test as a failure, with exit 1', async () => {
    const run = await runs['unhandled'];
    expect(run.output).toContain('counted as failed: unhandled error: rejected outside any test on purpose');
    expect(run.lastLine).toBe('1 passed, 1 failed');
    expect(run.status).toBe(1);
  });

  it('counts a test file that cannot load as a failure, with exit 1', async () => {
    const run = await runs['broken-file'];
    expect(run.lastLine).toBe('0 passed, 1 failed');
    expect(run.status).toBe(1);
  });
});
