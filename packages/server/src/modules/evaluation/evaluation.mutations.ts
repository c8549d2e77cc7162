// Mutations on evaluations (planning section). Thin: evaluation.service.ts checks and writes.
import { builder } from '../../graphql/builder.ts';
import { versionedWriteErrors, writeErrors } from '../../graphql/error-types.ts';
import { Initiative } from '../initiative/initiative.type.ts';
import { WhitePaper } from '../white-paper/white-paper.type.ts';
import {
  deleteEvaluation,
  recordEvaluation,
  setEvaluationStatus,
  updateEvaluation,
} from './evaluation.service.ts';
import { AchievementRating, Evaluation, NextYearDecision } from './evaluation.type.ts';

const RecordEvaluationInput = builder.inputType('RecordEvaluationInput', {
  fields: (t) => ({
    initiative: t.globalID({ required: true, for: Initiative }),
    rating: t.field({ type: AchievementRating, required: true }),
    progressPercent: t.int({ description: 'Share of the goal reached, 0 to 100.' }),
    summary: t.string({ required: true }),
    decision: t.field({ type: NextYearDecision }),
    nextInitiative: t.globalID({
      for: Initiative,
      description: "A later fiscal year's initiative that carries this one on.",
    }),
    whitePaper: t.globalID({
      for: WhitePaper,
      description: "The white paper reporting on the initiative's fiscal year.",
    }),
  }),
});

const UpdateEvaluationInput = builder.inputType('UpdateEvaluationInput', {
  description: 'Fields left out stay as they are; null clears one.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: Evaluation }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
    rating: t.field({ type: AchievementRating }),
    progressPercent: t.int(),
    summary: t.string(),
    decision: t.field({ type: NextYearDecision }),
    nextInitiative: t.globalID({ for: Initiative }),
    whitePaper: t.globalID({ for: WhitePaper }),
  }),
});

const EvaluationVersionInput = builder.inputType('EvaluationVersionInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: Evaluation }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
  }),
});

/** A global ID argument as a row id, keeping "left out" and null apart. */
const rowId = (id: { id: string } | null | undefined) =>
  id === undefined ? undefined : id === null ? null : Number(id.id);

builder.mutationFields((t) => ({
  recordEvaluation: t.prismaField({
    type: Evaluation,
    description: "Records an initiative's achievement, as a draft. Planning section only.",
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'evaluation' } },
    args: { input: t.arg({ type: RecordEvaluationInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      recordEvaluation(
        ctx,
        {
          ...input,
          initiative: Number(input.initiative.id),
          nextInitiative: rowId(input.nextInitiative),
          whitePaper: rowId(input.whitePaper),
        },
        query,
      ),
  }),
  updateEvaluation: t.prismaField({
    type: Evaluation,
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'evaluation' } },
    args: { input: t.arg({ type: UpdateEvaluationInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      updateEvaluation(
        ctx,
        {
          ...input,
          id: Number(input.id.id),
          nextInitiative: rowId(input.nextInitiative),
          whitePaper: rowId(input.whitePaper),
        },
        query,
      ),
  }),
  publishEvaluation: t.prismaField({
    type: Evaluation,
    description: 'Makes an evaluation public (where its plan is). Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'evaluation' } },
    args: { input: t.arg({ type: EvaluationVersionInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      setEvaluationStatus(ctx, { ...input, id: Number(input.id.id) }, 'PUBLISHED', query),
  }),
  unpublishEvaluation: t.prismaField({
    type: Evaluation,
    description: 'Takes an evaluation back to draft. Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'evaluation' } },
    args: { input: t.arg({ type: EvaluationVersionInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      setEvaluationStatus(ctx, { ...input, id: Number(input.id.id) }, 'DRAFT', query),
  }),
  deleteEvaluation: t.prismaField({
    type: Evaluation,
    description:
      'Deletes a draft evaluation with its stages (PUBLISHED: withdraw it with unpublishEvaluation first); the change log keeps its history. Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'evaluation' } },
    args: { input: t.arg({ type: EvaluationVersionInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      deleteEvaluation(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
}));
