// Writes to a plan's initiatives: add, edit, reorder, remove. Who may write follows the plan
// (loadEditablePlan in plan.service.ts). Adding, reordering and removing change the plan's list, so
// they bump the plan's version: a reorder computed from a stale list is refused.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { actorOf } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
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
import { NotFoundError, ValidationError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { loadEditablePlan, type PlansForWrite, readPlansForWrite } from '../plan/plan.service.ts';
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
export async function readInitiativesForWrite(tx: Tx, ctx: ServiceContext, ids: number[]) {
  const rows = await tx.initiative.findMany({
    where: { id: { in: ids }, AND: [visibleInitiatives(ctx)] },
  });
  const planIds = [...new Set(rows.map((row) => row.planId))];
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
  const { initiatives, plans } = read ?? (await readInitiativesForWrite(tx, ctx, [id]));
  const initiative = initiatives.get(id);
  if (!initiative) throw new NotFoundError('Initiative', String(id));
  return { initiative, plan: await loadEditablePlan(tx, ctx, initiative.planId, plans) };
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
  const data = parseInput(updateSchema, input);
  const { initiative, plan } = await loadInitiativeForWrite(tx, ctx, data.id, read);
  assertVersion('Initiative', initiative, data.expectedVersion);
  const { id: _, expectedVersion: __, ...rest } = data;
  // null means "not given" for these required fields.
  const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v != null));
  const updated = await tx.initiative.update({
    where: { id: initiative.id, version: initiative.version },
    data: { ...fields, version: { increment: 1 } },
    ...answering(query),
  });
  record({
    ...change(plan, initiative.id, 'UPDATE', fieldChanges(initiative, fields)),
    row: updated as Record<string, unknown>,
  });
  return updated;
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
