// A list's page read in an index's order where Prisma's own statement cannot be: Prisma joins a
// relation once for every order key that goes through it and once more for every filter on it,
// so PostgreSQL cannot read a relation's index in the page's order and sorts every match first
// (evaluations in their initiatives' order at national size, 1.1 M rows: 0.5-1.4 s a page, where
// one join read in the initiatives' ("planId", position) index stops at the page's last row in
// about 1 ms). Here the page's ids (and each row's values of the order's keys, for its cursor)
// come from one statement with each relation joined once, its `where` translated by where.ts
// (the visibility module's filter, as the list builds it), and the caller reads the rows by id
// through Prisma, with the list's `where` again (a row changed between the two statements is
// left out, never shown beyond what the caller may see).
import type { PrismaClient } from '../../db/client.ts';
import { joinsSql, orderSql, SqlParams, type SqlTable, translated, whereSql } from './where.ts';

/** A page as its ids, in the list's order, and each id's values of the order's keys. */
export interface PageIds {
  ids: number[];
  keys: Map<number, unknown[]>;
}

/**
 * The ids of a page: `take` rows (Prisma's meaning: negative reads backward, from the far end,
 * and the ids still come in the list's order) of `table` matching `where`, in `orderBy`'s order,
 * which must end in a unique key. Undefined when the `where` or the order does not translate:
 * the caller then reads the page through Prisma as it is.
 */
export async function pageIds(
  prisma: PrismaClient,
  table: SqlTable,
  where: unknown,
  orderBy: readonly Readonly<Record<string, unknown>>[],
  take: number | undefined,
): Promise<PageIds | undefined> {
  if (take === undefined) return undefined;
  const params = new SqlParams();
  const sql = translated(() => ({
    condition: whereSql(where, table, params),
    order: orderSql(orderBy, table, table.alias, take < 0),
  }));
  if (!sql) return undefined;
  const { condition, order } = sql;
  const limit = params.add(Math.abs(take));
  // LEFT JOINs: PostgreSQL drops those neither the `where` nor the order uses. The keys as one
  // JSON array: columns of different tables may share a name.
  const rows = await prisma.$queryRawUnsafe<Array<{ id: number; keys: unknown[] }>>(
    `SELECT ${table.alias}.id, json_build_array(${order.keys}) AS keys FROM "${table.name}" AS ${table.alias} ${joinsSql(table, 'LEFT JOIN')} WHERE ${condition} ORDER BY ${order.order} LIMIT ${limit}`,
    ...params.values,
  );
  if (take < 0) rows.reverse();
  return { ids: rows.map((row) => row.id), keys: new Map(rows.map((row) => [row.id, row.keys])) };
}

/** Rows read by id, put in the order of `ids` (a row missing from `rows` is left out). */
export function inIdOrder<T extends { id: number }>(ids: readonly number[], rows: T[]): T[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [row] : [];
  });
}
