// The benchmark's data generator: same seed, same rows; the row counts its size promises; no
// dangling reference (it loads with foreign-key triggers off).
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { generateInto } from '../../bench/data/generate.ts';
import { expectedRowCounts, SIZES } from '../../bench/data/sizes.ts';
import { migratedPgliteCopy } from '../support/pglite-template.ts';

const TABLES = [
  'Municipality',
  'Department',
  'DepartmentPlan',
  'Initiative',
  'WhitePaper',
  'Evaluation',
];
const opened: PGlite[] = [];

/** Generated rows in a copy of the migrated template (not every migration again). */
async function generated(seed: number): Promise<PGlite> {
  const pglite = await migratedPgliteCopy();
  opened.push(pglite);
  await generateInto((sql) => pglite.exec(sql), { size: SIZES.tiny, seed });
  return pglite;
}

/** Seed 1's rows, read by two tests: generated once. */
let seedOne: Promise<PGlite> | undefined;
const generatedOne = () => {
  seedOne ??= generated(1);
  return seedOne;
};

/** One digest per table over every column of every row, in id order. */
async function digests(pglite: PGlite): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const { rows } = await pglite.query<{ digest: string }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) AS digest FROM "${table}" AS t`,
    );
    result[table] = rows[0]?.digest ?? '';
  }
  return result;
}

async function count(pglite: PGlite, sql: string): Promise<number> {
  const { rows } = await pglite.query<{ n: number }>(`SELECT (${sql})::int AS n`);
  return rows[0]?.n ?? Number.NaN;
}

afterAll(async () => {
  for (const pglite of opened) await pglite.close();
});

describe('the benchmark data generator', () => {
  it('writes the same rows twice from the same seed, and other rows from another seed', async () => {
    const first = await digests(await generated(7));
    const again = await digests(await generated(7));
    const other = await digests(await generated(8));
    expect(again).toEqual(first);
    expect(other.Initiative).not.toBe(first.Initiative);
    expect(other.Municipality).not.toBe(first.Municipality);
  }, 120_000);

  it('writes the row counts its size promises, with evaluations on published plans only', async () => {
    const pglite = await generatedOne();
    const expected = expectedRowCounts(SIZES.tiny);
    for (const [table, rows] of Object.entries(expected)) {
      expect(await count(pglite, `SELECT count(*) FROM "${table}"`), table).toBe(rows);
    }
    const evaluations = await count(pglite, 'SELECT count(*) FROM "Evaluation"');
    const publishedInitiatives = await count(
      pglite,
      `SELECT count(*) FROM "Initiative" i JOIN "DepartmentPlan" p ON p.id = i."planId" WHERE p.status = 'PUBLISHED'`,
    );
    expect(evaluations).toBeGreaterThan(0);
    expect(evaluations).toBeLessThanOrEqual(publishedInitiatives);
    expect(
      await count(
        pglite,
        `SELECT count(*) FROM "Evaluation" e JOIN "Initiative" i ON i.id = e."initiativeId" JOIN "DepartmentPlan" p ON p.id = i."planId" WHERE p.status <> 'PUBLISHED'`,
      ),
    ).toBe(0);
  }, 120_000);

  it('leaves no reference dangling and Mitaka where the contract query looks for it', async () => {
    const pglite = await generatedOne();
    const dangling = [
      'SELECT count(*) FROM "Department" d LEFT JOIN "Municipality" m ON m.id = d."municipalityId" WHERE m.id IS NULL',
      'SELECT count(*) FROM "DepartmentPlan" p LEFT JOIN "Department" d ON d.id = p."departmentId" WHERE d.id IS NULL',
      'SELECT count(*) FROM "Initiative" i LEFT JOIN "DepartmentPlan" p ON p.id = i."planId" WHERE p.id IS NULL',
      'SELECT count(*) FROM "Evaluation" e LEFT JOIN "Initiative" i ON i.id = e."initiativeId" WHERE i.id IS NULL',
      'SELECT count(*) FROM "Evaluation" e LEFT JOIN "Initiative" i ON i.id = e."nextInitiativeId" WHERE e."nextInitiativeId" IS NOT NULL AND i.id IS NULL',
      'SELECT count(*) FROM "Evaluation" e LEFT JOIN "WhitePaper" w ON w.id = e."whitePaperId" WHERE e."whitePaperId" IS NOT NULL AND w.id IS NULL',
    ];
    for (const sql of dangling) expect(await count(pglite, sql), sql).toBe(0);
    expect(
      await count(
        pglite,
        `SELECT count(*) FROM "Municipality" WHERE code = '132047' AND name = '三鷹市'`,
      ),
    ).toBe(1);
    // Sequences were moved past the generated ids: a plain insert still works.
    await pglite.exec(
      `INSERT INTO "Municipality" (code, name, prefecture, "updatedAt") VALUES ('999991', 'x', 'y', now())`,
    );
  }, 120_000);
});
