// R1 as a process: BENCH_PG_URL for PostgreSQL (pool of 10, like Prisma's pg adapter) or
// BENCH_PGLITE_DIR for PGlite in process.

import { createPGlite } from '@hoshin/server/testing';
import pg from 'pg';
import { listenFromArgs, serveScenarios } from './http.ts';
import { createRawSqlAnswerer, type RunSql } from './raw-sql.ts';

async function connect(): Promise<RunSql> {
  const url = process.env.BENCH_PG_URL;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    return async (name, text, values) => (await pool.query({ name, text, values })).rows;
  }
  const dir = process.env.BENCH_PGLITE_DIR;
  if (!dir) throw new Error('set BENCH_PG_URL or BENCH_PGLITE_DIR');
  const pglite = await createPGlite(dir);
  return async (_name, text, values) => (await pglite.query(text, values)).rows;
}

listenFromArgs(serveScenarios(createRawSqlAnswerer(await connect())));
