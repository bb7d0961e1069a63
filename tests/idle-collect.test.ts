// Watch between saves (issue 14, part 6: memory stays flat): a second after
// a build, the build's threads and Typst's process collect their garbage, so
// a long session's resident memory does not creep up (V8 grows a heap that
// has room rather than collect it). The collection itself, and builds after it.
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

  it('leaves the formatting thread and Typst\'s process working for the next build', async () => {
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
