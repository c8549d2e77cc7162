// Prisma `where` inputs as SQL, for compiled reads: the visibility rules stay written once, as
// Prisma filters (modules/visibility), and a compiled statement applies the very same filter.
// Only a small, strict subset translates (AND/OR, int comparisons and lists, text and enum
// equality, boolean equality, a search column's `contains`, to-one relations already joined);
// anything else throws Untranslatable, and the compiled read declines the request.

export class Untranslatable extends Error {}

/**
 * What `build` makes of a filter or an order (whereSql, orderSql), or undefined when it does not
 * translate: the caller then goes the other way (Prisma's statement, a declined compiled read).
 */
export function translated<T>(build: () => T): T | undefined {
  try {
    return build();
  } catch (error) {
    if (error instanceof Untranslatable) return undefined;
    throw error;
  }
}

/** A table as joined in a compiled statement: what a where may compare, and its joins. */
export interface SqlTable {
  /** The table's name in the database. */
  name: string;
  alias: string;
  /**
   * Comparable columns: 'int', 'text', 'bool', 'search' (a searchText column: `contains`, with
   * Prisma's LIKE and its escape character), 'search-bigrams' (the same, on a column with an
   * index over hoshin_bigrams(): a word of two characters is also asked of that index), or the
   * values of an enum column.
   */
  columns: Readonly<
    Record<string, 'int' | 'text' | 'bool' | 'search' | 'search-bigrams' | readonly string[]>
  >;
  /**
   * To-one relations, each joined under its own alias on `on`, the column of this table that
   * holds its id (joinsSql).
   */
  relations?: Readonly<Record<string, { table: SqlTable; on: string }>>;
}

/**
 * The joins of a table's relations (and theirs), as `kind`: the one spelling of how the tables
 * of a compiled statement meet. `LEFT JOIN` lets PostgreSQL drop a join the statement never uses.
 * `LATERAL` (a left join, each related row looked up by its id for each row of the table) is
 * for a sample: its size is unknown when the statement is planned, PostgreSQL assumes many rows
 * and may hash-join the whole related table instead (a sample of 1,000 evaluations' blocks:
 * 477 ms with a scan of the 1.36 M initiatives, 92 ms with lookups); it is never dropped, so
 * `only` (the aliases a `where` used, SqlParams.joined) names the relations to join.
 */
export function joinsSql(
  table: SqlTable,
  kind: 'JOIN' | 'LEFT JOIN' | 'LATERAL',
  only?: ReadonlySet<string>,
): string {
  return Object.values(table.relations ?? {})
    .filter(({ table: related }) => !only || only.has(related.alias))
    .flatMap(({ table: related, on }) => [
      kind === 'LATERAL'
        ? `LEFT JOIN LATERAL (SELECT * FROM "${related.name}" WHERE id = ${table.alias}."${on}" OFFSET 0) AS ${related.alias} ON TRUE`
        : `${kind} "${related.name}" AS ${related.alias} ON ${related.alias}.id = ${table.alias}."${on}"`,
      joinsSql(related, kind, only),
    ])
    .filter((join) => join !== '')
    .join(' ');
}

/** The values of a statement's $n parameters, in order, and the relations its `where` used. */
export class SqlParams {
  readonly values: unknown[] = [];
  /** The aliases of the related tables whereSql compared (joinsSql's `only`). */
  readonly joined = new Set<string>();
  constructor(initial: readonly unknown[] = []) {
    this.values.push(...initial);
  }
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The word of a LIKE-escaped `contains` when it is two characters (code points) long. */
function bigramOf(contains: string): string | undefined {
  const word = contains.replace(/\\(.)/gsu, '$1');
  return [...word].length === 2 ? word : undefined;
}

const INT_OPERATORS: Readonly<Record<string, string>> = {
  equals: '=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

const isInt = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value);

function intComparison(column: string, filter: unknown, params: SqlParams): string {
  if (isInt(filter)) return `${column} = ${params.add(filter)}`;
  if (typeof filter !== 'object' || filter === null) throw new Untranslatable(column);
  const parts = Object.entries(filter).map(([operator, value]) => {
    if (operator === 'in') {
      if (!Array.isArray(value) || !value.every(isInt)) throw new Untranslatable(column);
      return `${column} = ANY(${params.add(value)}::int[])`;
    }
    const sql = INT_OPERATORS[operator];
    if (!sql || typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new Untranslatable(`${column} ${operator}`);
    }
    return `${column} ${sql} ${params.add(value)}`;
  });
  if (parts.length === 0) throw new Untranslatable(column);
  return parts.join(' AND ');
}

/** SQL for `where` on `table` (parenthesised), or throws Untranslatable. */
export function whereSql(where: unknown, table: SqlTable, params: SqlParams): string {
  if (typeof where !== 'object' || where === null || Array.isArray(where)) {
    throw new Untranslatable('where');
  }
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === 'AND' || key === 'OR') {
      const list = Array.isArray(value) ? value : [value];
      const inner = list.map((item) => whereSql(item, table, params));
      if (key === 'AND') parts.push(inner.length ? inner.join(' AND ') : 'TRUE');
      else parts.push(inner.length ? `(${inner.join(' OR ')})` : 'FALSE');
      continue;
    }
    const column = table.columns[key];
    if (column === 'int') {
      parts.push(intComparison(`${table.alias}."${key}"`, value, params));
      continue;
    }
    if (column === 'text') {
      if (typeof value !== 'string') throw new Untranslatable(key);
      parts.push(`${table.alias}."${key}" = ${params.add(value)}`);
      continue;
    }
    if (column === 'bool') {
      if (typeof value !== 'boolean') throw new Untranslatable(key);
      parts.push(`${table.alias}."${key}" = ${params.add(value)}`);
      continue;
    }
    if (column === 'search' || column === 'search-bigrams') {
      const contains = (value as { contains?: unknown } | null)?.contains;
      if (typeof contains !== 'string' || Object.keys(value as object).length !== 1) {
        throw new Untranslatable(key);
      }
      // The value is already escaped for LIKE (literalContains), as Prisma is given it.
      const like = `${table.alias}."${key}" LIKE '%' || ${params.add(contains)}::text || '%'`;
      const pair = column === 'search-bigrams' ? bigramOf(contains) : undefined;
      // A text holds a two-character word exactly when the word is one of its two-character
      // pieces: the same rows as the LIKE (which stays, the rule), found through their index
      // (the migration 20261207100000_initiative_search_bigrams), where a trigram index has
      // nothing to look up. Longer words are left to the trigram index, shorter to a scan.
      parts.push(
        pair === undefined
          ? like
          : `${like} AND hoshin_bigrams(${table.alias}."${key}") @> ARRAY[${params.add(pair)}::text]`,
      );
      continue;
    }
    if (column) {
      // Enum values are written in: they come from the schema, never from a request.
      if (typeof value !== 'string' || !column.includes(value)) throw new Untranslatable(key);
      parts.push(`${table.alias}."${key}" = '${value}'`);
      continue;
    }
    const related = table.relations?.[key];
    if (!related) throw new Untranslatable(key);
    params.joined.add(related.table.alias);
    parts.push(whereSql(value, related.table, params));
  }
  return parts.length ? `(${parts.join(' AND ')})` : 'TRUE';
}

/**
 * A Prisma `orderBy` list as SQL: the keys (`p."fiscalYear", …`, to select them) and the order
 * (`p."fiscalYear" DESC, …`). A key is one of the table's own columns, on `alias` (the table's
 * by default; another when an outer statement orders what an inner one selected), or a to-one
 * relation's column, on that relation's alias (`{ initiative: { planId: 'asc' } }`); a direction
 * is 'asc', 'desc' or `{ sort, nulls }`. `reverse` gives the opposite order (a backward page):
 * every direction turned, and nulls on the other side too.
 */
export function orderSql(
  orderBy: readonly Readonly<Record<string, unknown>>[],
  table: SqlTable,
  alias = table.alias,
  reverse = false,
): { keys: string; order: string } {
  const keys: string[] = [];
  const order: string[] = [];
  const add = (item: Readonly<Record<string, unknown>>, on: SqlTable, onAlias: string) => {
    for (const [key, direction] of Object.entries(item)) {
      const related = on.columns[key] ? undefined : on.relations?.[key];
      if (related && typeof direction === 'object' && direction !== null) {
        add(direction as Record<string, unknown>, related.table, related.table.alias);
        continue;
      }
      const { sort, nulls } =
        typeof direction === 'object' && direction !== null
          ? (direction as { sort?: unknown; nulls?: unknown })
          : { sort: direction, nulls: undefined };
      if (
        !on.columns[key] ||
        (sort !== 'asc' && sort !== 'desc') ||
        (nulls !== undefined && nulls !== 'first' && nulls !== 'last')
      ) {
        throw new Untranslatable(key);
      }
      const descending = (sort === 'desc') !== reverse;
      const nullsLast = nulls === undefined ? undefined : (nulls === 'last') !== reverse;
      keys.push(`${onAlias}."${key}"`);
      order.push(
        `${onAlias}."${key}" ${descending ? 'DESC' : 'ASC'}${nullsLast === undefined ? '' : nullsLast ? ' NULLS LAST' : ' NULLS FIRST'}`,
      );
    }
  };
  for (const item of orderBy) add(item, table, alias);
  return { keys: keys.join(', '), order: order.join(', ') };
}
