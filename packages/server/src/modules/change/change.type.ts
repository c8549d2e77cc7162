// Change (a change record): who changed what, when, field by field. Exposed as `history` on
// each entity and as the `changes` log (to token holders), both filtered by visibleChanges,
// and shown relative to the viewer by judgeChange (visibility.policy.ts): a viewer for whom the
// change made the entity ENTER their view sees its whole state then (never the draft-time
// values before it); one for whom it LEFT sees no values after it. Its sequence orders all
// changes and is the cursor of live updates.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ChangeRecord, Prisma } from '../../../generated/prisma/client.ts';
import type { FieldChanges } from '../../db/history.ts';
import { ForbiddenError } from '../../errors.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { keysetPage, keyValues, rememberKeys, withKeyFields } from '../../graphql/keyset.ts';
import { inRequestBatch } from '../../graphql/request-batch.ts';
import { requireDepartment } from '../municipality/municipality.lookup.ts';
import {
  guardedBy,
  judgeChange,
  seesActorToken,
  visibleChanges,
} from '../visibility/visibility.policy.ts';
import { showReferencesInRequest } from './references.ts';

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

// Its fields read only the record's own columns, which every load of a ChangeRecord has: no
// field-level `select`, which would make Pothos load each record again when it did not load it
// itself (a live event's record), one statement per event replayed.
export const Change = builder.prismaObject('ChangeRecord', {
  name: 'Change',
  description: 'One write to one record: who, when, and each changed field before and after.',
  fields: (t) => ({
    sequence: t.string({
      description: 'Orders every change of the deployment; later changes have larger numbers.',
      resolve: (change) => change.id.toString(),
    }),
    action: t.expose('action', { type: ChangeKind }),
    actor: t.string({
      description:
        "Who made it: the token (`token:AbC123 (教育部)`) for the staff of the record's department, the office (as `office`) for everyone else.",
      resolve: (change, _args, ctx) =>
        seesActorToken(ctx.viewer, change) ? change.actor : change.actorOffice,
    }),
    office: t.exposeString('actorOffice', {
      description: 'The office that made it (department, section or municipality), never a token.',
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
      description:
        'Each changed field before and after, as you could see it: when this change brought the record into your view, its whole state then (before: null); when it took it out, no after values. A reference to another record (departmentId, planId, nextInitiativeId...) is its global ID, or null if you could not see that record then.',
      resolve: (change, _args, ctx) =>
        withReferencesShown(ctx, change.id, fieldsAsSeen(change, judgeChange(ctx.viewer, change))),
    }),
  }),
});

type FieldEntry = { field: string; before: unknown; after: unknown };

/** The record's field changes as a viewer with this judgment may see them. */
function fieldsAsSeen(
  change: { changes: unknown; snapshot: unknown; action: string },
  kind: ReturnType<typeof judgeChange>,
): FieldEntry[] {
  const recorded = Object.entries(change.changes as FieldChanges).map(
    ([field, { before, after }]) => ({ field, before, after }),
  );
  if (kind === 'MODIFIED') return recorded;
  if (kind === 'LEFT') return recorded.map((entry) => ({ ...entry, after: null }));
  if (kind === 'ENTERED') {
    const snapshot = change.snapshot as Record<string, unknown> | null;
    // A creation already lists every field from null; anything else shows the state it
    // entered with, never the values before (which the viewer could not see).
    if (change.action === 'CREATE' || !snapshot) {
      return recorded.map((entry) => ({ ...entry, before: null }));
    }
    return Object.entries(snapshot)
      .filter(([field]) => field !== 'id')
      .map(([field, after]) => ({ field, before: null, after }));
  }
  return [];
}

/**
 * The entries with their references as the viewer may see them (references.ts). An entry that
 * only a hidden reference changed is left out: it would tell that the hidden record exists.
 */
async function withReferencesShown(
  ctx: Context,
  at: bigint,
  entries: FieldEntry[],
): Promise<FieldEntry[]> {
  const shown = await showReferencesInRequest(
    ctx,
    entries.flatMap(({ field, before, after }) => [
      { field, value: before, at },
      { field, value: after, at },
    ]),
  );
  return entries
    .map((entry, index) => ({ ...entry, before: shown[2 * index], after: shown[2 * index + 1] }))
    .filter(
      (entry, index) =>
        JSON.stringify(entry.before) !== JSON.stringify(entry.after) ||
        JSON.stringify(entries[index]?.before) === JSON.stringify(entries[index]?.after),
    );
}

type HistoryType =
  | 'Municipality'
  | 'Department'
  | 'DepartmentPlan'
  | 'Initiative'
  | 'Evaluation'
  | 'WhitePaper'
  | 'Feedback'
  | 'FeedbackAnswer'
  | 'Target'
  | 'TargetActual';

/** Change records are listed oldest first: by id. */
const byId = [{ id: 'asc' as const }];

/** Adds `history` to an entity type: its changes, oldest first. */
function addHistory(type: HistoryType) {
  builder.prismaObjectField(type, 'history', (t) =>
    t.prismaConnection({
      type: 'ChangeRecord',
      cursor: 'id',
      ...pageSize,
      description:
        'Every change to this record that you could see it before or after, oldest first.',
      ...guardedBy('change', 'visibleChanges'),
      // Keyset paging on the id (graphql/keyset.ts). The pages of every parent of this type
      // with the same page arguments in the request are read together (historyPages).
      resolve: async (pothosQuery, parent, _args, ctx) => {
        const page = { type, ...keysetPage(pothosQuery, 'ID', byId) };
        const key = JSON.stringify(page, (_key, value) =>
          typeof value === 'bigint' ? `${value}n` : value,
        );
        const records = await inRequestBatch(
          ctx,
          `history ${key}`,
          (parent as { id: number }).id,
          (ids: number[]) => historyPages(ctx, page, ids),
        );
        return rememberKeys(records, 'ID', (row) => keyValues(byId, row));
      },
    }),
  );
}

/** A `history` page as Pothos and keysetPage ask for it: the query (take, select), the keyset. */
interface HistoryPage {
  type: HistoryType;
  query: { take?: number } & Omit<Prisma.ChangeRecordFindManyArgs, 'where' | 'orderBy'>;
  where: Record<string, unknown> | undefined;
}

/**
 * Each parent's page of history, answered with one statement in the common case: the page's
 * read over every parent (entityId IN ...), with each parent's `take` applied here. The read
 * takes no more rows than the pages can hold (the sum of what each parent still lacks), so a
 * long history is never read whole; when it ends full, the parents it did not fill (fewer
 * rows than their page) are read on past its last row, which fills at least one each time.
 * Read in id order (descending for a backward page, as Prisma reads a negative take), a
 * parent's rows are always the first of its own, so each page is what a read of its parent
 * alone returns.
 */
async function historyPages(
  ctx: Context,
  { type, query, where }: HistoryPage,
  ids: readonly number[],
): Promise<ChangeRecord[][]> {
  const backward = query.take !== undefined && query.take < 0;
  const size = query.take === undefined ? Number.POSITIVE_INFINITY : Math.abs(query.take);
  const pages = new Map<number, ChangeRecord[]>(ids.map((id) => [id, []]));
  let unfilled = [...pages.keys()];
  let past: bigint | undefined;
  while (unfilled.length > 0) {
    const lacking = unfilled.reduce((sum, id) => sum + size - (pages.get(id)?.length ?? 0), 0);
    const take = Number.isFinite(lacking) ? lacking : undefined;
    const rows = await ctx.prisma.changeRecord.findMany({
      ...withKeyFields(query, byId, ['entityId']),
      ...(take === undefined ? {} : { take: backward ? -take : take }),
      where: {
        entityType: type,
        entityId: unfilled.length === 1 ? unfilled[0] : { in: unfilled },
        AND: [
          visibleChanges(ctx),
          ...(where ? [where] : []),
          ...(past === undefined ? [] : [{ id: backward ? { lt: past } : { gt: past } }]),
        ],
      },
      orderBy: byId,
    });
    const inReadOrder = backward ? [...rows].reverse() : rows;
    for (const row of inReadOrder) {
      const page = pages.get(row.entityId);
      if (page && page.length < size) page.push(row);
    }
    if (take === undefined || rows.length < take) break;
    past = inReadOrder.at(-1)?.id;
    unfilled = unfilled.filter((id) => (pages.get(id)?.length ?? 0) < size);
  }
  return ids.map((id) => {
    const page = pages.get(id) ?? [];
    return backward ? [...page].reverse() : page;
  });
}

for (const type of [
  'Municipality',
  'Department',
  'DepartmentPlan',
  'Initiative',
  'Evaluation',
  'WhitePaper',
  'Feedback',
  'FeedbackAnswer',
  'Target',
  'TargetActual',
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
    ...guardedBy('change', 'visibleChanges'),
    args: { filter: t.arg({ type: ChangeFilter }) },
    // Keyset paging on the id (graphql/keyset.ts).
    resolve: async (pothosQuery, _root, { filter }, ctx) => {
      const { query, where } = keysetPage(pothosQuery, 'ID', byId);
      const scope = changeScope(ctx);
      const department = filter?.department
        ? await requireDepartment(ctx.prisma, filter.municipality ?? '', filter.department)
        : null;
      // The log has no relation to municipalities (it outlives them): the code is looked up.
      const municipality = filter?.municipality
        ? await ctx.prisma.municipality.findUnique({
            where: { code: filter.municipality },
            select: { id: true },
          })
        : null;
      const records = await ctx.prisma.changeRecord.findMany({
        ...withKeyFields(query, byId),
        where: {
          AND: [
            ...(where ? [where] : []),
            scope,
            visibleChanges(ctx),
            filter?.municipality ? { municipalityId: municipality?.id ?? -1 } : {},
            department ? { departmentId: department.id } : {},
            filter?.fiscalYear != null ? { fiscalYear: filter.fiscalYear } : {},
            filter?.entityType ? { entityType: filter.entityType } : {},
            filter?.actor ? { actor: filter.actor } : {},
          ],
        },
        orderBy: byId,
      });
      return rememberKeys(records, 'ID', (row) => keyValues(byId, row));
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
