// Prints the run's totals as one plain line, `N passed, N failed[, N skipped]`, which CI reads.
// The line never reads 0 failed on a red run:
// - a test file that failed to run (an import error, a beforeAll that throws: its tests are
//   then reported as skipped) counts as one failure;
// - a test file that was scheduled but never ran counts as one failure: a global setup that
//   throws (PostgreSQL unreachable, the client build failing) ends the run before any file
//   starts, and vitest then reports no module and no error to reporters;
// - a run vitest itself calls failed (no test file found, say) counts at least one failure.
import type { Reporter, TestModule, TestRunEndReason, TestSpecification } from 'vitest/node';

export default class TotalsReporter implements Reporter {
  private scheduled = 0;

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>) {
    this.scheduled = specifications.length;
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<unknown>,
    reason: TestRunEndReason,
  ) {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      let failedTests = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failedTests += 1;
        else skipped += 1;
      }
      failed += failedTests;
      if (failedTests === 0 && module.state() === 'failed') failed += 1;
    }
    const neverRan = Math.max(0, this.scheduled - testModules.length);
    if (neverRan > 0) {
      console.log(
        `\n${neverRan} of ${this.scheduled} test files never ran (a global setup failed, or the run was cut short): each counts as a failure`,
      );
      failed += neverRan;
    }
    if (reason !== 'passed' && failed === 0) failed = 1;
    console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  }
}
