// What a field is besides its GraphQL type, declared once beside its exposure in
// modules/<domain>/*.type.ts and kept in the field's `extensions`: the column it shows (a plain
// exposure's is its own name, which Pothos records as `pothosExposedField`), how that column's
// value becomes the field's, and how it appears in the open-data files (labels, unit, source
// term, import limits). Compiled reads, live states, the open-data columns and the dictionary
// read these from the built schema; none keeps its own list of fields.
import {
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  isObjectType,
} from 'graphql';
import { builder } from './builder.ts';

/** How a column's value becomes the field's, when it is not the value itself. */
export type ColumnRead =
  /** A bigint column shown as a number (SafeInt): read as text where JSON would round it. */
  | 'bigint'
  /** A fiscal year's starting calendar year (Int) shown as a FiscalYear object. */
  | 'fiscal-year'
  /**
   * A department's name column as it was in the fiscal year it is shown for (a plan's year):
   * modules/department/department-naming.ts's rule, which compiled reads restate in SQL.
   */
  | 'naming-as-of-year';

/** The field as an open-data column: names in files and in the dictionary, limits on import. */
export interface OpenDataFacts {
  ja: string;
  en: string;
  /** The column's key in files, when it is not the field's name. */
  key?: string;
  /**
   * The dictionary's type, when the GraphQL type does not say it (e.g. an amount in yen; a
   * structured value written as one JSON text).
   */
  type?: 'yen' | 'code' | 'json';
  unit?: string;
  /** The source document's term or mark (①②③, ☞, ※). */
  sourceTerm?: string;
  /** The dictionary's description, when the field's own does not say enough for a file. */
  description?: string;
  /** Part of the row's identity: an import finds the existing row by it. */
  identifiesRow?: boolean;
  /** Written by the server (publishing...), shown in exports, ignored on import. */
  exportOnly?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  pattern?: { regex: RegExp; hint: string };
}

export interface FieldFacts {
  /** The column the field shows, when it is not a plain exposure (whose column is its name). */
  column?: string;
  read?: ColumnRead;
  /** Its open-data column, or `false` when the field is deliberately not exported. */
  openData?: OpenDataFacts | false;
}

const FACTS = 'hoshinField';
/** Declaration order of fields with facts: the built schema is sorted, files keep this order. */
let declared = 0;

/**
 * Spread into a field's options: `t.exposeInt(name, { ...fieldFacts({ openData: {...} }) })`.
 * (Plain exposures carry no other extensions; a guarded field's would be replaced.)
 */
export function fieldFacts(facts: FieldFacts) {
  declared += 1;
  return { extensions: { [FACTS]: { ...facts, order: declared } } };
}

/** For fields that are columns but have no place in the open-data files (version, timestamps). */
export const notExported = () => fieldFacts({ openData: false });

/** A field of an entity type that shows one of its row's columns. */
export interface ColumnField {
  /** The GraphQL field's name. */
  name: string;
  column: string;
  /** A plain exposure (else a field with its own resolver, reading `column` as `read` says). */
  exposed: boolean;
  read: ColumnRead | undefined;
  definition: GraphQLField<unknown, unknown>;
  /** Undefined when the field says nothing about open data; false when it is not exported. */
  openData: OpenDataFacts | false | undefined;
  /** Declaration order (fields without facts come last, by name). */
  order: number;
}

/** What a field's extensions say of its column: its own exposure, or the one its facts declare. */
export function shownColumn(extensions: Readonly<Record<string, unknown>> | null | undefined) {
  const facts = extensions?.[FACTS] as (FieldFacts & { order: number }) | undefined;
  const exposed = extensions?.pothosExposedField;
  const column = typeof exposed === 'string' ? exposed : facts?.column;
  if (column === undefined) return undefined;
  return {
    column,
    /** A plain exposure: the field's value is the column's, as it is. */
    exposed: typeof exposed === 'string',
    read: facts?.read,
    openData: facts?.openData,
    order: facts?.order ?? Number.MAX_SAFE_INTEGER,
  };
}

/** The column a field of the built schema shows, if it shows one. */
export function columnFieldOf(field: GraphQLField<unknown, unknown>): ColumnField | undefined {
  const shown = shownColumn(field.extensions);
  return shown && { name: field.name, definition: field, ...shown };
}

/** Every field of the type that shows a column, in declaration order. */
export function columnFields(type: GraphQLObjectType): ColumnField[] {
  return Object.values(type.getFields())
    .map((field) => columnFieldOf(field as GraphQLField<unknown, unknown>))
    .filter((field): field is ColumnField => field !== undefined)
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

// The schema as schema.ts built it: modules read their field facts from it at run time (they
// are below schema.ts and cannot import it).
let built: GraphQLSchema | undefined;

export function publishBuiltSchema<S extends GraphQLSchema>(schema: S): S {
  built = schema;
  return schema;
}

export function builtSchema(): GraphQLSchema {
  if (!built) throw new Error('The schema is not built yet: import schema.ts first');
  return built;
}

/** An object type of the built schema, by name. */
export function builtObjectType(name: string): GraphQLObjectType {
  const type = builtSchema().getType(name);
  if (!isObjectType(type)) throw new Error(`${name} is not an object type of the schema`);
  return type;
}

/** An enum's values in declared order (the built schema's are sorted by name). */
export function enumValues(name: string): string[] {
  const config = builder.configStore.getTypeConfig(name, 'Enum');
  return Object.keys(config.values);
}
