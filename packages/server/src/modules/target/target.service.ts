// Writes to targets (指標と目標値), their actuals (実績) and a municipality's status rules.
// Who may write a target is who may edit its initiative (loadEditablePlan: the department's
// editors while the plan is a draft, planning staff always); its actuals, also the department's
// editors once the plan is published (loadPlanForActuals); status rules are the planning
// section's. Every write goes through writeWithHistory, so targets of a draft plan are recorded
// with the plan's (staff) audience and enter the public view only when it is published.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { actorOf, actsForMunicipality } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
import {
  assertVersion,
  type Change,
  deletionChanges,
  type FieldChanges,
  fieldChanges,
  ownWrite,
  type RecordChange,
  type Tx,
  writeWithHistory,
} from '../../db/history.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { requireMunicipality } from '../municipality/municipality.lookup.ts';
import { loadEditablePlan, loadPlanForActuals } from '../plan/plan.service.ts';
import { parseInput, text, versionedInput, versionInput } from '../shared/validation.ts';
import { visibleInitiatives } from '../visibility/visibility.policy.ts';
import { lastClosedFiscalYear } from '../white-paper/white-paper.service.ts';
import { ruleSetSchema } from './status-rules.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;
/** The caller's selection of what a write answers with (db/answer.ts). */
type TargetAnswer = Answer<Prisma.TargetInclude, Prisma.TargetSelect>;
type InitiativeAnswer = Answer<Prisma.InitiativeInclude, Prisma.InitiativeSelect>;

const MAX_TARGETS = 20;
const MAX_ACTUALS = 60;

const direction = z.enum(['AT_LEAST', 'AT_MOST', 'WITHIN_RANGE', 'MILESTONE']);
const number = z.number().finite().min(-1e12).max(1e12);
const isoDate = z.iso.date('must be a date as YYYY-MM-DD');

const targetFields = {
  indicator: text(200),
  unit: text(40).nullish(),
  direction,
  baseline: number.nullish(),
  targetValue: number.nullish(),
  rangeMin: number.nullish(),
  rangeMax: number.nullish(),
  targetDate: isoDate.nullish(),
  weight: z.number().finite().positive().max(1000).nullish(),
};

const addSchema = z.strictObject({ initiativeId: z.number().int(), ...targetFields });

const updateSchema = z.strictObject({
  id: z.number().int(),
  expectedVersion: versionInput,
  ...targetFields,
  indicator: targetFields.indicator.nullish(),
  direction: direction.nullish(),
});

const actualSchema = z.strictObject({
  targetId: z.number().int(),
  period: text(100),
  measuredOn: isoDate,
  value: number.nullish(),
  reachedOn: isoDate.nullish(),
});

const removeActualSchema = z.strictObject({ id: z.number().int() });

const rulesSchema = z.strictObject({
  municipality: z.string().max(16),
  /**
   * The first fiscal year the rules apply to (until a later set's); absent: the first year
   * that is not closed. A closed year (its white paper published) keeps its rules.
   */
  fromFiscalYear: z.number().int().min(0).max(9999).nullish(),
  /** The version read: 0 (or absent) while the municipality uses the default rules. */
  expectedVersion: z.number().int().min(0).nullish(),
  /** Null resets to the default rules. */
  rules: ruleSetSchema.nullable(),
});

type TargetShape = {
  direction: z.infer<typeof direction>;
  baseline?: number | null;
  targetValue?: number | null;
  rangeMin?: number | null;
  rangeMax?: number | null;
  targetDate?: string | null;
};

/** What each direction needs, and what it must not carry (checked on the resulting row). */
function checkShape(target: TargetShape) {
  const issues: { path: string[]; code: string; message: string }[] = [];
  const need = (field: keyof TargetShape, why: string) => {
    if (target[field] == null)
      issues.push({ path: ['input', field], code: 'REQUIRED', message: why });
  };
  const forbid = (field: keyof TargetShape) => {
    if (target[field] != null)
      issues.push({
        path: ['input', field],
        code: 'NOT_FOR_DIRECTION',
        message: `${field} does not apply to ${target.direction}`,
      });
  };
  if (target.direction === 'AT_LEAST' || target.direction === 'AT_MOST') {
    need('targetValue', `${target.direction} needs targetValue`);
    forbid('rangeMin');
    forbid('rangeMax');
    forbid('targetDate');
    if (
      target.baseline != null &&
      target.targetValue != null &&
      (target.direction === 'AT_LEAST'
        ? target.targetValue <= target.baseline
        : target.targetValue >= target.baseline)
    ) {
      issues.push({
        path: ['input', 'targetValue'],
        code: 'WRONG_WAY',
        message: `${target.direction} needs a target ${target.direction === 'AT_LEAST' ? 'above' : 'below'} the baseline`,
      });
    }
  } else if (target.direction === 'WITHIN_RANGE') {
    need('rangeMin', 'WITHIN_RANGE needs rangeMin');
    need('rangeMax', 'WITHIN_RANGE needs rangeMax');
    forbid('targetValue');
    forbid('targetDate');
    if (target.rangeMin != null && target.rangeMax != null && target.rangeMin > target.rangeMax) {
      issues.push({
        path: ['input', 'rangeMax'],
        code: 'TOO_SMALL',
        message: 'rangeMax must be at least rangeMin',
      });
    }
  } else {
    need('targetDate', 'MILESTONE needs targetDate');
    for (const field of ['baseline', 'targetValue', 'rangeMin', 'rangeMax'] as const) forbid(field);
  }
  if (issues.length > 0) throw new ValidationError(issues);
}

type EditablePlan = Awaited<ReturnType<typeof loadEditablePlan>>;

function placeOf(plan: EditablePlan) {
  return {
    municipalityId: plan.department.municipalityId,
    departmentId: plan.departmentId,
    fiscalYear: plan.fiscalYear,
  };
}

/** The initiative (visible to the caller) and its plan, if the caller may edit it. */
async function loadEditableInitiative(tx: Tx, ctx: ServiceContext, id: number) {
  const initiative = await tx.initiative.findFirst({
    where: { id, AND: [visibleInitiatives(ctx)] },
  });
  if (!initiative) throw new NotFoundError('Initiative', String(id));
  return { initiative, plan: await loadEditablePlan(tx, ctx, initiative.planId) };
}

async function loadEditableTarget(tx: Tx, ctx: ServiceContext, id: number) {
  const target = await tx.target.findFirst({
    where: { id, initiative: visibleInitiatives(ctx) },
  });
  if (!target) throw new NotFoundError('Target', String(id));
  return { target, ...(await loadEditableInitiative(tx, ctx, target.initiativeId)) };
}

/** The target (visible to the caller) and its plan, if the caller may record its actuals. */
async function loadTargetForActuals(tx: Tx, ctx: ServiceContext, id: number) {
  const target = await tx.target.findFirst({
    where: { id, initiative: visibleInitiatives(ctx) },
    include: { initiative: { select: { planId: true } } },
  });
  if (!target) throw new NotFoundError('Target', String(id));
  return { target, plan: await loadPlanForActuals(tx, ctx, target.initiative.planId) };
}

const stored = ({
  id: _,
  initiativeId: __,
  version: ___,
  createdAt,
  updatedAt,
  ...rest
}: {
  id: number;
  initiativeId: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}) => rest;

export const addTarget = ownWrite(addTargetInWrite);

/** addTarget, inside a write already open (an import runs many in one transaction). */
export async function addTargetInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof addSchema>,
  query?: TargetAnswer,
) {
  const data = parseInput(addSchema, input);
  checkShape(data);
  const { initiative, plan } = await loadEditableInitiative(tx, ctx, data.initiativeId);
  const count = await tx.target.count({ where: { initiativeId: initiative.id } });
  if (count >= MAX_TARGETS) {
    throw ValidationError.of(
      ['input', 'initiative'],
      'TOO_MANY',
      `An initiative has at most ${MAX_TARGETS} targets`,
    );
  }
  const { initiativeId: _, weight, ...fields } = data;
  const created = await tx.target.create({
    data: { ...fields, weight: weight ?? 1, initiativeId: initiative.id },
  });
  record({
    ...placeOf(plan),
    entityType: 'Target',
    entityId: created.id,
    action: 'CREATE',
    changes: fieldChanges(null, { initiativeId: initiative.id, ...stored(created) }),
  });
  return tx.target.findUniqueOrThrow({ where: { id: created.id }, ...answering(query) });
}

export const updateTarget = ownWrite(updateTargetInWrite);

/** updateTarget, inside a write already open (an import runs many in one transaction). */
export async function updateTargetInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof updateSchema>,
  query?: TargetAnswer,
) {
  const data = parseInput(updateSchema, input);
  const { target, plan } = await loadEditableTarget(tx, ctx, data.id);
  assertVersion('Target', target, data.expectedVersion);
  const { id: _, expectedVersion: __, ...rest } = data;
  // Left out keeps; null clears (indicator, direction and weight cannot be cleared).
  const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  for (const field of ['indicator', 'direction', 'weight'] as const) {
    if (given[field] === null) delete given[field];
  }
  checkShape({ ...target, ...given } as TargetShape);
  if (given.direction && given.direction !== target.direction) {
    const actuals = await tx.targetActual.count({ where: { targetId: target.id } });
    if (actuals > 0) {
      throw ValidationError.of(
        ['input', 'direction'],
        'HAS_ACTUALS',
        'Remove the actuals before changing the direction: they were measured for the old one',
      );
    }
  }
  const updated = await tx.target.update({
    where: { id: target.id, version: target.version },
    data: { ...given, version: { increment: 1 } },
    ...answering(query),
  });
  record({
    ...placeOf(plan),
    entityType: 'Target',
    entityId: target.id,
    action: 'UPDATE',
    changes: fieldChanges(target, given),
  });
  return updated;
}

export async function removeTarget(
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  query?: InitiativeAnswer,
) {
  const data = parseInput(versionedInput, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const { target, initiative, plan } = await loadEditableTarget(tx, ctx, data.id);
    assertVersion('Target', target, data.expectedVersion);
    const actuals = await tx.targetActual.findMany({ where: { targetId: target.id } });
    await tx.target.delete({ where: { id: target.id } });
    record({
      ...placeOf(plan),
      entityType: 'Target',
      entityId: target.id,
      action: 'DELETE',
      changes: deletionChanges(stored(target)),
    });
    for (const actual of actuals) record(actualDeletion(plan, actual));
    return tx.initiative.findUniqueOrThrow({ where: { id: initiative.id }, ...answering(query) });
  });
}

function actualDeletion(
  plan: EditablePlan,
  actual: Prisma.TargetActualGetPayload<Record<string, never>>,
): Change {
  const { id, targetId: _, version: __, createdAt: ___, updatedAt: ____, ...fields } = actual;
  return {
    ...placeOf(plan),
    entityType: 'TargetActual',
    entityId: id,
    action: 'DELETE',
    changes: deletionChanges(fields),
  };
}

/** Records the actual of a period; a second one for the same date replaces the first. */
export const recordActual = ownWrite(recordActualInWrite);

/** recordActual, inside a write already open (an import runs many in one transaction). */
export async function recordActualInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof actualSchema>,
  query?: TargetAnswer,
) {
  const data = parseInput(actualSchema, input);
  const { target, plan } = await loadTargetForActuals(tx, ctx, data.targetId);
  if (target.direction === 'MILESTONE') {
    if (data.value != null) {
      throw ValidationError.of(
        ['input', 'value'],
        'NOT_FOR_DIRECTION',
        'A milestone records reachedOn (or nothing while not reached), not a value',
      );
    }
  } else if (data.value == null || data.reachedOn != null) {
    throw ValidationError.of(
      ['input', data.value == null ? 'value' : 'reachedOn'],
      data.value == null ? 'REQUIRED' : 'NOT_FOR_DIRECTION',
      `${target.direction} records a value`,
    );
  }
  const fields = {
    period: data.period,
    value: data.value ?? null,
    reachedOn: data.reachedOn ?? null,
  };
  const existing = await tx.targetActual.findUnique({
    where: { targetId_measuredOn: { targetId: target.id, measuredOn: data.measuredOn } },
  });
  if (!existing) {
    const count = await tx.targetActual.count({ where: { targetId: target.id } });
    if (count >= MAX_ACTUALS) {
      throw ValidationError.of(
        ['input', 'target'],
        'TOO_MANY',
        `A target keeps at most ${MAX_ACTUALS} actuals`,
      );
    }
  }
  const row = existing
    ? await tx.targetActual.update({
        where: { id: existing.id },
        data: { ...fields, version: { increment: 1 } },
      })
    : await tx.targetActual.create({
        data: { ...fields, targetId: target.id, measuredOn: data.measuredOn },
      });
  const changes = existing
    ? fieldChanges(existing, fields)
    : fieldChanges(null, { targetId: target.id, measuredOn: data.measuredOn, ...fields });
  if (Object.keys(changes).length > 0) {
    record({
      ...placeOf(plan),
      entityType: 'TargetActual',
      entityId: row.id,
      action: existing ? 'UPDATE' : 'CREATE',
      changes,
    });
  }
  return tx.target.findUniqueOrThrow({ where: { id: target.id }, ...answering(query) });
}

export async function removeActual(
  ctx: ServiceContext,
  input: z.input<typeof removeActualSchema>,
  query?: TargetAnswer,
) {
  const data = parseInput(removeActualSchema, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const actual = await tx.targetActual.findUnique({ where: { id: data.id } });
    if (!actual) throw new NotFoundError('TargetActual', String(data.id));
    const { target, plan } = await loadTargetForActuals(tx, ctx, actual.targetId);
    await tx.targetActual.delete({ where: { id: actual.id } });
    record(actualDeletion(plan, actual));
    return tx.target.findUniqueOrThrow({ where: { id: target.id }, ...answering(query) });
  });
}

/** The municipality's stored rule sets, oldest validity first (none: the default rules). */
export function storedRuleSets(prisma: Context['prisma'], municipalityId: number) {
  return prisma.statusRuleSet.findMany({
    where: { municipalityId },
    orderBy: { fromFiscalYear: 'asc' },
  });
}

/**
 * Replaces (or, with rules: null, removes) a municipality's status rules from a fiscal year
 * on: ADMIN/PLANNING. Refused for a closed year (CLOSED_YEAR): a year whose white paper is
 * published keeps the statuses it closed with, so rules change only from the next year.
 */
export const setStatusRules = ownWrite(setStatusRulesInWrite);

/** setStatusRules, inside a write already open (an import runs many in one transaction). */
export async function setStatusRulesInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof rulesSchema>,
) {
  const data = parseInput(rulesSchema, input);
  const municipality = await requireMunicipality(tx, data.municipality);
  if (!actsForMunicipality(ctx.viewer, municipality.id)) {
    throw new ForbiddenError("Only the municipality's planning section sets its status rules");
  }
  const closed = await lastClosedFiscalYear(tx, municipality.id);
  const fromFiscalYear = data.fromFiscalYear ?? (closed === null ? 0 : closed + 1);
  if (closed !== null && fromFiscalYear <= closed) {
    throw ValidationError.of(
      ['input', 'fromFiscalYear'],
      'CLOSED_YEAR',
      `Fiscal year ${closed} is closed (its white paper is published): its statuses stay as they closed. Rules can change from ${closed + 1}.`,
    );
  }
  const where = {
    municipalityId_fromFiscalYear: { municipalityId: municipality.id, fromFiscalYear },
  };
  const current = await tx.statusRuleSet.findUnique({ where });
  assertVersion('StatusRuleSet', current ?? { version: 0 }, data.expectedVersion ?? 0);
  const change = (id: number, action: 'CREATE' | 'UPDATE' | 'DELETE', changes: FieldChanges) =>
    record({
      municipalityId: municipality.id,
      entityType: 'StatusRuleSet',
      entityId: id,
      action,
      changes,
      departmentId: null,
      fiscalYear: fromFiscalYear,
    });
  if (data.rules === null) {
    // Removing the set: its years take the earlier set's rules (or the defaults).
    if (current) {
      await tx.statusRuleSet.delete({ where: { id: current.id, version: current.version } });
      change(current.id, 'DELETE', deletionChanges({ fromFiscalYear, rules: current.rules }));
    }
    return { municipalityId: municipality.id, fromFiscalYear };
  }
  const rules = data.rules as unknown as Prisma.InputJsonValue;
  const row = current
    ? await tx.statusRuleSet.update({
        where: { id: current.id, version: current.version },
        data: { rules, version: { increment: 1 } },
      })
    : await tx.statusRuleSet.create({
        data: { municipalityId: municipality.id, fromFiscalYear, rules },
      });
  change(
    row.id,
    current ? 'UPDATE' : 'CREATE',
    fieldChanges(current ? { rules: current.rules } : null, { fromFiscalYear, rules: row.rules }),
  );
  return { municipalityId: municipality.id, fromFiscalYear };
}
