// Lists ordered in SQL outside Prisma (graphql/compiled/where.ts orderSql, joinsSql; used by
// graphql/compiled/page.ts): the same order as Prisma's `orderBy`, through to-one relations,
// with nulls placed as asked, and its exact reverse for a backward page.
import {
  inIdOrder,
  joinsSql,
  orderSql,
  SqlParams,
  type SqlTable,
  whereSql,
} from '@hoshin/server/testing';
import { describe, expect, it } from 'vitest';

const plan: SqlTable = {
  name: 'DepartmentPlan',
  alias: 'p',
  columns: { id: 'int', fiscalYear: 'int' },
};
const initiative: SqlTable = {
  name: 'Initiative',
  alias: 'i',
  columns: { id: 'int', planId: 'int', position: 'int' },
  relations: { plan: { table: plan, on: 'planId' } },
};
const evaluation: SqlTable = {
  name: 'Evaluation',
  alias: 'e',
  columns: { id: 'int', progressPercent: 'int', rating: ['A', 'B'] },
  relations: { initiative: { table: initiative, on: 'initiativeId' } },
};

describe('orderSql', () => {
  it("orders by the table's columns and its relations' columns, each on its own alias", () => {
    expect(
      orderSql(
        [
          { rating: 'asc' },
          { initiative: { planId: 'asc' } },
          { initiative: { position: 'desc' } },
        ],
        evaluation,
      ),
    ).toEqual({
      keys: 'e."rating", i."planId", i."position"',
      order: 'e."rating" ASC, i."planId" ASC, i."position" DESC',
    });
    expect(orderSql([{ initiative: { plan: { fiscalYear: 'desc' } } }], evaluation).order).toBe(
      'p."fiscalYear" DESC',
    );
  });

  it('places nulls as asked, and reverses every direction and the nulls for a backward page', () => {
    const order = [
      { progressPercent: { sort: 'desc', nulls: 'last' } },
      { initiative: { planId: 'asc' } },
      { id: { sort: 'asc', nulls: 'first' } },
    ];
    expect(orderSql(order, evaluation).order).toBe(
      'e."progressPercent" DESC NULLS LAST, i."planId" ASC, e."id" ASC NULLS FIRST',
    );
    expect(orderSql(order, evaluation, 'e', true).order).toBe(
      'e."progressPercent" ASC NULLS FIRST, i."planId" DESC, e."id" DESC NULLS LAST',
    );
    expect(orderSql([{ id: 'desc' }], evaluation, 'x').order).toBe('x."id" DESC');
  });

  it('refuses what it cannot say: unknown columns and relations, other directions', () => {
    for (const item of [
      { summary: 'asc' },
      { whitePaper: { id: 'asc' } },
      { id: 'up' },
      { id: { sort: 'asc', nulls: 'middle' } },
      { initiative: 'asc' },
    ]) {
      expect(() => orderSql([item], evaluation), JSON.stringify(item)).toThrow();
    }
  });
});

describe('joinsSql', () => {
  it('joins every relation, or only those a where compared, as plain or lateral joins', () => {
    expect(joinsSql(evaluation, 'LEFT JOIN')).toBe(
      'LEFT JOIN "Initiative" AS i ON i.id = e."initiativeId" LEFT JOIN "DepartmentPlan" AS p ON p.id = i."planId"',
    );
    const params = new SqlParams();
    expect(whereSql({ id: 1, initiative: { position: 2 } }, evaluation, params)).toBe(
      '(e."id" = $1 AND (i."position" = $2))',
    );
    expect([...params.joined]).toEqual(['i']);
    expect(joinsSql(evaluation, 'LATERAL', params.joined)).toBe(
      'LEFT JOIN LATERAL (SELECT * FROM "Initiative" WHERE id = e."initiativeId" OFFSET 0) AS i ON TRUE',
    );
    expect(joinsSql(evaluation, 'JOIN', new Set())).toBe('');
  });
});

describe('inIdOrder', () => {
  it('puts rows in the order of their ids and leaves out ids without a row', () => {
    const rows = [{ id: 3 }, { id: 1 }, { id: 2 }];
    expect(inIdOrder([2, 9, 3, 1], rows)).toEqual([{ id: 2 }, { id: 3 }, { id: 1 }]);
  });
});
