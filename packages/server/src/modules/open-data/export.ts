// Exports: rows read from the database in keyset batches (id > last id, a fixed batch size),
// filtered by the same visibility rules as every API read path, turned into cells by the
// column definitions and written as CSV, XLSX, JSON or JSON Lines. Each batch is written
// before the next is read, and writes wait for the destination to drain, so memory stays
// flat however many rows there are.
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import iconv from 'iconv-lite';
import type { Viewer } from '../../auth/viewer.ts';
import type { PrismaClient } from '../../db/client.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import {
  existedIn,
  formerNamesSelect,
  type Naming,
  namingIn,
} from '../department/department-naming.ts';
import {
  visibleEvaluations,
  visibleInitiatives,
  visiblePlans,
} from '../visibility/visibility.policy.ts';
import { type Cell, COLUMNS, type Column, type EntityName, selectOf } from './columns.ts';
import { CSV_OPTIONS, csvCell } from './spreadsheet.ts';

export type ExportFormat = 'csv' | 'xlsx' | 'json' | 'jsonl';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'json', 'jsonl'];

/** UTF-8 (with a byte-order mark, so Excel reads it as UTF-8) or Shift_JIS as Windows has it. */
export type CsvEncoding = 'utf-8' | 'cp932';

export interface ExportScope {
  municipality?: string;
  fiscalYear?: number;
  department?: string;
}

export interface ExportOptions {
  format: ExportFormat;
  encoding?: CsvEncoding;
  /** Header row in Japanese (the dictionary's names) instead of the column keys. */
  japaneseHeaders?: boolean;
  batchSize?: number;
}

const DEFAULT_BATCH = 1000;

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

type Fetch<Row> = (afterId: number, take: number) => Promise<Row[]>;

/** How each entity's rows are read: what the caller may see, within the scope, by id. */
function fetcher(
  prisma: PrismaClient,
  viewer: Viewer,
  entity: EntityName,
  scope: ExportScope,
): Fetch<{ id: number }> {
  const ctx = { viewer };
  switch (entity) {
    case 'departments': {
      const year = scope.fiscalYear;
      const where: Prisma.DepartmentWhereInput = {
        ...(scope.municipality !== undefined ? { municipality: { code: scope.municipality } } : {}),
        ...(scope.department !== undefined ? { code: scope.department } : {}),
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
    case 'plans':
      return (afterId, take): Promise<{ id: number }[]> =>
        prisma.departmentPlan.findMany({
          where: { AND: [visiblePlans(ctx), planScope(scope)], id: { gt: afterId } },
          orderBy: { id: 'asc' },
          take,
          select: selectOf('plans') as { id: true }, // and each column's needs (read by its get)
        });
    case 'initiatives':
      return (afterId, take): Promise<{ id: number }[]> =>
        prisma.initiative.findMany({
          where: {
            AND: [visibleInitiatives(ctx), { plan: planScope(scope) }],
            id: { gt: afterId },
          },
          orderBy: { id: 'asc' },
          take,
          select: selectOf('initiatives') as { id: true }, // and each column's needs (read by its get)
        });
    case 'plan-years':
      // Publication facts are public, like white papers; a department filter does not apply.
      return (afterId, take): Promise<{ id: number }[]> =>
        prisma.planYear.findMany({
          where: {
            ...(scope.municipality !== undefined
              ? { municipality: { code: scope.municipality } }
              : {}),
            ...(scope.fiscalYear !== undefined ? { fiscalYear: scope.fiscalYear } : {}),
            id: { gt: afterId },
          },
          orderBy: { id: 'asc' },
          take,
          select: selectOf('plan-years') as { id: true }, // and each column's needs (read by its get)
        });
    case 'evaluations':
      return (afterId, take): Promise<{ id: number }[]> =>
        prisma.evaluation.findMany({
          where: {
            AND: [visibleEvaluations(ctx), { initiative: { plan: planScope(scope) } }],
            id: { gt: afterId },
          },
          orderBy: { id: 'asc' },
          take,
          select: selectOf('evaluations') as { id: true }, // and each column's needs (read by its get)
        });
  }
}

/** The visible rows of an entity in the scope, batch by batch, as records of cells. */
export async function* exportBatches(
  prisma: PrismaClient,
  viewer: Viewer,
  entity: EntityName,
  scope: ExportScope,
  batchSize = DEFAULT_BATCH,
): AsyncGenerator<Cell[][]> {
  const columns = COLUMNS[entity] as Column<unknown>[];
  const fetch = fetcher(prisma, viewer, entity, scope);
  let afterId = 0;
  for (;;) {
    const rows = await fetch(afterId, batchSize);
    if (rows.length === 0) return;
    yield rows.map((row) => columns.map((column) => column.get(row)));
    afterId = rows[rows.length - 1]?.id ?? afterId;
    if (rows.length < batchSize) return;
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

/** Writes the batches to `out` in the format, honouring backpressure, and ends `out`. */
export async function writeExport(
  out: Writable,
  entity: EntityName,
  batches: AsyncIterable<Cell[][]>,
  options: ExportOptions,
): Promise<void> {
  const header = headerOf(entity, options.japaneseHeaders);
  const keys = COLUMNS[entity].map((column) => column.key);
  switch (options.format) {
    case 'csv': {
      async function* records() {
        yield header;
        // spreadsheet.ts: formula-looking texts quoted, numbers as they are.
        for await (const batch of batches) for (const row of batch) yield row.map(csvCell);
      }
      const csv = stringify({ bom: options.encoding !== 'cp932', ...CSV_OPTIONS });
      if (options.encoding === 'cp932') {
        // iconv-lite's encoder takes strings, not the bytes csv-stringify emits by default.
        csv.setEncoding('utf8');
        await pipeline(Readable.from(records()), csv, iconv.encodeStream('cp932'), out);
      } else {
        await pipeline(Readable.from(records()), csv, out);
      }
      return;
    }
    case 'json':
    case 'jsonl': {
      const lines = options.format === 'jsonl';
      async function* chunks() {
        if (!lines) yield '[';
        let first = true;
        for await (const batch of batches) {
          let text = '';
          for (const row of batch) {
            const record = Object.fromEntries(keys.map((key, i) => [key, row[i] ?? null]));
            text += lines
              ? `${JSON.stringify(record)}\n`
              : `${first ? '' : ','}\n${JSON.stringify(record)}`;
            first = false;
          }
          yield text;
        }
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
        useStyles: false,
        useSharedStrings: false,
      });
      const sheet = workbook.addWorksheet(entity);
      sheet.addRow(header).commit();
      for await (const batch of batches) {
        for (const row of batch) {
          // Lists as JSON text; codes stay text (a municipality code keeps its leading 0). exceljs
          // writes a JS string as a string cell, never a formula: '=1+1' stays that text.
          sheet.addRow(row.map((cell) => (Array.isArray(cell) ? csvCell(cell) : cell))).commit();
        }
        if (out.writableNeedDrain) await once(out, 'drain');
      }
      sheet.commit();
      await workbook.commit();
      return;
    }
  }
}
