// Mutations on targets, their actuals and a municipality's status rules; target.service.ts
// checks and writes.
import { builder } from '../../graphql/builder.ts';
import { versionedWriteErrors, writeErrors } from '../../graphql/error-types.ts';
import { Initiative } from '../initiative/initiative.type.ts';
import {
  addTarget,
  recordActual,
  removeActual,
  removeTarget,
  setStatusRules,
  updateTarget,
} from './target.service.ts';
import {
  ruleSetView,
  StatusRuleSetRef,
  Target,
  TargetActual,
  TargetDirection,
  TargetStatus,
} from './target.type.ts';

const AddTargetInput = builder.inputType('AddTargetInput', {
  description:
    'AT_LEAST / AT_MOST need targetValue (and usually baseline); WITHIN_RANGE rangeMin and rangeMax; MILESTONE targetDate.',
  fields: (t) => ({
    initiative: t.globalID({ required: true, for: Initiative }),
    indicator: t.string({ required: true, description: 'What is measured.' }),
    unit: t.string(),
    direction: t.field({ type: TargetDirection, required: true }),
    baseline: t.float(),
    targetValue: t.float(),
    rangeMin: t.float(),
    rangeMax: t.float(),
    targetDate: t.field({ type: 'LocalDate' }),
    weight: t.float({ description: "Share in a roll-up's weighted progress; 1 when absent." }),
  }),
});

const UpdateTargetInput = builder.inputType('UpdateTargetInput', {
  description: 'Fields left out stay as they are; null clears an optional one.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: Target }),
    expectedVersion: t.int({ required: true }),
    indicator: t.string(),
    unit: t.string(),
    direction: t.field({ type: TargetDirection }),
    baseline: t.float(),
    targetValue: t.float(),
    rangeMin: t.float(),
    rangeMax: t.float(),
    targetDate: t.field({ type: 'LocalDate' }),
    weight: t.float(),
  }),
});

const RemoveTargetInput = builder.inputType('RemoveTargetInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: Target }),
    expectedVersion: t.int({ required: true }),
  }),
});

const RecordTargetActualInput = builder.inputType('RecordTargetActualInput', {
  description:
    "One period's actual; recording the same measuredOn again replaces it. MILESTONE targets give reachedOn (or nothing while not reached), the others a value.",
  fields: (t) => ({
    target: t.globalID({ required: true, for: Target }),
    period: t.string({ required: true, description: 'e.g. 2012年度上半期.' }),
    measuredOn: t.field({ type: 'LocalDate', required: true }),
    value: t.float(),
    reachedOn: t.field({ type: 'LocalDate' }),
  }),
});

const RemoveTargetActualInput = builder.inputType('RemoveTargetActualInput', {
  fields: (t) => ({ id: t.globalID({ required: true, for: TargetActual }) }),
});

const StatusRuleInput = builder.inputType('StatusRuleInput', {
  fields: (t) => ({
    id: t.string({ required: true, description: 'e.g. at-risk.' }),
    status: t.field({ type: TargetStatus, required: true }),
    description: t.string({ required: true, description: 'In Japanese (or the city’s words).' }),
    descriptionEn: t.string({ description: 'In English.' }),
    when: t.field({
      type: 'JSON',
      required: true,
      description: 'The condition (docs/targets-and-as-of.md), e.g. { "meetsTarget": true }.',
    }),
  }),
});

const SetStatusRulesInput = builder.inputType('SetStatusRulesInput', {
  fields: (t) => ({
    municipality: t.string({ required: true, description: 'National code.' }),
    fromFiscalYear: t.int({
      description:
        'The first fiscal year the rules apply to, until a later set’s (absent: the first year that is not closed). A closed year, whose white paper is published, keeps its rules (CLOSED_YEAR).',
    }),
    expectedVersion: t.int({
      description: 'The version of that set you read (0 while there is none).',
    }),
    rules: t.field({
      type: [StatusRuleInput],
      description: 'In order; the last must be { "always": true }. Null resets to the default.',
    }),
  }),
});

builder.mutationFields((t) => ({
  addTarget: t.prismaField({
    type: Target,
    authScopes: { authenticated: true },
    errors: { types: [...writeErrors], dataField: { name: 'target' } },
    args: { input: t.arg({ type: AddTargetInput, required: true }) },
    resolve: (query, _root, { input: { initiative, ...input } }, ctx) =>
      addTarget(ctx, { ...input, initiativeId: Number(initiative.id) }, query),
  }),
  updateTarget: t.prismaField({
    type: Target,
    authScopes: { authenticated: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'target' } },
    args: { input: t.arg({ type: UpdateTargetInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      updateTarget(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
  removeTarget: t.prismaField({
    type: Initiative,
    authScopes: { authenticated: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'initiative' } },
    args: { input: t.arg({ type: RemoveTargetInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      removeTarget(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
  recordTargetActual: t.prismaField({
    type: Target,
    authScopes: { authenticated: true },
    errors: { types: [...writeErrors], dataField: { name: 'target' } },
    args: { input: t.arg({ type: RecordTargetActualInput, required: true }) },
    resolve: (query, _root, { input: { target, ...input } }, ctx) =>
      recordActual(ctx, { ...input, targetId: Number(target.id) }, query),
  }),
  removeTargetActual: t.prismaField({
    type: Target,
    authScopes: { authenticated: true },
    errors: { types: [...writeErrors], dataField: { name: 'target' } },
    args: { input: t.arg({ type: RemoveTargetActualInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      removeActual(ctx, { id: Number(input.id.id) }, query),
  }),
  setStatusRules: t.field({
    type: StatusRuleSetRef,
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'statusRules' } },
    args: { input: t.arg({ type: SetStatusRulesInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const { municipalityId, fromFiscalYear } = await setStatusRules(ctx, {
        ...input,
        rules: (input.rules ?? null) as Parameters<typeof setStatusRules>[1]['rules'],
      });
      const municipality = await ctx.prisma.municipality.findUniqueOrThrow({
        where: { id: municipalityId },
      });
      return ruleSetView(ctx, municipality, fromFiscalYear);
    },
  }),
}));
