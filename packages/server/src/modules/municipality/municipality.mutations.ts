// Mutations on municipalities (admins). Thin: municipality.service.ts checks and writes.
import { builder } from '../../graphql/builder.ts';
import { versionedWriteErrors, writeErrors } from '../../graphql/error-types.ts';
import {
  createMunicipality,
  deleteMunicipality,
  updateMunicipality,
} from './municipality.service.ts';
import { Municipality } from './municipality.type.ts';

const CreateMunicipalityInput = builder.inputType('CreateMunicipalityInput', {
  fields: (t) => ({
    code: t.string({
      required: true,
      description: 'Six-digit national local-government code with its check digit, e.g. 132047.',
    }),
    name: t.string({ required: true, description: 'e.g. 三鷹市' }),
    prefecture: t.string({ required: true, description: 'e.g. 東京都; must match the code.' }),
    contactSection: t.string({ description: '問い合わせ先, e.g. 企画経営課' }),
    contactExtension: t.string({ description: '内線, e.g. 2150' }),
  }),
});

const UpdateMunicipalityInput = builder.inputType('UpdateMunicipalityInput', {
  description: 'Fields left out stay as they are; null clears one. The code never changes.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: Municipality }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
    name: t.string(),
    prefecture: t.string(),
    contactSection: t.string(),
    contactExtension: t.string(),
  }),
});

const DeleteMunicipalityInput = builder.inputType('DeleteMunicipalityInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: Municipality }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
  }),
});

// Updates name the version they read, so the type must show it. Added here, beside the
// writes that need it, rather than in the read module.
builder.prismaObjectField(Municipality, 'version', (t) =>
  t.exposeInt('version', {
    description: 'Increases with every change; pass it to updateMunicipality.',
  }),
);

builder.mutationFields((t) => ({
  createMunicipality: t.prismaField({
    type: Municipality,
    description: 'Adds a municipality. Admins of every municipality only.',
    authScopes: { admin: true },
    errors: { types: [...writeErrors], dataField: { name: 'municipality' } },
    args: { input: t.arg({ type: CreateMunicipalityInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => createMunicipality(ctx, input, query),
  }),
  updateMunicipality: t.prismaField({
    type: Municipality,
    description: "Edits a municipality's name, prefecture or contact. Its admins only.",
    authScopes: { admin: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'municipality' } },
    args: { input: t.arg({ type: UpdateMunicipalityInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      updateMunicipality(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
  deleteMunicipality: t.prismaField({
    type: Municipality,
    description:
      'Deletes a municipality that holds nothing (added by mistake): one with departments, white papers, publication facts, status rules or usable tokens is refused, one issue each (HAS_DEPARTMENTS...). The change log keeps its history. Admins of every municipality only.',
    authScopes: { admin: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'municipality' } },
    args: { input: t.arg({ type: DeleteMunicipalityInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      deleteMunicipality(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
}));
