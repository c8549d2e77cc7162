// Mutations on white papers (planning section). Thin: white-paper.service.ts checks and writes.
import { builder } from '../../graphql/builder.ts';
import { versionedWriteErrors, writeErrors } from '../../graphql/error-types.ts';
import {
  createWhitePaper,
  deleteWhitePaper,
  publishWhitePaper,
  unpublishWhitePaper,
  updateWhitePaper,
} from './white-paper.service.ts';
import { WhitePaper } from './white-paper.type.ts';

const CreateWhitePaperInput = builder.inputType('CreateWhitePaperInput', {
  fields: (t) => ({
    municipality: t.string({ required: true, description: 'National code, e.g. 132047.' }),
    title: t.string({ required: true, description: 'e.g. 三鷹市自治体経営白書2012' }),
    publicationDate: t.string({
      required: true,
      description: 'At the precision known: 2012-07 or 2012-07-31.',
    }),
    reportsOnFiscalYear: t.int({
      required: true,
      description: 'The fiscal year whose achievements it reports, e.g. 2011.',
    }),
    url: t.string({ description: 'Where it is published (http or https).' }),
  }),
});

const UpdateWhitePaperInput = builder.inputType('UpdateWhitePaperInput', {
  description: 'Fields left out stay as they are; null clears one.',
  fields: (t) => ({
    id: t.globalID({ required: true, for: WhitePaper }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
    title: t.string(),
    publicationDate: t.string(),
    reportsOnFiscalYear: t.int(),
    url: t.string(),
  }),
});

// Updates name the version they read, so the type must show it. Added here, beside the
// writes that need it, rather than in the read module.
builder.prismaObjectField(WhitePaper, 'version', (t) =>
  t.exposeInt('version', {
    description: 'Increases with every change; pass it to updateWhitePaper.',
  }),
);

const PublishWhitePaperInput = builder.inputType('PublishWhitePaperInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: WhitePaper }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
  }),
});

builder.prismaObjectField(WhitePaper, 'publishedAt', (t) =>
  t.expose('publishedAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When publishWhitePaper published it with its evaluations (null before).',
  }),
);

builder.mutationFields((t) => ({
  publishWhitePaper: t.prismaField({
    type: WhitePaper,
    description:
      'Publishes the white paper and every evaluation it lists, in one step; or publishes nothing and names each evaluation that is not ready (EVALUATION_NOT_READY, DECISION_INCONSISTENT). Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'whitePaper' } },
    args: { input: t.arg({ type: PublishWhitePaperInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      publishWhitePaper(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
  unpublishWhitePaper: t.prismaField({
    type: WhitePaper,
    description:
      'Withdraws a published white paper: it and the evaluations it published return to drafts in one step (the change log keeps their history), and the fiscal year it reports on is open again. Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'whitePaper' } },
    args: { input: t.arg({ type: PublishWhitePaperInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      unpublishWhitePaper(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
  deleteWhitePaper: t.prismaField({
    type: WhitePaper,
    description:
      'Deletes a white paper never published, or withdrawn first (PUBLISHED otherwise); its evaluations stay, citing none. Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'whitePaper' } },
    args: { input: t.arg({ type: PublishWhitePaperInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      deleteWhitePaper(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
  createWhitePaper: t.prismaField({
    type: WhitePaper,
    description: 'Records a white paper (one per fiscal year reported on). Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'whitePaper' } },
    args: { input: t.arg({ type: CreateWhitePaperInput, required: true }) },
    resolve: (query, _root, { input }, ctx) => createWhitePaper(ctx, input, query),
  }),
  updateWhitePaper: t.prismaField({
    type: WhitePaper,
    description: 'Edits a white paper. Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'whitePaper' } },
    args: { input: t.arg({ type: UpdateWhitePaperInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      updateWhitePaper(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
}));
