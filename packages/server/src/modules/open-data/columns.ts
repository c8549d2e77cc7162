// The one source of every open-data file: for each entity, its columns in order, with the
// names, types and source-document terms the field dictionary prints, how a cell is read from
// a database row (export) and how a cell is checked (import). The dictionary, the exporters
// and the importers all read these lists, so a column cannot exist in one and not the others.
import { fiscalYear as fiscalYearOf } from '../fiscal-year/fiscal-year.ts';

export type EntityName = 'departments' | 'plans' | 'initiatives' | 'evaluations' | 'plan-years';
export const ENTITY_NAMES: readonly EntityName[] = [
  'departments',
  'plans',
  'initiatives',
  'evaluations',
  'plan-years',
];

/** A cell as exported: JSON keeps these types; CSV and XLSX write them as text where needed. */
export type Cell = string | number | boolean | null | string[];

export type ColumnType =
  | 'municipality-code'
  | 'code'
  | 'text'
  | 'integer'
  | 'yen'
  | 'boolean'
  | 'enum'
  | 'text-list'
  | 'timestamp';

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
  get(row: Row): Cell;
}

export const STATUSES = ['DRAFT', 'PUBLISHED'] as const;
export const RATINGS = [
  'ACHIEVED',
  'MOSTLY_ACHIEVED',
  'PARTIALLY_ACHIEVED',
  'NOT_ACHIEVED',
] as const;
export const DECISIONS = ['CONTINUE', 'EXPAND', 'REDUCE', 'ABOLISH', 'COMPLETE'] as const;

const YEAR = { min: 1886, max: 2100 };

// The rows each exporter reads: the entity's own fields and what places it (codes, year).
export interface DepartmentRow {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  displayOrder: number;
  establishedIn: number | null;
  abolishedAfter: number | null;
  municipality: { code: string };
}

export interface PlanRow {
  id: number;
  fiscalYear: number;
  mission: string | null;
  staffCount: number | null;
  budgetYen: bigint | null;
  policy: string | null;
  status: string;
  publishedAt: Date | null;
  department: { code: string; municipality: { code: string } };
}

export interface InitiativeRow {
  id: number;
  position: number;
  text: string;
  isAdministrativeReform: boolean;
  footnotes: string[];
  citations: string[];
  plan: { fiscalYear: number; department: { code: string; municipality: { code: string } } };
}

export interface EvaluationRow {
  id: number;
  rating: string;
  progressPercent: number | null;
  summary: string;
  decision: string | null;
  status: string;
  initiative: { position: number; plan: InitiativeRow['plan'] };
  nextInitiative: {
    position: number;
    plan: { fiscalYear: number; department: { code: string } };
  } | null;
  whitePaper: { reportsOnFiscalYear: number } | null;
}

export interface PlanYearRow {
  id: number;
  fiscalYear: number;
  fullTextMedia: string[];
  fullTextUrl: string | null;
  bookletDistributedAt: string[];
  bookletReadableAt: string[];
  evaluationReportsOnFiscalYear: number | null;
  evaluationWhitePaperTitle: string | null;
  evaluationPublication: string | null;
  evaluationMedia: string[];
  municipality: { code: string };
}

const municipality = <Row>(get: (row: Row) => string): Column<Row> => ({
  key: 'municipality',
  ja: '団体コード',
  en: 'Municipality code',
  type: 'municipality-code',
  apiField: 'Municipality.code',
  description:
    '全国地方公共団体コード (6 digits with check digit; the first two name the prefecture), e.g. 132047 三鷹市.',
  key_: true,
  get,
});

const department = <Row>(get: (row: Row) => string): Column<Row> => ({
  key: 'department',
  ja: '部コード',
  en: 'Department code',
  type: 'code',
  apiField: 'Department.code',
  description: 'Stable code of the department (部) within the municipality, e.g. kyoiku.',
  key_: true,
  maxLength: 64,
  get,
});

const fiscalYear = <Row>(get: (row: Row) => number): Column<Row> => ({
  key: 'fiscalYear',
  ja: '年度',
  en: 'Fiscal year',
  type: 'integer',
  unit: '年度 (starting calendar year)',
  apiField: 'FiscalYear.year',
  description: 'The fiscal year by the calendar year it starts in: 2012 is 平成24年度.',
  key_: true,
  ...YEAR,
  get,
});

const fiscalYearLabel = <Row>(get: (row: Row) => number): Column<Row> => ({
  key: 'fiscalYearLabel',
  ja: '年度(和暦)',
  en: 'Fiscal year label',
  type: 'text',
  apiField: 'FiscalYear.label',
  description: 'The year in the Japanese era, e.g. 平成24年度. Derived from fiscalYear.',
  exportOnly: true,
  get: (row) => eraLabel(get(row)),
});

const status = <Row>(get: (row: Row) => string, apiField: string): Column<Row> => ({
  key: 'status',
  ja: '公開状態',
  en: 'Publication status',
  type: 'enum',
  allowed: STATUSES,
  apiField,
  description: 'DRAFT is seen only by the department and the planning section; PUBLISHED by all.',
  get,
});

export const departmentColumns: Column<DepartmentRow>[] = [
  municipality((d) => d.municipality.code),
  { ...department((d) => d.code), key: 'code' },
  {
    key: 'name',
    ja: '部名',
    en: 'Department name',
    type: 'text',
    apiField: 'Department.name',
    description: 'Japanese name, e.g. 企画部; with fiscalYear, the name in that year.',
    maxLength: 100,
    get: (d) => d.name,
  },
  {
    key: 'nameEn',
    ja: '部名(英語)',
    en: 'Department name in English',
    type: 'text',
    apiField: 'Department.nameEn',
    description: 'Optional English name; with fiscalYear, the one of that year.',
    nullable: true,
    maxLength: 200,
    get: (d) => d.nameEn,
  },
  {
    key: 'displayOrder',
    ja: '表示順',
    en: 'Display order',
    type: 'integer',
    apiField: 'Department.displayOrder',
    description: 'Order of the department in published lists (the source document’s order).',
    min: 0,
    max: 100_000,
    get: (d) => d.displayOrder,
  },
  {
    key: 'establishedIn',
    ja: '設置年度',
    en: 'Established in',
    type: 'integer',
    unit: '年度',
    apiField: 'Department.establishedIn',
    description: 'First fiscal year the department existed, if known.',
    nullable: true,
    ...YEAR,
    get: (d) => d.establishedIn,
  },
  {
    key: 'abolishedAfter',
    ja: '廃止年度',
    en: 'Abolished after',
    type: 'integer',
    unit: '年度',
    apiField: 'Department.abolishedAfter',
    description: 'Last fiscal year the department existed (reorganised or abolished after it).',
    nullable: true,
    ...YEAR,
    get: (d) => d.abolishedAfter,
  },
];

export const planColumns: Column<PlanRow>[] = [
  municipality((p) => p.department.municipality.code),
  department((p) => p.department.code),
  fiscalYear((p) => p.fiscalYear),
  fiscalYearLabel((p) => p.fiscalYear),
  status((p) => p.status, 'DepartmentPlan.status'),
  {
    key: 'mission',
    ja: '部の使命・目標に関する認識',
    en: 'Mission and goals',
    type: 'text',
    apiField: 'DepartmentPlan.mission',
    sourceTerm: '① 部の使命・目標に関する認識',
    description: "The department's recognition of its mission and goals.",
    nullable: true,
    maxLength: 4000,
    get: (p) => p.mission,
  },
  {
    key: 'staffCount',
    ja: '職員数',
    en: 'Staff count',
    type: 'integer',
    unit: '人 (persons)',
    apiField: 'DepartmentPlan.staffCount',
    sourceTerm: '② 部の経営資源: 職員数',
    description: 'Staff of the department (management resources).',
    nullable: true,
    min: 0,
    max: 1_000_000,
    get: (p) => p.staffCount,
  },
  {
    key: 'budgetYen',
    ja: '予算規模',
    en: 'Budget',
    type: 'yen',
    unit: '円 (yen)',
    apiField: 'DepartmentPlan.budgetYen',
    sourceTerm: '② 部の経営資源: 予算規模',
    description: 'Budget of the department in yen (management resources).',
    nullable: true,
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    get: (p) => (p.budgetYen === null ? null : Number(p.budgetYen)),
  },
  {
    key: 'policy',
    ja: '今年度の実施方針',
    en: "This year's policy",
    type: 'text',
    apiField: 'DepartmentPlan.policy',
    sourceTerm: '③ 今年度の実施方針',
    description: 'How the department will work this year.',
    nullable: true,
    maxLength: 4000,
    get: (p) => p.policy,
  },
  {
    key: 'publishedAt',
    ja: '公開日時',
    en: 'Published at',
    type: 'timestamp',
    apiField: 'DepartmentPlan.publishedAt',
    description: 'When the plan was last published (ISO 8601, UTC). Set by publishing.',
    nullable: true,
    exportOnly: true,
    get: (p) => p.publishedAt?.toISOString() ?? null,
  },
];

export const initiativeColumns: Column<InitiativeRow>[] = [
  municipality((i) => i.plan.department.municipality.code),
  department((i) => i.plan.department.code),
  fiscalYear((i) => i.plan.fiscalYear),
  {
    key: 'position',
    ja: '番号',
    en: 'Position',
    type: 'integer',
    apiField: 'Initiative.position',
    description: '1-based order of the project within the plan, as published.',
    key_: true,
    min: 1,
    max: 100,
    get: (i) => i.position,
  },
  {
    key: 'text',
    ja: '個別事業',
    en: 'Initiative',
    type: 'text',
    apiField: 'Initiative.text',
    sourceTerm: '③ 個別事業',
    description: 'The text of the project, verbatim.',
    maxLength: 2000,
    get: (i) => i.text,
  },
  {
    key: 'isAdministrativeReform',
    ja: '行革推進事業',
    en: 'Administrative reform',
    type: 'boolean',
    allowed: ['true', 'false'],
    apiField: 'Initiative.isAdministrativeReform',
    sourceTerm: '☞ 行革推進事業',
    description: 'true when the project is marked ☞ (an administrative-reform priority project).',
    get: (i) => i.isAdministrativeReform,
  },
  {
    key: 'footnotes',
    ja: '注記',
    en: 'Footnotes',
    type: 'text-list',
    apiField: 'Initiative.footnotes',
    sourceTerm: '※',
    description:
      'Notes (※) that explain the text, without the mark. In CSV/XLSX a JSON array of strings, empty when none.',
    maxLength: 1000,
    max: 20,
    get: (i) => i.footnotes,
  },
  {
    key: 'citations',
    ja: '関連計画',
    en: 'Citations',
    type: 'text-list',
    apiField: 'Initiative.citations',
    description:
      'Top-level documents the project serves (施政方針, 第4次基本計画). In CSV/XLSX a JSON array of strings.',
    maxLength: 200,
    max: 20,
    get: (i) => i.citations,
  },
];

export const evaluationColumns: Column<EvaluationRow>[] = [
  municipality((e) => e.initiative.plan.department.municipality.code),
  department((e) => e.initiative.plan.department.code),
  fiscalYear((e) => e.initiative.plan.fiscalYear),
  {
    key: 'position',
    ja: '番号',
    en: 'Initiative position',
    type: 'integer',
    apiField: 'Initiative.position',
    description: 'Position of the evaluated project within its plan.',
    key_: true,
    min: 1,
    max: 100,
    get: (e) => e.initiative.position,
  },
  status((e) => e.status, 'Evaluation.status'),
  {
    key: 'rating',
    ja: '達成状況',
    en: 'Achievement',
    type: 'enum',
    allowed: RATINGS,
    apiField: 'Evaluation.rating',
    sourceTerm: '達成状況',
    description: 'How far the project achieved its goal, as the white paper rates it.',
    get: (e) => e.rating,
  },
  {
    key: 'progressPercent',
    ja: '達成率',
    en: 'Progress',
    type: 'integer',
    unit: '% (percent)',
    apiField: 'Evaluation.progressPercent',
    description: 'Share of the goal reached, when the evaluation states one.',
    nullable: true,
    min: 0,
    max: 100,
    get: (e) => e.progressPercent,
  },
  {
    key: 'summary',
    ja: '評価の概要',
    en: 'Summary',
    type: 'text',
    apiField: 'Evaluation.summary',
    description: 'What the evaluation says, verbatim.',
    maxLength: 4000,
    get: (e) => e.summary,
  },
  {
    key: 'decision',
    ja: '次年度の方向性',
    en: 'Next-year decision',
    type: 'enum',
    allowed: DECISIONS,
    apiField: 'Evaluation.decision',
    description: '継続 CONTINUE, 拡充 EXPAND, 縮小 REDUCE, 廃止 ABOLISH, 完了 COMPLETE.',
    nullable: true,
    get: (e) => e.decision,
  },
  {
    key: 'nextInitiative',
    ja: '次年度の個別事業',
    en: 'Carried on by',
    type: 'code',
    apiField: 'Evaluation.nextInitiative',
    description:
      'The next year’s project that carries this one on, as department/fiscalYear/position (e.g. kyoiku/2013/2), same municipality.',
    nullable: true,
    maxLength: 80,
    get: (e) =>
      e.nextInitiative
        ? `${e.nextInitiative.plan.department.code}/${e.nextInitiative.plan.fiscalYear}/${e.nextInitiative.position}`
        : null,
  },
  {
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
    get: (e) => e.whitePaper?.reportsOnFiscalYear ?? null,
  },
];

const placeList = (
  key: keyof PlanYearRow & string,
  ja: string,
  en: string,
  sourceTerm: string,
  description: string,
): Column<PlanYearRow> => ({
  key,
  ja,
  en,
  type: 'text-list',
  apiField: `PlanYear.${key}`,
  sourceTerm,
  description: `${description} In CSV/XLSX a JSON array of strings.`,
  maxLength: 200,
  max: 50,
  get: (y) => y[key] as string[],
});

export const planYearColumns: Column<PlanYearRow>[] = [
  municipality((y) => y.municipality.code),
  fiscalYear((y) => y.fiscalYear),
  fiscalYearLabel((y) => y.fiscalYear),
  placeList(
    'fullTextMedia',
    '全文の閲覧',
    'Full text in',
    '◆「各部の運営方針と目標」の全文は、…で閲覧できます',
    'Where the full text can be read, e.g. 市ホームページ, 冊子.',
  ),
  {
    key: 'fullTextUrl',
    ja: '全文のURL',
    en: 'Full text URL',
    type: 'text',
    apiField: 'PlanYear.fullTextUrl',
    description: 'The web page of the full text, when known.',
    nullable: true,
    maxLength: 2000,
    pattern: { regex: /^https?:\/\/\S+$/, hint: 'an http(s) URL' },
    get: (y) => y.fullTextUrl,
  },
  placeList(
    'bookletDistributedAt',
    '冊子の配布場所',
    'Booklet handed out at',
    '冊子は、…で配布',
    'Where the booklet is handed out.',
  ),
  placeList(
    'bookletReadableAt',
    '冊子の閲覧場所',
    'Booklet readable at',
    '…でも閲覧できます',
    'Where the booklet can also be read.',
  ),
  {
    key: 'evaluationReportsOnFiscalYear',
    ja: '達成状況の対象年度',
    en: 'Achievements of fiscal year',
    type: 'integer',
    unit: '年度',
    apiField: 'PlanYear.evaluationReportsOn',
    sourceTerm: '◆平成23年度「各部の運営方針と目標」の達成状況は、…',
    description: 'The fiscal year whose achievements (達成状況) the notice announces.',
    nullable: true,
    ...YEAR,
    get: (y) => y.evaluationReportsOnFiscalYear,
  },
  {
    key: 'evaluationWhitePaperTitle',
    ja: '掲載予定の白書',
    en: 'White paper announced',
    type: 'text',
    apiField: 'PlanYear.evaluationWhitePaperTitle',
    sourceTerm: '自治体経営白書',
    description: 'The white paper announced to publish them, e.g. 三鷹市自治体経営白書2012.',
    nullable: true,
    maxLength: 200,
    get: (y) => y.evaluationWhitePaperTitle,
  },
  {
    key: 'evaluationPublication',
    ja: '白書の発行予定',
    en: 'White paper due',
    type: 'text',
    unit: 'ISO 8601 (YYYY-MM or YYYY-MM-DD)',
    apiField: 'PlanYear.evaluationPublication',
    sourceTerm: '7月に発行する',
    description: 'When the white paper is to appear, at the precision given: 2012-07.',
    nullable: true,
    maxLength: 10,
    pattern: { regex: /^\d{4}-\d{2}(-\d{2})?$/, hint: 'YYYY-MM or YYYY-MM-DD' },
    get: (y) => y.evaluationPublication,
  },
  placeList(
    'evaluationMedia',
    '白書の掲載媒体',
    'White paper in',
    '…の冊子やホームページに掲載する予定です',
    'Where the achievements are to appear, e.g. 冊子, ホームページ.',
  ),
];

export const COLUMNS: { [E in EntityName]: Column<never>[] } = {
  departments: departmentColumns as Column<never>[],
  plans: planColumns as Column<never>[],
  initiatives: initiativeColumns as Column<never>[],
  evaluations: evaluationColumns as Column<never>[],
  'plan-years': planYearColumns as Column<never>[],
};

export const ENTITY_LABELS: { [E in EntityName]: { ja: string; en: string; apiType: string } } = {
  departments: { ja: '部', en: 'Departments', apiType: 'Department' },
  plans: { ja: '各部の運営方針と目標', en: 'Department plans', apiType: 'DepartmentPlan' },
  initiatives: { ja: '個別事業', en: 'Initiatives', apiType: 'Initiative' },
  evaluations: { ja: '達成状況', en: 'Evaluations', apiType: 'Evaluation' },
  'plan-years': { ja: '公表・閲覧の案内', en: 'Publication facts', apiType: 'PlanYear' },
};

/** The row as a record of cells, in column order. */
export function cellsOf<Row>(columns: Column<Row>[], row: Row): Record<string, Cell> {
  const cells: Record<string, Cell> = {};
  for (const column of columns) cells[column.key] = column.get(row);
  return cells;
}

function eraLabel(year: number): string {
  return fiscalYearOf(year).label;
}
