// Writes dist/progress.html and dist/progress.json from the progress model.
// `build` and `progress` both call this; there is no second copy.
import type { Analysis } from '../pipeline.js';
import { writeFileAtomic } from '../core/write-atomic.js';
import { renderProgressHtml } from './html.js';
import { buildProgress, type ProgressReport } from './progress.js';

export function writeProgressReport(analysis: Analysis, today?: Date): ProgressReport {
  const { layout } = analysis.project;
  const report = buildProgress(analysis, { today });
  writeFileAtomic(layout.progressJsonFile, JSON.stringify(report, null, 2) + '\n');
  writeFileAtomic(layout.progressHtmlFile, renderProgressHtml(report));
  return report;
}
