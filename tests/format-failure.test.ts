// A failure of Pandoc's while formatting (its thread stopped, it did not answer) is not kept: the next run, in
// the same process (watch) or a new one (the disk cache), formats again.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ThesisBuild } from '../scripts/pipeline.js';
import { copyProject } from './helpers/project.js';

const pandoc = vi.hoisted(() => ({ failures: 0 }));
vi.mock('../scripts/format/pandoc-citeproc.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../scripts/format/pandoc-citeproc.js')>();
  return {
    ...real,
    formatWithPandoc: (request: Parameters<typeof real.formatWithPandoc>[0]) => {
      if (pandoc.failures > 0) {
        pandoc.failures--;
        throw new Error('Pandoc did not answer within 10 minutes');
      }
      return real.formatWithPandoc(request);
    },
  };
});

describe('a run where Pandoc failed', () => {
  it('reports it, and the next run formats the citations again, in the same process and in a new one', () => {
    const dir = copyProject('minimal');
    pandoc.failures = 1;
    const build = new ThesisBuild(dir);
    try {
      const failed = build.run({ preview: true });
      expect(failed.diagnostics.map((d) => d.message)).toContainEqual(expect.stringContaining('Pandoc did not answer'));
      expect(fs.existsSync(path.join(dir, 'dist', '.cache', 'citations.json'))).toBe(false);
      const again = build.run({ preview: true });
      expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(again.analysis?.formatted?.references.length).toBeGreaterThan(0);
    } finally {
      build.stop();
    }
    // A new process reads what the run before it kept: the formatted citations, not the failure.
    const next = new ThesisBuild(dir);
    try {
      const run = next.run({ preview: true });
      expect(run.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    } finally {
      next.stop();
    }
  }, 60_000);
});
