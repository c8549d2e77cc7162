// Mutation testing (docs/mutation-testing.md): `npx pnpm mutation` mutates the rules behind the
// project's strongest promises and runs the fast front-door tests that cover them
// (vitest.mutation.config.ts, on PGlite). MUTATE=<glob or file:lines,...> narrows a run.
// Bounded for a shared 2-core machine: one test runner, tests per mutant chosen from per-test
// coverage.
const ALL = [
  // Who sees what: the where builders, the change judgment, the recorded audiences.
  'packages/server/src/modules/visibility/visibility.policy.ts',
  'packages/server/src/db/audience.ts',
  // What a viewer sees of one change (ENTERED / MODIFIED / LEFT) and the change log's scope.
  'packages/server/src/modules/change/change.type.ts',
  // Replay, the seam with live records, the buffer limit.
  'packages/server/src/live/change-stream.ts',
  // The evaluation cycle: readiness and carried-on decisions, white-paper publication.
  'packages/server/src/modules/evaluation/evaluation-stage.policy.ts',
  'packages/server/src/modules/white-paper/white-paper.service.ts',
  // Open data imports (being rewritten at the time of the first run: see the doc).
  'packages/server/src/modules/open-data/import.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // pnpm keeps plugins out of core's reach: name them.
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  mutate: process.env.MUTATE ? process.env.MUTATE.split(',') : ALL,
  coverageAnalysis: 'perTest',
  concurrency: 1,
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // The sandbox needs the sources and tests, not the bench, docs or built dashboards.
  ignorePatterns: ['bench', 'docs', 'reports', 'packages/dashboard', 'packages/*/dist', '.ci'],
};
