// Writes to a plan's initiatives: add, edit, reorder, remove. Who may write follows the plan
// (loadEditablePlan in plan.service.ts). Adding, reordering and removing change the plan's list, so
// they bump the plan's version: a reorder computed from a stale list is refused.
import { z } from 'zod';
import { type Initiative, Prisma } from '../../../generated/prisma/client.ts';
import { actorOf } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
import type { PrismaClient } from '../../db/client.ts';
import {
  assertVersion,
  type Change,
  deletionChanges,
  fieldChanges,
  ownWrite,
  type RecordChange,
  type Tx,
  writeWithHistory,
} from '../../db/history.ts';
import { NotFoundError, ValidationError, VersionConflictError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import {
  editablePlan,
  loadEditablePlan,
  type PlansForWrite,
  readPlansForWrite,
} from '../plan/plan.service.ts';
import { initiativeSearchForm } from '../search/search-form.ts';
import { parseInput, text, versionedInput, versionInput } from '../shared/validation.ts';
import { visibleInitiatives } from '../visibility/visibility.policy.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;
/** The caller's selection of what a write answers with (db/answer.ts). */
type InitiativeAnswer = Answer<Prisma.InitiativeInclude, Prisma.InitiativeSelect>;
type PlanAnswer = Answer<Prisma.DepartmentPlanInclude, Prisma.DepartmentPlanSelect>;

const MAX_INITIATIVES = 100;

const content = {
  text: text(2000),
  isAdministrativeReform: z.boolean(),
  footnotes: z.array(text(1000)).max(20),
  citations: z.array(text(200)).max(20),
};

const addSchema = z.strictObject({
  planId: z.number().int(),
  ...content,
  // GraphQL sends null for an absent optional input: both mean "the default".
  isAdministrativeReform: content.isAdministrativeReform.nullish().transform((v) => v ?? false),
  footnotes: content.footnotes.nullish().transform((v) => v ?? []),
  citations: content.citations.nullish().transform((v) => v ?? []),
  /** 1-based; the end of the list when absent. */
  position: z.number().int().min(1).nullish(),
});

const updateSchema = z.strictObject({
  id: z.number().int(),
  expectedVersion: versionInput,
  text: content.text.nullish(),
  isAdministrativeReform: content.isAdministrativeReform.nullish(),
  footnotes: content.footnotes.nullish(),
  citations: content.citations.nullish(),
});

const reorderSchema = z.strictObject({
  planId: z.number().int(),
  expectedVersion: versionInput,
  initiativeIds: z.array(z.number().int()).max(MAX_INITIATIVES),
});

type EditablePlan = Awaited<ReturnType<typeof loadEditablePlan>>;

function change(
  plan: EditablePlan,
  entityId: number,
  action: 'CREATE' | 'UPDATE' | 'DELETE',
  changes: ReturnType<typeof fieldChanges>,
) {
  return {
    municipalityId: plan.department.municipalityId,
    entityType: 'Initiative' as const,
    entityId,
    action,
    changes,
    departmentId: plan.departmentId,
    fiscalYear: plan.fiscalYear,
  };
}

/** Above any real position (a plan holds at most MAX_INITIATIVES), and still positive. */
const PARKING = 1_000_000;

/**
 * Moves rows to the given positions. Two steps, because (planId, position) is unique and a
 * swap would otherwise collide half-way: first every row is parked out of the way.
 */
async function placeInOrder(tx: Tx, planId: number, orderedIds: number[]) {
  await tx.initiative.updateMany({ where: { planId }, data: { position: { increment: PARKING } } });
  for (const [index, id] of orderedIds.entries()) {
    await tx.initiative.update({ where: { id }, data: { position: index + 1 } });
  }
}

/** The plan's list changed: a new version, recorded like any change of the plan. */
async function bumpPlanVersion(tx: Tx, plan: EditablePlan, record: (change: Change) => void) {
  const updated = await tx.departmentPlan.update({
    where: { id: plan.id },
    data: { version: { increment: 1 } },
  });
  record({
    ...change(plan, plan.id, 'UPDATE', {
      version: { before: plan.version, after: updated.version },
    }),
    entityType: 'DepartmentPlan',
  });
}

export const addInitiative = ownWrite(addInitiativeInWrite);

/** addInitiative, inside a write already open (an import runs many in one transaction). */
export async function addInitiativeInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof addSchema>,
  query?: InitiativeAnswer,
) {
  const data = parseInput(addSchema, input);
  const plan = await loadEditablePlan(tx, ctx, data.planId);
  const siblings = await tx.initiative.findMany({
    where: { planId: plan.id },
    orderBy: { position: 'asc' },
    select: { id: true, position: true },
  });
  if (siblings.length >= MAX_INITIATIVES) {
    throw ValidationError.of(
      ['input', 'planId'],
      'TOO_MANY',
      `A plan holds at most ${MAX_INITIATIVES} initiatives`,
    );
  }
  const position = data.position ?? siblings.length + 1;
  if (position > siblings.length + 1) {
    throw ValidationError.of(
      ['input', 'position'],
      'TOO_BIG',
      `position must be at most ${siblings.length + 1}`,
    );
  }
  const { planId: _, position: __, ...fields } = data;
  const created = await tx.initiative.create({
    data: { ...fields, planId: plan.id, position: PARKING },
  });
  const order = siblings.map((s) => s.id);
  order.splice(position - 1, 0, created.id);
  await placeInOrder(tx, plan.id, order);
  await bumpPlanVersion(tx, plan, record);
  record(change(plan, created.id, 'CREATE', fieldChanges(null, { ...fields, position })));
  // Siblings whose position moved: each is a change subscribers and history must see.
  for (const sibling of siblings) {
    const after = order.indexOf(sibling.id) + 1;
    if (after !== sibling.position)
      record(change(plan, sibling.id, 'UPDATE', { position: { before: sibling.position, after } }));
  }
  return tx.initiative.findUniqueOrThrow({ where: { id: created.id }, ...answering(query) });
}

/**
 * What a write to initiatives reads first, for many at once (an import reads a chunk's and
 * hands it to updateInitiativeInWrite): those the caller may see, and their plans.
 */
export async function readInitiativesForWrite(
  tx: Tx,
  ctx: ServiceContext,
  ids: number[],
  /** Awaited between its two statements (an import's, outside a transaction: others' turn). */
  between?: () => Promise<void>,
) {
  const rows = await tx.initiative.findMany({
    where: { id: { in: ids }, AND: [visibleInitiatives(ctx)] },
  });
  const planIds = [...new Set(rows.map((row) => row.planId))];
  if (planIds.length > 0) await between?.();
  return {
    initiatives: new Map(rows.map((row) => [row.id, row])),
    plans:
      planIds.length > 0 ? await readPlansForWrite(tx, ctx, planIds) : (new Map() as PlansForWrite),
  };
}
export type InitiativesForWrite = Awaited<ReturnType<typeof readInitiativesForWrite>>;

/** The initiative and its plan (among `read`, if given, read in this write since they last changed). */
async function loadInitiativeForWrite(
  tx: Tx,
  ctx: ServiceContext,
  id: number,
  read?: InitiativesForWrite,
) {
  return initiativeForWrite(ctx, id, read ?? (await readInitiativesForWrite(tx, ctx, [id])));
}

function initiativeForWrite(ctx: ServiceContext, id: number, read: InitiativesForWrite) {
  const initiative = read.initiatives.get(id);
  if (!initiative) throw new NotFoundError('Initiative', String(id));
  return { initiative, plan: editablePlan(ctx, initiative.planId, read.plans) };
}

/** An update checked against what was read (checkInitiativeUpdate), ready to be written. */
export interface InitiativeUpdate {
  id: number;
  /** The versions read: the write is refused if either has moved since. */
  version: number;
  planVersion: number;
  /** The content fields given (null and absent mean "not given"). */
  fields: Record<string, unknown>;
  /** Its change record, but the row the write leaves. */
  change: Change;
  /**
   * The search form of the text and footnotes it leaves (initiativeSearchForm, for the version
   * read), written with them; absent when it changes neither.
   */
  searchText?: string;
}

/**
 * Every rule of updateInitiative, on rows already read (readInitiativesForWrite) and without a
 * statement: the mutation and an import (a chunk's rows, read at once) check the same way and
 * are refused with the same errors. The write is writeInitiativeUpdates.
 */
export function checkInitiativeUpdate(
  ctx: ServiceContext,
  input: z.input<typeof updateSchema>,
  read: InitiativesForWrite,
): InitiativeUpdate {
  return checkParsedUpdate(ctx, parseInput(updateSchema, input), read);
}

function checkParsedUpdate(
  ctx: ServiceContext,
  data: z.output<typeof updateSchema>,
  read: InitiativesForWrite,
): InitiativeUpdate {
  const { initiative, plan } = initiativeForWrite(ctx, data.id, read);
  assertVersion('Initiative', initiative, data.expectedVersion);
  const { id: _, expectedVersion: __, ...rest } = data;
  // null means "not given" for these required fields.
  const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v != null));
  const searched = fields.text !== undefined || fields.footnotes !== undefined;
  return {
    id: initiative.id,
    version: initiative.version,
    planVersion: plan.version,
    fields,
    change: change(plan, initiative.id, 'UPDATE', fieldChanges(initiative, fields)),
    // The row's form as the write (which requires this version) leaves it: not computed by
    // the trigger inside the write's transaction (migration 20261207120000).
    ...(searched && {
      searchText: initiativeSearchForm(
        (fields.text as string | undefined) ?? initiative.text,
        (fields.footnotes as string[] | undefined) ?? initiative.footnotes,
      ),
    }),
  };
}

/** Each content field as the bulk update reads it from its row's JSON (`k.d`). */
const CONTENT_SQL: Record<keyof typeof content, Prisma.Sql> = {
  text: Prisma.sql`k.d->>'text'`,
  isAdministrativeReform: Prisma.sql`(k.d->>'isAdministrativeReform')::boolean`,
  footnotes: Prisma.sql`ARRAY(SELECT jsonb_array_elements_text(k.d->'footnotes'))`,
  citations: Prisma.sql`ARRAY(SELECT jsonb_array_elements_text(k.d->'citations'))`,
};
/** A content field's value after the update: the one given (`k.d`), else the row's (`i`). */
const contentAfter = (field: keyof typeof content) =>
  Prisma.sql`CASE WHEN k.d->'${Prisma.raw(field)}' IS NOT NULL THEN ${CONTENT_SQL[field]} ELSE i.${Prisma.raw(`"${field}"`)} END`;
const SET_CONTENT = Prisma.join(
  (Object.keys(CONTENT_SQL) as (keyof typeof content)[]).map(
    (field) => Prisma.sql`${Prisma.raw(`"${field}"`)} = ${contentAfter(field)}`,
  ),
);

/**
 * Merges the search indexes' pending entries (hoshin_merge_pending_gin): an import does before
 * its write's transaction, so that transaction does not merge what earlier writes left (PGlite
 * has no autovacuum to), and after it, so the next write does not merge the import's.
 */
export async function mergePendingSearchEntries(db: Pick<PrismaClient, '$queryRaw'>) {
  await db.$queryRaw`SELECT hoshin_merge_pending_gin('"Initiative"') AS pages`;
}

/**
 * Writes checked updates, many in one statement (an import writes a chunk's), and records
 * their changes in order with the rows they leave. An initiative or plan whose version moved
 * since it was read refuses the whole write (VersionConflictError).
 */
export async function writeInitiativeUpdates(
  tx: Tx,
  record: RecordChange,
  updates: readonly InitiativeUpdate[],
): Promise<Initiative[]> {
  if (updates.length === 0) return [];
  const rows = JSON.stringify(
    updates.map(({ id, version, planVersion, fields, searchText }) => ({
      id,
      version,
      planVersion,
      d: fields,
      s: searchText,
    })),
  );
  const written = await tx.$queryRaw<Initiative[]>`
    UPDATE "Initiative" AS i
    SET ${SET_CONTENT}, "searchText" = COALESCE(k.s, i."searchText"),
      version = i.version + 1, "updatedAt" = ${new Date()}::timestamptz
    FROM jsonb_to_recordset(${rows}::jsonb) AS k(id int, version int, "planVersion" int, d jsonb, s text),
      "DepartmentPlan" AS p
    WHERE i.id = k.id AND i.version = k.version AND p.id = i."planId" AND p.version = k."planVersion"
    RETURNING i.*`;
  const byId = new Map(written.map((row) => [row.id, row]));
  const moved = updates.find((update) => !byId.has(update.id));
  if (moved) {
    const now = await tx.initiative.findUnique({
      where: { id: moved.id },
      select: { version: true, plan: { select: { version: true } } },
    });
    if (now?.version === moved.version) {
      throw new VersionConflictError('DepartmentPlan', moved.planVersion, now.plan.version);
    }
    throw new VersionConflictError('Initiative', moved.version, now?.version ?? 0);
  }
  return updates.map((update) => {
    const row = byId.get(update.id) as Initiative;
    record({ ...update.change, row: row as unknown as Record<string, unknown> });
    return row;
  });
}

export const updateInitiative = ownWrite(updateInitiativeInWrite);

/** updateInitiative, inside a write already open (an import runs many in one transaction). */
export async function updateInitiativeInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof updateSchema>,
  query?: InitiativeAnswer,
  /** The initiative and its plan, already read in this write (readInitiativesForWrite). */
  read?: InitiativesForWrite,
) {
  // Parsed once: the id says what to read, the rest is checked against it.
  const data = parseInput(updateSchema, input);
  const { id } = data;
  const checked = checkParsedUpdate(
    ctx,
    data,
    read ?? (await readInitiativesForWrite(tx, ctx, [id])),
  );
  const [updated] = await writeInitiativeUpdates(tx, record, [checked]);
  const answer = answering(query);
  return Object.keys(answer).length === 0
    ? (updated as Initiative)
    : tx.initiative.findUniqueOrThrow({ where: { id }, ...answer });
}

export async function reorderInitiatives(
  ctx: ServiceContext,
  input: z.input<typeof reorderSchema>,
  query?: PlanAnswer,
) {
  const data = parseInput(reorderSchema, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const plan = await loadEditablePlan(tx, ctx, data.planId);
    assertVersion('DepartmentPlan', plan, data.expectedVersion);
    const current = await tx.initiative.findMany({
      where: { planId: plan.id },
      orderBy: { position: 'asc' },
      select: { id: true, position: true },
    });
    const same =
      data.initiativeIds.length === current.length &&
      new Set(data.initiativeIds).size === current.length &&
      current.every((row) => data.initiativeIds.includes(row.id));
    if (!same) {
      throw ValidationError.of(
        ['input', 'initiativeIds'],
        'NOT_A_PERMUTATION',
        'List every initiative of the plan exactly once',
      );
    }
    await placeInOrder(tx, plan.id, data.initiativeIds);
    await bumpPlanVersion(tx, plan, record);
    data.initiativeIds.forEach((id, index) => {
      const before = current.find((row) => row.id === id)?.position;
      if (before !== index + 1) {
        record(change(plan, id, 'UPDATE', { position: { before, after: index + 1 } }));
      }
    });
    return tx.departmentPlan.findUniqueOrThrow({ where: { id: plan.id }, ...answering(query) });
  });
}

export async function removeInitiative(
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  query?: PlanAnswer,
) {
  const data = parseInput(versionedInput, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const { initiative, plan } = await loadInitiativeForWrite(tx, ctx, data.id);
    assertVersion('Initiative', initiative, data.expectedVersion);
    const evaluation = await tx.evaluation.findUnique({ where: { initiativeId: initiative.id } });
    const targets = await tx.target.findMany({
      where: { initiativeId: initiative.id },
      include: { actuals: true },
    });
    await tx.initiative.delete({ where: { id: initiative.id } });
    const rest = await tx.initiative.findMany({
      where: { planId: plan.id },
      orderBy: { position: 'asc' },
      select: { id: true, position: true },
    });
    await placeInOrder(
      tx,
      plan.id,
      rest.map((row) => row.id),
    );
    await bumpPlanVersion(tx, plan, record);
    const { text: t, isAdministrativeReform, footnotes, citations, position } = initiative;
    const before = { text: t, isAdministrativeReform, footnotes, citations, position };
    record(change(plan, initiative.id, 'DELETE', deletionChanges(before)));
    // Siblings whose position moved: each is a change subscribers and history must see.
    rest.forEach((row, index) => {
      if (row.position !== index + 1)
        record(
          change(plan, row.id, 'UPDATE', { position: { before: row.position, after: index + 1 } }),
        );
    });
    if (evaluation) {
      // Deleted with it (cascade): it leaves every view it was in.
      const { id, createdAt: _c, updatedAt: _u, ...fields } = evaluation;
      record({
        ...change(plan, id, 'DELETE', deletionChanges(fields)),
        entityType: 'Evaluation',
      });
    }
    // Its targets and their actuals go with it (cascade).
    for (const { actuals, id, initiativeId: _i, createdAt: _c, updatedAt: _u, ...t } of targets) {
      record({ ...change(plan, id, 'DELETE', deletionChanges(t)), entityType: 'Target' });
      for (const { id: actualId, targetId: _t, createdAt: _ac, updatedAt: _au, ...a } of actuals) {
        record({
          ...change(plan, actualId, 'DELETE', deletionChanges(a)),
          entityType: 'TargetActual',
        });
      }
    }
    return tx.departmentPlan.findUniqueOrThrow({ where: { id: plan.id }, ...answering(query) });
  });
}
