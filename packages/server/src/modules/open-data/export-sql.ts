// An export's read as one SQL statement, built from what already says it: the columns' selects
// (columns.ts) give the select list, the Prisma datamodel (generated/pothos-types.ts) the
// tables, their foreign keys and each value's type, and the entity's `where` (the visibility
// module's filter and the scope, the one the Prisma reader applies) is translated by
// graphql/compiled/where.ts. Each row comes back as an array and is shaped into the nested
// object the columns' `get` reads, so cells are made exactly as from a Prisma row.
// Undefined when the read cannot be one such statement (a to-many relation in a select, a
// filter the translator does not know): the Prisma reader reads those.
import { getDatamodel } from '../../../generated/pothos-types.ts';
import * as enums from '../../../generated/prisma/enums.ts';
import {
  joinsSql,
  SqlParams,
  type SqlTable,
  translated,
  whereSql,
} from '../../graphql/compiled/where.ts';
import type { Select } from './columns.ts';

interface ModelField {
  name: string;
  kind: string;
  type: string;
  isList: boolean;
  isRequired: boolean;
  relationFromFields?: readonly string[];
}

const MODELS = getDatamodel().datamodel.models as unknown as Record<
  string,
  { fields: ModelField[] }
>;
const ENUM_VALUES = enums as unknown as Record<string, Record<string, string>>;

function fieldOf(model: string, name: string): ModelField | undefined {
  return MODELS[model]?.fields.find((field) => field.name === name);
}

/** A to-one relation whose foreign key the model holds (the only relations a join can read). */
function foreignKeyOf(field: ModelField): string | undefined {
  const from = field.relationFromFields ?? [];
  return field.kind === 'object' && !field.isList && from.length === 1 ? from[0] : undefined;
}

/** The columns whereSql may compare: the model's single-valued ints, texts, booleans, enums. */
function comparable(model: string): SqlTable['columns'] {
  const columns: Record<string, 'int' | 'text' | 'bool' | readonly string[]> = {};
  for (const field of MODELS[model]?.fields ?? []) {
    if (field.isList) continue;
    if (field.kind === 'enum') {
      const values = ENUM_VALUES[field.type];
      if (values) columns[field.name] = Object.values(values);
    } else if (field.kind === 'scalar') {
      const kind = { Int: 'int', String: 'text', Boolean: 'bool' }[field.type] as
        | 'int'
        | 'text'
        | 'bool'
        | undefined;
      if (kind) columns[field.name] = kind;
    }
  }
  return columns;
}

type Row = Record<string, unknown>;

/** A table of the statement: the entity's, or one a relation joins, under its own alias. */
class Node {
  readonly table: SqlTable;
  private readonly relations: Record<string, { table: SqlTable; on: string }> = {};
  private readonly children = new Map<string, Node>();

  constructor(
    readonly model: string,
    alias: string,
    private readonly aliases: { next: number },
  ) {
    this.table = { name: model, alias, columns: comparable(model), relations: this.relations };
  }

  /** The node of a to-one relation, joined once whatever reads it; undefined for others. */
  child(name: string): { node: Node; field: ModelField } | undefined {
    const field = fieldOf(this.model, name);
    const on = field && foreignKeyOf(field);
    if (!field || !on) return undefined;
    let node = this.children.get(name);
    if (!node) {
      node = new Node(field.type, `t${this.aliases.next++}`, this.aliases);
      this.children.set(name, node);
      this.relations[name] = { table: node.table, on };
    }
    return { node, field };
  }
}

/** Joins the relations a Prisma `where` names (false: it names one no join can read). */
function joinWhere(node: Node, where: unknown): boolean {
  if (Array.isArray(where)) return where.every((item) => joinWhere(node, item));
  if (typeof where !== 'object' || where === null) return true;
  for (const [key, value] of Object.entries(where)) {
    if (key === 'AND' || key === 'OR' || key === 'NOT') {
      if (!joinWhere(node, value)) return false;
      continue;
    }
    const field = fieldOf(node.model, key);
    if (field?.kind !== 'object') continue;
    const related = node.child(key);
    if (!related || !joinWhere(related.node, value)) return false;
  }
  return true;
}

/** How a value of the datamodel's type is selected, and made what Prisma would return. */
function selectedValue(
  field: ModelField,
  column: string,
): { sql: string; read?: (v: unknown) => unknown } {
  // Lists as JSON (either driver parses it), whatever their element type.
  if (field.isList) return { sql: `to_json(${column})` };
  switch (field.type) {
    case 'DateTime':
      // ISO 8601 with the offset, whatever the session's time zone: the same instant.
      return {
        sql: `to_json(${column})`,
        read: (v) => (v === null ? null : new Date(v as string)),
      };
    case 'BigInt':
      return { sql: `${column}::text`, read: (v) => (v === null ? null : BigInt(v as string)) };
    default:
      return { sql: column };
  }
}

type Shaper = (row: readonly unknown[]) => Row;

/** Adds a select's values to `list` and returns what shapes them back into a nested row. */
function selectInto(node: Node, select: Select, list: string[]): Shaper | undefined {
  const scalars: { key: string; at: number; read: ((v: unknown) => unknown) | undefined }[] = [];
  const relations: { key: string; nullAt: number | undefined; shape: Shaper }[] = [];
  for (const [key, value] of Object.entries(select)) {
    if (value === true) {
      const field = fieldOf(node.model, key);
      if (!field || field.kind === 'object') return undefined;
      const { sql, read } = selectedValue(field, `${node.table.alias}."${key}"`);
      scalars.push({ key, at: list.length, read });
      list.push(sql);
      continue;
    }
    const related = node.child(key);
    if (!related) return undefined;
    // An optional relation is null when its joined row is missing.
    let nullAt: number | undefined;
    if (!related.field.isRequired) {
      nullAt = list.length;
      list.push(`${related.node.table.alias}.id`);
    }
    const shape = selectInto(related.node, value.select, list);
    if (!shape) return undefined;
    relations.push({ key, nullAt, shape });
  }
  return (row) => {
    const out: Row = {};
    for (const { key, at, read } of scalars) out[key] = read ? read(row[at]) : row[at];
    for (const { key, nullAt, shape } of relations) {
      out[key] = nullAt !== undefined && row[nullAt] === null ? null : shape(row);
    }
    return out;
  };
}

export interface RowStatement {
  /** Every row, ordered by id. */
  sql: string;
  values: unknown[];
  /** The rows after `afterId`, `take` of them (a keyset page of the same rows). */
  page(afterId: number, take: number): { sql: string; values: unknown[] };
  /** The row's id (the first value). */
  idOf(row: readonly unknown[]): number;
  /** The row as the columns' `get` reads it (what Prisma returns for the select). */
  shape: Shaper;
}

/**
 * One statement reading `select` of `model`'s rows that match `where`, by id; undefined when
 * the select or the filter cannot be read that way.
 */
export function rowStatement(
  model: string,
  select: Select,
  where: unknown,
): RowStatement | undefined {
  if (!MODELS[model]) return undefined;
  const root = new Node(model, 't0', { next: 1 });
  if (!joinWhere(root, where)) return undefined;
  const list = [`${root.table.alias}.id`];
  const shape = selectInto(root, select, list);
  if (!shape) return undefined;
  const params = new SqlParams();
  const condition = translated(() => whereSql(where, root.table, params));
  if (condition === undefined) return undefined;
  // LEFT JOIN: a missing optional row is a null, and the filter's own conditions decide the rest.
  const from = `FROM "${model}" AS t0 ${joinsSql(root.table, 'LEFT JOIN')}`;
  // Named c0, c1...: rows read as objects (PGlite's pages) keep every value, in order.
  const selected = list.map((sql, i) => `${sql} AS c${i}`).join(', ');
  const head = `SELECT ${selected} ${from} WHERE ${condition}`;
  const { values } = params;
  return {
    sql: `${head} ORDER BY t0.id`,
    values,
    page(afterId, take) {
      const paged = new SqlParams(values);
      return {
        sql: `${head} AND t0.id > ${paged.add(afterId)} ORDER BY t0.id LIMIT ${paged.add(take)}`,
        values: paged.values,
      };
    },
    idOf: (row) => row[0] as number,
    shape,
  };
}
