// The one source of every open-data file: for each entity, its columns in order, with the
// names, types and source-document terms the field dictionary prints, how a cell is read from
// a database row (export) and how a cell is checked (import). The dictionary, the exporters
// and the importers all read these lists, so a column cannot exist in one and not the others.
//
// An entity's own columns are its GraphQL type's fields that show a column and declare their
// open-data facts beside their exposure (graphql/fields.ts): adding such a field adds the
// column. Written here are only what places a row (municipality, department, fiscal year) and
// the references to other rows, which are not fields of the type.
import {
  type GraphQLField,
  type GraphQLNamedType,
  getNamedType,
  isEnumType,
  isListType,
  isNonNullType,
} from 'graphql';
import {
  builtObjectType,
  type ColumnField,
  columnFields,
  enumValues,
} from '../../graphql/fields.ts';
import {
  fiscalYear as fiscalYearOf,
  MAX_FISCAL_YEAR,
  MIN_FISCAL_YEAR,
} from '../fiscal-year/fiscal-year.ts';

export type EntityName =
  | 'departments'
  | 'plans'
  | 'initiatives'
  | 'evaluations'
  | 'plan-years'
  | 'evaluation-stages'
  | 'targets'
  | 'actuals'
  | 'status-rules';
export const ENTITY_NAMES: readonly EntityName[] = [
  'departments',
  'plans',
  'initiatives',
  'evaluations',
  'plan-years',
  'evaluation-stages',
  'targets',
  'actuals',
  'status-rules',
];

/** A cell as exported: JSON keeps these types; CSV and XLSX write them as text where needed. */
export type Cell = string | number | boolean | null | string[];

export type ColumnType =
  | 'municipality-code'
  | 'code'
  | 'text'
  | 'integer'
  | 'yen'
  | 'number'
  | 'boolean'
  | 'enum'
  | 'text-list'
  | 'timestamp'
  /** A calendar date as YYYY-MM-DD text. */
  | 'date'
  /** A structured value (a list of rules...) as one JSON text. */
  | 'json';

/** A Prisma `select` (nested for relations): what a column needs of the row. */
export type Select = { [key: string]: true | { select: Select } };

export interface Column<Row = never> {
  /** Header in files (English, machine-friendly); imports also accept the Japanese name. */
  key: string;
  ja: string;
  en: string;
  type: ColumnType;
  /** The GraphQL field it mirrors, as Type.field. */
  apiField: string;
  unit?: string;
  allowed?: readonly string[];
  /** The source document's term or mark (①②③, ☞, ※). */
  sourceTerm?: string;
  description: string;
  /** Part of the row's identity: import finds the existing row by these. */
  key_?: boolean;
  /** May be empty. */
  nullable?: boolean;
  /** Limits checked on import, as the API checks them. */
  maxLength?: number;
  min?: number;
  max?: number;
  /** A format the text must have (checked on import), and how to say it. */
  pattern?: { regex: RegExp; hint: string };
  /** Derived on export, ignored on import (e.g. the era label of a year). */
  exportOnly?: boolean;
  /** What the exporter reads of the row for this column. */
  select: Select;
  get(row: Row): Cell;
}

export const ENTITY_LABELS: { [E in EntityName]: { ja: string; en: string; apiType: string } } = {
  departments: { ja: '部', en: 'Departments', apiType: 'Department' },
  plans: { ja: '各部の運営方針と目標', en: 'Department plans', apiType: 'DepartmentPlan' },
  initiatives: { ja: '個別事業', en: 'Initiatives', apiType: 'Initiative' },
  evaluations: { ja: '達成状況', en: 'Evaluations', apiType: 'Evaluation' },
  'plan-years': { ja: '公表・閲覧の案内', en: 'Publication facts', apiType: 'PlanYear' },
  'evaluation-stages': { ja: '評価の段階', en: 'Evaluation stages', apiType: 'EvaluationStage' },
  targets: { ja: '指標と目標値', en: 'Targets', apiType: 'Target' },
  actuals: { ja: '実績', en: 'Actuals', apiType: 'TargetActual' },
  'status-rules': { ja: '状況の判定ルール', en: 'Status rules', apiType: 'StatusRuleSet' },
};

// biome-ignore lint/suspicious/noExplicitAny: a row is what the columns' selects read.
type Row = Record<string, any>;

const YEAR = { min: MIN_FISCAL_YEAR, max: MAX_FISCAL_YEAR };

/** The select of a column found `at` a path of relations, e.g. ['department', 'municipality']. */
function selectAt(path: readonly string[], leaf: Select): Select {
  return path.reduceRight<Select>((inner, relation) => ({ [relation]: { select: inner } }), leaf);
}
const valueAt = (row: Row, path: readonly string[]) =>
  path.reduce<Row>((value, relation) => value[relation], row);

// ---- What places a row: municipality, department, fiscal year (not fields of the type) ----

const municipality = (path: readonly string[]): Column<Row> => ({
  key: 'municipality',
  ja: '団体コード',
  en: 'Municipality code',
  type: 'municipality-code',
  apiField: 'Municipality.code',
  description:
    '全国地方公共団体コード (6 digits with check digit; the first two name the prefecture), e.g. 132047 三鷹市.',
  key_: true,
  select: selectAt([...path, 'municipality'], { code: true }),
  get: (row) => valueAt(row, [...path, 'municipality']).code,
});

const department = (path: readonly string[]): Column<Row> => ({
  key: 'department',
  ja: '部コード',
  en: 'Department code',
  type: 'code',
  apiField: 'Department.code',
  description: 'Stable code of the department (部) within the municipality, e.g. kyoiku.',
  key_: true,
  maxLength: 64,
  select: selectAt([...path, 'department'], { code: true }),
  get: (row) => valueAt(row, [...path, 'department']).code,
});

const fiscalYear = (path: readonly string[]): Column<Row> => ({
  key: 'fiscalYear',
  ja: '年度',
  en: 'Fiscal year',
  type: 'integer',
  unit: '年度 (starting calendar year)',
  apiField: 'FiscalYear.year',
  description: 'The fiscal year by the calendar year it starts in: 2012 is 平成24年度.',
  key_: true,
  ...YEAR,
  select: selectAt(path, { fiscalYear: true }),
  get: (row) => valueAt(row, path).fiscalYear,
});

const fiscalYearLabel = (path: readonly string[]): Column<Row> => ({
  key: 'fiscalYearLabel',
  ja: '年度(和暦)',
  en: 'Fiscal year label',
  type: 'text',
  apiField: 'FiscalYear.label',
  description: 'The year in the Japanese era, e.g. 平成24年度. Derived from fiscalYear.',
  exportOnly: true,
  select: selectAt(path, { fiscalYear: true }),
  get: (row) => fiscalYearOf(valueAt(row, path).fiscalYear).label,
});

// ---- An entity's own columns: its type's fields with open-data facts ----

function columnType(field: ColumnField, named: GraphQLNamedType, list: boolean): ColumnType {
  const declared = field.openData ? field.openData.type : undefined;
  if (declared) return declared;
  if (field.read === 'fiscal-year') return 'integer';
  if (list) return 'text-list';
  if (isEnumType(named)) return 'enum';
  switch (named.name) {
    case 'Int':
    case 'SafeInt':
      return 'integer';
    case 'Float':
      return 'number';
    case 'LocalDate':
      return 'date';
    case 'JSON':
      return 'json';
    case 'Boolean':
      return 'boolean';
    case 'DateTime':
      return 'timestamp';
    default:
      return 'text';
  }
}

/** A cell from the column's value, as the field shows it (a year as its number, in files). */
function cellReader(type: ColumnType, read: ColumnField['read']): (value: unknown) => Cell {
  if (read === 'bigint') return (value) => (value === null ? null : Number(value));
  if (type === 'timestamp') return (value) => (value as Date | null)?.toISOString() ?? null;
  if (type === 'json') return (value) => (value == null ? null : JSON.stringify(value));
  return (value) => (value ?? null) as Cell;
}

/** The columns of the type's fields that declare open-data facts, in declaration order. */
export function fieldColumns(typeName: string): Column<Row>[] {
  return columnFields(builtObjectType(typeName)).flatMap((field) => {
    const facts = field.openData;
    if (!facts) return [];
    const definition = field.definition as GraphQLField<unknown, unknown>;
    const inner = isNonNullType(definition.type) ? definition.type.ofType : definition.type;
    const named = getNamedType(definition.type);
    const type = columnType(field, named, isListType(inner));
    const read = cellReader(type, field.read);
    const column: Column<Row> = {
      key: facts.key ?? field.name,
      ja: facts.ja,
      en: facts.en,
      type,
      apiField: `${typeName}.${field.name}`,
      description: facts.description ?? definition.description ?? '',
      select: { [field.column]: true },
      get: (row) => read(row[field.column]),
    };
    if (facts.unit !== undefined) column.unit = facts.unit;
    if (facts.sourceTerm !== undefined) column.sourceTerm = facts.sourceTerm;
    if (type === 'enum' && isEnumType(named)) {
      column.allowed = enumValues(named.name);
    }
    if (type === 'boolean') column.allowed = ['true', 'false'];
    if (facts.identifiesRow) column.key_ = true;
    if (!isNonNullType(definition.type)) column.nullable = true;
    if (facts.exportOnly) column.exportOnly = true;
    const limits = field.read === 'fiscal-year' ? { ...YEAR, ...pick(facts) } : pick(facts);
    Object.assign(column, limits);
    return [column];
  });
}

function pick(facts: {
  maxLength?: number;
  min?: number;
  max?: number;
  pattern?: Column['pattern'];
}) {
  const limits: Partial<Pick<Column, 'maxLength' | 'min' | 'max' | 'pattern'>> = {};
  if (facts.maxLength !== undefined) limits.maxLength = facts.maxLength;
  if (facts.min !== undefined) limits.min = facts.min;
  if (facts.max !== undefined) limits.max = facts.max;
  if (facts.pattern !== undefined) limits.pattern = facts.pattern;
  return limits;
}

// ---- References to other rows (relations, written by their keys) ----

const evaluatedPosition: Column<Row> = {
  key: 'position',
  ja: '番号',
  en: 'Initiative position',
  type: 'integer',
  apiField: 'Initiative.position',
  description: 'Position of the evaluated project within its plan.',
  key_: true,
  min: 1,
  max: 100,
  select: { initiative: { select: { position: true } } },
  get: (e) => e.initiative.position,
};

const nextInitiative: Column<Row> = {
  key: 'nextInitiative',
  ja: '次年度の個別事業',
  en: 'Carried on by',
  type: 'code',
  apiField: 'Evaluation.nextInitiative',
  description:
    'The next year’s project that carries this one on, as department/fiscalYear/position (e.g. kyoiku/2013/2), same municipality.',
  nullable: true,
  maxLength: 80,
  select: {
    nextInitiative: {
      select: {
        position: true,
        plan: { select: { fiscalYear: true, department: { select: { code: true } } } },
      },
    },
  },
  get: (e) =>
    e.nextInitiative
      ? `${e.nextInitiative.plan.department.code}/${e.nextInitiative.plan.fiscalYear}/${e.nextInitiative.position}`
      : null,
};

const whitePaperFiscalYear: Column<Row> = {
  key: 'whitePaperFiscalYear',
  ja: '掲載白書(対象年度)',
  en: 'White paper (year reported on)',
  type: 'integer',
  unit: '年度',
  apiField: 'Evaluation.whitePaper',
  sourceTerm: '自治体経営白書',
  description:
    'The white paper that published the evaluation, by the fiscal year it reports on (one per municipality and year).',
  nullable: true,
  ...YEAR,
  select: { whitePaper: { select: { reportsOnFiscalYear: true } } },
  get: (e) => e.whitePaper?.reportsOnFiscalYear ?? null,
};

/** An initiative's key columns, found `at` a path of relations from the row. */
const initiativeKey = (path: readonly string[]): Column<Row>[] => [
  municipality([...path, 'plan', 'department']),
  department([...path, 'plan']),
  fiscalYear([...path, 'plan']),
  {
    ...evaluatedPosition,
    apiField: 'Initiative.position',
    description: 'Position of the project within its plan.',
    select: selectAt(path, { position: true }),
    get: (row) => valueAt(row, path).position,
  },
];

/**
 * A target's number within its initiative (1, 2, ... in the order they were set, as the API
 * lists them): targets have no code of their own, so files name them by it.
 */
const targetNumber = (path: readonly string[]): Column<Row> => ({
  key: 'targetNo',
  ja: '指標番号',
  en: 'Target number',
  type: 'integer',
  apiField: 'Initiative.targets',
  description:
    "The target's place among its initiative's targets, in the order they were set (1, 2, ...). A new target is the next number.",
  key_: true,
  min: 1,
  select: selectAt(path, {
    id: true,
    initiative: { select: { targets: { select: { id: true } } } },
  }),
  get: (row) => {
    const target = valueAt(row, path);
    const ids = (target.initiative.targets as { id: number }[]).map((t) => t.id);
    return ids.sort((a, b) => a - b).indexOf(target.id) + 1;
  },
});

/** Each entity's columns, from the built schema on first use. */
function columnsOf(entity: EntityName): Column<Row>[] {
  switch (entity) {
    case 'departments':
      return [municipality([]), ...fieldColumns(ENTITY_LABELS.departments.apiType)];
    case 'plans':
      return [
        municipality(['department']),
        department([]),
        fiscalYear([]),
        fiscalYearLabel([]),
        ...fieldColumns(ENTITY_LABELS.plans.apiType),
      ];
    case 'initiatives':
      return [
        municipality(['plan', 'department']),
        department(['plan']),
        fiscalYear(['plan']),
        ...fieldColumns(ENTITY_LABELS.initiatives.apiType),
      ];
    case 'evaluations':
      return [
        municipality(['initiative', 'plan', 'department']),
        department(['initiative', 'plan']),
        fiscalYear(['initiative', 'plan']),
        evaluatedPosition,
        ...fieldColumns(ENTITY_LABELS.evaluations.apiType),
        nextInitiative,
        whitePaperFiscalYear,
      ];
    case 'plan-years':
      return [
        municipality([]),
        fiscalYear([]),
        fiscalYearLabel([]),
        ...fieldColumns(ENTITY_LABELS['plan-years'].apiType),
      ];
    case 'evaluation-stages':
      return [
        ...initiativeKey(['evaluation', 'initiative']),
        ...fieldColumns(ENTITY_LABELS['evaluation-stages'].apiType),
      ];
    case 'targets':
      return [
        ...initiativeKey(['initiative']),
        targetNumber([]),
        ...fieldColumns(ENTITY_LABELS.targets.apiType),
      ];
    case 'actuals':
      return [
        ...initiativeKey(['target', 'initiative']),
        targetNumber(['target']),
        ...fieldColumns(ENTITY_LABELS.actuals.apiType),
      ];
    case 'status-rules':
      // One row per rule set (a municipality's rules from one fiscal year on), checked and
      // replaced as one; a municipality without its own has one row of the default rules.
      return [municipality([]), ...fieldColumns(ENTITY_LABELS['status-rules'].apiType)];
  }
}

const built = new Map<EntityName, Column<never>[]>();
/** Each entity's columns, built from the schema on first use (it is built after this module loads). */
export const COLUMNS = {} as { readonly [E in EntityName]: Column<never>[] };
for (const entity of ENTITY_NAMES) {
  Object.defineProperty(COLUMNS, entity, {
    enumerable: true,
    get: () => {
      if (!built.has(entity)) built.set(entity, columnsOf(entity) as Column<never>[]);
      return built.get(entity);
    },
  });
}

/** What the exporter selects of an entity's rows: the id and every column's need, merged. */
export function selectOf(entity: EntityName): Select {
  const select: Select = { id: true };
  for (const column of COLUMNS[entity] as Column<Row>[]) merge(select, column.select);
  return select;
}

function merge(into: Select, from: Select) {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    if (existing === undefined || existing === true) into[key] = structuredClone(value);
    else if (value !== true) merge(existing.select, value.select);
  }
}

/** The row as a record of cells, in column order. */
export function cellsOf<Row>(columns: Column<Row>[], row: Row): Record<string, Cell> {
  const cells: Record<string, Cell> = {};
  for (const column of columns) cells[column.key] = column.get(row);
  return cells;
}
