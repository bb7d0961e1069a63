// The file a thread or a child process of the toolchain starts from. Once
// compiled: the bundle beside the compiled module (it starts faster), else
// the compiled module. Run from the TypeScript sources (under vitest): a
// bundle of the sources made now with esbuild (a dev dependency, like the
// test runner) in node_modules/.cache, named by its content, so a test never
// runs a stale compiled copy.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bundleOptions } from './bundle-options.js';
import { sha256 } from './disk-cache.js';
import { toolchainLayout } from './layout.js';
import { writeFileAtomic } from './write-atomic.js';
import { codeDir, runningFromSources } from './toolchain-dir.js';

/** `module`: the entry's path under scripts/ without its extension, e.g. `core/pandoc-worker`. Null when it cannot be found. */
export function entryFile(module: string): string | null {
  if (!runningFromSources) {
    return [`${module}.bundle.js`, `${module}.js`].map((name) => path.join(codeDir, name)).find((file) => fs.existsSync(file)) ?? null;
  }
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const built = esbuild.buildSync({ ...bundleOptions, entryPoints: [path.join(codeDir, `${module}.ts`)], write: false, outfile: `${path.basename(module)}.js` });
  const code = built.outputFiles[0].contents;
  const file = path.join(toolchainLayout.cacheDir, `${path.basename(module)}-${sha256(code).slice(0, 16)}.mjs`);
  if (!fs.existsSync(file)) writeFileAtomic(file, code);
  return file;
}
