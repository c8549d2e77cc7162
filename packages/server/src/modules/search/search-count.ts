// The total of a searched list, bounded in cost (issue 30): a common word over every city's year
// matches thousands of rows, and counting them exactly reads every candidate the trigram index
// gives. Exact up to EXACT_SEARCH_COUNT matches (a count that stops at the next one); above,
// an estimate from a fixed sample of the table's blocks, flagged (`totalCountIsEstimate`), as
// large search APIs do. The sample applies the list's own `where` (visibility included,
// translated by graphql/compiled/where.ts), so it never counts a row the caller may not see.
import type { PrismaClient } from '../../db/client.ts';
import {
  joinsSql,
  SqlParams,
  type SqlTable,
  translated,
  whereSql,
} from '../../graphql/compiled/where.ts';

/** Up to this many matches, a searched list's totalCount is exact. */
export const EXACT_SEARCH_COUNT = 1000;

/**
 * Blocks of the table an estimate reads (the whole table when it has fewer): about 1 % of the
 * initiatives at national size, where the estimate of a word with 7,900 matches in one year
 * rests on about 80 sampled matches.
 */
const SAMPLE_BLOCKS = 1000;

export interface ListCount {
  count: number;
  isEstimate: boolean;
}

/** The table with its search columns compared by LIKE alone (no index-only conditions). */
function withoutIndexHints(table: SqlTable): SqlTable {
  const columns = Object.fromEntries(
    Object.entries(table.columns).map(([key, kind]) => [
      key,
      kind === 'search-bigrams' ? ('search' as const) : kind,
    ]),
  );
  return { ...table, columns };
}

/**
 * The count of a searched list. `exact()` is the list's own Prisma count, used as it is when the
 * `where` does not translate to SQL; `where` is that count's filter.
 */
export async function searchCount(
  prisma: PrismaClient,
  exact: () => Promise<number>,
  table: SqlTable,
  where: unknown,
): Promise<ListCount> {
  const { name } = table;
  // LEFT JOINs: PostgreSQL drops those the `where` does not use.
  const joins = joinsSql(table, 'LEFT JOIN');
  const params = new SqlParams([EXACT_SEARCH_COUNT + 1]);
  const sampledParams = new SqlParams([SAMPLE_BLOCKS]);
  const sql = translated(() => ({
    condition: whereSql(where, table, params),
    // A sample reads blocks, never an index: it is given the LIKE alone. (The two-character
    // index's function, costly per row, made the planner compile the statement with JIT:
    // 33 ms at national size.)
    sampled: whereSql(where, withoutIndexHints(table), sampledParams),
  }));
  // A filter the statements below cannot express is counted exactly, at the full cost.
  if (!sql) return { count: await exact(), isEstimate: false };
  const { condition } = sql;
  const from = `"${name}" AS ${table.alias}`;
  // No ORDER BY (Prisma's count with `take` sorts by id): stops at the first rows found.
  const [capped] = await prisma.$queryRawUnsafe<Array<{ count: number }>>(
    `SELECT count(*)::int AS count FROM (SELECT 1 FROM ${from} ${joins} WHERE ${condition} LIMIT $1) AS capped`,
    ...params.values,
  );
  const count = capped?.count ?? 0;
  if (count <= EXACT_SEARCH_COUNT) return { count, isEstimate: false };
  // A statement of its own (measured against one statement with the sample in a CASE: PostgreSQL
  // plans the sample even when it does not run it, and the searches were no faster). SYSTEM
  // samples whole blocks, chosen by REPEATABLE's seed: the same data and the same table size
  // give the same blocks, so the same answer (clients and caches may compare bytes).
  const [sample] = await prisma.$queryRawUnsafe<Array<{ estimate: number }>>(
    `WITH sample AS (SELECT LEAST(100, 100.0 * $1 / GREATEST(1, pg_relation_size('"${name}"') / current_setting('block_size')::int)) AS percent)
SELECT round(count(*) * 100 / (SELECT percent FROM sample))::int AS estimate
FROM ${from} TABLESAMPLE SYSTEM ((SELECT percent FROM sample)) REPEATABLE (0) ${joinsSql(table, 'LATERAL', sampledParams.joined)}
WHERE ${sql.sampled}`,
    ...sampledParams.values,
  );
  return { count: Math.max(count, sample?.estimate ?? 0), isEstimate: true };
}

/**
 * A list's count made once per list however many fields ask for it (totalCount and
 * totalCountIsEstimate): keyed by the list's args object, which Pothos's connection object keeps
 * (patches/@pothos__plugin-prisma).
 */
export function countPerList<Args extends object, Ctx>(
  count: (args: Args, ctx: Ctx) => Promise<ListCount>,
): (args: Args, ctx: Ctx) => Promise<ListCount> {
  const counts = new WeakMap<object, Promise<ListCount>>();
  return (args, ctx) => {
    let result = counts.get(args);
    if (!result) {
      result = count(args, ctx);
      counts.set(args, result);
    }
    return result;
  };
}

/**
 * The options of a searchable list's `totalCount` and `totalCountIsEstimate` connection fields
 * (`noun`: what the list holds), both read from `countOf(args)`: one description of what they
 * promise for every list that is searched.
 */
export function searchedCountFields<Args extends object, Ctx>(
  noun: string,
  countOf: (args: Args, ctx: Ctx) => Promise<ListCount>,
) {
  const exact = EXACT_SEARCH_COUNT.toLocaleString('en');
  const argsOf = (connection: unknown) => (connection as { args: Args }).args;
  return {
    totalCount: {
      description: `The number of ${noun} in the whole list (every page). Exact, except for a search with more than ${exact} matches: then estimated from a sample of the data (\`totalCountIsEstimate\`), and never below ${(EXACT_SEARCH_COUNT + 1).toLocaleString('en')}.`,
      extensions: { pothosPrismaTotalCount: true },
      resolve: (connection: unknown, _args: unknown, ctx: Ctx) =>
        countOf(argsOf(connection), ctx).then((c) => c.count),
    },
    totalCountIsEstimate: {
      description: `True when \`totalCount\` is an estimate: a search that matched more than ${exact} ${noun}. Never for a list without \`search\`.`,
      extensions: { pothosPrismaTotalCount: true },
      resolve: (connection: unknown, _args: unknown, ctx: Ctx) =>
        countOf(argsOf(connection), ctx).then((c) => c.isEstimate),
    },
  };
}
