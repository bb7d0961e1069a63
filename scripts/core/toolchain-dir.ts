// Where the toolchain lives (the repository root, beside package.json), and
// where its own code is: scripts/ when run from the TypeScript sources
// (vitest), compiled/scripts/ once compiled or bundled.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

function packageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

export const toolchainDir = packageRoot(path.dirname(here));

/** Whether this code runs from the TypeScript sources rather than compiled JavaScript. */
export const runningFromSources = here.endsWith('.ts');

/** The folder holding the code that runs: scripts/ or compiled/scripts/. */
export const codeDir = runningFromSources ? path.join(toolchainDir, 'scripts') : path.join(toolchainDir, 'compiled', 'scripts');
