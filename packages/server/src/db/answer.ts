// What a write answers with. A mutation hands its service the caller's selection (the GraphQL
// payload as Pothos plans it for `t.prismaField`), and the service applies it to the write's
// own last statement, in its transaction: the answer is what was written, read with the rights
// the write was checked against. Read again after commit, through the reader's visibility, a
// deleted plan or a draft the external committee may work on but not read failed the request
// after the write had committed (and a retry then met a version conflict).

/** A Pothos query for one model: `include` for the relations asked for, or a `select`. */
export interface Answer<Include, Select> {
  include?: Include;
  select?: Select;
}

/**
 * The selection as Prisma takes it. A payload asking only for `__typename` plans an empty
 * `select`, which Prisma refuses: the row is read plainly then.
 */
export function answering<Q extends Answer<unknown, unknown>>(query: Q | undefined): Q {
  const plain = {} as Q; // both parts are optional
  if (!query) return plain;
  const empty = (part: unknown) =>
    part !== undefined && part !== null && Object.keys(part as object).length === 0;
  return empty(query.select) || (query.select === undefined && empty(query.include))
    ? plain
    : query;
}
