// Watch between saves (issue 14, part 6: memory stays flat): a second after
// a build, the build's threads and Typst's process collect their garbage, so
// a long session's resident memory does not creep up (V8 grows a heap that
// has room rather than collect it). The collection itself, and builds after it.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from '../scripts/core/collect-garbage.js';
import { ThesisBuild } from '../scripts/pipeline.js';
import { copyProject, edit } from './helpers/project.js';

describe('collecting garbage while watch is idle', () => {
  it('frees what nothing refers to any more, on this thread', () => {
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    let garbage: number[][] | null = Array.from({ length: 100 }, (_, i) => new Array(50_000).fill(i));
    expect(process.memoryUsage().heapUsed - before).toBeGreaterThan(30_000_000);
    garbage = null;
    collectGarbage();
    expect(garbage).toBeNull();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(5_000_000);
  });

  it('leaves the Pandoc thread and Typst\'s process working for the next build', async () => {
    const dir = copyProject('minimal');
    const build = new ThesisBuild(dir);
    try {
      const first = build.run({ preview: true });
      expect(first.ok).toBe(true);
      build.idle();
      await new Promise((resolve) => setTimeout(resolve, 200));
      edit(dir, 'thesis/one.md', (text) => `${text}\nA sentence after the pause [@luxon2008].\n`);
      const second = build.run({ preview: true });
      expect(second.diagnostics).toEqual([]);
      expect(second.ok).toBe(true);
      expect(second.pages).toBe(first.pages);
    } finally {
      build.stop();
    }
  }, 60_000);
});

describe('Typst\'s process after many compiles', () => {
  /** The Typst processes this test process started (typst-server.ts, one per project). */
  const allTypstProcesses = () =>
    spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((line) => line.includes('typst-server'))
      .map((line) => Number(line.trim().split(/\s+/)[0]));

  it('is replaced while watch is idle by a fresh one, warmed with the last document, and builds go on', async () => {
    // Those of builds of other test files run earlier in this process are not this build's.
    const others = new Set(allTypstProcesses());
    const typstProcesses = () => allTypstProcesses().filter((pid) => !others.has(pid));
    process.env.THESIS_TEST_TYPST_RECYCLE_AFTER = '3';
    const dir = copyProject('minimal');
    const build = new ThesisBuild(dir);
    try {
      for (let i = 0; i < 3; i++) {
        edit(dir, 'thesis/one.md', (text) => `${text}\nSentence ${i}.\n`);
        expect(build.run({ preview: true }).ok).toBe(true);
      }
      const before = typstProcesses();
      expect(before).toHaveLength(1);
      build.idle();
      let after = typstProcesses();
      for (let waited = 0; (after.includes(before[0]) || after.length !== 1) && waited < 10_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        after = typstProcesses();
      }
      expect(after).toHaveLength(1);
      expect(after[0]).not.toBe(before[0]);
      edit(dir, 'thesis/one.md', (text) => `${text}\nA sentence for the fresh process [@luxon2008].\n`);
      const next = build.run({ preview: true });
      expect(next.diagnostics).toEqual([]);
      expect(next.ok).toBe(true);
      expect(typstProcesses()).toEqual(after);
    } finally {
      build.stop();
      delete process.env.THESIS_TEST_TYPST_RECYCLE_AFTER;
    }
  }, 60_000);
});
