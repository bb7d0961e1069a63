// Writes dist/progress.html and dist/progress.json from the progress model.
// `build` and `progress` both call this; there is no second copy.
import path from 'node:path';
import type { Analysis } from '../pipeline.js';
import { outputDir } from '../pipeline.js';
import { writeFileAtomic } from '../write-atomic.js';
import { renderProgressHtml } from './html.js';
import { buildProgress, type ProgressReport } from './progress.js';

export function historyCacheFile(projectDir: string): string {
  return path.join(outputDir(projectDir), '.cache', 'history.json');
}

export function writeProgressReport(analysis: Analysis, today?: Date): ProgressReport {
  const report = buildProgress(analysis, { today, cacheFile: historyCacheFile(analysis.project.dir) });
  const dist = outputDir(analysis.project.dir);
  writeFileAtomic(path.join(dist, 'progress.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileAtomic(path.join(dist, 'progress.html'), renderProgressHtml(report));
  return report;
}
