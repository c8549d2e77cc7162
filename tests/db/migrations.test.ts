import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../packages/server/src/db/migrations.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { factories } from '../support/factories.ts';

describe('the migrated database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it('records the applied migrations and applies nothing twice', async () => {
    expect(await applyMigrations(db.adapterFactory)).toEqual([]);
    const rows = await db.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL
      ORDER BY migration_name`;
    // Every committed migration folder, once.
    const folders = readdirSync(resolve(import.meta.dirname, '../../prisma/migrations'))
      .filter((name) => /^\d{14}_/.test(name))
      .sort();
    expect(folders[0]).toBe('20261125000000_init');
    expect(rows.map((r) => r.migration_name)).toEqual(folders);
  });

  it('keeps one plan per department and year, and unique positions within a plan', async () => {
    const make = factories(db.prisma);
    const city = await make.municipality();
    const department = await make.department(city.id);
    const plan = await make.plan(department.id, { fiscalYear: 2012, initiatives: [{ text: 'a' }] });

    await expect(make.plan(department.id, { fiscalYear: 2012 })).rejects.toThrow(
      /Unique constraint/,
    );
    await expect(
      db.prisma.initiative.create({ data: { planId: plan.id, position: 1, text: 'b' } }),
    ).rejects.toThrow(/Unique constraint/);
  });

  it.each([
    ['a negative staff count', 'UPDATE "DepartmentPlan" SET "staffCount" = -1'],
    ['a negative budget', 'UPDATE "DepartmentPlan" SET "budgetYen" = -1'],
    ['a fiscal year before 1886', 'UPDATE "DepartmentPlan" SET "fiscalYear" = 1885'],
    ['position 0', 'UPDATE "Initiative" SET "position" = 0'],
    ['a municipality code that is not six digits', `UPDATE "Municipality" SET "code" = '13204'`],
    ['progress over 100%', 'UPDATE "Evaluation" SET "progressPercent" = 101'],
  ])('refuses %s', async (_what, sql) => {
    const make = factories(db.prisma);
    const city = await make.municipality();
    const department = await make.department(city.id);
    await make.plan(department.id, {
      fiscalYear: 2014,
      initiatives: [{ text: 'x', evaluation: { rating: 'ACHIEVED' } }],
    });
    await expect(db.prisma.$executeRawUnsafe(sql)).rejects.toThrow(/check constraint/);
  });

  it('refuses to delete a department that still has plans', async () => {
    const make = factories(db.prisma);
    const city = await make.municipality();
    const department = await make.department(city.id);
    await make.plan(department.id, { fiscalYear: 2015 });
    await expect(db.prisma.department.delete({ where: { id: department.id } })).rejects.toThrow();
    expect(await db.prisma.department.count({ where: { id: department.id } })).toBe(1);
  });
});
