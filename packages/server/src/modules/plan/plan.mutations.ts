// Mutations on plans. Thin: inputs are mapped to plan.service.ts, which checks and writes.
import { builder } from '../../graphql/builder.ts';
import { versionedWriteErrors, writeErrors } from '../../graphql/error-types.ts';
import { createPlan, deletePlan, setPlanStatus, updatePlan } from './plan.service.ts';
import { DepartmentPlan } from './plan.type.ts';

const CreatePlanInput = builder.inputType('CreatePlanInput', {
  fields: (t) => ({
    municipality: t.string({ required: true, description: 'National code, e.g. 132047.' }),
    department: t.string({ required: true, description: 'Department code, e.g. kyoiku.' }),
    fiscalYear: t.int({ required: true }),
    mission: t.string(),
    staffCount: t.int(),
    budgetYen: t.field({ type: 'SafeInt' }),
    policy: t.string(),
  }),
});

const UpdatePlanInput = builder.inputType('UpdatePlanInput', {
  description: 'Fields left out stay as they are; null clears one.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: DepartmentPlan }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
    mission: t.string(),
    staffCount: t.int(),
    budgetYen: t.field({ type: 'SafeInt' }),
    policy: t.string(),
  }),
});

const PlanVersionInput = builder.inputType('PlanVersionInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: DepartmentPlan }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
  }),
});

builder.mutationFields((t) => ({
  createPlan: t.prismaField({
    type: DepartmentPlan,
    description: "Starts a department's plan for a fiscal year, as a draft.",
    authScopes: { authenticated: true },
    errors: { types: [...writeErrors], dataField: { name: 'plan' } },
    args: { input: t.arg({ type: CreatePlanInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => createPlan(ctx, input, query),
  }),
  updatePlan: t.prismaField({
    type: DepartmentPlan,
    authScopes: { authenticated: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'plan' } },
    args: { input: t.arg({ type: UpdatePlanInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      updatePlan(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
  publishPlan: t.prismaField({
    type: DepartmentPlan,
    description: 'Makes a plan and its initiatives public. Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'plan' } },
    args: { input: t.arg({ type: PlanVersionInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      setPlanStatus(ctx, { ...input, id: Number(input.id.id) }, 'PUBLISHED', query),
  }),
  unpublishPlan: t.prismaField({
    type: DepartmentPlan,
    description: 'Takes a plan back to draft. Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'plan' } },
    args: { input: t.arg({ type: PlanVersionInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      setPlanStatus(ctx, { ...input, id: Number(input.id.id) }, 'DRAFT', query),
  }),
  deletePlan: t.prismaField({
    type: DepartmentPlan,
    description: 'Deletes a draft plan with its initiatives.',
    authScopes: { authenticated: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'plan' } },
    args: { input: t.arg({ type: PlanVersionInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      deletePlan(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
}));
