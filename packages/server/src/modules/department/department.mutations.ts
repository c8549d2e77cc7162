// Mutations on departments (admins). Thin: department.service.ts checks and writes.
import { builder } from '../../graphql/builder.ts';
import { versionedWriteErrors, writeErrors } from '../../graphql/error-types.ts';
import { notExported } from '../../graphql/fields.ts';
import {
  createDepartment,
  deleteDepartment,
  recordReorganisation,
  updateDepartment,
} from './department.service.ts';
import { Department } from './department.type.ts';
import { DepartmentSuccession, ReorganisationKind } from './department-history.type.ts';

const CreateDepartmentInput = builder.inputType('CreateDepartmentInput', {
  fields: (t) => ({
    municipality: t.string({ required: true, description: 'National code, e.g. 132047.' }),
    code: t.string({
      required: true,
      description: 'Stable code, e.g. kyoiku: lower-case letters, digits, hyphens. Never changes.',
    }),
    name: t.string({ required: true, description: 'e.g. 教育部' }),
    nameEn: t.string(),
    displayOrder: t.int({ required: true }),
    establishedIn: t.int({ description: 'First fiscal year it existed, when known.' }),
    abolishedAfter: t.int({ description: 'Last fiscal year it existed, once reorganised.' }),
  }),
});

const UpdateDepartmentInput = builder.inputType('UpdateDepartmentInput', {
  description: 'Fields left out stay as they are; null clears one. The code never changes.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: Department }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
    name: t.string(),
    nameEn: t.string(),
    displayOrder: t.int(),
    establishedIn: t.int(),
    abolishedAfter: t.int(),
    renamedFrom: t.int({
      description:
        'With a new name, English name or display order: the fiscal year they apply from. Earlier years keep the names they had (see Department.nameIn and DepartmentPlan.departmentAsOfYear). Without it, a change corrects every year.',
    }),
  }),
});

const RecordReorganisationInput = builder.inputType('RecordReorganisationInput', {
  description:
    'Every predecessor is linked to every successor (a split: one to many; a merge: many to one).',
  fields: (t) => ({
    kind: t.field({ type: ReorganisationKind, required: true }),
    fiscalYear: t.int({
      required: true,
      description: 'The first fiscal year of the new arrangement.',
    }),
    predecessors: t.globalIDList({ required: true, for: Department }),
    successors: t.globalIDList({ required: true, for: Department }),
  }),
});

const DeleteDepartmentInput = builder.inputType('DeleteDepartmentInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: Department }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
  }),
});

// Updates name the version they read, so the type must show it. Added here, beside the
// writes that need it, rather than in the read module.
builder.prismaObjectField(Department, 'version', (t) =>
  t.exposeInt('version', {
    description: 'Increases with every change; pass it to updateDepartment.',
    ...notExported(),
  }),
);

builder.mutationFields((t) => ({
  createDepartment: t.prismaField({
    type: Department,
    description: 'Adds a department to a municipality. Its admins only.',
    authScopes: { admin: true },
    errors: { types: [...writeErrors], dataField: { name: 'department' } },
    args: { input: t.arg({ type: CreateDepartmentInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => createDepartment(ctx, input, query),
  }),
  updateDepartment: t.prismaField({
    type: Department,
    description: "Edits a department's names, order or years. Admins of its municipality only.",
    authScopes: { admin: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'department' } },
    args: { input: t.arg({ type: UpdateDepartmentInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      updateDepartment(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
  recordReorganisation: t.prismaField({
    type: [DepartmentSuccession],
    description:
      'Records that work of the predecessor departments went to the successors from a fiscal year (a split, merge or transfer). Admins of the municipality only.',
    authScopes: { admin: true },
    errors: { types: [...writeErrors], dataField: { name: 'successions' } },
    args: { input: t.arg({ type: RecordReorganisationInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      recordReorganisation(
        ctx,
        {
          kind: input.kind,
          fiscalYear: input.fiscalYear,
          predecessors: input.predecessors.map((id) => Number(id.id)),
          successors: input.successors.map((id) => Number(id.id)),
        },
        query,
      ),
  }),
  deleteDepartment: t.prismaField({
    type: Department,
    description:
      'Deletes a department that has no plans (added by mistake). One with plans is refused (HAS_PLANS): delete them first, or keep it and record its end with abolishedAfter. Tokens that act for it are revoked first (HAS_TOKENS). The change log keeps its history. Admins of its municipality only.',
    authScopes: { admin: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'department' } },
    args: { input: t.arg({ type: DeleteDepartmentInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      deleteDepartment(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
}));
