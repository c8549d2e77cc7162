// The totals line CI reads (`N passed, N failed`, tests/support/totals-reporter.ts) reports a
// run whose global setup failed as failed: here the PostgreSQL project's setup cannot reach
// PostgreSQL (TEST_DATABASE_URL names a closed port), so no test file runs at all.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { freePort } from '../support/redis.ts';

const root = resolve(import.meta.dirname, '../..');
// The package's own bin (its exports map does not name it).
const vitestBin = resolve(root, 'node_modules/vitest/vitest.mjs');

/** Runs this repository's vitest in a child process; resolves with its exit code and output. */
function runVitest(args: string[], env: Record<string, string>) {
  // The child must not think it is one of this run's workers.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('VITEST') && name !== 'TEST_DATABASE' && name !== 'NODE_OPTIONS',
    ),
  );
  return new Promise<{ code: number | null; output: string }>((done) => {
    const child = execFile(
      process.execPath,
      [vitestBin, 'run', ...args],
      { cwd: root, env: { ...inherited, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (_error, stdout, stderr) => done({ code: child.exitCode, output: stdout + stderr }),
    );
  });
}

test('a global setup that fails (PostgreSQL unreachable) is a failed run: non-zero failed, non-zero exit', async () => {
  const closed = await freePort();
  const { code, output } = await runVitest(
    [
      'tests/db/migrations.test.ts',
      '--project',
      'postgres',
      '--reporter',
      './tests/support/totals-reporter.ts',
    ],
    { TEST_DATABASE_URL: `postgresql://postgres@127.0.0.1:${closed}/test` },
  );
  expect(output).toContain('PostgreSQL cannot be reached');
  expect(output).toMatch(/^1 of 1 test files never ran/m);
  expect(output).toMatch(/^0 passed, 1 failed$/m);
  expect(code).not.toBe(0);
}, 120_000);
