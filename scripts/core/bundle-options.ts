// How the toolchain's entry files are bundled with esbuild: by bundle.ts at
// `npm ci`, and by the Pandoc thread when it runs from the TypeScript
// sources (under vitest), so tests run the code as it is now.
//
// Kept out of the bundle: the Typst compiler (a native addon), and what the
// code loads itself at run time (citation-js through createRequire,
// pandoc-wasm by its file's URL).
import type { BuildOptions } from 'esbuild';

export const bundleOptions: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // harper.js finds its WebAssembly beside its own file, and is optional (see report/grammar.ts).
  external: ['@myriaddreamin/typst-ts-node-compiler', 'harper.js', 'harper.js/binary'],
  // CommonJS packages inside an ES module bundle still need a `require`.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
};
