// Bundles the compiled CLI into one file, compiled/scripts/cli.bundle.js,
// which is what `npm run build` and the other commands start, and the
// Pandoc thread's and the Typst process's entries beside theirs. Node takes a
// quarter of a second to load the CLI's ~250 ES modules one by one (the
// unified/micromark family, yaml, ajv, …) and about a tenth of that to load
// one file; every command pays that at start-up. Each bundle sits beside its
// entry file, so paths worked out from import.meta.url stay the same.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from './core/bundle-options.js';

const here = path.dirname(fileURLToPath(import.meta.url));

await Promise.all([
  build({ ...bundleOptions, entryPoints: [path.join(here, 'cli.js')], outfile: path.join(here, 'cli.bundle.js') }),
  build({ ...bundleOptions, entryPoints: [path.join(here, 'core', 'pandoc-worker.js')], outfile: path.join(here, 'core', 'pandoc-worker.bundle.js') }),
  build({ ...bundleOptions, entryPoints: [path.join(here, 'compile', 'typst-server.js')], outfile: path.join(here, 'compile', 'typst-server.bundle.js') }),
]);
