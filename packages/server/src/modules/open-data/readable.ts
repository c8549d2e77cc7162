// The readable variant of every export, for a citizen opening the file: the API's own
// Japanese labels instead of enum codes (labels.type.ts), department names as they were in the
// row's year (department-naming.ts), ☞ and ※ as the booklet prints them, lists joined with
// 「、」, timestamps as calendar dates in Japan (JST), Japanese headers. Each readable column is
// derived from its machine column (columns.ts): it adds no field of its own.
import { getNamedType, isEnumType } from 'graphql';
import type { PrismaClient } from '../../db/client.ts';
import { builtObjectType } from '../../graphql/fields.ts';
import {
  type FormerName,
  formerNamesSelect,
  type Naming,
  namingIn,
} from '../department/department-naming.ts';
import { fiscalYear as fiscalYearOf } from '../fiscal-year/fiscal-year.ts';
import { LABELS } from '../labels/labels.type.ts';
import { type Cell, COLUMNS, type Column, ENTITY_NAMES, type EntityName } from './columns.ts';
import type { ExportScope } from './export.ts';

/** The marks and separator of the printed booklet. */
export const LIST_SEPARATOR = '、';

export interface ReadableColumn {
  source: Column;
  /** Header and Table Schema name: the dictionary's Japanese name. */
  name: string;
  titleEn: string;
  description: string;
  type: 'string' | 'integer' | 'boolean' | 'date';
  enum?: readonly string[];
  trueValues?: readonly string[];
  falseValues?: readonly string[];
  required: boolean;
  /** The readable cell of the machine row (dates as YYYY-MM-DD in JST). */
  cell(value: Cell, row: readonly Cell[], names: NameBook): Cell;
}

/** Department names by municipality and code, in any year. */
export interface NameBook {
  nameOf(municipality: string, code: string, year: number | undefined): string;
}

/** The calendar date in Japan (UTC+9, no daylight saving) of an ISO timestamp. */
export function jstDate(iso: string): string {
  return new Date(Date.parse(iso) + 9 * 3600_000).toISOString().slice(0, 10);
}

/** The enum's labels (value → Japanese label), found from the column's GraphQL field. */
function enumLabels(column: Column): Map<string, string> | undefined {
  const [typeName, fieldName] = column.apiField.split('.');
  if (typeName === undefined || fieldName === undefined) return undefined;
  const field = builtObjectType(typeName).getFields()[fieldName];
  const named = field && getNamedType(field.type);
  if (!named || !isEnumType(named)) return undefined;
  const labels = LABELS[named.name];
  return labels && new Map(labels.map(([value, label]) => [value, label]));
}

/** The mark the booklet prints for a flag or before each note (☞, ※), from the source term. */
function markOf(column: Column): string | undefined {
  const mark = column.sourceTerm?.charAt(0);
  return mark === '☞' || mark === '※' ? mark : undefined;
}

function readableOf(column: Column, columns: readonly Column[]): ReadableColumn {
  const base = {
    source: column,
    name: column.ja,
    titleEn: column.en,
    description: column.description,
    required: column.nullable !== true || column.key_ === true,
  };
  const yearAt = columns.findIndex((c) => c.key === 'fiscalYear');
  const municipalityAt = columns.findIndex((c) => c.type === 'municipality-code');
  const yearOf = (row: readonly Cell[]) =>
    yearAt >= 0 ? ((row[yearAt] as number | null) ?? undefined) : undefined;
  // A reference to a department: its name in the row's year.
  if (column.key === 'department' && column.apiField === 'Department.code') {
    return {
      ...base,
      name: '部名',
      titleEn: 'Department',
      description: 'The department (部), by the name it had in the fiscal year of the row.',
      type: 'string',
      cell: (value, row, names) =>
        names.nameOf(String(row[municipalityAt]), String(value), yearOf(row)),
    };
  }
  // A reference to an initiative of a later year (department/year/position).
  if (column.key === 'nextInitiative') {
    return {
      ...base,
      description: `${column.description} Shown as year, department (as then named) and position.`,
      type: 'string',
      cell: (value, row, names) => {
        if (value === null) return null;
        const [code = '', year = '', position = ''] = String(value).split('/');
        const fy = Number(year);
        return `${fiscalYearOf(fy).label} ${names.nameOf(String(row[municipalityAt]), code, fy)} ${position}`;
      },
    };
  }
  switch (column.type) {
    case 'enum': {
      const labels = enumLabels(column);
      return {
        ...base,
        type: 'string',
        enum: labels ? [...labels.values()] : column.allowed,
        cell: (value) => (value === null ? null : (labels?.get(String(value)) ?? String(value))),
      };
    }
    case 'boolean': {
      const mark = markOf(column);
      // A flag the booklet marks (☞): the mark, or nothing.
      if (mark)
        return {
          ...base,
          type: 'string',
          enum: [mark],
          required: false,
          cell: (value) => (value === true ? mark : null),
        };
      return {
        ...base,
        type: 'boolean',
        trueValues: ['はい'],
        falseValues: ['いいえ'],
        cell: (value) => (value === null ? null : value ? 'はい' : 'いいえ'),
      };
    }
    case 'text-list': {
      const mark = markOf(column) ?? '';
      return {
        ...base,
        type: 'string',
        required: false,
        cell: (value) => {
          const items = (value as string[] | null) ?? [];
          return items.length === 0 ? null : items.map((i) => `${mark}${i}`).join(LIST_SEPARATOR);
        },
      };
    }
    case 'timestamp':
      return {
        ...base,
        type: 'date',
        description: `${column.description} Here the calendar date in Japan (JST).`,
        cell: (value) => (value === null ? null : jstDate(String(value))),
      };
    case 'integer':
    case 'yen':
      return { ...base, type: 'integer', cell: (value) => value };
    default:
      return { ...base, type: 'string', cell: (value) => value };
  }
}

const built = new Map<EntityName, ReadableColumn[]>();
/** Each entity's readable columns, built on first use (after the schema). */
export function readableColumns(entity: EntityName): ReadableColumn[] {
  let columns = built.get(entity);
  if (!columns) {
    const source = COLUMNS[entity];
    columns = source.map((column) => readableOf(column, source));
    built.set(entity, columns);
  }
  return columns;
}

export const READABLE = Object.fromEntries(
  ENTITY_NAMES.map((entity) => [entity, () => readableColumns(entity)]),
) as { readonly [E in EntityName]: () => ReadableColumn[] };

/** Department names (current and former) of the municipalities in scope, read once per file. */
export async function loadNameBook(prisma: PrismaClient, scope: ExportScope): Promise<NameBook> {
  const rows = await prisma.department.findMany({
    where: scope.municipality !== undefined ? { municipality: { code: scope.municipality } } : {},
    select: {
      code: true,
      name: true,
      nameEn: true,
      displayOrder: true,
      municipality: { select: { code: true } },
      ...formerNamesSelect,
    },
  });
  const book = new Map<string, { current: Naming; formerNames: FormerName[] }>();
  for (const { municipality, code, formerNames, ...current } of rows) {
    book.set(`${municipality.code}/${code}`, { current, formerNames });
  }
  return {
    nameOf(municipality, code, year) {
      const entry = book.get(`${municipality}/${code}`);
      if (!entry) return code;
      return year === undefined
        ? entry.current.name
        : namingIn(entry.current, entry.formerNames, year).name;
    },
  };
}

/** The machine rows of a batch as readable rows. */
export function readableRows(
  entity: EntityName,
  batch: readonly Cell[][],
  names: NameBook,
): Cell[][] {
  const columns = readableColumns(entity);
  return batch.map((row) => columns.map((column, i) => column.cell(row[i] ?? null, row, names)));
}
