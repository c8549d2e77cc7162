// A fresh, migrated database for one test file: an in-memory PGlite loaded from the migrated
// template (tests/support/pglite-template.ts), or a copy of the migrated PostgreSQL template
// when the file runs in the postgres project.
import { randomBytes } from 'node:crypto';
import {
  type Database,
  loadSeed,
  mitakaSeedPath,
  openDatabase,
  readSeedFile,
} from '@hoshin/server/testing';
import pg from 'pg';
import { migratedPgliteCopy } from './pglite-template.ts';
import { postgresUrl, TEMPLATE_DATABASE } from './postgres-setup.ts';

export const onPostgres = process.env.TEST_DATABASE === 'postgres';

/**
 * For a test that creates databases of its own inside the test: an in-memory PGlite loads the
 * template in about 4 s on a quiet 2-core machine and took 24 s with the suite running beside
 * it (load 14).
 */
export const OWN_DATABASES_TIMEOUT_MS = 120_000;

export interface TestDatabase extends Database {
  /** The connection string, for PostgreSQL copies (to hand to server processes). */
  url?: string;
  /** Every SQL statement sent while `fn` runs. */
  recordQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: string[] }>;
  /**
   * The statements of a read that may be repeated, without the server's background work: the
   * change feed's poll and the token recheck run on timers and land in any window now and then,
   * and only ever add statements, so of two runs the one with fewer is the request's own.
   */
  recordReadQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: string[] }>;
}

export async function createTestDatabase(options: { seed?: boolean } = {}): Promise<TestDatabase> {
  const db = onPostgres ? await copyOfTemplate() : await migratedPglite();
  if (options.seed) await loadSeed(db.prisma, await readSeedFile(mitakaSeedPath));
  async function recordQueries<T>(fn: () => Promise<T>) {
    const queries: string[] = [];
    const stop = db.onQuery((sql) => queries.push(sql));
    try {
      return { result: await fn(), queries };
    } finally {
      stop();
    }
  }
  return {
    ...db,
    recordQueries,
    async recordReadQueries(fn) {
      const first = await recordQueries(fn);
      const second = await recordQueries(fn);
      return second.queries.length < first.queries.length ? second : first;
    },
  };
}

async function migratedPglite(): Promise<Database> {
  return openDatabase({ pglite: await migratedPgliteCopy() });
}

async function copyOfTemplate(): Promise<Database & { url: string }> {
  const name = `hoshin_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const db = await openDatabase({ url: postgresUrl(name) });
  return {
    ...db,
    url: postgresUrl(name),
    async close() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: postgresUrl() });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
