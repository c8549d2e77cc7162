// Writes to an evaluation's stages (自己評価 → 一次 → 二次 → 外部): recording a stage's rating,
// progress and summary, completing it (the evaluation's result becomes the last completed
// stage), and sending it back with a reason. Every one is a change of the Evaluation in the
// change log (fields `stages.<KIND>.<field>`), so its audience is the evaluation's: stages
// change only while the evaluation is a draft, which only staff can see.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { actorOf, actsForMunicipality } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
import {
  assertVersion,
  type FieldChanges,
  fieldChanges,
  ownWrite,
  type RecordChange,
  type Tx,
  writeWithHistory,
} from '../../db/history.ts';
import { ErrorCode, ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { municipalityOfInput } from '../municipality/municipality.lookup.ts';
import { parseInput, text, versionInput } from '../shared/validation.ts';
import { isEvaluationReviewable, visibleInitiatives } from '../visibility/visibility.policy.ts';
import { type EvaluationAnswer, progressPercent, rating } from './evaluation.service.ts';
import {
  lastCompleted,
  mayReturnStage,
  mayWorkOnStage,
  outOfOrder,
  reviewStageOf,
  type StageDefinition,
  type StageKind,
  stageDefinitions,
} from './evaluation-stage.policy.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;
type MunicipalityAnswer = Answer<Prisma.MunicipalityInclude, Prisma.MunicipalitySelect>;

const stageKind = z.enum(['SELF', 'FIRST', 'SECOND', 'EXTERNAL']);

const recordSchema = z.strictObject({
  initiative: z.number().int(),
  stage: stageKind,
  rating,
  progressPercent: progressPercent.nullish(),
  summary: text(4000),
  expectedVersion: versionInput.nullish(),
});

const moveSchema = z.strictObject({
  evaluation: z.number().int(),
  stage: stageKind,
  expectedVersion: versionInput,
});

const returnSchema = moveSchema.extend({ reason: text(1000) });

const withPlace = { plan: { include: { department: true } } } as const;

interface StageRow {
  kind: string;
  rating: string | null;
  progressPercent: number | null;
  summary: string | null;
  state: 'OPEN' | 'COMPLETED';
  reviewer: string | null;
  returnReason: string | null;
}

/** A stage's fields as change-record fields: `stages.FIRST.rating`, ... */
function stageFields(kind: string, stage: Partial<StageRow> | null) {
  const fields: Record<string, unknown> = {};
  for (const field of [
    'rating',
    'progressPercent',
    'summary',
    'state',
    'reviewer',
    'returnReason',
  ] as const) {
    fields[`stages.${kind}.${field}`] = stage ? stage[field] : null;
  }
  return fields;
}

function definitionOf(definitions: readonly StageDefinition[], kind: StageKind) {
  const definition = definitions.find((d) => d.kind === kind);
  if (!definition) {
    throw ValidationError.of(
      ['input', 'stage'],
      'NOT_CONFIGURED',
      `The municipality's evaluations have no ${kind} stage`,
    );
  }
  return definition;
}

function assertInOrder(
  definitions: readonly StageDefinition[],
  stages: readonly StageRow[],
  kind: StageKind,
) {
  const problem = outOfOrder(definitions, stages, kind);
  if (problem) throw ValidationError.of(['input', 'stage'], ErrorCode.STAGE_OUT_OF_ORDER, problem);
}

function assertDraft(evaluation: { status: string }) {
  if (evaluation.status !== 'DRAFT') {
    throw ValidationError.of(
      ['input', 'stage'],
      'EVALUATION_PUBLISHED',
      'The evaluation is published: unpublish it before changing its stages',
    );
  }
}

/** The evaluation with its stages and place; NotFound when the caller may not read it. */
async function loadForStage(tx: Tx, ctx: ServiceContext, id: number) {
  const evaluation = await tx.evaluation.findUnique({
    where: { id },
    include: { stages: true, initiative: { include: withPlace } },
  });
  if (!evaluation || !isEvaluationReviewable(evaluation, evaluation.initiative.plan, ctx)) {
    throw new NotFoundError('Evaluation', String(id));
  }
  return evaluation;
}

function changeOf(
  id: number,
  place: { departmentId: number; fiscalYear: number; department: { municipalityId: number } },
  action: 'CREATE' | 'UPDATE',
  changes: FieldChanges,
) {
  return {
    municipalityId: place.department.municipalityId,
    entityType: 'Evaluation' as const,
    entityId: id,
    action,
    changes,
    departmentId: place.departmentId,
    fiscalYear: place.fiscalYear,
  };
}

/**
 * Records (or revises) one stage of an initiative's evaluation, as OPEN; creates the
 * evaluation, as a draft, when the first stage is recorded.
 */
export const recordEvaluationStage = ownWrite(recordEvaluationStageInWrite);

/** recordEvaluationStage, inside a write already open (an import runs many in one transaction). */
export async function recordEvaluationStageInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof recordSchema>,
  query?: EvaluationAnswer,
) {
  const data = parseInput(recordSchema, input);
  const initiative = await tx.initiative.findFirst({
    where: { id: data.initiative, AND: [visibleInitiatives(ctx)] },
    include: { ...withPlace, evaluation: { include: { stages: true } } },
  });
  if (!initiative) throw new NotFoundError('Initiative', String(data.initiative));
  const place = initiative.plan;
  const definitions = await stageDefinitions(tx, place.department.municipalityId);
  const definition = definitionOf(definitions, data.stage);
  if (!mayWorkOnStage(ctx.viewer, definition.role, place.department)) {
    throw new ForbiddenError(`You may not record the ${definition.name} (${definition.kind})`);
  }
  const values = {
    rating: data.rating,
    progressPercent: data.progressPercent ?? null,
    summary: data.summary,
  };
  let existing = initiative.evaluation;
  if (existing && !isEvaluationReviewable(existing, place, ctx)) {
    throw new NotFoundError('Initiative', String(data.initiative));
  }
  const stages = existing?.stages ?? [];
  const previous = stages.find((s) => s.kind === data.stage) ?? null;
  if (previous?.state === 'COMPLETED') {
    throw ValidationError.of(
      ['input', 'stage'],
      ErrorCode.STAGE_OUT_OF_ORDER,
      `${definition.name} (${definition.kind}) is completed: send it back to revise it`,
    );
  }
  assertInOrder(definitions, stages, data.stage);
  const after = {
    ...values,
    state: 'OPEN' as const,
    reviewer: null,
    returnReason: previous?.returnReason ?? null,
  };
  const stageChanges = fieldChanges(
    stageFields(data.stage, previous),
    stageFields(data.stage, after),
  );
  if (existing) {
    assertDraft(existing);
    if (data.expectedVersion == null) {
      throw ValidationError.of(
        ['input', 'expectedVersion'],
        'REQUIRED',
        'The initiative has an evaluation: name the version of it you read',
      );
    }
    assertVersion('Evaluation', existing, data.expectedVersion);
    existing = {
      ...(await tx.evaluation.update({
        where: { id: existing.id, version: existing.version },
        data: { version: { increment: 1 } },
      })),
      stages,
    };
    record(changeOf(existing.id, place, 'UPDATE', stageChanges));
  } else {
    // No result until a stage is completed: then it is the last completed stage's.
    const row = {
      initiativeId: initiative.id,
      rating: null,
      progressPercent: null,
      summary: null,
      decision: null,
      nextInitiativeId: null,
      whitePaperId: null,
    };
    const created = await tx.evaluation.create({ data: row });
    existing = { ...created, stages: [] };
    record(
      changeOf(created.id, place, 'CREATE', {
        ...fieldChanges(null, { ...row, status: 'DRAFT' }),
        ...stageChanges,
      }),
    );
  }
  await tx.evaluationStage.upsert({
    where: { evaluationId_kind: { evaluationId: existing.id, kind: data.stage } },
    create: { evaluationId: existing.id, kind: data.stage, ...values },
    update: { ...values, version: { increment: 1 } },
  });
  // Read in the write's transaction: the external committee works on drafts it cannot read.
  return tx.evaluation.findUniqueOrThrow({ where: { id: existing.id }, ...answering(query) });
}

/** Completes a stage: the evaluation's result becomes this stage's rating, progress, summary. */
export const completeEvaluationStage = ownWrite(completeEvaluationStageInWrite);

/** completeEvaluationStage, inside a write already open (an import runs many in one transaction). */
export async function completeEvaluationStageInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof moveSchema>,
  query?: EvaluationAnswer,
) {
  const data = parseInput(moveSchema, input);
  const evaluation = await loadForStage(tx, ctx, data.evaluation);
  const place = evaluation.initiative.plan;
  const definitions = await stageDefinitions(tx, place.department.municipalityId);
  const definition = definitionOf(definitions, data.stage);
  if (!mayWorkOnStage(ctx.viewer, definition.role, place.department)) {
    throw new ForbiddenError(`You may not complete the ${definition.name} (${definition.kind})`);
  }
  assertVersion('Evaluation', evaluation, data.expectedVersion);
  assertDraft(evaluation);
  const stage = evaluation.stages.find((s) => s.kind === data.stage);
  if (stage?.state !== 'OPEN') {
    throw ValidationError.of(
      ['input', 'stage'],
      ErrorCode.STAGE_OUT_OF_ORDER,
      stage
        ? `${definition.name} (${definition.kind}) is already completed`
        : `${definition.name} (${definition.kind}) has not been recorded yet`,
    );
  }
  assertInOrder(definitions, evaluation.stages, data.stage);
  const reviewer = actorOf(ctx.viewer).office;
  await tx.evaluationStage.update({
    where: { id: stage.id },
    data: { state: 'COMPLETED', reviewer, completedAt: new Date(), version: { increment: 1 } },
  });
  const completedNow = evaluation.stages.map((s) =>
    s.id === stage.id ? { ...s, state: 'COMPLETED' as const } : s,
  );
  const result = {
    ...resultOf(stage, evaluation),
    reviewStage: reviewStageOf(definitions, completedNow),
  };
  const updated = await tx.evaluation.update({
    where: { id: evaluation.id, version: evaluation.version },
    data: { ...result, version: { increment: 1 } },
    ...answering(query),
  });
  record(
    changeOf(evaluation.id, place, 'UPDATE', {
      ...fieldChanges(evaluation, result),
      ...fieldChanges(
        stageFields(stage.kind, stage),
        stageFields(stage.kind, { ...stage, state: 'COMPLETED', reviewer }),
      ),
    }),
  );
  return updated;
}

/**
 * Sends a completed stage back (to OPEN), with a reason: only the last completed stage, by
 * whoever may work on it or on a later stage. The result falls back to the stage before it.
 */
export const returnEvaluationStage = ownWrite(returnEvaluationStageInWrite);

/** returnEvaluationStage, inside a write already open (an import runs many in one transaction). */
export async function returnEvaluationStageInWrite(
  tx: Tx,
  record: RecordChange,
  ctx: ServiceContext,
  input: z.input<typeof returnSchema>,
  query?: EvaluationAnswer,
) {
  const data = parseInput(returnSchema, input);
  const evaluation = await loadForStage(tx, ctx, data.evaluation);
  const place = evaluation.initiative.plan;
  const definitions = await stageDefinitions(tx, place.department.municipalityId);
  const definition = definitionOf(definitions, data.stage);
  if (!mayReturnStage(ctx.viewer, definitions, data.stage, place.department)) {
    throw new ForbiddenError(`You may not send back the ${definition.name} (${definition.kind})`);
  }
  assertVersion('Evaluation', evaluation, data.expectedVersion);
  assertDraft(evaluation);
  const stage = evaluation.stages.find((s) => s.kind === data.stage);
  if (stage?.state !== 'COMPLETED') {
    throw ValidationError.of(
      ['input', 'stage'],
      ErrorCode.STAGE_OUT_OF_ORDER,
      `${definition.name} (${definition.kind}) is not completed: nothing to send back`,
    );
  }
  const index = definitions.findIndex((d) => d.kind === data.stage);
  const completed = new Set(
    evaluation.stages.filter((s) => s.state === 'COMPLETED').map((s) => s.kind),
  );
  const later = definitions.slice(index + 1).find((d) => completed.has(d.kind));
  if (later) {
    throw ValidationError.of(
      ['input', 'stage'],
      ErrorCode.STAGE_OUT_OF_ORDER,
      `${later.name} (${later.kind}) is completed after it: send that back first`,
    );
  }
  await tx.evaluationStage.update({
    where: { id: stage.id },
    data: {
      state: 'OPEN',
      reviewer: null,
      completedAt: null,
      returnReason: data.reason,
      version: { increment: 1 },
    },
  });
  const reopened = {
    ...stage,
    state: 'OPEN' as const,
    reviewer: null,
    returnReason: data.reason,
  };
  const remaining = evaluation.stages.map((s) => (s.id === stage.id ? reopened : s));
  const previous = lastCompleted(definitions, remaining);
  const result = {
    ...(previous ? resultOf(previous, evaluation) : NO_RESULT),
    reviewStage: reviewStageOf(definitions, remaining),
  };
  const updated = await tx.evaluation.update({
    where: { id: evaluation.id, version: evaluation.version },
    data: { ...result, version: { increment: 1 } },
    ...answering(query),
  });
  record(
    changeOf(evaluation.id, place, 'UPDATE', {
      ...fieldChanges(evaluation, result),
      ...fieldChanges(stageFields(stage.kind, stage), stageFields(stage.kind, reopened)),
    }),
  );
  return updated;
}

const definitionsSchema = z.strictObject({
  municipality: z.string().max(16),
  stages: z
    .array(
      z.strictObject({
        kind: stageKind,
        name: text(50),
        role: z.enum(['EDITOR', 'PLANNING', 'REVIEWER']),
        required: z.boolean(),
      }),
    )
    .min(1, 'at least one stage')
    .max(4)
    .refine((stages) => new Set(stages.map((s) => s.kind)).size === stages.length, {
      message: 'each kind at most once',
    }),
});

/**
 * Sets the stages of a municipality's evaluations, in the order given (planning staff and
 * admins of it). Recorded as a change of the municipality: the procedure is public.
 */
export async function setEvaluationStages(
  ctx: ServiceContext,
  input: z.input<typeof definitionsSchema>,
  query?: MunicipalityAnswer,
) {
  const data = parseInput(definitionsSchema, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const municipality = await municipalityOfInput(tx, data.municipality);
    if (!actsForMunicipality(ctx.viewer, municipality.id)) {
      throw new ForbiddenError("Only the municipality's planning section sets its stages");
    }
    const before = await stageDefinitions(tx, municipality.id);
    const after = data.stages.map((stage, index) => ({ ...stage, position: index + 1 }));
    await tx.evaluationStageDefinition.deleteMany({ where: { municipalityId: municipality.id } });
    await tx.evaluationStageDefinition.createMany({
      data: after.map((stage) => ({ municipalityId: municipality.id, ...stage })),
    });
    record({
      municipalityId: municipality.id,
      entityType: 'Municipality',
      entityId: municipality.id,
      action: 'UPDATE',
      changes: fieldChanges({ evaluationStages: before }, { evaluationStages: after }),
    });
    // Which drafts the committee reviews follows the stages: each that moves in or out of its
    // view is a change of the evaluation (the committee sees it enter or leave).
    const drafts = await tx.evaluation.findMany({
      where: {
        status: 'DRAFT',
        initiative: { plan: { department: { municipalityId: municipality.id } } },
      },
      include: { stages: true, initiative: { include: withPlace } },
    });
    for (const draft of drafts) {
      const reviewStage = reviewStageOf(after, draft.stages);
      if (reviewStage === draft.reviewStage) continue;
      await tx.evaluation.update({
        where: { id: draft.id },
        data: { reviewStage, version: { increment: 1 } },
      });
      record(
        changeOf(draft.id, draft.initiative.plan, 'UPDATE', fieldChanges(draft, { reviewStage })),
      );
    }
    return tx.municipality.findUniqueOrThrow({
      where: { id: municipality.id },
      ...answering(query),
    });
  });
}

/** A staged evaluation with no completed stage has no result. */
const NO_RESULT = { rating: null, progressPercent: null, summary: null };

/** An evaluation's result taken from one of its stages (what the stage leaves unset stays). */
function resultOf<Rating>(
  stage: { rating: Rating | null; progressPercent: number | null; summary: string | null },
  evaluation: { rating: Rating | null; summary: string | null },
) {
  return {
    rating: stage.rating ?? evaluation.rating,
    progressPercent: stage.progressPercent,
    summary: stage.summary ?? evaluation.summary,
  };
}
