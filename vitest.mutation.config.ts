// The tests StrykerJS runs against each mutant (stryker.config.mjs, `npx pnpm mutation`): the
// fast front-door tests of the mutated modules, on embedded PGlite only. @hoshin/server is
// pointed at this checkout's sources, so the mutated copy in Stryker's sandbox is the one
// tested (the workspace link would reach the unmutated original).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const graphqlEntry = createRequire(
  new URL('./packages/server/package.json', import.meta.url),
).resolve('graphql');
const server = (path: string) =>
  fileURLToPath(new URL(`./packages/server/src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^graphql$/, replacement: graphqlEntry },
      { find: /^@hoshin\/server\/app$/, replacement: server('app.ts') },
      { find: /^@hoshin\/server\/testing$/, replacement: server('testing.ts') },
    ],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TEST_DATABASE: 'pglite' },
    include: (
      process.env.MUTATION_TESTS ??
      [
        'tests/visibility/change-logs.test.ts',
        'tests/visibility/scenario.test.ts',
        'tests/live/visibility-memo.test.ts',
        'tests/live/replay.test.ts',
        'tests/cycle/publish.test.ts',
      ].join(',')
    ).split(','),
  },
});
