// Writes to plans: create, edit, publish/unpublish, delete. Each checks the caller against
// plan.policy.ts, validates, and writes the row with its change record in one transaction.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { actorOf, actsForDepartment } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
import {
  assertVersion,
  deletionChanges,
  fieldChanges,
  ownWrite,
  type RecordChange,
  type Tx,
  writeWithHistory,
} from '../../db/history.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { type PlanMove, planFeedbackChanges } from '../feedback/feedback.service.ts';
import {
  fiscalYearInput,
  parseInput,
  text,
  versionedInput,
  versionInput,
} from '../shared/validation.ts';
import { visiblePlans } from '../visibility/visibility.policy.ts';
import { canEditPlan, canPublishPlan, canRecordActuals } from './plan.policy.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;
/** The caller's selection of the plan a write answers with (db/answer.ts). */
type PlanAnswer = Answer<Prisma.DepartmentPlanInclude, Prisma.DepartmentPlanSelect>;

const planContent = {
  mission: text(4000).nullish(),
  staffCount: z.number().int().min(0).max(1_000_000).nullish(),
  budgetYen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish(),
  policy: text(4000).nullish(),
};

const createSchema = z.strictObject({
  municipality: z.string().max(16),
  department: z.string().max(64),
  fiscalYear: fiscalYearInput,
  ...planContent,
});

const updateSchema = z.strictObject({
  id: z.number().int(),
  expectedVersion: versionInput,
  ...planContent,
});

/** Content fields as stored (budget in a bigint column). */
function storedContent(input: z.output<typeof updateSchema> | z.output<typeof createSchema>) {
  const { mission, staffCount, budgetYen, policy } = input;
  return {
    mission,
    staffCount,
    policy,
    budgetYen: budgetYen === undefined ? undefined : budgetYen === null ? null : BigInt(budgetYen),
  };
}

/**
 * Plans with what permission checks need, by id: those the caller may see. One statement for
 * many (an import reads a chunk's at once and hands them to the services).
 */
export async function readPlansForWrite(tx: Tx, ctx: ServiceContext, ids: number[]) {
  const plans = await tx.departmentPlan.findMany({
    where: { id: { in: ids }, AND: [visiblePlans(ctx)] },
    include: { department: true },
  });
  return new Map(plans.map((plan) => [plan.id, plan]));
}
export type PlansForWrite = Awaited<ReturnType<typeof readPlansForWrite>>;

/**
 * The plan with what permission checks need (among `read`, if given, read in this write since
 * it last changed); NotFound when the caller may not see it.
 */
export async function loadPlanForWrite(
  tx: Tx,
  ctx: ServiceContext,
  id: number,
  read?: PlansForWrite,
) {
  return planForWrite(id, read ?? (await readPlansForWrite(tx, ctx, [id])));
}

function planForWrite(id: number, read: PlansForWrite) {
  const plan = read.get(id);
  if (!plan) throw new NotFoundError('DepartmentPlan', String(id));
  return plan;
}

/** The plan, if the caller may change its content (fields and initiatives); else Forbidden. */
export async function loadEditablePlan(
  tx: Tx,
  ctx: ServiceContext,
  id: number,
  read?: PlansForWrite,
) {
  return editablePlan(ctx, id, read ?? (await readPlansForWrite(tx, ctx, [id])));
}

/** loadEditablePlan's check, on plans already read (readPlansForWrite): no statement. */
export function editablePlan(ctx: ServiceContext, id: number, read: PlansForWrite) {
  const plan = planForWrite(id, read);
  if (!canEditPlan(ctx.viewer, plan)) {
    throw new ForbiddenError(
      plan.status === 'DRAFT'
        ? 'You may not edit plans of this department'
        : 'The plan is published: only the planning section may change it',
    );
  }
  return plan;
}

/** The plan, if the caller may record its targets' actuals (canRecordActuals); else Forbidden. */
export async function loadPlanForActuals(tx: Tx, ctx: ServiceContext, id: number) {
  const plan = await loadPlanForWrite(tx, ctx, id);
  if (!canRecordActuals(ctx.viewer, plan)) {
    throw new ForbiddenError(
      "Only the department's staff and the planning section record its actuals",
    );
  }
  return plan;
}

export const createPlan = ownWrite(createPlanInWrite);

/** createPlan, inside a write already open (an import runs many in one transaction). */
export async function createPlanInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof createSchema>,
  query?: PlanAnswer,
) {
  const data = parseInput(createSchema, input);
  const department = await tx.department.findFirst({
    where: { code: data.department, municipality: { code: data.municipality } },
  });
  if (!department)
    throw ValidationError.of(
      ['input', 'department'],
      'NOT_FOUND',
      `No department "${data.department}" in municipality ${data.municipality}`,
    );
  if (!actsForDepartment(ctx.viewer, department)) {
    throw new ForbiddenError('You may not write plans of this department');
  }
  const existing = await tx.departmentPlan.findUnique({
    where: {
      departmentId_fiscalYear: { departmentId: department.id, fiscalYear: data.fiscalYear },
    },
  });
  if (existing) {
    throw ValidationError.of(
      ['input', 'fiscalYear'],
      'ALREADY_EXISTS',
      `${department.name} already has a plan for ${data.fiscalYear}`,
    );
  }
  const content = storedContent(data);
  const plan = await tx.departmentPlan.create({
    data: { departmentId: department.id, fiscalYear: data.fiscalYear, ...content },
    ...answering(query),
  });
  record({
    municipalityId: department.municipalityId,
    entityType: 'DepartmentPlan',
    entityId: plan.id,
    action: 'CREATE',
    changes: fieldChanges(null, {
      departmentId: department.id,
      fiscalYear: plan.fiscalYear,
      status: plan.status,
      ...content,
    }),
    departmentId: department.id,
    fiscalYear: plan.fiscalYear,
  });
  return plan;
}

export const updatePlan = ownWrite(updatePlanInWrite);

/** updatePlan, inside a write already open (an import runs many in one transaction). */
export async function updatePlanInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof updateSchema>,
  query?: PlanAnswer,
) {
  const data = parseInput(updateSchema, input);
  const plan = await loadEditablePlan(tx, ctx, data.id);
  assertVersion('DepartmentPlan', plan, data.expectedVersion);
  const content = storedContent(data);
  const updated = await tx.departmentPlan.update({
    where: { id: plan.id, version: plan.version },
    data: { ...content, version: { increment: 1 } },
    ...answering(query),
  });
  record(planChange(plan, fieldChanges(plan, content)));
  return updated;
}

/** Publishing makes a plan (and so its initiatives) public; planning staff only. */
export const setPlanStatus = ownWrite(setPlanStatusInWrite);

/** setPlanStatus, inside a write already open (an import runs many in one transaction). */
export async function setPlanStatusInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  status: 'DRAFT' | 'PUBLISHED',
  query?: PlanAnswer,
) {
  const data = parseInput(versionedInput, input);
  const plan = await loadPlanForWrite(tx, ctx, data.id);
  if (!canPublishPlan(ctx.viewer, plan)) {
    throw new ForbiddenError('Only the planning section publishes and unpublishes plans');
  }
  assertVersion('DepartmentPlan', plan, data.expectedVersion);
  if (plan.status === status) {
    throw ValidationError.of(
      ['input', 'id'],
      'UNCHANGED',
      `The plan is already ${status.toLowerCase()}`,
    );
  }
  const publishedAt = status === 'PUBLISHED' ? new Date() : plan.publishedAt;
  const updated = await tx.departmentPlan.update({
    where: { id: plan.id, version: plan.version },
    data: { status, publishedAt, version: { increment: 1 } },
    ...answering(query),
  });
  record(planChange(plan, fieldChanges(plan, { status, publishedAt })));
  // What the plan contains changes audience with it, in this same transaction: its
  // initiatives, published evaluations, shown opinions and their answers enter (or leave)
  // the public view here.
  const move = { action: 'UPDATE', from: plan.status, to: status } as const;
  for (const change of await containedChanges(tx, plan, move)) record(change);
  return updated;
}

/** Deletes a draft plan and its initiatives; a published plan must be unpublished first. */
export async function deletePlan(
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  query?: PlanAnswer,
) {
  const data = parseInput(versionedInput, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const plan = await loadEditablePlan(tx, ctx, data.id);
    assertVersion('DepartmentPlan', plan, data.expectedVersion);
    if (plan.status !== 'DRAFT') {
      throw ValidationError.of(
        ['input', 'id'],
        'PUBLISHED',
        'Unpublish the plan before deleting it',
      );
    }
    // Its initiatives and evaluations go with it (cascade): each leaves its viewers' view.
    const contained = await containedChanges(tx, plan, { action: 'DELETE' });
    // The answer is the plan as it was deleted: it can no longer be read afterwards.
    const deleted = await tx.departmentPlan.delete({ where: { id: plan.id }, ...answering(query) });
    const { department: _, ...before } = plan;
    record({ ...planChange(plan, deletionChanges(before)), action: 'DELETE' });
    for (const change of contained) record(change);
    return deleted;
  });
}

function planChange(
  plan: {
    id: number;
    fiscalYear: number;
    departmentId: number;
    department: { municipalityId: number };
  },
  changes: ReturnType<typeof fieldChanges>,
) {
  return {
    municipalityId: plan.department.municipalityId,
    entityType: 'DepartmentPlan' as const,
    entityId: plan.id,
    action: 'UPDATE' as const,
    changes,
    departmentId: plan.departmentId,
    fiscalYear: plan.fiscalYear,
  };
}

/**
 * Change records for what a plan contains, when the plan's status change or deletion changes
 * who can see it: every initiative with its targets and actuals, and its evaluation (only
 * published ones change audience with the plan's status; all of them are deleted with it); then
 * its opinions and their answers (planFeedbackChanges).
 */
async function containedChanges(tx: Tx, plan: Parameters<typeof planChange>[0], move: PlanMove) {
  const { action } = move;
  const initiatives = await tx.initiative.findMany({
    where: { planId: plan.id },
    orderBy: { position: 'asc' },
    include: { evaluation: true, targets: { include: { actuals: true } } },
  });
  const place = {
    municipalityId: plan.department.municipalityId,
    departmentId: plan.departmentId,
    fiscalYear: plan.fiscalYear,
    action,
  };
  const changes = [];
  for (const { evaluation, targets, ...initiative } of initiatives) {
    const { id, planId: _, createdAt: __, updatedAt: ___, ...fields } = initiative;
    changes.push({
      ...place,
      entityType: 'Initiative' as const,
      entityId: id,
      changes: action === 'DELETE' ? deletionChanges(fields) : {},
    });
    // Targets and their actuals follow the initiative in and out of view.
    for (const { actuals, ...target } of targets) {
      const { id: targetId, initiativeId: _i, createdAt: _tc, updatedAt: _tu, ...rest } = target;
      changes.push({
        ...place,
        entityType: 'Target' as const,
        entityId: targetId,
        changes: action === 'DELETE' ? deletionChanges(rest) : {},
      });
      for (const actual of actuals) {
        const { id: actualId, targetId: _t, createdAt: _ac, updatedAt: _au, ...values } = actual;
        changes.push({
          ...place,
          entityType: 'TargetActual' as const,
          entityId: actualId,
          changes: action === 'DELETE' ? deletionChanges(values) : {},
        });
      }
    }
    if (evaluation && (action === 'DELETE' || evaluation.status === 'PUBLISHED')) {
      const { id: evaluationId, createdAt: _c, updatedAt: _u, ...rest } = evaluation;
      changes.push({
        ...place,
        entityType: 'Evaluation' as const,
        entityId: evaluationId,
        changes: action === 'DELETE' ? deletionChanges(rest) : {},
      });
    }
  }
  return [...changes, ...(await planFeedbackChanges(tx, plan, move))];
}
