// Change (a change record): who changed what, when, field by field. Exposed as `history` on
// each entity (to whoever may read the entity) and as the `changes` log (to token holders,
// within their scope). Its sequence orders all changes and is the cursor of live updates.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { FieldChanges } from '../../db/history.ts';
import { ForbiddenError } from '../../errors.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { requireDepartment } from '../municipality/municipality.lookup.ts';

/** What a change did to its record: one enum for the change log, history and live events. */
export const ChangeKind = builder.enumType('ChangeKind', {
  values: {
    CREATE: { description: 'The record was created.' },
    UPDATE: { description: 'Fields of the record changed (publishing included).' },
    DELETE: { description: 'The record was deleted.' },
  } as const,
});

const FieldChange = builder
  .objectRef<{ field: string; before: unknown; after: unknown }>('FieldChange')
  .implement({
    fields: (t) => ({
      field: t.exposeString('field'),
      before: t.expose('before', { type: 'JSON', nullable: true }),
      after: t.expose('after', { type: 'JSON', nullable: true }),
    }),
  });

export const Change = builder.prismaObject('ChangeRecord', {
  name: 'Change',
  description: 'One write to one record: who, when, and each changed field before and after.',
  fields: (t) => ({
    sequence: t.string({
      description: 'Orders every change of the deployment; later changes have larger numbers.',
      resolve: (change) => change.id.toString(),
    }),
    action: t.expose('action', { type: ChangeKind }),
    actor: t.exposeString('actor', {
      description: 'e.g. token:AbC123 (教育部), anonymous, system:seed',
    }),
    at: t.expose('createdAt', { type: 'DateTime' }),
    entityType: t.exposeString('entityType'),
    entityId: t.id({
      description: 'Global ID of the changed record (which may since have been deleted).',
      resolve: (change) => encodeGlobalID(change.entityType, change.entityId),
    }),
    fiscalYear: t.exposeInt('fiscalYear', { nullable: true }),
    changes: t.field({
      type: [FieldChange],
      resolve: (change) =>
        Object.entries(change.changes as FieldChanges).map(([field, { before, after }]) => ({
          field,
          before,
          after,
        })),
    }),
  }),
});

type HistoryType =
  | 'Municipality'
  | 'Department'
  | 'DepartmentPlan'
  | 'Initiative'
  | 'Evaluation'
  | 'WhitePaper';

/** Adds `history` to an entity type: its changes, oldest first. */
function addHistory(type: HistoryType) {
  builder.prismaObjectField(type, 'history', (t) =>
    t.prismaConnection({
      type: 'ChangeRecord',
      cursor: 'id',
      ...pageSize,
      description: 'Every change to this record, oldest first.',
      resolve: (query, parent, _args, ctx) =>
        ctx.prisma.changeRecord.findMany({
          ...query,
          where: { entityType: type, entityId: (parent as { id: number }).id },
          orderBy: { id: 'asc' },
        }),
    }),
  );
}
for (const type of [
  'Municipality',
  'Department',
  'DepartmentPlan',
  'Initiative',
  'Evaluation',
  'WhitePaper',
] as const) {
  addHistory(type);
}

/** The change records a token holder may list: their municipality, or their department. */
function changeScope(ctx: Context): Prisma.ChangeRecordWhereInput {
  const { viewer } = ctx;
  if (viewer.kind !== 'token')
    throw new ForbiddenError('Sign in with an API token to read the change log');
  if (viewer.role === 'EDITOR') {
    return { municipalityId: viewer.municipalityId ?? -1, departmentId: viewer.departmentId ?? -1 };
  }
  return viewer.municipalityId === null ? {} : { municipalityId: viewer.municipalityId };
}

const ChangeFilter = builder.inputType('ChangeFilter', {
  fields: (t) => ({
    municipality: t.string({ description: 'National code, e.g. 132047.' }),
    department: t.string({ description: 'Department code (with municipality).' }),
    fiscalYear: t.int(),
    entityType: t.string({ description: 'e.g. DepartmentPlan, Initiative, Evaluation.' }),
    actor: t.string(),
  }),
});

builder.queryField('changes', (t) =>
  t.prismaConnection({
    type: 'ChangeRecord',
    cursor: 'id',
    ...pageSize,
    description: 'The change log, oldest first: for token holders, within what their token covers.',
    authScopes: { authenticated: true },
    args: { filter: t.arg({ type: ChangeFilter }) },
    resolve: async (query, _root, { filter }, ctx) => {
      const scope = changeScope(ctx);
      const department = filter?.department
        ? await requireDepartment(ctx.prisma, filter.municipality ?? '', filter.department)
        : null;
      return ctx.prisma.changeRecord.findMany({
        ...query,
        where: {
          AND: [
            scope,
            filter?.municipality ? { municipality: { code: filter.municipality } } : {},
            department ? { departmentId: department.id } : {},
            filter?.fiscalYear != null ? { fiscalYear: filter.fiscalYear } : {},
            filter?.entityType ? { entityType: filter.entityType } : {},
            filter?.actor ? { actor: filter.actor } : {},
          ],
        },
        orderBy: { id: 'asc' },
      });
    },
  }),
);

builder.queryField('latestChangeCursor', (t) =>
  t.string({
    nullable: true,
    description:
      'The cursor of the newest change (null before any). Subscribe with after: this to miss nothing from now on, even if the connection drops before the first event.',
    resolve: async (_root, _args, ctx) => {
      const newest = await ctx.prisma.changeRecord.findFirst({
        orderBy: { id: 'desc' },
        select: { id: true },
      });
      return newest ? newest.id.toString() : null;
    },
  }),
);
