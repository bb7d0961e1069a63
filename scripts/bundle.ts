// Bundles the compiled CLI into one file, compiled/scripts/cli.bundle.js,
// which is what `npm run build` and the other commands start, and the
// formatting thread's entry into format/format-worker.bundle.js. Node takes a
// quarter of a second to load the CLI's ~250 ES modules one by one (the
// unified/micromark family, yaml, ajv, …) and about a tenth of that to load
// one file; every command pays that at start-up.
//
// Kept out of the bundle: the Typst compiler (a native addon), and what the
// code loads itself at run time (citeproc-js and citation-js through
// createRequire). Each bundle sits beside its entry file, so paths worked
// out from import.meta.url stay the same.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

const options: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: ['@myriaddreamin/typst-ts-node-compiler'],
  // CommonJS packages inside an ES module bundle still need a `require`.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
};

await Promise.all([
  build({ ...options, entryPoints: [path.join(here, 'cli.js')], outfile: path.join(here, 'cli.bundle.js') }),
  build({ ...options, entryPoints: [path.join(here, 'format', 'format-worker.js')], outfile: path.join(here, 'format', 'format-worker.bundle.js') }),
]);
