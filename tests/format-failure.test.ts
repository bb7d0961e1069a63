// A failure of Pandoc's while formatting (its thread stopped, it did not answer, it refused the style) is
// reported and not kept: the next run, in the same process (watch) or a new one (the disk cache), formats again.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ThesisBuild } from '../scripts/pipeline.js';
import { ProjectLayout } from '../scripts/core/layout.js';
import { formatCitations, type FormatOptions } from '../scripts/format/citeproc.js';
import { FormatStep } from '../scripts/format/step.js';
import { copyProject } from './helpers/project.js';

/** The minimal thesis's citations and bibliography, resolved, and the options its build formats them with. */
function resolved(dir: string) {
  const build = new ThesisBuild(dir);
  try {
    const analysis = build.run({ until: 'resolve' }).analysis!;
    const options: FormatOptions = { style: analysis.style!, lang: 'en-US', linkCitations: false, nocite: [] };
    return { uses: analysis.citations, bibliography: analysis.bibliography, options };
  } finally {
    build.stop();
  }
}

describe('formatting when Pandoc fails', () => {
  it('says so, with nothing formatted and the result marked failed (a style Pandoc refuses)', () => {
    const { uses, bibliography, options } = resolved(copyProject('minimal'));
    const result = formatCitations(uses, bibliography, { ...options, style: { ...options.style, xml: '<style xmlns="http://purl.org/net/xbiblio/csl"' } });
    expect(result.failed).toBe(true);
    expect(result.references).toEqual([]);
    expect(result.diagnostics.map((d) => d.rule)).toContain('bib-unformattable');
    expect(formatCitations(uses, bibliography, options).failed).toBeUndefined();
  }, 60_000);

  it('keeps nothing of a failed run: the next run formats again, in the same process and in a new one', () => {
    const dir = copyProject('minimal');
    const { uses, bibliography, options } = resolved(dir);
    const layout = new ProjectLayout(dir);
    let failures = 1;
    const flaky: typeof formatCitations = (...args) => {
      if (failures-- > 0) {
        const failed = formatCitations(args[0], args[1], { ...args[2], style: { ...args[2].style, xml: '<not a style' } });
        expect(failed.failed).toBe(true);
        return failed;
      }
      return formatCitations(...args);
    };
    const step = new FormatStep(layout, flaky);
    expect(step.run(uses, bibliography, options).diagnostics.map((d) => d.rule)).toContain('bib-unformattable');
    expect(fs.existsSync(path.join(dir, 'dist', '.cache', 'citations.json'))).toBe(false);
    const again = step.run(uses, bibliography, options);
    expect(again.diagnostics).toEqual([]);
    expect(again.formatted.references.length).toBeGreaterThan(0);
    // A new process reads what the run before it kept: the formatted citations, not the failure.
    let formattedAgain = false;
    const fresh = new FormatStep(layout, (...args) => ((formattedAgain = true), formatCitations(...args)));
    expect(fresh.run(uses, bibliography, options).formatted.references.length).toBeGreaterThan(0);
    expect(formattedAgain).toBe(false);
  }, 60_000);
});
