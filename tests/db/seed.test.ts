import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadSeed, mitakaSeedPath, readSeedFile, type SeedData } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

// The source document sits beside the repository (../shared/seed), as on CI.
const sourcePath = resolve(
  import.meta.dirname,
  '../../../shared/seed/mitaka-h24-department-goals.txt',
);

let seed: SeedData;
beforeAll(async () => {
  seed = await readSeedFile(mitakaSeedPath);
});

describe('the Mitaka FY2012 seed file', () => {
  it('has all eight departments in the order of the document, three initiatives each', () => {
    expect(seed.departments.map((d) => d.name)).toEqual([
      '企画部',
      '総務部',
      '市民部',
      '生活環境部',
      '健康福祉部',
      '子ども政策部',
      '都市整備部',
      '教育部',
    ]);
    for (const department of seed.departments) {
      expect(department.plans.map((p) => [p.fiscalYear, p.initiatives.length])).toEqual([
        [2012, 3],
      ]);
    }
  });

  it('flags exactly the four ☞ initiatives and keeps the ※ note as a footnote', () => {
    const all = seed.departments.flatMap(
      (d) => d.plans[0]?.initiatives.map((i) => ({ department: d.code, ...i })) ?? [],
    );
    expect(all.filter((i) => i.isAdministrativeReform).map((i) => i.department)).toEqual([
      'kikaku',
      'somu',
      'shimin',
      'kenko-fukushi',
    ]);
    expect(all.filter((i) => i.footnotes.length > 0)).toEqual([
      expect.objectContaining({
        department: 'somu',
        footnotes: ['震災時に優先的に取り組む業務や必要な体制などを定めたもの。'],
      }),
    ]);
    expect(all.some((i) => i.text.includes('☞'))).toBe(false);
  });

  it('invents nothing the document does not give: no mission, staff or budget', () => {
    for (const plan of seed.departments.flatMap((d) => d.plans)) {
      expect(plan).not.toHaveProperty('mission');
      expect(plan).not.toHaveProperty('staffCount');
      expect(plan).not.toHaveProperty('budgetYen');
    }
    expect(seed.municipality).toEqual({
      code: '132047',
      name: '三鷹市',
      prefecture: '東京都',
      contactSection: '企画経営課',
      contactExtension: '2150',
    });
    expect(seed.whitePapers).toEqual([
      { title: '三鷹市自治体経営白書2012', publicationDate: '2012-07', reportsOnFiscalYear: 2011 },
    ]);
  });

  it('transcribes every initiative to the letter from the source document', () => {
    expect(existsSync(sourcePath), `source document missing at ${sourcePath}`).toBe(true);
    const lines = readFileSync(sourcePath, 'utf8')
      .split('\n')
      .map((line) => line.trim());
    const bullets = lines.filter((line) => line.startsWith('- ')).map((line) => line.slice(2));
    const transcribed = seed.departments.flatMap((d) =>
      (d.plans[0]?.initiatives ?? []).flatMap((i) => [
        `${i.isAdministrativeReform ? '☞' : ''}${i.text}`,
        ...i.footnotes.map((note) => `※${note}`),
      ]),
    );
    expect(transcribed).toEqual(bullets);
  });
});

describe('loading the seed', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it('creates every row once with a change record each, and nothing the second time', async () => {
    const first = await loadSeed(db.prisma, seed);
    expect(first.created).toEqual({
      municipality: 1,
      department: 8,
      plan: 8,
      initiative: 24,
      whitePaper: 1,
      planYear: 1,
    });
    expect(await db.prisma.changeRecord.count({ where: { actor: 'system:seed' } })).toBe(43);

    const second = await loadSeed(db.prisma, seed);
    expect(second.created).toEqual({
      municipality: 0,
      department: 0,
      plan: 0,
      initiative: 0,
      whitePaper: 0,
      planYear: 0,
    });
    expect(await db.prisma.initiative.count()).toBe(24);
    expect(await db.prisma.changeRecord.count()).toBe(43);
  });

  it('rejects a malformed seed file with a message naming the problem', async () => {
    const path = resolve(import.meta.dirname, '../../prisma/seed/../schema.prisma');
    await expect(readSeedFile(path)).rejects.toThrow();
    const bad = { ...seed, municipality: { ...seed.municipality, code: '13204' } };
    const tmp = resolve(import.meta.dirname, '../../.data/bad-seed.json');
    const { mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    mkdirSync(resolve(tmp, '..'), { recursive: true });
    writeFileSync(tmp, JSON.stringify(bad));
    try {
      await expect(readSeedFile(tmp)).rejects.toThrow(/municipality\.code/);
    } finally {
      rmSync(tmp);
    }
  });
});

describe('the seed of a new municipality (a first start)', () => {
  let batched: TestDatabase;
  let rowByRow: TestDatabase;
  beforeAll(async () => {
    batched = await createTestDatabase();
    rowByRow = await createTestDatabase();
  });
  afterAll(async () => {
    await batched.close();
    await rowByRow.close();
  });

  /** Every seeded row of every table and every change record, without the times. */
  async function contents(db: TestDatabase) {
    const p = db.prisma;
    const order = { orderBy: { id: 'asc' as const } };
    return withoutTimes({
      whitePapers: await p.whitePaper.findMany(order),
      planYears: await p.planYear.findMany(order),
      departments: await p.department.findMany(order),
      plans: await p.departmentPlan.findMany(order),
      initiatives: await p.initiative.findMany(order),
      records: (await p.changeRecord.findMany(order))
        .filter((r) => r.entityType !== 'Municipality')
        .map(({ id: _id, ...rest }) => rest),
    });
  }
  function withoutTimes(value: unknown): unknown {
    return JSON.parse(
      JSON.stringify(value, (key, v) =>
        key === 'createdAt' || key === 'updatedAt'
          ? undefined
          : typeof v === 'bigint'
            ? v.toString()
            : v,
      ),
    );
  }

  it('takes a handful of statements and gives what the row-by-row path gives', async () => {
    const { queries } = await batched.recordQueries(() => loadSeed(batched.prisma, seed));
    expect(queries.length).toBeLessThan(25);
    // The row-by-row path: taken when the municipality exists already (nothing below it).
    const { code, ...fields } = seed.municipality;
    await rowByRow.prisma.municipality.create({ data: { code, ...fields } });
    const slow = await rowByRow.recordQueries(() => loadSeed(rowByRow.prisma, seed));
    expect(slow.queries.length).toBeGreaterThan(60);
    expect(await contents(batched)).toEqual(await contents(rowByRow));
    expect(await batched.prisma.changeRecord.count()).toBe(43);
  });
});
