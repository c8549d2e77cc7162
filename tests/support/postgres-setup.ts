// Global setup of the PostgreSQL project: builds a migrated template database once; each
// test file then gets its own copy (CREATE DATABASE ... TEMPLATE), so files never share rows.
import { createHash } from 'node:crypto';
import { applyMigrations, openDatabase } from '@hoshin/server/testing';
import pg from 'pg';

// One template per checkout, so two working copies can run the suite at the same time.
export const TEMPLATE_DATABASE = `hoshin_test_template_${createHash('sha256')
  .update(import.meta.dirname)
  .digest('hex')
  .slice(0, 8)}`;

export function postgresUrl(database?: string): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  if (!database) return url;
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export default async function setup() {
  const admin = new pg.Client({ connectionString: postgresUrl(), connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `TEST_DATABASE_URL is set but PostgreSQL cannot be reached: ${(error as Error).message}`,
    );
  }
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  const db = await openDatabase({ url: postgresUrl(TEMPLATE_DATABASE) });
  await applyMigrations(db.adapterFactory);
  await db.close();
  // The schema engine keeps its own connection open; a template must have none to be copied.
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [TEMPLATE_DATABASE],
  );

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.end();
  };
}
