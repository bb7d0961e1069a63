// `npm run fuzz -- --runs N [--seed S]`: the fuzzing suite (tests/fuzz.test.ts)
// for as many generated theses as asked (npm test runs six), and the incremental
// parser against whole parses on as many generated documents (npm test: 30). Prints
// fast-check's counterexample and seed when a property fails; a failure
// found becomes a case in tests/crash-inputs.test.ts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { toolchainDir } from '../core/toolchain-dir.js';

const args = process.argv.slice(2);
const value = (flag: string) => {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
};
const runs = Number(value('--runs') ?? 200);
const seed = value('--seed');
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: npm run fuzz -- --runs N [--seed S]\n');
  process.exit(2);
}
const started = performance.now();
// The build's properties, incremental parsing against a whole parse on as many generated documents (at least 100),
// and as many random edits of a generated chapter for the preview's quick draft against the next run's text.
const result = spawnSync(process.execPath, [path.join(toolchainDir, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'tests/fuzz.test.ts', 'tests/incremental-parse.test.ts', 'tests/quick-draft.test.ts'], {
  cwd: toolchainDir,
  stdio: 'inherit',
  env: { ...process.env, CI: '1', FUZZ_RUNS: String(runs), PARSE_RUNS: String(Math.max(100, runs)), QUICK_DRAFT_RUNS: String(Math.max(100, runs)), ...(seed ? { FUZZ_SEED: seed } : {}) },
});
process.stdout.write(`fuzz: ${runs} generated theses (chapter, bibliography, language) in ${((performance.now() - started) / 1000).toFixed(0)} s: ${result.status === 0 ? 'no property failed' : 'a property failed (see above)'}\n`);
process.exit(result.status ?? 1);
