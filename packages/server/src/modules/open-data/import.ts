// Imports: each record of a file is checked as the API checks its input (codes, years,
// positions, lengths), matched to the existing row by its identifying columns, and created,
// updated (only the fields that differ) or left unchanged. The whole file runs in one
// transaction through writeWithHistory (one change record per changed row); a dry run, or a
// file with any rejected row, rolls it all back, so a dry run reports exactly what applying
// would do and applying is all or nothing. Text is stored exactly as given.
import type { Readable } from 'node:stream';
import { actorOf, actsForMunicipality, type Viewer } from '../../auth/viewer.ts';
import type { PrismaClient } from '../../db/client.ts';
import {
  type Change,
  type FieldChanges,
  fieldChanges,
  type Tx,
  writeWithHistory,
} from '../../db/history.ts';
import { administers } from '../municipality/municipality.policy.ts';
import { hasValidCheckDigit, prefectureOf } from '../municipality/municipality-code.ts';
import { text as textSchema } from '../shared/validation.ts';
import { COLUMNS, type Column, type EntityName } from './columns.ts';
import type { CsvEncoding, ExportFormat } from './export.ts';
import { readRecords, type SourceRecord } from './read.ts';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface RowIssue {
  field: string;
  code: string;
  reason: string;
}

export interface RowReport {
  row: number;
  outcome: Outcome;
  /** The identifying columns, e.g. 132047/kyoiku/2012/3. */
  key?: string;
  /** For updates: the fields that change. */
  fields?: string[];
  issues?: RowIssue[];
}

export interface ImportReport {
  entity: EntityName;
  dryRun: boolean;
  /** True when the rows were written (not a dry run, nothing rejected). */
  applied: boolean;
  counts: Record<Outcome, number>;
  /** Every row's outcome, up to MAX_LISTED; the counts are always complete. */
  rows: RowReport[];
  truncated: boolean;
}

export interface ImportOptions {
  prisma: PrismaClient;
  viewer: Viewer;
  entity: EntityName;
  input: Readable;
  format: ExportFormat;
  encoding?: CsvEncoding;
  dryRun: boolean;
  /** Called every `progressEvery` rows with the rows read so far. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
  /** Transaction time limit; large files need long. */
  timeoutMs?: number;
}

const MAX_LISTED = 10_000;

class RowRejected extends Error {
  constructor(readonly issues: RowIssue[]) {
    super(issues.map((issue) => issue.reason).join('; '));
  }
}

function reject(field: string, code: string, reason: string): never {
  throw new RowRejected([{ field, code, reason }]);
}

/** Rolls back the transaction of a dry run or of a file with rejected rows. */
class RollBack extends Error {}

// ---- cells -> values ---------------------------------------------------------------------

type Value = string | number | boolean | null | string[];

function isEmpty(raw: unknown): boolean {
  return raw === undefined || raw === null || raw === '';
}

function checkText(column: Column, value: string, field = column.key): string {
  // The API's rules (no control characters, not blank, at most N characters), but the value
  // is kept exactly as given: the file is the record.
  const result = textSchema(column.maxLength ?? 4000).safeParse(value);
  if (!result.success) {
    const message = result.error.issues[0]?.message ?? 'invalid text';
    const code = /at most/.test(message) ? 'TOO_LONG' : 'INVALID_TEXT';
    reject(field, code, `${column.key}: ${message}`);
  }
  return value;
}

function integer(column: Column, raw: unknown): number {
  const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(String(raw).trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n))
    reject(column.key, 'NOT_AN_INTEGER', `${column.key}: "${String(raw)}" is not a whole number`);
  if (
    (column.min !== undefined && n < column.min) ||
    (column.max !== undefined && n > column.max)
  ) {
    reject(
      column.key,
      'OUT_OF_RANGE',
      `${column.key}: ${n} is outside ${column.min}–${column.max}`,
    );
  }
  return n;
}

/** One cell, checked against its column; throws RowRejected. */
export function parseCell(column: Column, raw: unknown): Value {
  if (isEmpty(raw)) {
    if (column.type === 'text-list') return [];
    if (column.nullable) return null;
    reject(column.key, 'REQUIRED', `${column.key} (${column.ja}) is required`);
  }
  switch (column.type) {
    case 'municipality-code': {
      let code = String(raw).trim();
      // A spreadsheet that took the code for a number drops its leading zero (011002 -> 11002).
      if (/^\d{5}$/.test(code) && typeof raw === 'number') code = `0${code}`;
      if (!/^\d{6}$/.test(code))
        reject(column.key, 'INVALID_CODE', `municipality: "${code}" must be six digits`);
      if (!hasValidCheckDigit(code)) {
        reject(
          column.key,
          'CHECK_DIGIT',
          `municipality: ${code}: the check digit (6th digit) does not match the first five`,
        );
      }
      if (prefectureOf(code) === undefined) {
        reject(
          column.key,
          'PREFECTURE',
          `municipality: ${code}: the first two digits name no prefecture`,
        );
      }
      return code;
    }
    case 'code': {
      const value = String(raw);
      if (value.length > (column.maxLength ?? 64))
        reject(column.key, 'TOO_LONG', `${column.key}: at most ${column.maxLength} characters`);
      return value;
    }
    case 'text':
    case 'timestamp': {
      const value = checkText(column, typeof raw === 'string' ? raw : String(raw));
      if (column.pattern && !column.pattern.regex.test(value)) {
        reject(
          column.key,
          'INVALID_FORMAT',
          `${column.key}: "${value}" must be ${column.pattern.hint}`,
        );
      }
      return value;
    }
    case 'integer':
    case 'yen':
      return integer(column, raw);
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const text = String(raw).trim().toLowerCase();
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return reject(
        column.key,
        'NOT_ALLOWED',
        `${column.key}: "${String(raw)}" must be true or false`,
      );
    }
    case 'enum': {
      const value = String(raw).trim();
      if (!column.allowed?.includes(value)) {
        reject(
          column.key,
          'NOT_ALLOWED',
          `${column.key}: "${value}" must be one of ${column.allowed?.join(', ')}`,
        );
      }
      return value;
    }
    case 'text-list': {
      let list: unknown = raw;
      if (typeof raw === 'string') {
        try {
          list = JSON.parse(raw);
        } catch {
          reject(
            column.key,
            'INVALID_LIST',
            `${column.key}: must be a JSON array of strings, e.g. ["…"]`,
          );
        }
      }
      if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
        return reject(column.key, 'INVALID_LIST', `${column.key}: must be an array of strings`);
      }
      if (column.max !== undefined && list.length > column.max) {
        reject(column.key, 'TOO_MANY', `${column.key}: at most ${column.max} items`);
      }
      for (const item of list) checkText(column, item);
      return list;
    }
  }
}

/** Every importable cell of a record; all problems of the row at once. */
function parseRecord(entity: EntityName, record: SourceRecord): Record<string, Value> {
  const values: Record<string, Value> = {};
  const issues: RowIssue[] = [];
  for (const column of COLUMNS[entity] as Column[]) {
    if (column.exportOnly) continue;
    // A column missing from the file leaves that field as it is (null when creating).
    if (!(column.key in record.cells) && !column.key_) continue;
    try {
      values[column.key] = parseCell(column, record.cells[column.key]);
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new RowRejected(issues);
  return values;
}

// ---- rows -> database ---------------------------------------------------------------------

interface RowResult {
  outcome: 'created' | 'updated' | 'unchanged';
  fields?: string[];
}

type Importer = (values: Record<string, Value>) => Promise<RowResult>;

/** Lookups shared by the rows of one file (the same municipality and plans recur). */
class Places {
  private municipalities = new Map<string, { id: number }>();
  private departments = new Map<string, { id: number; municipalityId: number; code: string }>();
  private plans = new Map<string, { id: number; fiscalYear: number }>();
  constructor(
    private tx: Tx,
    private viewer: Viewer,
  ) {}

  async municipality(code: string, needsAdmin = false) {
    let row = this.municipalities.get(code);
    if (!row) {
      const found = await this.tx.municipality.findUnique({
        where: { code },
        select: { id: true },
      });
      if (!found) reject('municipality', 'NOT_FOUND', `municipality: no municipality ${code}`);
      row = found;
      this.municipalities.set(code, row);
    }
    const allowed = needsAdmin
      ? administers(this.viewer, row.id)
      : actsForMunicipality(this.viewer, row.id);
    if (!allowed) {
      reject('municipality', 'FORBIDDEN', `municipality: you may not import data of ${code}`);
    }
    return row;
  }

  async department(municipalityCode: string, code: string) {
    const municipality = await this.municipality(municipalityCode);
    const cacheKey = `${municipality.id}/${code}`;
    let row = this.departments.get(cacheKey);
    if (!row) {
      const found = await this.tx.department.findUnique({
        where: { municipalityId_code: { municipalityId: municipality.id, code } },
        select: { id: true, municipalityId: true, code: true },
      });
      if (!found) {
        reject(
          'department',
          'NOT_FOUND',
          `department: no department "${code}" in ${municipalityCode}: import departments first`,
        );
      }
      row = found;
      this.departments.set(cacheKey, row);
    }
    return row;
  }

  async plan(values: Record<string, Value>) {
    const department = await this.department(
      String(values.municipality),
      String(values.department),
    );
    const fiscalYear = Number(values.fiscalYear);
    const cacheKey = `${department.id}/${fiscalYear}`;
    let plan = this.plans.get(cacheKey);
    if (!plan) {
      plan =
        (await this.tx.departmentPlan.findUnique({
          where: { departmentId_fiscalYear: { departmentId: department.id, fiscalYear } },
          select: { id: true, fiscalYear: true },
        })) ?? undefined;
      // Rows of one plan come together: keep the last few hundred, not every plan of the file.
      if (plan) {
        if (this.plans.size > 500) this.plans.clear();
        this.plans.set(cacheKey, plan);
      }
    }
    if (!plan) {
      reject(
        'fiscalYear',
        'NOT_FOUND',
        `fiscalYear: ${department.code} has no plan for ${fiscalYear}: import plans first`,
      );
    }
    return { plan, department };
  }
}

/** The fields of `next` that differ from `current` (given fields only). */
function differing(
  current: Record<string, unknown>,
  next: Record<string, unknown>,
): Record<string, unknown> {
  const changes = fieldChanges(current, next);
  return Object.fromEntries(Object.keys(changes).map((field) => [field, next[field]]));
}

function pick(values: Record<string, Value>, fields: string[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => f in values).map((f) => [f, values[f]]));
}

function importers(
  tx: Tx,
  viewer: Viewer,
  record: (change: Change) => void,
): Record<EntityName, Importer> {
  const places = new Places(tx, viewer);
  const created = (fields: FieldChanges) => ({
    outcome: 'created' as const,
    fields: Object.keys(fields),
  });

  return {
    async 'plan-years'(values) {
      const municipality = await places.municipality(String(values.municipality));
      const fiscalYear = Number(values.fiscalYear);
      const data = pick(values, [
        'fullTextMedia',
        'fullTextUrl',
        'bookletDistributedAt',
        'bookletReadableAt',
        'evaluationReportsOnFiscalYear',
        'evaluationWhitePaperTitle',
        'evaluationPublication',
        'evaluationMedia',
      ]);
      const key = { municipalityId: municipality.id, fiscalYear };
      const existing = await tx.planYear.findUnique({ where: { municipalityId_fiscalYear: key } });
      const place = { municipalityId: municipality.id, fiscalYear };
      if (!existing) {
        const row = await tx.planYear.create({ data: { ...key, ...data } });
        const changes = fieldChanges(null, { fiscalYear, ...data });
        record({ ...place, entityType: 'PlanYear', entityId: row.id, action: 'CREATE', changes });
        return created(changes);
      }
      const update = differing(existing, data);
      if (Object.keys(update).length === 0) return { outcome: 'unchanged' };
      await tx.planYear.update({
        where: { id: existing.id },
        data: { ...update, version: { increment: 1 } },
      });
      record({
        ...place,
        entityType: 'PlanYear',
        entityId: existing.id,
        action: 'UPDATE',
        changes: fieldChanges(existing, update),
      });
      return { outcome: 'updated', fields: Object.keys(update) };
    },

    async departments(values) {
      const municipality = await places.municipality(String(values.municipality), true);
      const code = String(values.code);
      if (!/^[a-z][a-z0-9-]*$/.test(code)) {
        reject(
          'code',
          'INVALID_CODE',
          'code: lower-case letters, digits and hyphens, starting with a letter',
        );
      }
      const data = pick(values, [
        'name',
        'nameEn',
        'displayOrder',
        'establishedIn',
        'abolishedAfter',
      ]);
      const existing = await tx.department.findUnique({
        where: { municipalityId_code: { municipalityId: municipality.id, code } },
      });
      const merged = { ...(existing ?? {}), ...data } as {
        establishedIn?: number | null;
        abolishedAfter?: number | null;
      };
      if (
        merged.establishedIn != null &&
        merged.abolishedAfter != null &&
        merged.abolishedAfter < merged.establishedIn
      ) {
        reject(
          'abolishedAfter',
          'OUT_OF_RANGE',
          'abolishedAfter: must not be before establishedIn',
        );
      }
      if (!existing) {
        const row = await tx.department.create({
          data: {
            municipalityId: municipality.id,
            code,
            ...(data as { name: string; displayOrder: number }),
          },
        });
        const changes = fieldChanges(null, { code, ...data });
        record({
          municipalityId: municipality.id,
          entityType: 'Department',
          entityId: row.id,
          action: 'CREATE',
          changes,
          departmentId: row.id,
        });
        return created(changes);
      }
      const update = differing(existing, data);
      if (Object.keys(update).length === 0) return { outcome: 'unchanged' };
      await tx.department.update({
        where: { id: existing.id },
        data: { ...update, version: { increment: 1 } },
      });
      record({
        municipalityId: municipality.id,
        entityType: 'Department',
        entityId: existing.id,
        action: 'UPDATE',
        changes: fieldChanges(existing, update),
        departmentId: existing.id,
      });
      return { outcome: 'updated', fields: Object.keys(update) };
    },

    async plans(values) {
      const department = await places.department(
        String(values.municipality),
        String(values.department),
      );
      const fiscalYear = Number(values.fiscalYear);
      const data = pick(values, ['status', 'mission', 'staffCount', 'budgetYen', 'policy']);
      if (typeof data.budgetYen === 'number') data.budgetYen = BigInt(data.budgetYen);
      const existing = await tx.departmentPlan.findUnique({
        where: { departmentId_fiscalYear: { departmentId: department.id, fiscalYear } },
      });
      const place = {
        municipalityId: department.municipalityId,
        departmentId: department.id,
        fiscalYear,
      };
      if (!existing) {
        const status = (data.status as 'DRAFT' | 'PUBLISHED' | undefined) ?? 'DRAFT';
        const row = await tx.departmentPlan.create({
          data: {
            departmentId: department.id,
            fiscalYear,
            ...data,
            status,
            publishedAt: status === 'PUBLISHED' ? new Date() : null,
          },
        });
        const changes = fieldChanges(null, {
          departmentId: department.id,
          fiscalYear,
          ...data,
          status,
        });
        record({
          ...place,
          entityType: 'DepartmentPlan',
          entityId: row.id,
          action: 'CREATE',
          changes,
        });
        return created(changes);
      }
      const update = differing(existing, data);
      if (Object.keys(update).length === 0) return { outcome: 'unchanged' };
      if (update.status === 'PUBLISHED') update.publishedAt = new Date();
      await tx.departmentPlan.update({
        where: { id: existing.id },
        data: { ...update, version: { increment: 1 } },
      });
      record({
        ...place,
        entityType: 'DepartmentPlan',
        entityId: existing.id,
        action: 'UPDATE',
        changes: fieldChanges(existing, update),
      });
      return { outcome: 'updated', fields: Object.keys(update).filter((f) => f !== 'publishedAt') };
    },

    async initiatives(values) {
      const { plan, department } = await places.plan(values);
      const position = Number(values.position);
      const data = pick(values, ['text', 'isAdministrativeReform', 'footnotes', 'citations']);
      const existing = await tx.initiative.findUnique({
        where: { planId_position: { planId: plan.id, position } },
      });
      const place = {
        municipalityId: department.municipalityId,
        departmentId: department.id,
        fiscalYear: plan.fiscalYear,
      };
      if (!existing) {
        if (data.text === undefined) reject('text', 'REQUIRED', 'text (個別事業) is required');
        // Positions stay 1..n without gaps, as the API keeps them.
        const count = await tx.initiative.count({ where: { planId: plan.id } });
        if (position !== count + 1) {
          reject(
            'position',
            'NOT_CONTIGUOUS',
            `position: the plan has ${count} initiatives; the next is ${count + 1}, not ${position}`,
          );
        }
        if (count >= 100)
          reject('position', 'TOO_MANY', 'position: a plan holds at most 100 initiatives');
        const row = await tx.initiative.create({
          data: { planId: plan.id, position, ...(data as { text: string }) },
        });
        await tx.departmentPlan.update({
          where: { id: plan.id },
          data: { version: { increment: 1 } },
        });
        const changes = fieldChanges(null, { ...data, position });
        record({ ...place, entityType: 'Initiative', entityId: row.id, action: 'CREATE', changes });
        return created(changes);
      }
      const update = differing(existing, data);
      if (Object.keys(update).length === 0) return { outcome: 'unchanged' };
      await tx.initiative.update({
        where: { id: existing.id },
        data: { ...update, version: { increment: 1 } },
      });
      record({
        ...place,
        entityType: 'Initiative',
        entityId: existing.id,
        action: 'UPDATE',
        changes: fieldChanges(existing, update),
      });
      return { outcome: 'updated', fields: Object.keys(update) };
    },

    async evaluations(values) {
      const { plan, department } = await places.plan(values);
      const position = Number(values.position);
      const initiative = await tx.initiative.findUnique({
        where: { planId_position: { planId: plan.id, position } },
        include: { evaluation: true },
      });
      if (!initiative)
        reject('position', 'NOT_FOUND', `position: the plan has no initiative ${position}`);
      const data: Record<string, unknown> = pick(values, [
        'status',
        'rating',
        'progressPercent',
        'summary',
        'decision',
      ]);
      if ('nextInitiative' in values) {
        const ref = values.nextInitiative;
        if (ref === null) data.nextInitiativeId = null;
        else {
          const match = /^([a-z][a-z0-9-]*)\/(\d{4})\/(\d{1,3})$/.exec(String(ref));
          if (!match)
            reject(
              'nextInitiative',
              'INVALID_REFERENCE',
              'nextInitiative: write it as department/fiscalYear/position, e.g. kyoiku/2013/2',
            );
          const [, code, year, pos] = match;
          if (Number(year) <= plan.fiscalYear) {
            reject(
              'nextInitiative',
              'NOT_LATER_YEAR',
              `nextInitiative: must be of a fiscal year after ${plan.fiscalYear}`,
            );
          }
          const next = await tx.initiative.findFirst({
            where: {
              position: Number(pos),
              plan: {
                fiscalYear: Number(year),
                department: { code, municipalityId: department.municipalityId },
              },
            },
            select: { id: true },
          });
          if (!next) reject('nextInitiative', 'NOT_FOUND', `nextInitiative: no initiative ${ref}`);
          data.nextInitiativeId = next.id;
        }
      }
      if ('whitePaperFiscalYear' in values) {
        const year = values.whitePaperFiscalYear;
        if (year === null) data.whitePaperId = null;
        else {
          if (year !== plan.fiscalYear) {
            reject(
              'whitePaperFiscalYear',
              'FISCAL_YEAR_MISMATCH',
              `whitePaperFiscalYear: the white paper must report on ${plan.fiscalYear}, the plan's year`,
            );
          }
          const paper = await tx.whitePaper.findUnique({
            where: {
              municipalityId_reportsOnFiscalYear: {
                municipalityId: department.municipalityId,
                reportsOnFiscalYear: Number(year),
              },
            },
            select: { id: true },
          });
          if (!paper)
            reject(
              'whitePaperFiscalYear',
              'NOT_FOUND',
              `whitePaperFiscalYear: no white paper reports on ${year}`,
            );
          data.whitePaperId = paper.id;
        }
      }
      const place = {
        municipalityId: department.municipalityId,
        departmentId: department.id,
        fiscalYear: plan.fiscalYear,
      };
      const existing = initiative.evaluation;
      if (!existing) {
        if (data.rating === undefined)
          reject('rating', 'REQUIRED', 'rating (達成状況) is required');
        if (data.summary === undefined) reject('summary', 'REQUIRED', 'summary is required');
        const row = await tx.evaluation.create({
          data: {
            initiativeId: initiative.id,
            ...(data as { rating: 'ACHIEVED'; summary: string }),
          },
        });
        const changes = fieldChanges(null, { initiativeId: initiative.id, ...data });
        record({ ...place, entityType: 'Evaluation', entityId: row.id, action: 'CREATE', changes });
        return created(changes);
      }
      const update = differing(existing, data);
      if (Object.keys(update).length === 0) return { outcome: 'unchanged' };
      await tx.evaluation.update({
        where: { id: existing.id },
        data: { ...update, version: { increment: 1 } },
      });
      record({
        ...place,
        entityType: 'Evaluation',
        entityId: existing.id,
        action: 'UPDATE',
        changes: fieldChanges(existing, update),
      });
      return { outcome: 'updated', fields: Object.keys(update) };
    },
  };
}

function keyOf(entity: EntityName, values: Record<string, unknown>): string {
  return (COLUMNS[entity] as Column[])
    .filter((c) => c.key_)
    .map((c) => String(values[c.key] ?? ''))
    .join('/');
}

export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const { prisma, viewer, entity, dryRun } = options;
  const report: ImportReport = {
    entity,
    dryRun,
    applied: false,
    counts: { created: 0, updated: 0, unchanged: 0, rejected: 0 },
    rows: [],
    truncated: false,
  };
  const note = (row: RowReport) => {
    report.counts[row.outcome] += 1;
    if (report.rows.length < MAX_LISTED) report.rows.push(row);
    else report.truncated = true;
  };
  const every = options.progressEvery ?? 1000;
  try {
    await writeWithHistory(
      prisma,
      actorOf(viewer),
      async (tx, record) => {
        const importer = importers(tx, viewer, record)[entity];
        // A key twice in one file would silently apply the later row: refuse it instead.
        const seen = new Set<string>();
        let read = 0;
        for await (const source of readRecords(
          options.input,
          entity,
          options.format,
          options.encoding,
        )) {
          read += 1;
          if (options.onProgress && read % every === 0) options.onProgress(read);
          let key: string | undefined;
          try {
            const values = parseRecord(entity, source);
            key = keyOf(entity, values);
            if (seen.has(key))
              reject('', 'DUPLICATE', `the row ${key} appears earlier in the file`);
            seen.add(key);
            const result = await importer(values);
            note({ row: source.row, key, ...result });
          } catch (error) {
            if (!(error instanceof RowRejected)) throw error;
            note({
              row: source.row,
              outcome: 'rejected',
              ...(key ? { key } : {}),
              issues: error.issues,
            });
          }
        }
        options.onProgress?.(read);
        if (dryRun || report.counts.rejected > 0) throw new RollBack();
      },
      { timeoutMs: options.timeoutMs ?? 3_600_000 },
    );
    report.applied = true;
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  return report;
}
