// Exports: the rows the caller may see (the same visibility rules as every API read path),
// turned into cells by the column definitions and written as CSV, XLSX, JSON or JSON Lines.
// Where an entity's read is one SQL statement (export-sql.ts), PostgreSQL streams it through a
// cursor (one statement, one snapshot) and PGlite reads it in keyset pages; other entities are
// read through Prisma in keyset pages (id > last id, a fixed batch size). One batch is written
// while the next is read, and writes wait for the destination to drain, so memory stays flat
// however many rows there are.

import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Viewer } from '../../auth/viewer.ts';
import type { Database } from '../../db/client.ts';
import {
  existedIn,
  formerNamesSelect,
  type Naming,
  namingIn,
} from '../department/department-naming.ts';
import { DEFAULT_RULES } from '../target/status-rules.ts';
import {
  visibleEvaluationStages,
  visibleEvaluations,
  visibleInitiatives,
  visiblePlans,
} from '../visibility/visibility.policy.ts';
import { type Cell, COLUMNS, type Column, type EntityName, selectOf } from './columns.ts';
import { rowStatement } from './export-sql.ts';
import { ruleSetOfRow, ruleSetRowId } from './rule-set-rows.ts';
import { csvCell, csvRecord } from './spreadsheet.ts';

export type ExportFormat = 'csv' | 'xlsx' | 'json' | 'jsonl';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'json', 'jsonl'];

/** UTF-8 (with a byte-order mark, so Excel reads it as UTF-8) or Shift_JIS as Windows has it. */
export type CsvEncoding = 'utf-8' | 'cp932';

export interface ExportScope {
  municipality?: string;
  fiscalYear?: number;
  department?: string;
  /** An initiative's position in its plan: imports read the rows of one initiative at a time. */
  position?: number;
  /** Only these rows (by id): imports read the rows a file names, a chunk at a time. */
  ids?: readonly number[];
}

export interface ExportOptions {
  format: ExportFormat;
  encoding?: CsvEncoding;
  /** Header row in Japanese (the dictionary's names) instead of the column keys. */
  japaneseHeaders?: boolean;
  batchSize?: number;
  /** A byte-order mark before UTF-8 CSV (true: Excel reads it as UTF-8; data packages omit it). */
  bom?: boolean;
  /** Another layout of the entity's rows (the readable variant, readable.ts). */
  layout?: ExportLayout;
}

export interface ExportLayout {
  header: string[];
  keys: string[];
  /** Indexes of columns holding YYYY-MM-DD dates: date cells in XLSX. */
  dates: readonly number[];
}

// Each read costs a fixed part (the joins to the plans, departments and municipalities the
// columns name) besides its rows: at national size, batches of 10,000 wrote the first 200,000
// initiatives as CSV at 10,300 and 16,000 rows/s where batches of 1,000 did 5,700 and 12,300
// (interleaved, on a loaded machine), for a few MiB more.
const DEFAULT_BATCH = 10_000;
// A cursor's fetch costs no such fixed part: small batches are young garbage, collected cheaply,
// where batches of 10,000 outlive a scavenge or two. Initiatives at national size as CSV, the
// first 400,000 interleaved (load 10-11): 2,000 rows a fetch 49,000-55,000 rows/s, 10,000 rows
// 35,000-41,000 (garbage collection 11 % of the time against 25 %). With rows that die young
// (db/client.ts), all 1,224,000 at load 11-15: 1,000 rows a fetch held the resident size within
// 1 MiB (CSV 62,000 rows/s, JSON Lines 41,000), 2,000 rows ended 39 MiB higher once in two
// (the young generation grown for them; 57,000 and 59,000 rows/s), 500 rows (51,000, 50,000).
const CURSOR_BATCH = 1_000;

function planScope(scope: ExportScope): Prisma.DepartmentPlanWhereInput {
  const where: Prisma.DepartmentPlanWhereInput = {};
  if (scope.fiscalYear !== undefined) where.fiscalYear = scope.fiscalYear;
  if (scope.municipality !== undefined || scope.department !== undefined) {
    where.department = {
      ...(scope.municipality !== undefined ? { municipality: { code: scope.municipality } } : {}),
      ...(scope.department !== undefined ? { code: scope.department } : {}),
    };
  }
  return where;
}

/** The initiatives of the scope (of one, when it names a position). */
function initiativeScope(scope: ExportScope): Prisma.InitiativeWhereInput {
  return {
    plan: planScope(scope),
    ...(scope.position !== undefined ? { position: scope.position } : {}),
  };
}

/** The `ids` condition of a scope, for any entity's where. */
const idsIn = (scope: ExportScope) => (scope.ids ? { id: { in: [...scope.ids] } } : {});

type Fetch<Row> = (afterId: number, take: number) => Promise<Row[]>;

/**
 * What an entity's rows are read from (the datamodel's model) and which of them: what the
 * viewer may see (the visibility module's filters), within the scope. The Prisma reader and
 * the SQL statement (export-sql.ts) both read this. Departments and status rules are read
 * their own way (fetcher).
 */
function filterOf(
  viewer: Viewer,
  entity: EntityName,
  scope: ExportScope,
): { model: Prisma.ModelName; where: object } | undefined {
  const ctx = { viewer };
  switch (entity) {
    case 'plans':
      return {
        model: 'DepartmentPlan',
        where: { AND: [visiblePlans(ctx), planScope(scope), idsIn(scope)] },
      };
    case 'initiatives':
      return {
        model: 'Initiative',
        where: { AND: [visibleInitiatives(ctx), { plan: planScope(scope) }, idsIn(scope)] },
      };
    case 'plan-years':
      // Publication facts are public, like white papers; a department filter does not apply.
      return {
        model: 'PlanYear',
        where: {
          ...(scope.municipality !== undefined
            ? { municipality: { code: scope.municipality } }
            : {}),
          ...(scope.fiscalYear !== undefined ? { fiscalYear: scope.fiscalYear } : {}),
          AND: [idsIn(scope)],
        },
      };
    case 'evaluations':
      return {
        model: 'Evaluation',
        where: {
          AND: [visibleEvaluations(ctx), { initiative: { plan: planScope(scope) } }, idsIn(scope)],
        },
      };
    case 'evaluation-stages':
      // Stages are the staff's and the external committee's (as the API's Evaluation.stages).
      return {
        model: 'EvaluationStage',
        where: {
          AND: [
            visibleEvaluationStages(ctx),
            { evaluation: { AND: [visibleEvaluations(ctx)], initiative: initiativeScope(scope) } },
          ],
        },
      };
    case 'targets':
      // Targets are visible exactly when their initiative is (as the API's Initiative.targets).
      return {
        model: 'Target',
        where: { initiative: { AND: [visibleInitiatives(ctx), initiativeScope(scope)] } },
      };
    case 'actuals':
      return {
        model: 'TargetActual',
        where: {
          target: { initiative: { AND: [visibleInitiatives(ctx), initiativeScope(scope)] } },
        },
      };
    case 'departments':
    case 'status-rules':
      return undefined;
  }
}

type FindMany = (args: object) => Promise<{ id: number }[]>;

/** Prisma's delegate of a model (`DepartmentPlan` → prisma.departmentPlan). */
function findManyOf(prisma: Prisma.TransactionClient, model: Prisma.ModelName): FindMany {
  const name = `${model.charAt(0).toLowerCase()}${model.slice(1)}`;
  const delegate = (prisma as unknown as Record<string, { findMany: FindMany }>)[name];
  if (!delegate) throw new Error(`no Prisma delegate for ${model}`);
  return (args) => delegate.findMany(args);
}

/**
 * How each entity's rows are read through Prisma: what the caller may see, within the scope,
 * by id. Imports read the rows a file names through it too, inside their transaction.
 */
export function fetcher(
  prisma: Prisma.TransactionClient,
  viewer: Viewer,
  entity: EntityName,
  scope: ExportScope,
): Fetch<{ id: number }> {
  const filter = filterOf(viewer, entity, scope);
  if (filter) {
    const findMany = findManyOf(prisma, filter.model);
    // The id and each column's needs (read by its get).
    const select = selectOf(entity);
    return (afterId, take) =>
      findMany({
        where: { AND: [filter.where], id: { gt: afterId } },
        orderBy: { id: 'asc' },
        take,
        select,
      });
  }
  switch (entity) {
    case 'departments': {
      const year = scope.fiscalYear;
      const where: Prisma.DepartmentWhereInput = {
        ...(scope.municipality !== undefined ? { municipality: { code: scope.municipality } } : {}),
        ...(scope.department !== undefined ? { code: scope.department } : {}),
        ...idsIn(scope),
        // As the API's departments(fiscalYear:): those that existed in that year, named as then.
        ...(year !== undefined ? existedIn(year) : {}),
      };
      return async (afterId, take): Promise<{ id: number }[]> => {
        const rows = await prisma.department.findMany({
          where: { ...where, id: { gt: afterId } },
          orderBy: { id: 'asc' },
          take,
          // Each column's needs (read by its get), and the former names for a year's naming.
          select: { ...(selectOf('departments') as { id: true }), ...formerNamesSelect },
        });
        if (year === undefined) return rows;
        return rows.map(({ formerNames, ...row }) => {
          const { name, nameEn } = namingIn(row as typeof row & Naming, formerNames, year);
          return { ...row, name, nameEn };
        });
      };
    }
    case 'status-rules':
      // Public, as the statusRules query: each municipality's rule sets by the fiscal year
      // they apply from; one row of the default rules (from year 0) where it has none.
      return async (afterId, take): Promise<{ id: number }[]> => {
        const from = ruleSetOfRow(afterId);
        const rows = await prisma.municipality.findMany({
          where: {
            ...(scope.municipality !== undefined ? { code: scope.municipality } : {}),
            id: { gte: from.municipalityId },
          },
          orderBy: { id: 'asc' },
          take: take + 1,
          select: {
            id: true,
            code: true,
            statusRules: {
              select: { fromFiscalYear: true, rules: true },
              orderBy: { fromFiscalYear: 'asc' },
            },
          },
        });
        return rows
          .flatMap(({ id, code, statusRules }) =>
            (statusRules.length > 0
              ? statusRules.map((set) => ({ ...set, isDefault: false }))
              : [{ fromFiscalYear: 0, rules: DEFAULT_RULES, isDefault: true }]
            ).map((set) => ({
              id: ruleSetRowId(id, set.fromFiscalYear),
              municipality: { code },
              ...set,
            })),
          )
          .filter((row) => row.id > afterId)
          .slice(0, take);
      };
    default:
      throw new Error(`${entity}: read by its filter`);
  }
}

/**
 * What an export reads the database through: a Database, or Prisma alone (a transaction's
 * client), which reads every entity through Prisma.
 */
export type ExportDatabase = Pick<Database, 'prisma'> & Partial<Pick<Database, 'read' | 'cursor'>>;

/**
 * The visible rows of an entity in the scope, batch by batch, as records of cells. Where the
 * read is one SQL statement (export-sql.ts), PostgreSQL streams it through a cursor and PGlite
 * reads it in keyset pages; otherwise it is read through Prisma in keyset pages. Either way at
 * most two batches are held: the next is read while this one is written.
 */
export async function* exportBatches(
  db: ExportDatabase,
  viewer: Viewer,
  entity: EntityName,
  scope: ExportScope,
  batchSize?: number,
): AsyncGenerator<Cell[][]> {
  const columns = COLUMNS[entity] as Column<unknown>[];
  const cells = (row: unknown) => columns.map((column) => column.get(row));
  const filter = filterOf(viewer, entity, scope);
  const statement = filter && rowStatement(filter.model, selectOf(entity), filter.where);
  const read = db.read;
  if (!statement || !read) {
    const fetch = fetcher(db.prisma, viewer, entity, scope);
    for await (const rows of pages(fetch, batchSize ?? DEFAULT_BATCH)) {
      yield rows.map(cells);
    }
    return;
  }
  // Iterated at once below: its end (or the reader's stop) closes the cursor.
  const batches =
    db.cursor?.(statement.sql, statement.values, batchSize ?? CURSOR_BATCH) ??
    pages(
      async (afterId, take) => {
        const { sql, values } = statement.page(afterId, take);
        // Named by the statement's shape (prepared once per connection on PostgreSQL).
        const rows = await read(`export-${hashOf(sql)}`, sql, values);
        return rows.map((row) => Object.values(row));
      },
      batchSize ?? DEFAULT_BATCH,
      statement.idOf,
    );
  for await (const rows of batches) {
    // Each row's cells take its place in the batch: the fetched rows and their cells are never
    // both held whole (the batch is the cursor's, read once).
    for (let i = 0; i < rows.length; i++) rows[i] = cells(statement.shape(rows[i] as unknown[]));
    yield rows as Cell[][];
  }
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Keyset pages (id > the last id read) of `batchSize` rows; the next is read during this one. */
async function* pages<Row>(
  fetch: Fetch<Row>,
  batchSize: number,
  idOf: (row: Row) => number = (row) => (row as { id: number }).id,
): AsyncGenerator<Row[]> {
  let next: Promise<Row[]> | undefined = fetch(0, batchSize);
  try {
    while (next) {
      const rows: Row[] = await next;
      const last = rows[rows.length - 1];
      next =
        last !== undefined && rows.length === batchSize ? fetch(idOf(last), batchSize) : undefined;
      if (rows.length > 0) yield rows;
    }
  } finally {
    // A reader that stopped early (a failed write) leaves a read in flight: its outcome is moot.
    next?.catch(() => {});
  }
}

export function headerOf(entity: EntityName, japanese = false): string[] {
  return COLUMNS[entity].map((column) => (japanese ? column.ja : column.key));
}

export function contentType(format: ExportFormat, encoding: CsvEncoding = 'utf-8'): string {
  switch (format) {
    case 'csv':
      return `text/csv; charset=${encoding === 'cp932' ? 'Shift_JIS' : 'utf-8'}`;
    case 'xlsx':
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    case 'json':
      return 'application/json; charset=utf-8';
    case 'jsonl':
      return 'application/jsonl; charset=utf-8';
  }
}

/**
 * Text is handed to the destination in pieces of about this many UTF-16 code units, not a
 * batch at a time: a batch's text (2,000 initiatives: about 440 KB as a two-byte string) was
 * allocated as a large object, outside the young generation, and the large-object space grew to
 * 28 MiB between full collections at national size; pieces die young (it stays at 5 MiB).
 * Readable.from reads one piece ahead of a destination that stopped reading.
 */
const PIECE = 16_384;

/** Writes the batches to `out` in the format, honouring backpressure, and ends `out`. */
export async function writeExport(
  out: Writable,
  entity: EntityName,
  batches: AsyncIterable<Cell[][]>,
  options: ExportOptions,
): Promise<void> {
  const header = options.layout?.header ?? headerOf(entity, options.japaneseHeaders);
  const keys = options.layout?.keys ?? COLUMNS[entity].map((column) => column.key);
  const dates = new Set(options.layout?.dates ?? []);
  switch (options.format) {
    case 'csv': {
      const shiftJis = options.encoding === 'cp932' ? new ShiftJisCheck(entity) : undefined;
      // Record by record (csvRecord: csv-stringify's bytes), handed on in pieces of PIECE.
      async function* chunks() {
        // The byte-order mark, as csv-stringify's `bom` writes it (Excel then reads UTF-8).
        const bom = options.encoding !== 'cp932' && options.bom !== false ? '\uFEFF' : '';
        yield `${bom}${csvRecord(header)}`;
        let text = '';
        for await (const batch of batches) {
          for (const row of batch) {
            // spreadsheet.ts: formula-looking texts quoted, numbers as they are.
            const cells = row.map(csvCell);
            // A row CP932 cannot hold is left out and reported, never written with `?`.
            if (shiftJis?.holds(cells) === false) continue;
            text += csvRecord(cells);
            if (text.length >= PIECE) {
              yield text;
              text = '';
            }
          }
        }
        if (text.length > 0) yield text;
      }
      if (options.encoding === 'cp932') {
        await pipeline(Readable.from(chunks()), iconv.encodeStream('cp932'), out);
      } else {
        await pipeline(Readable.from(chunks()), out);
      }
      shiftJis?.assertHeld();
      return;
    }
    case 'json':
    case 'jsonl': {
      const lines = options.format === 'jsonl';
      async function* chunks() {
        if (!lines) yield '[';
        let first = true;
        let text = '';
        for await (const batch of batches) {
          for (const row of batch) {
            // A loop, not Object.fromEntries of pairs: no array per cell (garbage is the cost).
            const record: Record<string, Cell> = {};
            for (let i = 0; i < keys.length; i++) record[keys[i] as string] = row[i] ?? null;
            text += lines
              ? `${JSON.stringify(record)}\n`
              : `${first ? '' : ','}\n${JSON.stringify(record)}`;
            first = false;
            if (text.length >= PIECE) {
              yield text;
              text = '';
            }
          }
        }
        if (text.length > 0) yield text;
        if (!lines) yield '\n]\n';
      }
      await pipeline(Readable.from(chunks()), out);
      return;
    }
    case 'xlsx': {
      // Loaded on the first spreadsheet, not at start-up (about half a second of CPU).
      const { default: ExcelJS } = await import('exceljs');
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
        stream: out,
        // Styles only for date cells' number format.
        useStyles: dates.size > 0,
        useSharedStrings: false,
      });
      const sheet = workbook.addWorksheet(entity);
      sheet.addRow(header).commit();
      for await (const batch of batches) {
        for (const row of batch) {
          // Lists as JSON text; codes stay text (a municipality code keeps its leading 0). exceljs
          // writes a JS string as a string cell, never a formula: '=1+1' stays that text.
          const added = sheet.addRow(
            row.map((cell, i) =>
              dates.has(i) && typeof cell === 'string'
                ? new Date(`${cell}T00:00:00Z`) // the calendar date; exceljs writes it as UTC
                : Array.isArray(cell)
                  ? csvCell(cell)
                  : cell,
            ),
          );
          for (const i of dates) added.getCell(i + 1).numFmt = 'yyyy-mm-dd';
          added.commit();
        }
        if (out.writableNeedDrain) await once(out, 'drain');
      }
      sheet.commit();
      await workbook.commit();
      return;
    }
  }
}

/** A cell of a Shift_JIS export that CP932 cannot hold: its row (header = 1), column, key. */
export interface UnencodableCell {
  row: number;
  key: string;
  column: string;
  characters: string[];
}

/** A Shift_JIS export with text CP932 cannot hold: the cells (the first 1,000) and a count. */
export class UnencodableError extends Error {
  constructor(
    readonly cells: UnencodableCell[],
    readonly count: number,
  ) {
    const first = cells
      .slice(0, 5)
      .map((c) => `row ${c.row} (${c.key}) ${c.column}: ${c.characters.join(' ')}`)
      .join('; ');
    super(
      `${count} cell(s) hold characters Shift_JIS (CP932) cannot encode, e.g. ${first}. Export as UTF-8 (without encoding=shift_jis) to keep every character.`,
    );
  }
}

const MAX_UNENCODABLE_LISTED = 1000;

/** The characters of `text` that do not come back from CP932 as they were (written as ?). */
export function notInCp932(text: string): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII, control characters included.
  if (/^[\u0000-\u007f]*$/.test(text)) return [];
  const survives = (s: string) => iconv.decode(iconv.encode(s, 'cp932'), 'cp932') === s;
  if (survives(text)) return [];
  return [...new Set([...text].filter((character) => !survives(character)))];
}

/** Checks each row of a Shift_JIS export as it is written; reports what it could not hold. */
class ShiftJisCheck {
  private cells: UnencodableCell[] = [];
  private count = 0;
  private row = 1;
  private columns: Column[];

  constructor(entity: EntityName) {
    this.columns = COLUMNS[entity];
  }

  holds(texts: string[]): boolean {
    this.row += 1;
    let held = true;
    for (const [index, text] of texts.entries()) {
      const characters = notInCp932(text);
      if (characters.length === 0) continue;
      held = false;
      this.count += 1;
      if (this.cells.length >= MAX_UNENCODABLE_LISTED) continue;
      const key = this.columns.flatMap((column, i) => (column.key_ ? [texts[i]] : [])).join('/');
      this.cells.push({ row: this.row, key, column: this.columns[index]?.key ?? '', characters });
    }
    return held;
  }

  assertHeld() {
    if (this.count > 0) throw new UnencodableError(this.cells, this.count);
  }
}
