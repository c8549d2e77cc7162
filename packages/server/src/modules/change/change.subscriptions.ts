// Live updates: subscriptions to changes of plans, initiatives and evaluations. Each event is
// a committed change record, carries its cursor, and resolves the changed record as a normal
// schema object (null once deleted). Served over SSE and graphql-ws (see http/server.ts).
import { encodeGlobalID } from '@pothos/plugin-relay';
import { ErrorCode, UserInputError } from '../../errors.ts';
import type { ChangeRecord } from '../../generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { changeStream } from '../../live/change-stream.ts';
import { visibleEvaluations } from '../evaluation/evaluation.policy.ts';
import { parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import { requireDepartment, requireMunicipality } from '../municipality/municipality.lookup.ts';
import { visibleInitiatives, visiblePlans } from '../plan/plan.policy.ts';
import { Change, ChangeKind } from './change.type.ts';
import { liveVisibility } from './change.visibility.ts';

const LiveFilter = builder.inputType('LiveFilter', {
  fields: (t) => ({
    municipality: t.string({ description: 'National code, e.g. 132047.' }),
    fiscalYear: t.int(),
    department: t.string({ description: 'Department code (needs municipality).' }),
  }),
});

type Filter = {
  municipality?: string | null;
  fiscalYear?: number | null;
  department?: string | null;
};

function parseCursor(after: string | null | undefined): bigint | undefined {
  if (after == null) return undefined;
  if (!/^\d{1,19}$/.test(after)) {
    throw new UserInputError(
      ErrorCode.INVALID_CURSOR,
      `"after" must be a cursor of an earlier event`,
    );
  }
  return BigInt(after);
}

async function subscribe(
  ctx: Context,
  entityTypes: string[],
  filter: Filter | null | undefined,
  after: string | null | undefined,
) {
  const cursor = parseCursor(after);
  const fiscalYear =
    filter?.fiscalYear == null ? undefined : parseFiscalYear(filter.fiscalYear).year;
  if (filter?.department && !filter.municipality) {
    throw new UserInputError(ErrorCode.BAD_USER_INPUT, '"department" needs "municipality"');
  }
  const department =
    filter?.department && filter.municipality
      ? await requireDepartment(ctx.prisma, filter.municipality, filter.department)
      : undefined;
  const municipality = filter?.municipality
    ? await requireMunicipality(ctx.prisma, filter.municipality)
    : undefined;
  await ctx.live.ready();
  return changeStream(ctx.live.feed, ctx.prisma, {
    visibility: liveVisibility(ctx.prisma, ctx.viewer),
    scope: {
      entityTypes,
      municipalityId: municipality?.id,
      departmentId: department?.id,
      fiscalYear,
    },
    after: cursor,
    maxBuffer: ctx.live.maxBuffer,
  });
}

/** The fields every event has; `entity` adds the changed record under its own name. */
function eventType(name: string, entityTypeName: string, description: string) {
  return builder.objectRef<ChangeRecord>(name).implement({
    description,
    fields: (t) => ({
      cursor: t.string({
        description: 'Pass as `after` to resume right after this event.',
        resolve: (record) => record.id.toString(),
      }),
      kind: t.field({ type: ChangeKind, resolve: (record) => record.action }),
      at: t.field({ type: 'DateTime', resolve: (record) => record.createdAt }),
      id: t.id({
        description: `Global ID of the ${entityTypeName} (also when it was deleted).`,
        resolve: (record) => encodeGlobalID(record.entityType, record.entityId),
      }),
      change: t.field({ type: Change, resolve: (record) => record }),
    }),
  });
}

const PlanEvent = eventType('PlanEvent', 'plan', 'A committed change to a plan.');
const InitiativeEvent = eventType(
  'InitiativeEvent',
  'initiative',
  'A committed change to an initiative.',
);
const EvaluationEvent = eventType(
  'EvaluationEvent',
  'evaluation',
  'A committed change to an evaluation.',
);

builder.objectField(PlanEvent, 'plan', (t) =>
  t.prismaField({
    type: 'DepartmentPlan',
    nullable: true,
    description: 'The plan as it is now; null once deleted or no longer visible to you.',
    resolve: (query, record, _args, ctx) =>
      ctx.prisma.departmentPlan.findFirst({
        ...query,
        where: { id: record.entityId, AND: [visiblePlans(ctx)] },
      }),
  }),
);
builder.objectField(InitiativeEvent, 'initiative', (t) =>
  t.prismaField({
    type: 'Initiative',
    nullable: true,
    description: 'The initiative as it is now; null once deleted or no longer visible to you.',
    resolve: (query, record, _args, ctx) =>
      ctx.prisma.initiative.findFirst({
        ...query,
        where: { id: record.entityId, AND: [visibleInitiatives(ctx)] },
      }),
  }),
);
builder.objectField(EvaluationEvent, 'evaluation', (t) =>
  t.prismaField({
    type: 'Evaluation',
    nullable: true,
    description: 'The evaluation as it is now; null once deleted or no longer visible to you.',
    resolve: (query, record, _args, ctx) =>
      ctx.prisma.evaluation.findFirst({
        ...query,
        where: { id: record.entityId, AND: [visibleEvaluations(ctx)] },
      }),
  }),
);

const AFTER = 'Resume after this event cursor: missed events first, then live.';

builder.subscriptionFields((t) => ({
  planChanged: t.field({
    type: PlanEvent,
    description: 'Changes to plans you may see: created, edited, published, unpublished, deleted.',
    args: { filter: t.arg({ type: LiveFilter }), after: t.arg.string({ description: AFTER }) },
    subscribe: (_root, args, ctx) => subscribe(ctx, ['DepartmentPlan'], args.filter, args.after),
    resolve: (record) => record,
  }),
  initiativeChanged: t.field({
    type: InitiativeEvent,
    description: 'Changes to initiatives you may see.',
    args: { filter: t.arg({ type: LiveFilter }), after: t.arg.string({ description: AFTER }) },
    subscribe: (_root, args, ctx) => subscribe(ctx, ['Initiative'], args.filter, args.after),
    resolve: (record) => record,
  }),
  evaluationChanged: t.field({
    type: EvaluationEvent,
    description: 'Changes to evaluations you may see.',
    args: { filter: t.arg({ type: LiveFilter }), after: t.arg.string({ description: AFTER }) },
    subscribe: (_root, args, ctx) => subscribe(ctx, ['Evaluation'], args.filter, args.after),
    resolve: (record) => record,
  }),
}));
