// Ends every test run with the plain line `N passed, N failed` that CI counts,
// and makes the exit code say the same. Everything that can make a run fail
// counts as a failure: failed tests, test files that failed without running a
// test (an import error, a failing hook), and errors outside any test, such as
// an unhandled rejection or a worker whose event loop was blocked so long that
// vitest's calls to it timed out ("Timeout calling onTaskUpdate").
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from 'vitest/node';

export interface Verdict {
  passed: number;
  failed: number;
  skipped: number;
  /** Why each failure that is not a failed test counts. */
  notes: string[];
}

export function verdict(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): Verdict {
  const result: Verdict = { passed: 0, failed: 0, skipped: 0, notes: [] };
  for (const module of modules) {
    let failedTests = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') result.passed++;
      else if (state === 'failed') failedTests++;
      else result.skipped++;
    }
    result.failed += failedTests;
    if (module.state() === 'failed' && failedTests === 0) {
      result.failed++;
      result.notes.push(`${module.moduleId}: the file failed outside its tests`);
    }
  }
  for (const error of unhandledErrors) {
    result.failed++;
    result.notes.push(`unhandled error: ${String(error.message ?? error).split('\n')[0]}`);
  }
  // vitest knows of a failure this count missed (a run cut short, a setup error).
  if (reason !== 'passed' && result.failed === 0) {
    result.failed++;
    result.notes.push(`the run ended as "${reason}"`);
  }
  return result;
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): void {
    const { passed, failed, skipped, notes } = verdict(modules, unhandledErrors, reason);
    // After vitest's own summary, so it is the last line of the run; the exit
    // code is set there too, so the two can never disagree.
    process.once('exit', (code) => {
      let failures = failed;
      if (failures === 0 && code !== 0) {
        failures = 1;
        notes.push(`vitest exits with code ${code}`);
      }
      if (failures > 0 && code === 0) process.exitCode = 1;
      const line = `${passed} passed, ${failures} failed${skipped ? `, ${skipped} skipped` : ''}`;
      process.stdout.write(`\n${notes.map((note) => `counted as failed: ${note}\n`).join('')}${line}\n`);
    });
  }
}
