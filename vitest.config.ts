// Two projects: the whole suite on embedded PGlite (no services needed), and, when
// TEST_DATABASE_URL names a PostgreSQL server, every database test again on it. A URL that
// is set but unreachable fails the run: it never skips.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import LongestFirst from './tests/support/sequencer.ts';

// graphql 16 ships CommonJS and ESM copies with no exports map: Node (and so Yoga) loads the
// CommonJS one, Vite would hand our sources the ESM one, and `instanceof GraphQLError` would
// then fail across the two. Point everything at the copy Node uses.
const graphqlEntry = createRequire(
  new URL('./packages/server/package.json', import.meta.url),
).resolve('graphql');

const postgresUrl = process.env.TEST_DATABASE_URL;

/**
 * Files side by side: a `--maxWorkers` given on the command line, else twice the cores (below).
 * Vitest applies the command line's value to the root config only, and the projects (which
 * extend this file's config) kept the default: `--maxWorkers=1` still ran 4 files at once.
 */
function maxWorkers(): number {
  const argv = process.argv;
  const at = argv.findIndex((arg) => /^--max-?workers(=|$)/i.test(arg));
  const given = at === -1 ? undefined : (argv[at]?.split('=')[1] ?? argv[at + 1]);
  const count = Number(given);
  return Number.isInteger(count) && count > 0 ? count : Math.min(8, 2 * availableParallelism());
}
const include = ['tests/**/*.test.ts', 'packages/*/test/**/*.test.ts'];

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    reporters: ['default', './tests/support/totals-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files run side by side, both projects' at once (each file has its own database:
    // an in-memory PGlite, or its own copy of the PostgreSQL template; servers listen on free
    // ports; data folders are temporary; a test on the shared Redis uses its own key prefix or
    // client addresses, the others start their own redis-server). Most of a file's
    // time is spent waiting (on a server process, a stream, a database), so more workers than
    // cores: vitest's default (cores - 1) is one worker on a 2-core machine.
    maxWorkers: maxWorkers(),
    // A worker takes its next file of the same project in the same process, with the modules
    // already loaded: the server's graph and its schema are built once per worker, not once
    // per file (read-api on one worker: import 53 s -> 9 s, CPU 123 s -> 78 s). What a file
    // sets up is still its own (database, app, servers, data folders, Redis prefix), and no
    // test mocks a module or changes process.env; a file must close what it opens.
    isolate: false,
    // One project after the other (workers keep their modules), longest files first in each.
    sequence: { sequencer: LongestFirst },
    // With files side by side on a busy machine an event may take more than expect.poll's
    // default second to arrive; a poll still ends as soon as its condition holds.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          // Tests that need PostgreSQL or a Redis server: the postgres project runs them.
          include,
          exclude: [
            'tests/live/instances.test.ts',
            'tests/faults/**',
            'tests/webhooks/instances.test.ts',
          ],
          env: { TEST_DATABASE: 'pglite' },
          globalSetup: [
            // Builds @hoshin/client once: its tests use the package as an integrator would.
            'tests/client/support/build-client.ts',
            // Dumps the migrated PGlite template once: each test database loads that copy.
            'tests/support/pglite-template.ts',
          ],
        },
      },
      ...(postgresUrl
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                // Only the tests that touch a database; the rest would just run twice.
                include: [
                  'tests/db/**/*.test.ts',
                  'tests/read-api/**/*.test.ts',
                  'tests/writes/**/*.test.ts',
                  'tests/live/instances.test.ts',
                  // The CLI administering tokens while a server runs on PostgreSQL.
                  'tests/server/administration.test.ts',
                  // The visibility model's proof (and what it found), on PostgreSQL too.
                  'tests/live/model.test.ts',
                  'tests/live/model-findings.test.ts',
                  // Live fan-out: what each visibility class receives when executions are shared.
                  'tests/live/shared-execution.test.ts',
                  // Replays past one page, and a write landing during a replay (issue 31).
                  'tests/live/replay.test.ts',
                  'tests/cache/**/*.test.ts',
                  'tests/hostile/**/*.test.ts',
                  'tests/visibility/**/*.test.ts',
                  // The evaluation cycle (issue 18): stages, decisions, white papers, chains,
                  // targets and their status, the plan as of a point.
                  'tests/cycle/**/*.test.ts',
                  'tests/open-data/round-trip.test.ts',
                  // Imports through the services: the same refusals and change records.
                  'tests/open-data/import-rules.test.ts',
                  // Imports in chunks: change records batched, statements per row bounded.
                  'tests/open-data/import-chunks.test.ts',
                  // Stages, targets, actuals and status rules in and out; the multipart upload.
                  'tests/open-data/cycle-io.test.ts',
                  // Exports streamed by one statement (a cursor here) against Prisma's rows.
                  'tests/open-data/export-stream.test.ts',
                  // Real server processes on PostgreSQL, and a Redis the test starts and stops.
                  'tests/faults/**/*.test.ts',
                  // Webhooks: the one queue, two instances delivering from it.
                  'tests/webhooks/**/*.test.ts',
                ],
                // Files in those folders that never open the test database: the embedded data
                // folder (the servers they start run on PGlite whatever the project), or no
                // database at all. Here they would repeat the pglite project's run exactly.
                exclude: [
                  'tests/db/embedded-start.test.ts',
                  'tests/hostile/compliance.test.ts',
                  'tests/hostile/error-table.test.ts',
                  'tests/hostile/logging.test.ts',
                  'tests/read-api/fiscal-year.test.ts',
                  'tests/visibility/judgment.test.ts',
                  'tests/visibility/schema-walk.test.ts',
                  'tests/cycle/targets-rules.test.ts',
                ],
                env: { TEST_DATABASE: 'postgres' },
                globalSetup: ['tests/support/postgres-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
