// The one way data is written: in a transaction that also stores a change record per change
// (who, when, what: each field before and after). If any step fails, nothing is written.

import { EventEmitter } from 'node:events';
import { type ChangeRecord, Prisma } from '../../generated/prisma/client.ts';
import { type Actor, actorOf, type Viewer } from '../auth/viewer.ts';
import { VersionConflictError } from '../errors.ts';
import { audiencesBefore, type StateAfter, statesAfter } from './audience.ts';
import type { PrismaClient } from './client.ts';

export type Tx = Prisma.TransactionClient;

export interface Change {
  municipalityId: number;
  entityType:
    | 'Municipality'
    | 'Department'
    | 'DepartmentPlan'
    | 'Initiative'
    | 'Evaluation'
    | 'WhitePaper'
    | 'Feedback'
    | 'FeedbackAnswer'
    | 'PlanYear'
    | 'Target'
    | 'TargetActual'
    | 'StatusRuleSet'
    | 'ReportingReminder';
  entityId: number;
  action: 'CREATE' | 'UPDATE' | 'DELETE';
  changes: FieldChanges;
  departmentId?: number | null;
  fiscalYear?: number | null;
  /** The entity's row as the write left it, if the write has it whole (DescribedChange.row). */
  row?: Record<string, unknown>;
}

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/** Adds a change record to the write in progress (the second argument of a write's work). */
export type RecordChange = (change: Change) => void;

/** Change records described before they are inserted together (an import's, a thousand at a time). */
const INSERT_BATCH = 1000;

// Any constant works; it names "the write lock" among advisory locks.
const WRITE_LOCK = 0x686f736869; // "hoshi"

/**
 * Emits 'committed' after every write that stored change records, so live feeds in this
 * process read them at once (the feeds also poll, and hear other instances through Redis).
 */
export const committedWrites = new EventEmitter();
committedWrites.setMaxListeners(0);

/**
 * Work that must commit or roll back with the change records it is told of, in their
 * transaction: the webhook outbox (modules/webhook) enqueues its deliveries here, so nothing
 * committed is missed and nothing uncommitted is sent. Registered by the module (db/ knows no
 * module); returns the removal.
 */
export type ChangesStoredHook = (tx: Tx, records: ChangeRecord[]) => Promise<void>;
const storedHooks = new Set<ChangesStoredHook>();
export function onChangesStored(hook: ChangesStoredHook): () => void {
  storedHooks.add(hook);
  return () => storedHooks.delete(hook);
}

export async function writeWithHistory<T>(
  prisma: PrismaClient,
  actor: Actor,
  work: (
    tx: Tx,
    record: RecordChange,
    /**
     * Describes the changes recorded so far as the transaction sees them now, as if they had
     * been a write of their own, to be stored (in their order) with later ones: a bulk write
     * (an import) calls it after each service call, so every call leaves the records its own
     * mutation would. `insert`: store them, and all described before, now (an import does
     * at the end of each chunk of its file).
     */
    storeChanges: (insert?: boolean) => Promise<void>,
  ) => Promise<T>,
  /** Bulk writes (imports) need longer than Prisma's default 5 s transaction timeout. */
  options: { timeoutMs?: number } = {},
): Promise<T> {
  let recorded = false;
  const transactionOptions = options.timeoutMs
    ? { timeout: options.timeoutMs, maxWait: options.timeoutMs }
    : undefined;
  const result = await prisma.$transaction(async (tx) => {
    // Writes take turns, so change-record ids commit in increasing order: a subscriber that
    // resumes after id N can never miss a smaller id that committed later.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${WRITE_LOCK}::bigint)`;
    let changes: Change[] = [];
    // Described, not yet inserted: stored together, in their order, when enough have gathered
    // and at the end (one INSERT, and one outbox pass, for many service calls of an import).
    let described: (Omit<Change, 'row'> & StateAfter)[] = [];
    const insert = async () => {
      if (described.length === 0) return;
      const batch = described;
      described = [];
      const before = await audiencesBefore(tx, batch);
      const data = batch.map((change, index) => ({
        ...change,
        audienceBefore: before[index],
        actor: actor.subject,
        actorOffice: actor.office,
      }));
      const records = await insertRecords(tx, data, storedHooks.size > 0);
      for (const hook of storedHooks) await hook(tx, records);
      recorded = true;
    };
    const storeChanges = async (insertNow = false) => {
      if (changes.length > 0) {
        const stored = changes;
        changes = [];
        // Who could see each entity after, and its state, decided here, in the write's
        // transaction; who could before follows from the log's order (audiencesBefore).
        const states = await statesAfter(tx, stored);
        for (const [index, { row: _, ...change }] of stored.entries()) {
          described.push({ ...change, ...(states[index] as StateAfter) });
        }
      }
      if (insertNow || described.length >= INSERT_BATCH) await insert();
    };
    const result = await work(tx, (change) => changes.push(change), storeChanges);
    await storeChanges(true);
    return result;
  }, transactionOptions);
  if (recorded) committedWrites.emit('committed');
  return result;
}

/** The change log's columns, as the Prisma schema declares them. */
const RECORD_COLUMNS = new Set<string>(Object.values(Prisma.ChangeRecordScalarFieldEnum));

/**
 * Change records inserted in one statement, their ids in the order given (the log's order),
 * answered when `returning`. One JSON parameter: the client's per-row handling of a thousand
 * records' JSON (createManyAndReturn) cost several times the INSERT itself. The columns are those
 * the records give (the others take their defaults), each read as the table's own row type
 * types it (jsonb_populate_recordset), so no column or type is spelt here.
 */
async function insertRecords(
  tx: Tx,
  data: (Omit<Change, 'row'> &
    StateAfter & { audienceBefore: unknown; actor: string; actorOffice: string })[],
  returning: boolean,
): Promise<ChangeRecord[]> {
  const given = [...new Set(data.flatMap((record) => Object.keys(record)))].filter((key) =>
    RECORD_COLUMNS.has(key),
  );
  const columns = Prisma.raw(given.map((column) => `"${column}"`).join(', '));
  const insert = Prisma.sql`
    INSERT INTO "ChangeRecord" (${columns})
    SELECT ${columns}
    FROM jsonb_populate_recordset(NULL::"ChangeRecord", ${JSON.stringify(data)}::jsonb)
      WITH ORDINALITY AS k
    ORDER BY k.ordinality`;
  if (!returning) {
    await tx.$executeRaw(insert);
    return [];
  }
  const records = await tx.$queryRaw<ChangeRecord[]>`${insert} RETURNING *`;
  return records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * A service's own write: its core, which runs inside a write already open (an import runs many
 * cores in one transaction), in a transaction of its own as the caller. One wrapper, so the
 * public function and the import's call cannot drift apart.
 */
export function ownWrite<
  Ctx extends { prisma: PrismaClient; viewer: Viewer },
  Args extends unknown[],
  Result,
>(
  core: (tx: Tx, record: RecordChange, ctx: Ctx, ...args: Args) => Promise<Result>,
): (ctx: Ctx, ...args: Args) => Promise<Result> {
  return (ctx, ...args) =>
    writeWithHistory(ctx.prisma, actorOf(ctx.viewer), (tx, record) =>
      core(tx, record, ctx, ...args),
    );
}

/** JSON-safe form of a column value for a change record. */
function recordable(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  return value ?? null;
}

/** The fields of `after` whose value differs from `before` (all of them for a creation). */
export function fieldChanges(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
): FieldChanges {
  const changes: FieldChanges = {};
  for (const [field, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const old = before ? recordable(before[field]) : null;
    const now = recordable(value);
    if (JSON.stringify(old) !== JSON.stringify(now)) changes[field] = { before: old, after: now };
  }
  return changes;
}

/** Every field of a deleted row, from its value to null. */
export function deletionChanges(before: Record<string, unknown>): FieldChanges {
  return fieldChanges(
    before,
    Object.fromEntries(Object.keys(before).map((field) => [field, null])),
  );
}

export function assertVersion(
  entityType: string,
  row: { version: number },
  expectedVersion: number,
): void {
  if (row.version !== expectedVersion) {
    throw new VersionConflictError(entityType, expectedVersion, row.version);
  }
}
