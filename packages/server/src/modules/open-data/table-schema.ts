// Frictionless Table Schemas (specs.frictionlessdata.io/table-schema) of every export, machine
// and readable variant, derived from the same column definitions as the exporters, the
// importers and the field dictionary (columns.ts): a column cannot be in a file and not in its
// schema, and its type, limits and keys are said once.
import { COLUMNS, type Column, ENTITY_NAMES, type EntityName } from './columns.ts';
import { READABLE, type ReadableColumn } from './readable.ts';

export interface TableSchemaField {
  name: string;
  /** Japanese title (the dictionary's 項目名); `titleEn` is the English one. */
  title: string;
  titleEn: string;
  description: string;
  type: 'string' | 'integer' | 'boolean' | 'array' | 'datetime' | 'date';
  format?: string;
  trueValues?: string[];
  falseValues?: string[];
  constraints?: {
    required?: boolean;
    enum?: string[];
    pattern?: string;
    maxLength?: number;
    minimum?: number;
    maximum?: number;
  };
  /** The GraphQL field the column mirrors, its unit and the source document's term. */
  apiField: string;
  unit?: string;
  sourceTerm?: string;
}

export interface ForeignKey {
  fields: string[];
  reference: { resource: string; fields: string[] };
}

export interface TableSchema {
  fields: TableSchemaField[];
  primaryKey?: string[];
  foreignKeys?: ForeignKey[];
  /** Only an empty cell is missing: `0`, `false` and `-` are values. */
  missingValues: string[];
}

/**
 * Each entity's parent row, which its key columns reference: a plan its department, an
 * initiative its plan, an evaluation its initiative. `rename` maps the parent's key columns to
 * the child's names where they differ (a department's own `code` is its children's `department`).
 */
const PARENT: Partial<Record<EntityName, { entity: EntityName; rename?: Record<string, string> }>> =
  {
    plans: { entity: 'departments', rename: { code: 'department' } },
    initiatives: { entity: 'plans' },
    evaluations: { entity: 'initiatives' },
  };

/** A pattern as Table Schema states it: implicitly anchored (XML Schema style), no ^ $. */
function anchoredSource(regex: RegExp): string {
  return regex.source.replace(/^\^/, '').replace(/\$$/, '');
}

/** The machine-readable column as a Table Schema field. */
export function machineField(column: Column): TableSchemaField {
  const constraints: NonNullable<TableSchemaField['constraints']> = {};
  const field: TableSchemaField = {
    name: column.key,
    title: column.ja,
    titleEn: column.en,
    description: column.description,
    type: 'string',
    apiField: column.apiField,
  };
  switch (column.type) {
    case 'municipality-code':
      constraints.pattern = '[0-9]{6}';
      break;
    case 'code':
    case 'text':
      if (column.maxLength !== undefined) constraints.maxLength = column.maxLength;
      if (column.pattern) constraints.pattern = anchoredSource(column.pattern.regex);
      break;
    case 'integer':
    case 'yen':
      field.type = 'integer';
      if (column.min !== undefined) constraints.minimum = column.min;
      if (column.max !== undefined) constraints.maximum = column.max;
      break;
    case 'boolean':
      field.type = 'boolean';
      field.trueValues = ['true'];
      field.falseValues = ['false'];
      break;
    case 'enum':
      constraints.enum = [...(column.allowed ?? [])];
      break;
    case 'text-list':
      // A JSON array of strings in CSV (spreadsheet.ts csvCell); empty when empty.
      field.type = 'array';
      if (column.max !== undefined) constraints.maxLength = column.max;
      break;
    case 'timestamp':
      // ISO 8601 in UTC with milliseconds (Date.toISOString).
      field.type = 'datetime';
      field.format = 'any';
      break;
  }
  // An empty list is written as an empty cell: a list column is never "required".
  if ((column.nullable !== true || column.key_ === true) && column.type !== 'text-list') {
    constraints.required = true;
  }
  if (Object.keys(constraints).length > 0) field.constraints = constraints;
  if (column.unit !== undefined) field.unit = column.unit;
  if (column.sourceTerm !== undefined) field.sourceTerm = column.sourceTerm;
  return field;
}

function keysOf(entity: EntityName): string[] {
  return COLUMNS[entity].filter((column) => column.key_ === true).map((column) => column.key);
}

/** The Table Schema of an entity's machine-readable files (CSV, JSON, JSON Lines, XLSX). */
export function machineSchema(
  entity: EntityName,
  resourceOf: (parent: EntityName) => string = (parent) => parent,
): TableSchema {
  const schema: TableSchema = {
    fields: COLUMNS[entity].map(machineField),
    primaryKey: keysOf(entity),
    missingValues: [''],
  };
  const parent = PARENT[entity];
  if (parent) {
    const parentKeys = keysOf(parent.entity);
    schema.foreignKeys = [
      {
        fields: parentKeys.map((key) => parent.rename?.[key] ?? key),
        reference: { resource: resourceOf(parent.entity), fields: parentKeys },
      },
    ];
  }
  return schema;
}

/** The readable column as a Table Schema field. */
export function readableField(column: ReadableColumn): TableSchemaField {
  const { source } = column;
  const field: TableSchemaField = {
    name: column.name,
    title: column.name,
    titleEn: column.titleEn,
    description: column.description,
    type: column.type,
    apiField: source.apiField,
  };
  const constraints: NonNullable<TableSchemaField['constraints']> = {};
  if (column.enum) constraints.enum = [...column.enum];
  if (column.type === 'integer') {
    if (source.min !== undefined) constraints.minimum = source.min;
    if (source.max !== undefined) constraints.maximum = source.max;
  }
  if (column.required) constraints.required = true;
  if (Object.keys(constraints).length > 0) field.constraints = constraints;
  if (column.type === 'date') field.format = 'default'; // YYYY-MM-DD, the JST calendar date
  if (column.trueValues) field.trueValues = [...column.trueValues];
  if (column.falseValues) field.falseValues = [...column.falseValues];
  if (source.unit !== undefined) field.unit = source.unit;
  if (source.sourceTerm !== undefined) field.sourceTerm = source.sourceTerm;
  return field;
}

/**
 * The Table Schema of an entity's readable files. Its rows are identified by the same columns
 * under their Japanese names (a department by its name in that year); it references no other
 * resource (names change over the years: the machine files carry the references).
 */
export function readableSchema(entity: EntityName): TableSchema {
  const columns = READABLE[entity]();
  const keys = new Set(keysOf(entity));
  return {
    fields: columns.map(readableField),
    primaryKey: columns.filter((c) => keys.has(c.source.key)).map((c) => c.name),
    missingValues: [''],
  };
}

/** Every entity's schemas, for the proposal document's normative part. */
export function allTableSchemas(): Record<string, TableSchema> {
  return Object.fromEntries(
    ENTITY_NAMES.flatMap((entity) => [
      [entity, machineSchema(entity)],
      [`${entity}-readable`, readableSchema(entity)],
    ]),
  );
}
