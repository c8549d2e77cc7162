// The stages of an evaluation (自己評価, 一次評価, 二次評価, 外部評価) as the API shows them, the
// stages a municipality uses, and the mutations that move an evaluation through them.
// Thin: evaluation-stage.service.ts checks and writes.
import { builder } from '../../graphql/builder.ts';
import { versionedWriteErrors, writeErrors } from '../../graphql/error-types.ts';
import { fieldFacts } from '../../graphql/fields.ts';
import { Initiative } from '../initiative/initiative.type.ts';
import { Municipality } from '../municipality/municipality.type.ts';
import { guardedBy, visibleEvaluationStages } from '../visibility/visibility.policy.ts';
import { AchievementRating, Evaluation } from './evaluation.type.ts';
import { type StageDefinition, stageDefinitions } from './evaluation-stage.policy.ts';
import {
  completeEvaluationStage,
  recordEvaluationStage,
  returnEvaluationStage,
  setEvaluationStages,
} from './evaluation-stage.service.ts';

export const EvaluationStageKind = builder.enumType('EvaluationStageKind', {
  description: 'A stage of an evaluation (行政評価), in their usual order.',
  values: {
    SELF: { description: '自己評価: by the department.' },
    FIRST: { description: '一次評価: by the planning section.' },
    SECOND: { description: '二次評価: by the planning section.' },
    EXTERNAL: { description: '外部評価: by the external evaluation committee.' },
  } as const,
});

export const EvaluationStageState = builder.enumType('EvaluationStageState', {
  values: {
    OPEN: { description: 'Being worked on (or sent back).' },
    COMPLETED: { description: 'Done: the evaluation shows the last completed stage.' },
  } as const,
});

builder.prismaObject('EvaluationStage', {
  description:
    "One stage of an evaluation, with its own rating, progress and summary. Only the department's staff and the external committee see stages; the public sees the evaluation's result.",
  fields: (t) => ({
    kind: t.expose('kind', {
      type: EvaluationStageKind,
      ...fieldFacts({
        openData: {
          key: 'stage',
          ja: '評価段階',
          en: 'Stage',
          sourceTerm: '自己評価・一次評価・二次評価・外部評価',
          description: 'Which stage of the evaluation: SELF, FIRST, SECOND or EXTERNAL.',
          identifiesRow: true,
        },
      }),
    }),
    state: t.expose('state', {
      type: EvaluationStageState,
      ...fieldFacts({
        openData: {
          ja: '段階の状態',
          en: 'Stage state',
          description:
            'OPEN while worked on, COMPLETED when done; an import completes or sends back a stage as the mutations do.',
        },
      }),
    }),
    rating: t.expose('rating', {
      type: AchievementRating,
      nullable: true,
      ...fieldFacts({
        openData: { ja: '段階の達成状況', en: 'Stage rating', sourceTerm: '達成状況' },
      }),
    }),
    progressPercent: t.exposeInt('progressPercent', {
      nullable: true,
      ...fieldFacts({
        openData: {
          ja: '段階の達成率',
          en: 'Stage progress',
          unit: '% (percent)',
          description: 'Share of the goal reached, as this stage states it.',
          min: 0,
          max: 100,
        },
      }),
    }),
    summary: t.exposeString('summary', {
      nullable: true,
      ...fieldFacts({
        openData: {
          ja: '段階の評価概要',
          en: 'Stage summary',
          description: 'What this stage says, verbatim.',
          maxLength: 4000,
        },
      }),
    }),
    reviewer: t.exposeString('reviewer', {
      nullable: true,
      description: 'The office that completed it (null while open).',
      ...fieldFacts({ openData: { ja: '完了した担当', en: 'Completed by', exportOnly: true } }),
    }),
    completedAt: t.expose('completedAt', {
      type: 'DateTime',
      nullable: true,
      ...fieldFacts({
        openData: {
          ja: '完了日時',
          en: 'Completed at',
          description: 'When the stage was completed (null while open).',
          exportOnly: true,
        },
      }),
    }),
    returnReason: t.exposeString('returnReason', {
      nullable: true,
      description: 'Why it was last sent back, if it was.',
      ...fieldFacts({
        openData: {
          ja: '差戻し理由',
          en: 'Reason sent back',
          description:
            'Why it was last sent back. On import, the reason given when the file sends a completed stage back (state OPEN).',
          maxLength: 1000,
        },
      }),
    }),
  }),
});

builder.prismaObjectField(Evaluation, 'stages', (t) =>
  t.relation('stages', {
    ...guardedBy('evaluation', 'visibleEvaluationStages: staff and the external committee only'),
    description: 'Its stages so far, in stage order (empty for the public).',
    query: (_args, ctx) => ({ where: visibleEvaluationStages(ctx), orderBy: { kind: 'asc' } }),
  }),
);

const StageRoleRef = builder.enumType('EvaluationStageRole', {
  description: 'Who works on a stage.',
  values: {
    EDITOR: { description: "The department's editors (planning may act for them)." },
    PLANNING: { description: 'Planning staff and admins.' },
    REVIEWER: { description: 'The external committee (or planning on its behalf).' },
  } as const,
});

const EvaluationStageDefinitionRef = builder
  .objectRef<StageDefinition>('EvaluationStageDefinition')
  .implement({
    description: "A stage of the municipality's evaluations and who works on it.",
    fields: (t) => ({
      kind: t.field({ type: EvaluationStageKind, resolve: (d) => d.kind }),
      position: t.exposeInt('position'),
      name: t.exposeString('name', { description: 'e.g. 自己評価' }),
      role: t.field({
        type: StageRoleRef,
        description:
          "Who works on it: EDITOR (the department's editors), PLANNING, REVIEWER (the external committee); planning staff may act for every stage.",
        resolve: (d) => (d.role === 'ADMIN' ? 'PLANNING' : d.role),
      }),
      required: t.exposeBoolean('required', {
        description: 'An evaluation is published only once every required stage is completed.',
      }),
    }),
  });

builder.prismaObjectField(Municipality, 'evaluationStages', (t) =>
  t.field({
    type: [EvaluationStageDefinitionRef],
    description: 'The stages its evaluations go through, in order.',
    select: { id: true },
    resolve: (municipality, _args, ctx) => stageDefinitions(ctx.prisma, municipality.id),
  }),
);

const RecordEvaluationStageInput = builder.inputType('RecordEvaluationStageInput', {
  fields: (t) => ({
    initiative: t.globalID({ required: true, for: Initiative }),
    stage: t.field({ type: EvaluationStageKind, required: true }),
    rating: t.field({ type: AchievementRating, required: true }),
    progressPercent: t.int({ description: 'Share of the goal reached, 0 to 100.' }),
    summary: t.string({ required: true }),
    expectedVersion: t.int({
      description: 'The version of the evaluation you read; required once it exists.',
    }),
  }),
});

const EvaluationStageInput = builder.inputType('EvaluationStageInput', {
  fields: (t) => ({
    evaluation: t.globalID({ required: true, for: Evaluation }),
    stage: t.field({ type: EvaluationStageKind, required: true }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
  }),
});

const ReturnEvaluationStageInput = builder.inputType('ReturnEvaluationStageInput', {
  fields: (t) => ({
    evaluation: t.globalID({ required: true, for: Evaluation }),
    stage: t.field({ type: EvaluationStageKind, required: true }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
    reason: t.string({ required: true, description: 'Why it goes back (required).' }),
  }),
});

const EvaluationStageDefinitionInput = builder.inputType('EvaluationStageDefinitionInput', {
  fields: (t) => ({
    kind: t.field({ type: EvaluationStageKind, required: true }),
    name: t.string({ required: true, description: 'e.g. 自己評価' }),
    role: t.field({ type: StageRoleRef, required: true }),
    required: t.boolean({ required: true }),
  }),
});

const SetEvaluationStagesInput = builder.inputType('SetEvaluationStagesInput', {
  fields: (t) => ({
    municipality: t.string({ required: true, description: 'National code, e.g. 132047.' }),
    stages: t.field({
      type: [EvaluationStageDefinitionInput],
      required: true,
      description: 'In order; each kind at most once.',
    }),
  }),
});

builder.mutationFields((t) => ({
  setEvaluationStages: t.prismaField({
    type: Municipality,
    description:
      "Sets the stages of the municipality's evaluations, in order. Planning section and admins.",
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'municipality' } },
    args: { input: t.arg({ type: SetEvaluationStagesInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => setEvaluationStages(ctx, input, query),
  }),
  recordEvaluationStage: t.prismaField({
    type: Evaluation,
    description:
      "Records (or revises) one open stage of an initiative's evaluation, creating the evaluation as a draft with the first stage. SELF: the department's editors; FIRST and SECOND: planning; EXTERNAL: the external committee.",
    authScopes: { authenticated: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'evaluation' } },
    args: { input: t.arg({ type: RecordEvaluationStageInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      recordEvaluationStage(ctx, { ...input, initiative: Number(input.initiative.id) }, query),
  }),
  completeEvaluationStage: t.prismaField({
    type: Evaluation,
    description:
      "Completes a stage: the evaluation's result becomes its rating, progress and summary.",
    authScopes: { authenticated: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'evaluation' } },
    args: { input: t.arg({ type: EvaluationStageInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      completeEvaluationStage(ctx, { ...input, evaluation: Number(input.evaluation.id) }, query),
  }),
  returnEvaluationStage: t.prismaField({
    type: Evaluation,
    description:
      'Sends the last completed stage back to open, with a reason; the result falls back to the stage before it.',
    authScopes: { authenticated: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'evaluation' } },
    args: { input: t.arg({ type: ReturnEvaluationStageInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      returnEvaluationStage(ctx, { ...input, evaluation: Number(input.evaluation.id) }, query),
  }),
}));
