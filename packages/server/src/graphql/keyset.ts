// Keyset paging for connections whose order is total: the cursor of a row is the row's own sort
// values (plus the order's name), and `after`/`before` become a `where` on those values, ANDed
// with the list's own filter and visibility. So paging neither skips a row nor ends early when
// rows are unpublished, deleted, inserted or moved between pages (Prisma's own `cursor` finds
// the cursor's row again and skips one: it ends when that row is gone and skips a row when it
// no longer matches), and a cursor never reveals a row the caller may not see: the page is read
// under the caller's visibility, whatever the cursor says.
//
// How it fits Pothos's prismaConnection (which keeps its page sizes, totalCount and edge
// fields): the resolver calls `keysetPage`, which reads the cursor Pothos parsed, drops Pothos's
// `cursor`/`skip` and returns the `where` to AND; it then remembers each row's sort values with
// `rememberKeys`. cursors.ts seals `K:` + those values as the edge's cursor (instead of Pothos's
// id cursor) and, on the way in, hands Pothos back a cursor it parses without complaint
// (`toPothosCursor`). Cursors stay opaque, sealed strings; the SDK does not change.
import { encodeBase64, encodeCursorChunk } from '@pothos/core';
import { parsePrismaCursor } from '@pothos/plugin-prisma';
import { ErrorCode, UserInputError } from '../errors.ts';

type Direction = 'asc' | 'desc';
/**
 * One key of a Prisma orderBy, possibly through a to-one relation: { plan: { fiscalYear: 'desc' } }.
 * 'asc'/'desc', or { sort, nulls: 'last' } on a nullable column; the whole order must be total
 * (end with a unique key). An enum column needs its declared order (`KeysetOptions.enums`):
 * Prisma filters enums only by equality and lists, and PostgreSQL sorts them in that order.
 */
export type OrderKey = object;

export interface KeysetOptions {
  /** Per enum column (by field name): its values in declared order. */
  enums?: Record<string, readonly string[]>;
}

const KEYSET_PREFIX = 'K:';
const keysOfRow = new WeakMap<object, string>();

interface KeysetCursor {
  /** The order's name: a cursor of one order is refused in another. */
  o: string;
  /** The sort values, one per key of the order. */
  v: unknown[];
}

// A BigInt column (ChangeRecord.id) travels as { $bigint: "123" }.
const bigintsTagged = (_key: string, value: unknown) =>
  typeof value === 'bigint' ? { $bigint: value.toString() } : value;
const bigintsRead = (_key: string, value: unknown) =>
  value && typeof value === 'object' && typeof (value as { $bigint?: unknown }).$bigint === 'string'
    ? BigInt((value as { $bigint: string }).$bigint)
    : value;

/** Remembers each row's cursor: the order's name and the row's values of the order's keys. */
export function rememberKeys<T extends object>(
  rows: T[],
  order: string,
  valuesOf: (row: T) => unknown[],
): T[] {
  for (const row of rows) {
    const cursor: KeysetCursor = { o: order, v: valuesOf(row) };
    keysOfRow.set(row, KEYSET_PREFIX + JSON.stringify(cursor, bigintsTagged));
  }
  return rows;
}

/** The inner (unsealed) keyset cursor of a node, when its list pages by keyset. */
export function keysetCursorOf(node: unknown): string | undefined {
  return node && typeof node === 'object' ? keysOfRow.get(node) : undefined;
}

export function isKeysetCursor(inner: string): boolean {
  return inner.startsWith(KEYSET_PREFIX);
}

/** What Pothos is given for `after`/`before`: a cursor it parses into `{ id: 'K:...' }`. */
export function toPothosCursor(inner: string): string {
  return encodeBase64(`GPC:${encodeCursorChunk(inner)}`);
}

const invalid = () =>
  new UserInputError(
    ErrorCode.INVALID_CURSOR,
    'this cursor belongs to another order of this list (pass the same orderBy as the page it came from)',
  );

interface FlatKey {
  path: string[];
  direction: Direction;
  /** A nullable column sorted with its nulls after every value. */
  nullsLast: boolean;
}

const isSortSpec = (node: object): node is { sort: unknown; nulls?: unknown } => 'sort' in node;

/** The order's keys, flattened: path to the field and direction. */
function flatten(order: OrderKey[]): FlatKey[] {
  return order.map((key) => {
    const path: string[] = [];
    let node: unknown = key;
    let nullsLast = false;
    while (node && typeof node === 'object') {
      if (isSortSpec(node)) {
        if (node.nulls !== 'last') throw new Error('keyset: nullable keys sort nulls last');
        nullsLast = true;
        node = node.sort;
        break;
      }
      const entries = Object.entries(node);
      if (entries.length !== 1) throw new Error('keyset: one field per key of the order');
      const [field, inner] = entries[0] as [string, unknown];
      path.push(field);
      node = inner;
    }
    if (node !== 'asc' && node !== 'desc') throw new Error('keyset: asc or desc only');
    return { path, direction: node, nullsLast };
  });
}

/** A condition no row meets (Prisma reads an empty OR as false). */
const NONE = { OR: [] };

function nest(path: string[], condition: unknown): Record<string, unknown> {
  let where: unknown = condition;
  for (let i = path.length - 1; i >= 0; i -= 1) where = { [path[i] as string]: where };
  return where as Record<string, unknown>;
}

/**
 * The rows strictly after (forward) or before (backward) the given sort values, in this order:
 * OR over i of (key_1 = v_1 AND ... AND key_i-1 = v_i-1 AND key_i beyond v_i).
 */
export function keysetWhere(
  order: OrderKey[],
  values: unknown[],
  backward: boolean,
  options: KeysetOptions = {},
) {
  const keys = flatten(order);
  const equal = (key: FlatKey, value: unknown) => nest(key.path, { equals: value });
  /** The rows on the far side of `value` in this key, the direction of paging. */
  const beyond = (key: FlatKey, value: unknown) => {
    const greater = (key.direction === 'asc') !== backward;
    if (key.nullsLast) {
      // Nulls come after every value: past a null forward there is nothing, backward every value.
      if (value === null) return backward ? nest(key.path, { not: null }) : NONE;
      const compared = nest(key.path, { [greater ? 'gt' : 'lt']: value });
      return backward ? compared : { OR: [compared, nest(key.path, { equals: null })] };
    }
    const declared = options.enums?.[key.path.at(-1) ?? ''];
    if (declared) {
      const at = declared.indexOf(value as string);
      if (at < 0) throw invalid();
      const side = greater ? declared.slice(at + 1) : declared.slice(0, at);
      return side.length === 0 ? NONE : nest(key.path, { in: side });
    }
    return nest(key.path, { [greater ? 'gt' : 'lt']: value });
  };
  return {
    OR: keys.map((key, i) => ({
      AND: [
        ...keys.slice(0, i).map((earlier, j) => equal(earlier, values[j])),
        beyond(key, values[i]),
      ],
    })),
  };
}

/**
 * Turns the query Pothos built for a prismaConnection into a keyset query: without Pothos's
 * `cursor` and `skip`, with the `where` to AND to the list's own (undefined on a first page).
 */
export function keysetPage<Q extends { cursor?: unknown; skip?: number; take?: number }>(
  query: Q,
  orderName: string,
  order: OrderKey[],
  options: KeysetOptions = {},
): { query: Omit<Q, 'cursor' | 'skip'>; where: Record<string, unknown> | undefined } {
  const { cursor, skip: _skip, ...rest } = query;
  if (cursor == null) return { query: rest, where: undefined };
  const inner = (cursor as { id?: unknown }).id;
  if (typeof inner !== 'string' || !isKeysetCursor(inner)) throw invalid();
  let parsed: KeysetCursor;
  try {
    parsed = JSON.parse(inner.slice(KEYSET_PREFIX.length), bigintsRead) as KeysetCursor;
  } catch {
    throw invalid();
  }
  if (parsed.o !== orderName || !Array.isArray(parsed.v) || parsed.v.length !== order.length) {
    throw invalid();
  }
  const backward = (query.take ?? 0) < 0;
  return { query: rest, where: keysetWhere(order, parsed.v, backward, options) };
}

/** A row's values of the order's keys, read along each key's path (relations must be present). */
export function keyValues(order: OrderKey[], row: object): unknown[] {
  return flatten(order).map(({ path }) => {
    let value: unknown = row;
    for (const field of path) value = (value as Record<string, unknown> | null)?.[field];
    if (value === undefined) throw new Error(`keyset: the row holds no ${path.join('.')}`);
    return value;
  });
}

/**
 * The query with the order's own columns (and `extra`, e.g. the foreign key a relation key is
 * read through) selected, when Pothos selects only what the operation asked for.
 */
export function withKeyFields<Q extends object>(
  query: Q,
  order: OrderKey[],
  extra: string[] = [],
): Q {
  if (!('select' in query) || !query.select) return query;
  const select = { ...(query.select as object) } as Record<string, unknown>;
  for (const { path } of flatten(order)) if (path.length === 1) select[path[0] as string] = true;
  for (const field of extra) select[field] = true;
  return { ...query, select };
}

/** Where a keyset page of a nested list keeps the list's own filter, for its totalCount. */
const COUNT_WHERE = Symbol.for('pothos-prisma:countWhere');

/**
 * The `query` of a nested list (Pothos relatedConnection, loaded with its parent) paging by
 * keyset. The field's `cursor` option names a unique whose columns hold the order's keys, so
 * Pothos selects them and writes them into each edge's cursor; `keysOf` reads the order's values
 * back from the parsed cursor. `after`/`before` become a `where` on them, ANDed with the list's
 * own; Pothos's Prisma cursor is dropped (`cursor: null`) and totalCount still counts the whole
 * list (both through patches/@pothos__plugin-prisma@4.17.0.patch).
 */
export function keysetRelated(
  fieldArgs: object,
  order: OrderKey[],
  keysOf: (cursor: unknown) => unknown[] | undefined,
  where: Record<string, unknown>,
): { where: Record<string, unknown>; orderBy: OrderKey[]; cursor?: undefined; skip?: number } {
  // Pothos types a relatedConnection's `query` args without the connection's own; they are there.
  const args = fieldArgs as { after?: string | null; before?: string | null; last?: number | null };
  const cursor = args.after ?? args.before;
  if (cursor == null) return { where, orderBy: order };
  let values: unknown[] | undefined;
  try {
    values = keysOf(parsePrismaCursor(cursor));
  } catch {
    values = undefined;
  }
  if (!values || values.length !== order.length) throw invalid();
  const backward = args.before != null || args.last != null;
  const paged: Record<string | symbol, unknown> = {
    AND: [where, keysetWhere(order, values, backward)],
  };
  paged[COUNT_WHERE] = where;
  // `cursor: null` (not undefined): the patched merge drops Pothos's own cursor for it.
  return { where: paged, orderBy: order, cursor: null as unknown as undefined, skip: 0 };
}

/** For keysetRelated: the values of a cursor over one integer column (e.g. `cursor: 'id'`). */
export const intKey = (cursor: unknown) => (Number.isSafeInteger(cursor) ? [cursor] : undefined);

/** For keysetRelated: the integer at `index` of a compound cursor (e.g. `planId_position`). */
export const intKeyAt = (index: number) => (cursor: unknown) =>
  Array.isArray(cursor) && Number.isSafeInteger(cursor[index]) ? [cursor[index]] : undefined;
