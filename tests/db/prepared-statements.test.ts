// read()'s named statements stay bounded per PostgreSQL connection: more distinct statements
// than the limit leave at most `limit` prepared on a connection (the least recently used are
// deallocated), and a statement evicted and used again is prepared again and answers the same.
// On PGlite read() prepares nothing; the answers are checked all the same.
import { createHash } from 'node:crypto';
import { type Database, openDatabase } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/database.ts';

const LIMIT = 3;
let base: TestDatabase;
let db: Database;

beforeAll(async () => {
  base = await createTestDatabase();
  db = base.url ? await openDatabase({ url: base.url, preparedStatements: LIMIT }) : base;
});

afterAll(async () => {
  if (db !== base) await db.close();
  await base.close();
});

/** Statement `k`: its answer, and how many statements its connection has prepared by then. */
async function ask(k: number, value: number) {
  const sql = `SELECT $1::int + ${k} AS n, (SELECT count(*)::int FROM pg_prepared_statements) AS prepared`;
  const name = `t_${createHash('sha256').update(sql).digest('hex').slice(0, 16)}`;
  const [row] = await db.read(name, sql, [value]);
  return row as { n: number; prepared: number };
}

describe('prepared statements of read()', () => {
  it('keeps at most the limit on a connection, and answers right after evictions', async () => {
    const seen: number[] = [];
    // Three passes over 4 x LIMIT statements, one at a time (so mostly on one connection):
    // every statement of the second and third pass was evicted in between.
    for (let pass = 0; pass < 3; pass++) {
      for (let k = 0; k < 4 * LIMIT; k++) {
        const answer = await ask(k, 100 * pass);
        expect(answer.n).toBe(100 * pass + k);
        seen.push(answer.prepared);
      }
    }
    // Side by side, on several connections of the pool.
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => ask(i % (5 * LIMIT), i)),
    );
    answers.forEach((answer, i) => {
      expect(answer.n).toBe(i + (i % (5 * LIMIT)));
    });
    seen.push(...answers.map((answer) => answer.prepared));
    if (onPostgres) {
      expect(Math.max(...seen)).toBe(LIMIT);
    } else {
      expect(new Set(seen)).toEqual(new Set([0]));
    }
  });
});
