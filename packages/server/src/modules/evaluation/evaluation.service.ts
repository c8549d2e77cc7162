// Writes to evaluations (達成状況): the planning section records how far each initiative got,
// links the white paper that reports it and the next year's initiative that carries it on,
// and publishes it. Editors of the department do not grade their own work.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { actsForMunicipality } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
import {
  assertVersion,
  deletionChanges,
  type FieldChanges,
  fieldChanges,
  ownWrite,
  type RecordChange,
  type Tx,
} from '../../db/history.ts';
import { ErrorCode, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import type { NullableInput } from '../shared/patch.ts';
import { parseInput, text, versionedInput, versionInput } from '../shared/validation.ts';
import { visibleEvaluations, visibleInitiatives } from '../visibility/visibility.policy.ts';
import { readinessProblems } from './evaluation-stage.policy.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;
/** The caller's selection of the evaluation a write answers with (db/answer.ts). */
export type EvaluationAnswer = Answer<Prisma.EvaluationInclude, Prisma.EvaluationSelect>;

export const rating = z.enum(['ACHIEVED', 'MOSTLY_ACHIEVED', 'PARTIALLY_ACHIEVED', 'NOT_ACHIEVED']);
export const decision = z.enum(['CONTINUE', 'EXPAND', 'REDUCE', 'ABOLISH', 'COMPLETE']);
export const progressPercent = z.number().int().min(0).max(100);

const recordSchema = z.strictObject({
  initiative: z.number().int(),
  rating,
  progressPercent: progressPercent.nullish(),
  summary: text(4000),
  decision: decision.nullish(),
  nextInitiative: z.number().int().nullish(),
  whitePaper: z.number().int().nullish(),
});

const updateSchema = z.strictObject({
  id: z.number().int(),
  expectedVersion: versionInput,
  rating: rating.optional(),
  progressPercent: progressPercent.nullish(),
  summary: text(4000).optional(),
  decision: decision.nullish(),
  nextInitiative: z.number().int().nullish(),
  whitePaper: z.number().int().nullish(),
});

/** Where the evaluated initiative sits: its plan's year, department and municipality. */
interface Place {
  fiscalYear: number;
  departmentId: number;
  department: { municipalityId: number; name: string };
}

const withPlace = { plan: { include: { department: true } } } as const;

function assertPlanningFor(ctx: ServiceContext, place: Place) {
  if (!actsForMunicipality(ctx.viewer, place.department.municipalityId)) {
    throw new ForbiddenError("Only the municipality's planning section records evaluations");
  }
}

/**
 * The next year's initiative: one the caller can see, of the same department's plan for the
 * next fiscal year (the rule publication checks too: readinessProblems).
 */
async function checkNextInitiative(tx: Tx, ctx: ServiceContext, id: number, place: Place) {
  const path = ['input', 'nextInitiative'];
  const next = await tx.initiative.findFirst({
    where: { id, AND: [visibleInitiatives(ctx)] },
    include: withPlace,
  });
  if (!next) throw ValidationError.of(path, 'NOT_FOUND', `No initiative ${id} that you may see`);
  if (next.plan.department.municipalityId !== place.department.municipalityId) {
    throw ValidationError.of(path, 'OTHER_MUNICIPALITY', 'must be of the same municipality');
  }
  if (next.plan.departmentId !== place.departmentId) {
    throw ValidationError.of(
      path,
      'OTHER_DEPARTMENT',
      `must be of the same department's plan (${place.department.name}), not of ${next.plan.department.name}`,
    );
  }
  if (next.plan.fiscalYear !== place.fiscalYear + 1) {
    throw ValidationError.of(
      path,
      next.plan.fiscalYear <= place.fiscalYear ? 'NOT_LATER_YEAR' : 'NOT_NEXT_YEAR',
      `must be of the plan for fiscal year ${place.fiscalYear + 1} (the year after ${place.fiscalYear}), not of ${next.plan.fiscalYear}`,
    );
  }
}

/** The white paper: of the same city, reporting on the evaluated plan's year. */
async function checkWhitePaper(tx: Tx, id: number, place: Place) {
  const path = ['input', 'whitePaper'];
  const paper = await tx.whitePaper.findUnique({ where: { id } });
  if (!paper) throw ValidationError.of(path, 'NOT_FOUND', `No white paper ${id}`);
  if (paper.municipalityId !== place.department.municipalityId) {
    throw ValidationError.of(path, 'OTHER_MUNICIPALITY', 'must be of the same municipality');
  }
  if (paper.reportsOnFiscalYear !== place.fiscalYear) {
    throw ValidationError.of(
      path,
      'FISCAL_YEAR_MISMATCH',
      `reports on fiscal year ${paper.reportsOnFiscalYear}, the plan is of ${place.fiscalYear}`,
    );
  }
}

function evaluationChange(id: number, place: Place, changes: FieldChanges) {
  return {
    municipalityId: place.department.municipalityId,
    entityType: 'Evaluation' as const,
    entityId: id,
    action: 'UPDATE' as const,
    changes,
    departmentId: place.departmentId,
    fiscalYear: place.fiscalYear,
  };
}

export const recordEvaluation = ownWrite(recordEvaluationInWrite);

/** recordEvaluation, inside a write already open (an import runs many in one transaction). */
export async function recordEvaluationInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof recordSchema>,
  query?: EvaluationAnswer,
) {
  const data = parseInput(recordSchema, input);
  const initiative = await tx.initiative.findFirst({
    where: { id: data.initiative, AND: [visibleInitiatives(ctx)] },
    include: { ...withPlace, evaluation: { select: { id: true } } },
  });
  if (!initiative) throw new NotFoundError('Initiative', String(data.initiative));
  const place = initiative.plan;
  assertPlanningFor(ctx, place);
  if (initiative.evaluation) {
    throw ValidationError.of(
      ['input', 'initiative'],
      'ALREADY_EXISTS',
      'The initiative already has an evaluation: update it instead',
    );
  }
  if (data.nextInitiative != null) await checkNextInitiative(tx, ctx, data.nextInitiative, place);
  if (data.whitePaper != null) await checkWhitePaper(tx, data.whitePaper, place);
  const row = {
    initiativeId: initiative.id,
    rating: data.rating,
    progressPercent: data.progressPercent ?? null,
    summary: data.summary,
    decision: data.decision ?? null,
    nextInitiativeId: data.nextInitiative ?? null,
    whitePaperId: data.whitePaper ?? null,
  };
  const evaluation = await tx.evaluation.create({ data: row, ...answering(query) });
  record({
    ...evaluationChange(evaluation.id, place, fieldChanges(null, { ...row, status: 'DRAFT' })),
    action: 'CREATE',
  });
  return evaluation;
}

/** The evaluation with its plan's place; NotFound when the caller may not see it. */
async function loadEvaluationForWrite(tx: Tx, ctx: ServiceContext, id: number) {
  const evaluation = await tx.evaluation.findFirst({
    where: { id, AND: [visibleEvaluations(ctx)] },
    include: { initiative: { include: withPlace }, stages: true },
  });
  if (!evaluation) throw new NotFoundError('Evaluation', String(id));
  const { initiative, stages, ...row } = evaluation;
  return { row, stages, place: initiative.plan };
}

export const updateEvaluation = ownWrite(updateEvaluationInWrite);

/** updateEvaluation, inside a write already open (an import runs many in one transaction). */
export async function updateEvaluationInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: NullableInput<z.input<typeof updateSchema>>,
  query?: EvaluationAnswer,
) {
  const data = parseInput(updateSchema, input);
  const { row, stages, place } = await loadEvaluationForWrite(tx, ctx, data.id);
  assertPlanningFor(ctx, place);
  assertVersion('Evaluation', row, data.expectedVersion);
  // A staged evaluation's result is its last completed stage: change it through the stages.
  const result = ['rating', 'progressPercent', 'summary'] as const;
  const staged = result.filter((field) => data[field] !== undefined);
  if (stages.length > 0 && staged.length > 0) {
    throw new ValidationError(
      staged.map((field) => ({
        path: ['input', field],
        code: ErrorCode.STAGED_RESULT,
        message: 'The evaluation is staged: its result is its last completed stage',
      })),
    );
  }
  if (data.nextInitiative != null) await checkNextInitiative(tx, ctx, data.nextInitiative, place);
  if (data.whitePaper != null) await checkWhitePaper(tx, data.whitePaper, place);
  const changes = {
    rating: data.rating,
    progressPercent: data.progressPercent,
    summary: data.summary,
    decision: data.decision,
    nextInitiativeId: data.nextInitiative,
    whitePaperId: data.whitePaper,
  };
  const updated = await tx.evaluation.update({
    where: { id: row.id, version: row.version },
    data: { ...changes, version: { increment: 1 } },
    ...answering(query),
  });
  record(evaluationChange(row.id, place, fieldChanges(row, changes)));
  return updated;
}

/** Publishing makes an evaluation public wherever its plan is. */
export const setEvaluationStatus = ownWrite(setEvaluationStatusInWrite);

/** setEvaluationStatus, inside a write already open (an import runs many in one transaction). */
export async function setEvaluationStatusInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  status: 'DRAFT' | 'PUBLISHED',
  query?: EvaluationAnswer,
) {
  const data = parseInput(versionedInput, input);
  const { row, stages, place } = await loadEvaluationForWrite(tx, ctx, data.id);
  assertPlanningFor(ctx, place);
  assertVersion('Evaluation', row, data.expectedVersion);
  if (row.status === status) {
    throw ValidationError.of(
      ['input', 'id'],
      'UNCHANGED',
      `The evaluation is already ${status.toLowerCase()}`,
    );
  }
  if (status === 'PUBLISHED') {
    const problems = await readinessProblems(tx, { ...row, stages }, place);
    if (problems.length > 0) {
      throw new ValidationError(problems.map((problem) => ({ path: ['input', 'id'], ...problem })));
    }
  }
  const updated = await tx.evaluation.update({
    where: { id: row.id, version: row.version },
    data: { status, version: { increment: 1 } },
    ...answering(query),
  });
  record(evaluationChange(row.id, place, fieldChanges(row, { status })));
  return updated;
}

/**
 * Deletes a draft evaluation with its stages (planning). A published one is withdrawn first
 * (unpublishEvaluation): published material is never deleted in place. The change log keeps
 * its history.
 */
export const deleteEvaluation = ownWrite(deleteEvaluationInWrite);

/** deleteEvaluation, inside a write already open. */
export async function deleteEvaluationInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  query?: EvaluationAnswer,
) {
  const data = parseInput(versionedInput, input);
  const { row, place } = await loadEvaluationForWrite(tx, ctx, data.id);
  assertPlanningFor(ctx, place);
  assertVersion('Evaluation', row, data.expectedVersion);
  if (row.status !== 'DRAFT') {
    throw ValidationError.of(
      ['input', 'id'],
      'PUBLISHED',
      'The evaluation is published: withdraw it (unpublishEvaluation) before deleting it',
    );
  }
  // The answer is the evaluation as it was deleted: it can no longer be read afterwards.
  const deleted = await tx.evaluation.delete({ where: { id: row.id }, ...answering(query) });
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, searchText: _s, ...fields } = row;
  record({ ...evaluationChange(row.id, place, deletionChanges(fields)), action: 'DELETE' });
  return deleted;
}
