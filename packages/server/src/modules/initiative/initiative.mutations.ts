// Mutations on a plan's initiatives; initiative.service.ts checks and writes.
import { builder } from '../../graphql/builder.ts';
import { versionedWriteErrors, writeErrors } from '../../graphql/error-types.ts';
import { DepartmentPlan } from '../plan/plan.type.ts';
import {
  addInitiative,
  removeInitiative,
  reorderInitiatives,
  updateInitiative,
} from './initiative.service.ts';
import { Initiative } from './initiative.type.ts';

const AddInitiativeInput = builder.inputType('AddInitiativeInput', {
  fields: (t) => ({
    plan: t.globalID({ required: true, for: DepartmentPlan }),
    text: t.string({ required: true }),
    isAdministrativeReform: t.boolean({ description: '☞ 行革推進事業; false when absent.' }),
    footnotes: t.stringList(),
    citations: t.stringList(),
    position: t.int({ description: '1-based; at the end when absent. Later ones move down.' }),
  }),
});

const UpdateInitiativeInput = builder.inputType('UpdateInitiativeInput', {
  description: 'Fields left out (or null) stay as they are.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: Initiative }),
    expectedVersion: t.int({ required: true }),
    text: t.string(),
    isAdministrativeReform: t.boolean(),
    footnotes: t.stringList(),
    citations: t.stringList(),
  }),
});

const ReorderInitiativesInput = builder.inputType('ReorderInitiativesInput', {
  fields: (t) => ({
    plan: t.globalID({ required: true, for: DepartmentPlan }),
    expectedVersion: t.int({ required: true, description: "The plan's version you read." }),
    initiatives: t.globalIDList({
      required: true,
      for: Initiative,
      description: 'Every initiative of the plan, in the new order.',
    }),
  }),
});

const RemoveInitiativeInput = builder.inputType('RemoveInitiativeInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: Initiative }),
    expectedVersion: t.int({ required: true }),
  }),
});

builder.mutationFields((t) => ({
  addInitiative: t.prismaField({
    type: Initiative,
    authScopes: { authenticated: true },
    errors: { types: [...writeErrors], dataField: { name: 'initiative' } },
    args: { input: t.arg({ type: AddInitiativeInput, required: true }) },
    resolve: (query, _root, { input: { plan, ...input } }, ctx) =>
      addInitiative(ctx, { ...input, planId: Number(plan.id) }, query),
  }),
  updateInitiative: t.prismaField({
    type: Initiative,
    authScopes: { authenticated: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'initiative' } },
    args: { input: t.arg({ type: UpdateInitiativeInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      updateInitiative(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
  reorderInitiatives: t.prismaField({
    type: DepartmentPlan,
    authScopes: { authenticated: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'plan' } },
    args: { input: t.arg({ type: ReorderInitiativesInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      reorderInitiatives(
        ctx,
        {
          planId: Number(input.plan.id),
          expectedVersion: input.expectedVersion,
          initiativeIds: input.initiatives.map((id) => Number(id.id)),
        },
        query,
      ),
  }),
  removeInitiative: t.prismaField({
    type: DepartmentPlan,
    description: 'Removes an initiative; the ones after it move up.',
    authScopes: { authenticated: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'plan' } },
    args: { input: t.arg({ type: RemoveInitiativeInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      removeInitiative(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
}));
