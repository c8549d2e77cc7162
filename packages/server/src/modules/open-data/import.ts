// Imports: each record of a file becomes the service calls the API would make for it, with
// the caller's rights: a new row is created (and published, if the file says PUBLISHED), an
// existing row is updated in the fields whose cells differ from its export (and published or
// withdrawn), a row equal to its export is left unchanged. Values are checked by the services,
// so a row is refused exactly when the mutation would be, with the same code, and an accepted
// row leaves the same change records (and so the same live events). A dry run reports exactly
// what applying would do, and applying is all or nothing. Two ways, one outcome:
// - staged (entities whose service splits its check from its write, Binding.bulk: initiatives):
//   a file of updates is read and checked outside any transaction, a chunk at a time (its
//   existing rows and what the service's check needs read in a few statements, each row then
//   checked in memory by the service's own check), then applied in one short transaction, a
//   statement per chunk for the rows and one for their change records. On the embedded
//   database, whose one connection a transaction holds, other queries run between the reads.
//   A row written by someone else meanwhile (its version or its plan's moved) is refused by
//   the bulk write, and the file is then imported the other way.
// - in one transaction (a file that creates rows or moves a status, and every other entity):
//   one writeWithHistory, the services' cores inside it, row after row; the existing rows a
//   chunk names are read in two statements (Rows.prefetch), what an update's service reads
//   first for the whole chunk (Rows.readFor), the change records inserted at the chunk's end.
// This file knows the columns only by their keys.
import type { Readable } from 'node:stream';
import { actorOf, type Viewer } from '../../auth/viewer.ts';
import { type PrismaClient, runsInThisThread } from '../../db/client.ts';
import { type Change, type RecordChange, type Tx, writeWithHistory } from '../../db/history.ts';
import {
  ErrorCode,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  VersionConflictError,
} from '../../errors.ts';
import {
  createDepartmentInWrite,
  updateDepartmentInWrite,
} from '../department/department.service.ts';
import {
  recordEvaluationInWrite,
  setEvaluationStatusInWrite,
  updateEvaluationInWrite,
} from '../evaluation/evaluation.service.ts';
import {
  completeEvaluationStageInWrite,
  recordEvaluationStageInWrite,
  returnEvaluationStageInWrite,
} from '../evaluation/evaluation-stage.service.ts';
import {
  addInitiativeInWrite,
  checkInitiativeUpdate,
  type InitiativesForWrite,
  type InitiativeUpdate,
  mergePendingSearchEntries,
  readInitiativesForWrite,
  updateInitiativeInWrite,
  writeInitiativeUpdates,
} from '../initiative/initiative.service.ts';
import { hasValidCheckDigit, prefectureOf } from '../municipality/municipality-code.ts';
import {
  createPlanInWrite,
  setPlanStatusInWrite,
  updatePlanInWrite,
} from '../plan/plan.service.ts';
import { createPlanYearInWrite, updatePlanYearInWrite } from '../plan-year/plan-year.service.ts';
import { normalText } from '../shared/validation.ts';
import {
  addTargetInWrite,
  recordActualInWrite,
  setStatusRulesInWrite,
  updateTargetInWrite,
} from '../target/target.service.ts';
import { whitePaperReportingOn } from '../white-paper/white-paper.service.ts';
import {
  type Cell,
  COLUMNS,
  type Column,
  cellsOf,
  ENTITY_LABELS,
  type EntityName,
} from './columns.ts';
import { type CsvEncoding, type ExportFormat, type ExportScope, fetcher } from './export.ts';
import { ImportFileError, readRecords, type SourceRecord } from './read.ts';
import { ruleSetOfRow, ruleSetRowId } from './rule-set-rows.ts';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface RowIssue {
  /** The column the problem is in ('' for the row as a whole). */
  field: string;
  /** The service's ValidationError issue code (as the mutation answers it), FORBIDDEN, ... */
  code: string;
  reason: string;
}

export interface RowReport {
  row: number;
  outcome: Outcome;
  /** The identifying columns, e.g. 132047/kyoiku/2012/3. */
  key?: string;
  /** Created: the columns given; updated: the columns that change. */
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
  /**
   * The file; a function that opens it afresh lets the import read it twice (staged, then in
   * one transaction when it must) without holding its records.
   */
  input: Readable | (() => Readable);
  format: ExportFormat;
  encoding?: CsvEncoding;
  dryRun: boolean;
  /** Called every `progressEvery` rows with the rows read so far. */
  onProgress?: (rows: number) => void;
  progressEvery?: number;
  /** Transaction time limit; large files need long. */
  timeoutMs?: number;
  /** Most records a file may hold: one more refuses the whole file (nothing is written). */
  maxRows?: number;
  /** Records whose existing rows are read together (CHUNK); tests make chunks small. */
  chunkRows?: number;
}

const MAX_LISTED = 10_000;

/** The publication status column: changed by publishing or withdrawing, never by an edit. */
const STATUS = 'status';

/** A problem the file itself has (a cell that is not a number, a row it names twice...). */
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

// ---- cells -------------------------------------------------------------------------------

/** The spellings of true and false accepted in a cell or a query string (case-insensitive). */
export function booleanOf(text: string): boolean | undefined {
  const spelling = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(spelling)) return true;
  if (['false', '0', 'no', 'off'].includes(spelling)) return false;
  return undefined;
}

function isEmpty(raw: unknown): boolean {
  return raw === undefined || raw === null || raw === '';
}

/**
 * One cell as the typed value its column exports (a number, a list...): how the file writes a
 * value, not whether the value is allowed, which the services decide.
 */
export function parseCell(column: Column, raw: unknown): Cell {
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
        reject(column.key, 'INVALID_CODE', `${column.key}: "${code}" must be six digits`);
      if (!hasValidCheckDigit(code)) {
        reject(
          column.key,
          'CHECK_DIGIT',
          `${column.key}: ${code}: the check digit (6th digit) does not match the first five`,
        );
      }
      if (prefectureOf(code) === undefined) {
        reject(
          column.key,
          'PREFECTURE',
          `${column.key}: ${code}: the first two digits name no prefecture`,
        );
      }
      return code;
    }
    case 'integer':
    case 'yen': {
      const text = String(raw).trim();
      const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
      if (!Number.isSafeInteger(n))
        reject(
          column.key,
          'NOT_AN_INTEGER',
          `${column.key}: "${String(raw)}" is not a whole number`,
        );
      return n;
    }
    case 'number': {
      const text = String(raw).trim();
      const n =
        typeof raw === 'number'
          ? raw
          : /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text)
            ? Number(text)
            : Number.NaN;
      if (!Number.isFinite(n))
        reject(column.key, 'NOT_A_NUMBER', `${column.key}: "${String(raw)}" is not a number`);
      return n;
    }
    case 'json': {
      // One JSON text, as exported: kept as its canonical text (compared as such), parsed by
      // the binding for its service.
      try {
        return JSON.stringify(typeof raw === 'string' ? JSON.parse(raw) : raw);
      } catch {
        return reject(column.key, 'INVALID_JSON', `${column.key}: must be JSON`);
      }
    }
    case 'boolean': {
      const value = typeof raw === 'boolean' ? raw : booleanOf(String(raw));
      if (value === undefined) {
        reject(column.key, 'NOT_ALLOWED', `${column.key}: "${String(raw)}" must be true or false`);
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
      return list;
    }
    default:
      return typeof raw === 'string' ? raw : String(raw);
  }
}

/** The importable cells a record gives (a column left out of the file is not given). */
function parseRecord(entity: EntityName, record: SourceRecord): Map<Column, Cell> {
  const cells = new Map<Column, Cell>();
  const issues: RowIssue[] = [];
  for (const column of COLUMNS[entity] as Column[]) {
    if (column.exportOnly) continue;
    if (!(column.key in record.cells) && !column.key_) continue;
    try {
      cells.set(column, parseCell(column, record.cells[column.key]));
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
      issues.push(...error.issues);
    }
  }
  if (issues.length > 0) throw new RowRejected(issues);
  return cells;
}

/** Does the file's cell say what the stored row exports? Text as the services store it. */
function sameCell(column: Column, given: Cell, stored: Cell | undefined): boolean {
  const comparable = (cell: Cell | undefined) => {
    if (column.type !== 'text' && column.type !== 'text-list') return cell;
    if (typeof cell === 'string') return normalText(cell);
    return Array.isArray(cell) ? cell.map(normalText) : cell;
  };
  return JSON.stringify(comparable(given)) === JSON.stringify(comparable(stored ?? null));
}

type Cells = Record<string, Cell>;

const keyColumnsOf = new Map<EntityName, Column[]>();
/** The columns that identify a row of `entity` (asked several times per row: kept). */
function keyColumns(entity: EntityName): Column[] {
  let columns = keyColumnsOf.get(entity);
  if (!columns) {
    columns = (COLUMNS[entity] as Column[]).filter((c) => c.key_);
    keyColumnsOf.set(entity, columns);
  }
  return columns;
}

/** A record's cells by column key. */
const cellsByKey = (given: Map<Column, Cell>): Cells =>
  Object.fromEntries([...given].map(([column, cell]) => [column.key, cell]));

function keyOf(entity: EntityName, cells: Cells): string {
  return keyColumns(entity)
    .map((c) => String(cells[c.key] ?? ''))
    .join('/');
}

/** The key cells of `entity` among `cells` (a plan's among an initiative's, say). */
function keyCellsOf(entity: EntityName, cells: Cells): Cells {
  return Object.fromEntries(keyColumns(entity).map((c) => [c.key, cells[c.key] ?? null]));
}

// ---- the rows a file names, as the caller may see them -----------------------------------

interface Existing {
  id: number;
  /** As exported; what the file's cells are compared with. */
  cells: Cells;
  /** Read when the row is about to be written (the services check versions). */
  version?: number;
}

const VERSION = { id: true, version: true } as const;
type Versions = (tx: Tx, ids: number[]) => Promise<{ id: number; version: number }[]>;

/** The versions of rows, for the services' optimistic-lock checks (held by the write lock). */
const versionsOf: Record<EntityName, Versions> = {
  departments: (tx, ids) => tx.department.findMany({ where: { id: { in: ids } }, select: VERSION }),
  plans: (tx, ids) => tx.departmentPlan.findMany({ where: { id: { in: ids } }, select: VERSION }),
  initiatives: (tx, ids) => tx.initiative.findMany({ where: { id: { in: ids } }, select: VERSION }),
  evaluations: (tx, ids) => tx.evaluation.findMany({ where: { id: { in: ids } }, select: VERSION }),
  'plan-years': (tx, ids) => tx.planYear.findMany({ where: { id: { in: ids } }, select: VERSION }),
  'evaluation-stages': (tx, ids) =>
    tx.evaluationStage.findMany({ where: { id: { in: ids } }, select: VERSION }),
  targets: (tx, ids) => tx.target.findMany({ where: { id: { in: ids } }, select: VERSION }),
  actuals: (tx, ids) => tx.targetActual.findMany({ where: { id: { in: ids } }, select: VERSION }),
  // A rule set's row: its version, 0 for the default rules (no set of its own yet).
  'status-rules': async (tx, ids) => {
    const pairs = ids.map(ruleSetOfRow);
    const sets = await tx.statusRuleSet.findMany({
      where: { OR: pairs.map((pair) => ({ ...pair })) },
      select: { municipalityId: true, fromFiscalYear: true, version: true },
    });
    return ids.map((id) => {
      const { municipalityId, fromFiscalYear } = ruleSetOfRow(id);
      const set = sets.find(
        (s) => s.municipalityId === municipalityId && s.fromFiscalYear === fromFiscalYear,
      );
      return { id, version: set?.version ?? 0 };
    });
  },
};

/** Scopes kept: rows of one plan (or department, municipality) come together in a file. */
const SCOPES_KEPT = 64;

/** Records read, matched with their existing rows and checked together. */
const CHUNK = 1000;
/**
 * The same when the staging's reads run in this thread (the embedded database, one
 * connection): each of its statements (and Prisma's mapping of its rows) holds every other
 * request for as long as it runs: 50-200 ms for 1,000 rows on PGlite (bench:import, load 3-4).
 * A quarter of that; other requests run between two statements.
 */
const CHUNK_IN_THIS_THREAD = 250;

/**
 * The ids of the existing rows that the key cells name, in one statement (index lookups from
 * the key's codes). Only which rows to read: what the caller may see of them, and as which
 * cells, is the export's reader's (rows are then matched by key as a scope read matches them).
 * Entities whose last key is not a plain column (a target's number is its place among the
 * initiative's targets, a stage's kind, an actual's date, a rule set's year) are read a scope
 * at a time.
 */
type IdsOf = (tx: Tx, keys: Cells[]) => Promise<number[]>;

const texts = (keys: Cells[], key: string) => keys.map((k) => String(k[key]));
const integers = (keys: Cells[], key: string) => keys.map((k) => BigInt(Number(k[key])));

async function idsOf(rows: Promise<{ id: number }[]>): Promise<number[]> {
  return (await rows).map((row) => Number(row.id));
}

const idsByKey: Partial<Record<EntityName, IdsOf>> = {
  departments: (tx, keys) =>
    idsOf(tx.$queryRaw`
      SELECT d.id FROM unnest(${texts(keys, 'municipality')}::text[], ${texts(keys, 'code')}::text[]) AS k(m, c)
      JOIN "Municipality" mu ON mu.code = k.m
      JOIN "Department" d ON d."municipalityId" = mu.id AND d.code = k.c`),
  plans: (tx, keys) =>
    idsOf(tx.$queryRaw`
      SELECT p.id FROM unnest(${texts(keys, 'municipality')}::text[], ${texts(keys, 'department')}::text[],
        ${integers(keys, 'fiscalYear')}::bigint[]) AS k(m, d, y)
      JOIN "Municipality" mu ON mu.code = k.m
      JOIN "Department" d ON d."municipalityId" = mu.id AND d.code = k.d
      JOIN "DepartmentPlan" p ON p."departmentId" = d.id AND p."fiscalYear" = k.y`),
  initiatives: (tx, keys) =>
    idsOf(tx.$queryRaw`
      SELECT i.id FROM unnest(${texts(keys, 'municipality')}::text[], ${texts(keys, 'department')}::text[],
        ${integers(keys, 'fiscalYear')}::bigint[], ${integers(keys, 'position')}::bigint[]) AS k(m, d, y, n)
      JOIN "Municipality" mu ON mu.code = k.m
      JOIN "Department" d ON d."municipalityId" = mu.id AND d.code = k.d
      JOIN "DepartmentPlan" p ON p."departmentId" = d.id AND p."fiscalYear" = k.y
      JOIN "Initiative" i ON i."planId" = p.id AND i.position = k.n`),
  evaluations: (tx, keys) =>
    idsOf(tx.$queryRaw`
      SELECT e.id FROM unnest(${texts(keys, 'municipality')}::text[], ${texts(keys, 'department')}::text[],
        ${integers(keys, 'fiscalYear')}::bigint[], ${integers(keys, 'position')}::bigint[]) AS k(m, d, y, n)
      JOIN "Municipality" mu ON mu.code = k.m
      JOIN "Department" d ON d."municipalityId" = mu.id AND d.code = k.d
      JOIN "DepartmentPlan" p ON p."departmentId" = d.id AND p."fiscalYear" = k.y
      JOIN "Initiative" i ON i."planId" = p.id AND i.position = k.n
      JOIN "Evaluation" e ON e."initiativeId" = i.id`),
  'plan-years': (tx, keys) =>
    idsOf(tx.$queryRaw`
      SELECT py.id FROM unnest(${texts(keys, 'municipality')}::text[], ${integers(keys, 'fiscalYear')}::bigint[]) AS k(m, y)
      JOIN "Municipality" mu ON mu.code = k.m
      JOIN "PlanYear" py ON py."municipalityId" = mu.id AND py."fiscalYear" = k.y`),
};

/**
 * Existing rows, read through the export's own reader (so with the caller's visibility, and
 * as the same cells): those a chunk of the file names, by their ids, in a few statements
 * (`prefetch`), or, for entities without an id lookup and for the rows a reference names,
 * one scope at a time: a row's scope is its key without the last column (the initiatives of
 * one plan, the plans of one department, the departments of a city).
 */
class Rows {
  private scopes = new Map<string, Map<string, Existing>>();
  /** The rows of the chunk being imported, by key: null when the caller sees none. */
  private chunk = new Map<string, Existing | null>();
  private chunkEntity: EntityName | undefined;
  /** What a binding's service reads before an update, for the chunk's rows (readForUpdate). */
  private read: { value: unknown; ids: Set<number> } | undefined;

  constructor(
    private tx: Tx,
    private viewer: Viewer,
    /** Awaited between two statements of one read (the staging's: other requests' turn). */
    private between?: () => Promise<void>,
  ) {}

  /** Reads the rows these keys name (of the chunk about to be imported), replacing the last. */
  async prefetch(entity: EntityName, keys: Cells[]): Promise<void> {
    this.chunk = new Map();
    this.chunkEntity = undefined;
    this.read = undefined;
    const lookup = idsByKey[entity];
    if (!lookup || keys.length === 0) return;
    const chunk = new Map<string, Existing | null>(keys.map((k) => [keyOf(entity, k), null]));
    const ids = await lookup(this.tx, keys);
    if (ids.length > 0) {
      await this.between?.();
      const fetch = fetcher(this.tx, this.viewer, entity, { ids });
      for (const row of await fetch(0, ids.length)) {
        const cells = cellsOf(COLUMNS[entity], row as never);
        const key = keyOf(entity, cells);
        if (chunk.has(key)) chunk.set(key, { id: row.id, cells });
      }
    }
    this.chunk = chunk;
    this.chunkEntity = entity;
  }

  private chunkRow(entity: EntityName, key: string): Existing | null | undefined {
    return entity === this.chunkEntity ? this.chunk.get(key) : undefined;
  }

  private async scope(entity: EntityName, keyCells: Cells): Promise<Map<string, Existing>> {
    const scope = Object.fromEntries(
      keyColumns(entity)
        .slice(0, -1)
        .map((c) => [c.key, keyCells[c.key]]),
    ) as ExportScope;
    const name = `${entity}:${JSON.stringify(scope)}`;
    let rows = this.scopes.get(name);
    if (rows) return rows;
    rows = new Map();
    const columns = COLUMNS[entity];
    const fetch = fetcher(this.tx, this.viewer, entity, scope);
    for (let afterId = 0; ; ) {
      const batch = await fetch(afterId, 1000);
      for (const row of batch) {
        const cells = cellsOf(columns, row as never);
        rows.set(keyOf(entity, cells), { id: row.id, cells });
      }
      const last = batch.at(-1);
      if (!last || batch.length < 1000) break;
      afterId = last.id;
    }
    if (this.scopes.size >= SCOPES_KEPT) {
      const oldest = this.scopes.keys().next().value;
      if (oldest !== undefined) this.scopes.delete(oldest);
    }
    this.scopes.set(name, rows);
    return rows;
  }

  async find(entity: EntityName, keyCells: Cells): Promise<Existing | undefined> {
    const key = keyOf(entity, keyCells);
    const read = this.chunkRow(entity, key);
    if (read !== undefined) return read ?? undefined;
    return (await this.scope(entity, keyCells)).get(key);
  }

  /** The row `entity` with these key cells, or the row is rejected: it names nothing. */
  async require(entity: EntityName, cells: Cells, field: string): Promise<Existing> {
    const keyCells = keyCellsOf(entity, cells);
    const found = await this.find(entity, keyCells);
    if (!found) {
      reject(
        field,
        'NOT_FOUND',
        `${field}: no row ${keyOf(entity, keyCells)} of ${entity} that you may see (import ${entity} first)`,
      );
    }
    return found;
  }

  /**
   * The row with its version: read with those of its chunk (or scope) at once, on the first
   * write among them.
   */
  async versioned(entity: EntityName, keyCells: Cells, row: Existing): Promise<Target> {
    if (row.version === undefined) {
      const inChunk = this.chunkRow(entity, keyOf(entity, keyCells)) !== undefined;
      const rows = inChunk
        ? [...this.chunk.values()].filter((r): r is Existing => r !== null)
        : [...(await this.scope(entity, keyCells)).values()];
      const unread = rows.filter((r) => r.version === undefined);
      const versions = await versionsOf[entity](
        this.tx,
        unread.map((r) => r.id),
      );
      const byId = new Map(versions.map((v) => [v.id, v.version]));
      for (const r of unread) r.version = byId.get(r.id);
    }
    if (row.version === undefined) throw new Error(`${entity} ${row.id} has gone`);
    return { id: row.id, version: row.version };
  }

  /**
   * What `read` answers for the rows of the chunk (and the row `id`), read on the first ask and
   * kept while no write changes what it holds (`written`): one statement or two for the
   * chunk's updates instead of their service's reads for each row.
   */
  async readFor(id: number, read: (ids: number[]) => Promise<unknown>): Promise<unknown> {
    if (!this.read?.ids.has(id)) {
      const ids = new Set([...this.chunk.values()].flatMap((row) => (row ? [row.id] : [])));
      ids.add(id);
      this.read = { value: await read([...ids]), ids };
    }
    return this.read.value;
  }

  /** A write changed the row `id` alone, or (no id) anything: what was read is not reused. */
  written(id?: number) {
    if (id === undefined) this.read = undefined;
    else this.read?.ids.delete(id);
  }

  /** After a write: the row as the file left it. */
  async remember(entity: EntityName, cells: Cells, row: { id: number; version: number }) {
    const key = keyOf(entity, cells);
    const rows =
      this.chunkRow(entity, key) !== undefined ? this.chunk : await this.scope(entity, cells);
    const before = rows.get(key)?.cells ?? {};
    rows.set(key, { id: row.id, version: row.version, cells: { ...before, ...cells } });
  }
}

// ---- rows -> service calls -----------------------------------------------------------------

type ServiceContext = { prisma: PrismaClient; viewer: Viewer };

interface Write {
  tx: Tx;
  record: RecordChange;
  ctx: ServiceContext;
  rows: Rows;
  /** Stores what one service call recorded, described as its own mutation's would be. */
  storeChanges: (insert?: boolean) => Promise<void>;
}

/**
 * One service call of a row, as its mutation would be one write: its change records are
 * stored (with the audiences and snapshots of that moment) when it succeeds, and dropped
 * with the row when it is refused.
 */
async function serviceCall<T>(
  w: Write,
  call: (w: Write) => Promise<T>,
  /** The row the call writes (an update's): changes of it alone keep the other rows read. */
  row?: { entityType: string; id: number },
): Promise<T> {
  const recorded: Change[] = [];
  let result: T;
  try {
    result = await call({ ...w, record: (change) => recorded.push(change) });
  } catch (error) {
    w.rows.written();
    throw error;
  }
  // Rows read for many calls (Rows.readFor) stay valid while a call changes only its own row
  // (every write records its changes; a change of any other entity may have moved them).
  const alone =
    row !== undefined &&
    recorded.every((c) => c.entityType === row.entityType && c.entityId === row.id);
  w.rows.written(alone ? row.id : undefined);
  for (const change of recorded) w.record(change);
  await w.storeChanges();
  return result;
}

/** An update checked by its service (Binding.bulk), to be written with others. */
type Staged = unknown;

/** What the services answer: the row written, at its new version. */
type Written = { id: number; version: number };
type Target = { id: number; version: number };
/** A service's input, from cells by column key. The service's schema checks it. */
type Input = Record<string, unknown>;

interface Reference {
  /** The service input that takes the named row's id. */
  input: string;
  resolve(w: Write, row: Cells, cell: string | number): Promise<number>;
}

/** How one entity's rows are written: which service cores, given what. */
interface Binding {
  create(w: Write, row: Cells, content: Input): Promise<Written>;
  /**
   * `row`: every cell the file gives for it (a service that takes whole records needs them);
   * `read`: what readForUpdate answered for the chunk's rows.
   */
  update(w: Write, target: Target, content: Input, row: Cells, read?: unknown): Promise<Written>;
  /**
   * What the update's service reads before it writes, for many rows at once; `between` is
   * awaited between two of its statements.
   */
  readForUpdate?: (
    tx: Tx,
    ctx: ServiceContext,
    ids: number[],
    between?: () => Promise<void>,
  ) => Promise<unknown>;
  /**
   * Updates checked in memory by the service's own check, on what readForUpdate read, and
   * written many at once by the service's bulk write (see stage): a file of such updates is
   * staged outside the write transaction and applied in a short one.
   */
  bulk?: {
    check(ctx: ServiceContext, target: { id: number }, content: Input, read: unknown): Staged;
    /**
     * Work the database defers that the write would otherwise do inside its transaction,
     * done as statements of their own: before the write and after it.
     */
    settle?(prisma: PrismaClient): Promise<void>;
    write(tx: Tx, record: RecordChange, staged: readonly Staged[]): Promise<unknown>;
  };
  /**
   * Moving the row between its states, for entities with a status column (publishing and
   * withdrawing; completing a stage and sending it back): the state it leaves before an edit
   * (`before`: withdrawn, reopened) and the one it enters after it (`after`).
   */
  status?: {
    column: string;
    before: string;
    after: string;
    /** Columns that only say how to move it (a reason for sending back), never edited. */
    inputs?: readonly string[];
    set(w: Write, target: Target, status: string, row: Cells): Promise<Written>;
  };
  /** Cells that name another row in the file's words (kyoiku/2013/2), by column key. */
  references?: Record<string, Reference>;
}

/** Publishing and withdrawing, for the entities with a publication status. */
const publication = (
  set: (w: Write, target: Target, status: 'DRAFT' | 'PUBLISHED') => Promise<Written>,
): Binding['status'] => ({
  column: STATUS,
  before: 'DRAFT',
  after: 'PUBLISHED',
  set: (w, target, status) => set(w, target, status as 'DRAFT' | 'PUBLISHED'),
});

// The services' inputs are checked by their schemas at run time; `never` hands them over.
const BINDINGS: Record<EntityName, Binding> = {
  departments: {
    create: (w, row, content) =>
      createDepartmentInWrite(w.tx, w.record, w.ctx, {
        ...keyCellsOf('departments', row),
        ...content,
      } as never),
    update: (w, { id, version }, content) =>
      updateDepartmentInWrite(w.tx, w.record, w.ctx, {
        id,
        expectedVersion: version,
        ...content,
      } as never),
  },
  plans: {
    create: (w, row, content) =>
      createPlanInWrite(w.tx, w.record, w.ctx, {
        ...keyCellsOf('plans', row),
        ...content,
      } as never),
    update: (w, { id, version }, content) =>
      updatePlanInWrite(w.tx, w.record, w.ctx, {
        id,
        expectedVersion: version,
        ...content,
      } as never),
    status: publication((w, { id, version }, status) =>
      setPlanStatusInWrite(w.tx, w.record, w.ctx, { id, expectedVersion: version }, status),
    ),
  },
  initiatives: {
    async create(w, row, content) {
      const plan = await w.rows.require('plans', row, lastKey('plans'));
      const [position] = Object.values(keyCellsOf('initiatives', row)).slice(-1);
      return addInitiativeInWrite(w.tx, w.record, w.ctx, {
        planId: plan.id,
        position,
        ...content,
      } as never);
    },
    update: (w, { id, version }, content, _row, read) =>
      updateInitiativeInWrite(
        w.tx,
        w.record,
        w.ctx,
        { id, expectedVersion: version, ...content } as never,
        undefined,
        read as InitiativesForWrite | undefined,
      ),
    readForUpdate: readInitiativesForWrite,
    bulk: {
      // The version expected is the one read: the write then refuses it if it moves.
      check: (ctx, { id }, content, read) => {
        const { initiatives } = read as InitiativesForWrite;
        const expectedVersion = initiatives.get(id)?.version ?? 1;
        return checkInitiativeUpdate(
          ctx,
          { id, expectedVersion, ...content } as never,
          read as InitiativesForWrite,
        );
      },
      settle: mergePendingSearchEntries,
      write: (tx, record, staged) =>
        writeInitiativeUpdates(tx, record, staged as InitiativeUpdate[]),
    },
  },
  evaluations: {
    async create(w, row, content) {
      const initiative = await w.rows.require('initiatives', row, lastKey('initiatives'));
      return recordEvaluationInWrite(w.tx, w.record, w.ctx, {
        initiative: initiative.id,
        ...content,
      } as never);
    },
    update: (w, { id, version }, content) =>
      updateEvaluationInWrite(w.tx, w.record, w.ctx, {
        id,
        expectedVersion: version,
        ...content,
      } as never),
    status: publication((w, { id, version }, status) =>
      setEvaluationStatusInWrite(w.tx, w.record, w.ctx, { id, expectedVersion: version }, status),
    ),
    references: {
      // The initiative that carries it on, as its key without the municipality (kyoiku/2013/2).
      nextInitiative: {
        input: 'nextInitiative',
        async resolve(w, row, cell) {
          const columns = keyColumns('initiatives');
          const parts = String(cell).split('/');
          const [municipality, ...rest] = columns;
          if (!municipality || parts.length !== rest.length) {
            reject(
              'nextInitiative',
              'INVALID_REFERENCE',
              `nextInitiative: write it as ${rest.map((c) => c.key).join('/')}, e.g. kyoiku/2013/2`,
            );
          }
          const named: Cells = { [municipality.key]: row[municipality.key] ?? null };
          for (const [i, column] of rest.entries()) {
            named[column.key] = parseCell(column, parts[i]);
          }
          return (await w.rows.require('initiatives', named, 'nextInitiative')).id;
        },
      },
      // The white paper that published it, by the fiscal year it reports on.
      whitePaperFiscalYear: {
        input: 'whitePaper',
        async resolve(w, row, cell) {
          const municipality = String(row[keyColumns('evaluations')[0]?.key ?? ''] ?? '');
          const paper = await whitePaperReportingOn(w.tx, municipality, Number(cell));
          if (!paper) {
            reject(
              'whitePaperFiscalYear',
              'NOT_FOUND',
              `whitePaperFiscalYear: ${municipality} has no white paper that reports on ${cell}`,
            );
          }
          return paper.id;
        },
      },
    },
  },
  'plan-years': {
    create: (w, row, content) =>
      createPlanYearInWrite(w.tx, w.record, w.ctx, {
        ...keyCellsOf('plan-years', row),
        ...content,
      } as never),
    update: (w, { id, version }, content) =>
      updatePlanYearInWrite(w.tx, w.record, w.ctx, {
        id,
        expectedVersion: version,
        ...content,
      } as never),
  },
  'evaluation-stages': {
    // Recording a stage creates the evaluation with the first one; the version every stage
    // service checks is the evaluation's, read in the write.
    async create(w, row, content) {
      const initiative = await w.rows.require('initiatives', row, lastKey('initiatives'));
      const evaluation = await w.tx.evaluation.findFirst({
        where: { initiativeId: initiative.id },
        select: { version: true },
      });
      const kind = String(row[lastKey('evaluation-stages')]);
      const written = await recordEvaluationStageInWrite(w.tx, w.record, w.ctx, {
        initiative: initiative.id,
        stage: kind,
        ...content,
        expectedVersion: evaluation?.version ?? null,
      } as never);
      return stageWritten(w, written, kind);
    },
    // recordEvaluationStage takes the whole stage: what the file leaves out stays as it is.
    async update(w, { id }, content) {
      const stage = await stageOf(w, id);
      const written = await recordEvaluationStageInWrite(w.tx, w.record, w.ctx, {
        initiative: stage.evaluation.initiativeId,
        stage: stage.kind,
        rating: stage.rating,
        progressPercent: stage.progressPercent,
        summary: stage.summary,
        ...content,
        expectedVersion: stage.evaluation.version,
      } as never);
      return stageWritten(w, written, stage.kind);
    },
    status: {
      column: 'state',
      before: 'OPEN',
      after: 'COMPLETED',
      inputs: ['returnReason'],
      async set(w, { id }, state, row) {
        const stage = await stageOf(w, id);
        const input = {
          evaluation: stage.evaluationId,
          stage: stage.kind,
          expectedVersion: stage.evaluation.version,
        };
        const written =
          state === 'COMPLETED'
            ? await completeEvaluationStageInWrite(w.tx, w.record, w.ctx, input)
            : await returnEvaluationStageInWrite(w.tx, w.record, w.ctx, {
                ...input,
                reason: row.returnReason ?? '',
              } as never);
        return stageWritten(w, written, stage.kind);
      },
    },
  },
  targets: {
    async create(w, row, content) {
      const initiative = await w.rows.require('initiatives', row, lastKey('initiatives'));
      // Targets are named by their order: a new one can only be the next number.
      const count = await w.tx.target.count({ where: { initiativeId: initiative.id } });
      const number = row[lastKey('targets')];
      if (number !== count + 1) {
        reject(
          lastKey('targets'),
          'NOT_NEXT',
          `${lastKey('targets')}: the initiative has ${count} target(s); a new one is number ${count + 1}, not ${String(number)}`,
        );
      }
      return addTargetInWrite(w.tx, w.record, w.ctx, {
        initiativeId: initiative.id,
        ...content,
      } as never);
    },
    update: (w, { id, version }, content) =>
      updateTargetInWrite(w.tx, w.record, w.ctx, {
        id,
        expectedVersion: version,
        ...content,
      } as never),
  },
  actuals: {
    async create(w, row, content) {
      const target = await w.rows.require('targets', row, lastKey('targets'));
      const measuredOn = String(row[lastKey('actuals')]);
      await recordActualInWrite(w.tx, w.record, w.ctx, {
        targetId: target.id,
        measuredOn,
        ...content,
      } as never);
      return actualWritten(w, target.id, measuredOn);
    },
    // recordActual takes the whole actual (one per target and date): what the file leaves out
    // stays as it is.
    async update(w, { id }, content) {
      const { targetId, measuredOn, period, value, reachedOn } =
        await w.tx.targetActual.findUniqueOrThrow({ where: { id } });
      await recordActualInWrite(w.tx, w.record, w.ctx, {
        targetId,
        measuredOn,
        period,
        value,
        reachedOn,
        ...content,
      } as never);
      return actualWritten(w, targetId, measuredOn);
    },
  },
  'status-rules': {
    // A new (municipality, fromFiscalYear) is a new rule set; an existing one is replaced. The
    // service decides (a closed year is refused with CLOSED_YEAR).
    create: (w, row, content) => writeRuleSet(w, row, content, 0),
    update: (w, { version }, content, row) => writeRuleSet(w, row, content, version),
  },
};

/** setStatusRules for one row: its municipality and year, its rules (empty: remove the set). */
async function writeRuleSet(w: Write, row: Cells, content: Input, expectedVersion: number) {
  const { rules } = content as { rules?: string | null };
  const municipality = String(row.municipality);
  const fromFiscalYear = Number(row.fromFiscalYear ?? 0);
  const { municipalityId } = await setStatusRulesInWrite(w.tx, w.record, w.ctx, {
    municipality,
    fromFiscalYear,
    expectedVersion,
    rules: rules == null ? null : JSON.parse(rules),
  });
  const set = await w.tx.statusRuleSet.findUnique({
    where: { municipalityId_fromFiscalYear: { municipalityId, fromFiscalYear } },
    select: { version: true },
  });
  return { id: ruleSetRowId(municipalityId, fromFiscalYear), version: set?.version ?? 0 };
}

/** An evaluation stage with its evaluation, read in the write (the version is the evaluation's). */
const stageOf = (w: Write, id: number) =>
  w.tx.evaluationStage.findUniqueOrThrow({
    where: { id },
    include: { evaluation: { select: { id: true, version: true, initiativeId: true } } },
  });

/** What a stage service answers (the evaluation), as the stage row written. */
async function stageWritten(w: Write, evaluation: { id: number }, kind: string): Promise<Written> {
  return w.tx.evaluationStage.findUniqueOrThrow({
    where: { evaluationId_kind: { evaluationId: evaluation.id, kind: kind as never } },
    select: VERSION,
  });
}

/** What recordActual answers (the target), as the actual row written. */
function actualWritten(w: Write, targetId: number, measuredOn: string): Promise<Written> {
  return w.tx.targetActual.findUniqueOrThrow({
    where: { targetId_measuredOn: { targetId, measuredOn } },
    select: VERSION,
  });
}

function lastKey(entity: EntityName): string {
  return keyColumns(entity).at(-1)?.key ?? '';
}

/** The service input for the given content cells: by column key, references resolved to ids. */
async function inputOf(
  w: Write,
  binding: Binding,
  row: Cells,
  content: [Column, Cell][],
): Promise<Input> {
  const input: Input = {};
  for (const [column, cell] of content) {
    const reference = binding.references?.[column.key];
    if (!reference) input[column.key] = cell;
    else {
      input[reference.input] =
        cell === null ? null : await reference.resolve(w, row, cell as string | number);
    }
  }
  return input;
}

/** The column each service input comes from: its own key, or the reference that names it. */
function columnsByInput(entity: EntityName): Map<string, string> {
  const columns = new Map(COLUMNS[entity].map((column) => [column.key, column.key]));
  for (const [key, reference] of Object.entries(BINDINGS[entity].references ?? {})) {
    columns.set(reference.input, key);
  }
  return columns;
}

/** A service's refusal as row issues, by column; undefined for what is not a refusal. */
function issuesOf(error: unknown, field: string, columnOf: Map<string, string>) {
  const issue = (code: string, message: string, at = field): RowIssue => ({
    field: at,
    code,
    reason: at ? `${at}: ${message}` : message,
  });
  if (error instanceof RowRejected) return error.issues;
  if (error instanceof ValidationError) {
    return error.issues.map((i) => {
      const input = i.path[1];
      return issue(i.code, i.message, (input && columnOf.get(input)) ?? field);
    });
  }
  if (error instanceof ForbiddenError) return [issue('FORBIDDEN', error.message)];
  if (error instanceof NotFoundError) return [issue('NOT_FOUND', error.message)];
  if (error instanceof VersionConflictError) return [issue('VERSION_CONFLICT', error.message)];
  return undefined;
}

interface RowResult {
  outcome: 'created' | 'updated' | 'unchanged';
  fields?: string[];
}

/** One record: the calls the API would make for it, in the order a user would make them. */
async function importRow(
  w: Write,
  entity: EntityName,
  given: Map<Column, Cell>,
  step: { field: string },
): Promise<RowResult> {
  const binding = BINDINGS[entity];
  const moves = binding.status;
  const row: Cells = Object.fromEntries([...given].map(([column, cell]) => [column.key, cell]));
  const { status, content } = contentOf(entity, given);
  const existing = await w.rows.find(entity, keyCellsOf(entity, row));
  if (!existing) {
    step.field = '';
    const input = await inputOf(w, binding, row, content);
    let written = await serviceCall(w, (w) => binding.create(w, row, input));
    if (moves && status === moves.after) {
      step.field = moves.column;
      const created = written;
      written = await serviceCall(w, (w) => moves.set(w, created, moves.after, row));
    }
    await w.rows.remember(entity, row, written);
    return { outcome: 'created', fields: [...given.keys()].map((c) => c.key) };
  }
  const changed = content.filter(
    ([column, cell]) => !sameCell(column, cell, existing.cells[column.key]),
  );
  const restatus =
    moves !== undefined && status !== undefined && status !== existing.cells[moves.column];
  if (changed.length === 0 && !restatus) return { outcome: 'unchanged' };
  const input = await inputOf(w, binding, row, changed);
  let target: Target = await w.rows.versioned(entity, keyCellsOf(entity, row), existing);
  const move = async (to: string) => {
    if (!restatus || !moves || status !== to) return;
    step.field = moves.column;
    const current = target;
    target = await serviceCall(w, (w) => moves.set(w, current, to, row));
  };
  // Withdrawn (reopened) before the edit, published (completed) after it: the public never
  // sees a half-made change, and a completed stage is sent back before it is revised.
  if (moves) await move(moves.before);
  if (changed.length > 0) {
    step.field = '';
    const current = target;
    const { readForUpdate } = binding;
    const read =
      readForUpdate && (await w.rows.readFor(current.id, (ids) => readForUpdate(w.tx, w.ctx, ids)));
    target = await serviceCall(w, (w) => binding.update(w, current, input, row, read), {
      entityType: ENTITY_LABELS[entity].apiType,
      id: current.id,
    });
  }
  if (moves) await move(moves.after);
  await w.rows.remember(entity, row, target);
  const fields = changed.map(([column]) => column.key);
  return { outcome: 'updated', fields: restatus && moves ? [...fields, moves.column] : fields };
}

const newReport = (entity: EntityName, dryRun: boolean): ImportReport => ({
  entity,
  dryRun,
  applied: false,
  counts: { created: 0, updated: 0, unchanged: 0, rejected: 0 },
  rows: [],
  truncated: false,
});

function noter(report: ImportReport) {
  return (row: RowReport) => {
    report.counts[row.outcome] += 1;
    if (report.rows.length < MAX_LISTED) report.rows.push(row);
    else report.truncated = true;
  };
}

/**
 * The file's records, readable twice: from a function that opens it, afresh; from a stream,
 * the records read the first time are kept and given again, then the rest of the stream.
 */
function recordsOf(options: ImportOptions): () => AsyncIterable<SourceRecord> {
  const read = (input: Readable) =>
    readRecords(input, options.entity, options.format, options.encoding, {
      maxRows: options.maxRows,
    });
  const { input } = options;
  if (typeof input === 'function') return () => read(input());
  const kept: SourceRecord[] = [];
  const rest = read(input)[Symbol.asyncIterator]();
  let opened = 0;
  return () => {
    const replay = opened++ > 0;
    return (async function* () {
      if (replay) yield* kept;
      for (let next = await rest.next(); !next.done; next = await rest.next()) {
        kept.push(next.value);
        yield next.value;
      }
    })();
  };
}

/** The file's records a chunk at a time, counted against maxRows, with progress. */
async function* chunksOf(
  options: ImportOptions,
  records: AsyncIterable<SourceRecord>,
  size = options.chunkRows ?? CHUNK,
) {
  const every = options.progressEvery ?? 1000;
  let read = 0;
  let chunk: SourceRecord[] = [];
  for await (const source of records) {
    read += 1;
    if (options.maxRows !== undefined && read > options.maxRows) {
      throw new ImportFileError(
        `The file holds more than ${options.maxRows} records: split it. Nothing was imported.`,
        ErrorCode.TOO_MANY_ROWS,
      );
    }
    if (options.onProgress && read % every === 0) options.onProgress(read);
    chunk.push(source);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
    }
  }
  yield chunk;
  options.onProgress?.(read);
}

type Parsed = { source: SourceRecord; given?: Map<Column, Cell>; error?: unknown };

function parseChunk(entity: EntityName, records: SourceRecord[]): Parsed[] {
  return records.map((source) => {
    try {
      return { source, given: parseRecord(entity, source) };
    } catch (error) {
      if (!(error instanceof RowRejected)) throw error;
      return { source, error };
    }
  });
}

/** A row's status (if it gives one) and the content cells it gives. */
function contentOf(entity: EntityName, given: Map<Column, Cell>) {
  const moves = BINDINGS[entity].status;
  let status: string | undefined;
  const content: [Column, Cell][] = [];
  for (const [column, cell] of given) {
    if (column.key_ || moves?.inputs?.includes(column.key)) continue;
    if (column.key === moves?.column) {
      if (!column.allowed?.includes(String(cell))) {
        reject(
          column.key,
          'NOT_ALLOWED',
          `${column.key}: "${String(cell)}" must be one of ${column.allowed?.join(', ')}`,
        );
      }
      status = String(cell);
    } else {
      content.push([column, cell]);
    }
  }
  return { status, content };
}

/**
 * Lets other work of this process run (on the embedded database, the queries of other
 * requests, which share its one connection and this thread): between the staging's
 * statements, and every TURN rows of its own work.
 */
const othersTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const TURN = 250;

/**
 * Before the write's transaction, which holds the embedded database's one connection: a
 * request that waited for the last statement needs more than one turn of the event loop to
 * reach the database (othersTurn let the transaction start first, and it then waited for both:
 * 0.5 s of merging, then 1.9 s of transaction, at load 13 in bench:import). A few milliseconds.
 */
const readersTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 10));

/** A row of the file needs the services one call at a time (a new row, a status move). */
class NeedsCalls extends Error {}

/**
 * A file of updates of an entity with a bulk binding, checked outside any transaction: each
 * chunk's existing rows and what the service's check needs are read in a few statements (each
 * its own, so on the embedded database other queries run between them), and every row is
 * checked in memory by the service's own check. Answers the checked updates, in the file's
 * order, and fills the report; NeedsCalls at the first row that needs service calls.
 */
async function stage(
  options: ImportOptions,
  records: AsyncIterable<SourceRecord>,
  report: ImportReport,
): Promise<Staged[]> {
  const { prisma, viewer, entity } = options;
  const binding = BINDINGS[entity];
  const { bulk, readForUpdate } = binding;
  if (!bulk || !readForUpdate || binding.references) throw new NeedsCalls();
  const note = noter(report);
  const ctx = { prisma, viewer };
  // Reads outside a transaction: the client runs each statement as its own. On the embedded
  // database (one connection, in this thread) requests that fell due meanwhile run between two.
  const inThisThread = runsInThisThread(prisma);
  const between = inThisThread ? othersTurn : undefined;
  const rows = new Rows(prisma as unknown as Tx, viewer, between);
  const size = options.chunkRows ?? (inThisThread ? CHUNK_IN_THIS_THREAD : CHUNK);
  const seen = new Set<string>();
  const columnOf = columnsByInput(entity);
  const staged: Staged[] = [];
  for await (const chunk of chunksOf(options, records, size)) {
    await othersTurn();
    const parsed = parseChunk(entity, chunk);
    await othersTurn();
    await rows.prefetch(
      entity,
      parsed.flatMap(({ given }) => (given ? [keyCellsOf(entity, cellsByKey(given))] : [])),
    );
    // Each row: its outcome, or the update to check once the chunk's rows are read.
    const outcomes: (
      | RowReport
      | { row: number; key: string; id: number; input: Input; fields: string[] }
    )[] = [];
    for (const [index, { source, given, error: parseError }] of parsed.entries()) {
      if (index % TURN === TURN - 1) await othersTurn();
      let key: string | undefined;
      try {
        if (!given) throw parseError;
        const row = cellsByKey(given);
        key = keyOf(entity, row);
        if (seen.has(key)) reject('', 'DUPLICATE', `the row ${key} appears earlier in the file`);
        seen.add(key);
        const { status, content } = contentOf(entity, given);
        const existing = await rows.find(entity, keyCellsOf(entity, row));
        if (!existing) throw new NeedsCalls();
        if (
          binding.status &&
          status !== undefined &&
          status !== existing.cells[binding.status.column]
        ) {
          throw new NeedsCalls();
        }
        const changed = content.filter(
          ([column, cell]) => !sameCell(column, cell, existing.cells[column.key]),
        );
        if (changed.length === 0) {
          outcomes.push({ row: source.row, key, outcome: 'unchanged' });
          continue;
        }
        const input = Object.fromEntries(changed.map(([column, cell]) => [column.key, cell]));
        const fields = changed.map(([column]) => column.key);
        outcomes.push({ row: source.row, key, id: existing.id, input, fields });
      } catch (error) {
        const issues = issuesOf(error, '', columnOf);
        if (!issues) throw error;
        outcomes.push({ row: source.row, outcome: 'rejected', ...(key ? { key } : {}), issues });
      }
    }
    await othersTurn();
    const ids = outcomes.flatMap((o) => ('id' in o ? [o.id] : []));
    const read =
      ids.length > 0 ? await readForUpdate(prisma as unknown as Tx, ctx, ids, between) : undefined;
    await othersTurn();
    for (const [index, outcome] of outcomes.entries()) {
      if (index % TURN === TURN - 1) await othersTurn();
      if (!('id' in outcome)) {
        note(outcome);
        continue;
      }
      const { row, key, id, input, fields } = outcome;
      try {
        staged.push(bulk.check(ctx, { id }, input, read));
        note({ row, key, outcome: 'updated', fields });
      } catch (error) {
        const issues = issuesOf(error, '', columnOf);
        if (!issues) throw error;
        note({ row, outcome: 'rejected', key, issues });
      }
    }
  }
  return staged;
}

export async function runImport(options: ImportOptions): Promise<ImportReport> {
  const { prisma, viewer, entity, dryRun } = options;
  const records = recordsOf(options);
  const bulk = BINDINGS[entity].bulk;
  if (bulk) {
    const report = newReport(entity, dryRun);
    try {
      const staged = await stage(options, records(), report);
      if (dryRun || report.counts.rejected > 0) return report;
      const size = options.chunkRows ?? CHUNK;
      const settle = async () => {
        if (!bulk.settle || staged.length === 0) return;
        await othersTurn();
        await bulk.settle(prisma);
      };
      await settle();
      await readersTurn();
      // Applied in one short transaction: the chunks' bulk writes and their change records.
      await writeWithHistory(
        prisma,
        actorOf(viewer),
        async (tx, record, storeChanges) => {
          for (let at = 0; at < staged.length; at += size) {
            await bulk.write(tx, record, staged.slice(at, at + size));
            await storeChanges(true);
          }
        },
        { timeoutMs: options.timeoutMs ?? 3_600_000 },
      );
      report.applied = true;
      await settle();
      return report;
    } catch (error) {
      // A row that needs calls one at a time, or a row written since it was checked (its
      // version moved): the whole file again, in one transaction, as below.
      if (!(error instanceof NeedsCalls || error instanceof VersionConflictError)) throw error;
    }
  }
  return importInOneTransaction(options, records());
}

/**
 * The file in one transaction (one writeWithHistory, the services' cores inside it), each row
 * the service calls the API would make for it, in the file's order.
 */
async function importInOneTransaction(
  options: ImportOptions,
  records: AsyncIterable<SourceRecord>,
): Promise<ImportReport> {
  const { prisma, viewer, entity, dryRun } = options;
  const report = newReport(entity, dryRun);
  const note = noter(report);
  try {
    await writeWithHistory(
      prisma,
      actorOf(viewer),
      async (tx, record, storeChanges) => {
        const rows = new Rows(tx, viewer);
        const w: Write = { tx, record, storeChanges, ctx: { prisma, viewer }, rows };
        // A key twice in one file would silently apply the later row: refuse it instead.
        const seen = new Set<string>();
        const columnOf = columnsByInput(entity);
        // A chunk of records: parsed, its existing rows read in a few statements, then each
        // row checked and written by the services, in the file's order.
        for await (const chunk of chunksOf(options, records)) {
          const parsed = parseChunk(entity, chunk);
          await rows.prefetch(
            entity,
            parsed.flatMap(({ given }) => (given ? [keyCellsOf(entity, cellsByKey(given))] : [])),
          );
          for (const { source, given, error: parseError } of parsed) {
            let key: string | undefined;
            const step = { field: '' };
            try {
              if (!given) throw parseError;
              key = keyOf(entity, cellsByKey(given));
              if (seen.has(key))
                reject('', 'DUPLICATE', `the row ${key} appears earlier in the file`);
              seen.add(key);
              const result = await importRow(w, entity, given, step);
              note({ row: source.row, key, ...result });
            } catch (error) {
              const issues = issuesOf(error, step.field, columnOf);
              if (!issues) throw error;
              note({ row: source.row, outcome: 'rejected', ...(key ? { key } : {}), issues });
            }
          }
          // The chunk's change records in one INSERT (memory held: a chunk's).
          await storeChanges(true);
        }
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
