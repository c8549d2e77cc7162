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
import { ErrorCode, UserInputError } from '../errors.ts';

type Direction = 'asc' | 'desc';
/**
 * One key of a Prisma orderBy, possibly through a to-one relation: { plan: { fiscalYear: 'desc' } }.
 * Only 'asc'/'desc' on non-null columns: keyset paging needs a total order without nulls.
 */
export type OrderKey = object;

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

/** The order's keys, flattened: path to the field and direction. */
function flatten(order: OrderKey[]): Array<{ path: string[]; direction: Direction }> {
  return order.map((key) => {
    const path: string[] = [];
    let node: unknown = key;
    while (node && typeof node === 'object') {
      const entries = Object.entries(node);
      if (entries.length !== 1) throw new Error('keyset: one field per key of the order');
      const [field, inner] = entries[0] as [string, unknown];
      path.push(field);
      node = inner;
    }
    if (node !== 'asc' && node !== 'desc') throw new Error('keyset: asc or desc only');
    return { path, direction: node };
  });
}

function nest(path: string[], condition: unknown): Record<string, unknown> {
  let where: unknown = condition;
  for (let i = path.length - 1; i >= 0; i -= 1) where = { [path[i] as string]: where };
  return where as Record<string, unknown>;
}

/**
 * The rows strictly after (forward) or before (backward) the given sort values, in this order:
 * OR over i of (key_1 = v_1 AND ... AND key_i-1 = v_i-1 AND key_i beyond v_i).
 */
export function keysetWhere(order: OrderKey[], values: unknown[], backward: boolean) {
  const keys = flatten(order);
  return {
    OR: keys.map((key, i) => ({
      AND: [
        ...keys.slice(0, i).map((earlier, j) => nest(earlier.path, { equals: values[j] })),
        nest(key.path, {
          [(key.direction === 'asc') !== backward ? 'gt' : 'lt']: values[i],
        }),
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
  return { query: rest, where: keysetWhere(order, parsed.v, backward) };
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
 * For an order of a keyset list that still pages on Pothos's id cursor: the query unchanged,
 * but a keyset cursor (of another order) is refused rather than handed to Prisma.
 */
export function idCursorPage<Q extends { cursor?: unknown }>(query: Q): Q {
  const inner = (query.cursor as { id?: unknown } | undefined)?.id;
  if (typeof inner === 'string' && isKeysetCursor(inner)) throw invalid();
  return query;
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
