import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/helpers/setup.ts'],
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Builds load fonts and the citation processor; two cores, two workers.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // The test files of a worker run one after another in the same process: Pandoc (a 50 MB WebAssembly
    // module, 2.7 s to load and compile) and the toolchain's modules load once a worker, not once a file
    // (254 s -> 157 s for the whole run on two cores). Each file makes its own thesis folders and builds;
    // what a file sets in process.env it restores; Typst's processes are at most two a process
    // (compile/typst-process.ts MAX_SERVERS), the one used longest ago making way.
    isolate: false,
  },
});
