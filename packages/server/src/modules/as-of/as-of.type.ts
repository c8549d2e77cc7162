// As-of queries: a plan, initiative or evaluation as it stood at a time or change sequence,
// rebuilt from the change log within the viewer's visibility then (as-of.service.ts), and the
// difference between two points, field by field.

import { encodeGlobalID } from '@pothos/plugin-relay';
import { ErrorCode, UserInputError } from '../../errors.ts';
import { builder } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { EvaluationState, InitiativeState, PlanState } from '../change/change.subscriptions.ts';
import { showReferences } from '../change/references.ts';
import { TargetDirection } from '../target/target.type.ts';
import { guardedBy } from '../visibility/visibility.policy.ts';
import {
  diffTrees,
  type EntityAt,
  entityAt,
  type FieldDiff,
  type InitiativeAt,
  initiativeAt,
  type PlanAt,
  type PointInput,
  planAt,
  resolvePoint,
  type TargetAt,
  treeOf,
} from './as-of.service.ts';

const AsOfPoint = builder.inputType('AsOfPoint', {
  description: 'A point in the history: a time, or a change sequence (exactly one).',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', description: 'As it stood at this time.' }),
    sequence: t.string({
      description: 'As it stood right after this change (a Change.sequence or event cursor).',
    }),
  }),
});

type WithPoint<T> = T & { point: bigint };

const VISIBLE = 'rebuilt from change records the viewer could see then (seesAudience)';

// biome-ignore lint/suspicious/noExplicitAny: one helper for the three parent types' builders.
function pointFields(t: any) {
  return {
    point: t.string({
      description: 'The change sequence the point resolved to.',
      resolve: (s: WithPoint<EntityAt>) => s.point.toString(),
    }),
    sequence: t.string({
      description: 'The last change to this record at or before the point.',
      resolve: (s: WithPoint<EntityAt>) => s.record.id.toString(),
    }),
    changedAt: t.field({
      type: 'DateTime',
      description: 'When that change was made.',
      resolve: (s: WithPoint<EntityAt>) => s.record.createdAt,
    }),
  } as const;
}

const EvaluationAsOf = builder.objectRef<WithPoint<EntityAt>>('EvaluationAsOf').implement({
  description: 'An evaluation as it stood at a point.',
  fields: (t) => ({
    ...pointFields(t),
    evaluation: t.field({
      type: EvaluationState,
      ...guardedBy('evaluation', VISIBLE),
      resolve: (s) => s.state,
    }),
  }),
});

const TargetActualAsOf = builder.objectRef<EntityAt>('TargetActualAsOf').implement({
  description: 'An actual (実績) as it stood at a point.',
  fields: (t) => ({
    id: t.id({ resolve: (s) => encodeGlobalID('TargetActual', s.state.id) }),
    period: t.string({ resolve: (s) => s.state.period as string }),
    measuredOn: t.string({ resolve: (s) => s.state.measuredOn as string }),
    value: t.float({ nullable: true, resolve: (s) => (s.state.value as number | null) ?? null }),
    reachedOn: t.string({
      nullable: true,
      resolve: (s) => (s.state.reachedOn as string | null) ?? null,
    }),
  }),
});

const num = (value: unknown) => (value as number | null | undefined) ?? null;

const TargetAsOf = builder.objectRef<TargetAt>('TargetAsOf').implement({
  description:
    'A target (指標と目標値) as it stood at a point, with its actuals then (the same fields as Target).',
  fields: (t) => ({
    id: t.id({ resolve: (s) => encodeGlobalID('Target', s.state.id) }),
    indicator: t.string({ resolve: (s) => s.state.indicator as string }),
    unit: t.string({ nullable: true, resolve: (s) => (s.state.unit as string | null) ?? null }),
    direction: t.field({
      type: TargetDirection,
      resolve: (s) => s.state.direction as 'AT_LEAST',
    }),
    baseline: t.float({ nullable: true, resolve: (s) => num(s.state.baseline) }),
    targetValue: t.float({ nullable: true, resolve: (s) => num(s.state.targetValue) }),
    rangeMin: t.float({ nullable: true, resolve: (s) => num(s.state.rangeMin) }),
    rangeMax: t.float({ nullable: true, resolve: (s) => num(s.state.rangeMax) }),
    targetDate: t.string({
      nullable: true,
      resolve: (s) => (s.state.targetDate as string | null) ?? null,
    }),
    weight: t.float({ resolve: (s) => num(s.state.weight) ?? 1 }),
    actuals: t.field({ type: [TargetActualAsOf], resolve: (s) => s.actuals }),
  }),
});

const InitiativeAsOf = builder.objectRef<WithPoint<InitiativeAt>>('InitiativeAsOf').implement({
  description: 'An initiative as it stood at a point, with its evaluation then (if visible).',
  fields: (t) => ({
    ...pointFields(t),
    initiative: t.field({
      type: InitiativeState,
      ...guardedBy('initiative', VISIBLE),
      resolve: (s) => s.state,
    }),
    evaluation: t.field({
      type: EvaluationAsOf,
      nullable: true,
      ...guardedBy('evaluation', VISIBLE),
      resolve: (s) => (s.evaluation ? { ...s.evaluation, point: s.point } : null),
    }),
    targets: t.field({
      type: [TargetAsOf],
      ...guardedBy('initiative', `targets follow their initiative; ${VISIBLE}`),
      description: 'Its targets then, with their actuals then.',
      resolve: (s) => s.targets,
    }),
  }),
});

const PlanAsOf = builder.objectRef<WithPoint<PlanAt>>('PlanAsOf').implement({
  description: 'A plan as it stood at a point, with its initiatives and evaluations then.',
  fields: (t) => ({
    ...pointFields(t),
    plan: t.field({ type: PlanState, ...guardedBy('plan', VISIBLE), resolve: (s) => s.state }),
    initiatives: t.field({
      type: [InitiativeAsOf],
      ...guardedBy('initiative', VISIBLE),
      description: 'In their order at that point.',
      resolve: (s) => s.initiatives.map((initiative) => ({ ...initiative, point: s.point })),
    }),
  }),
});

const AsOfFieldDiff = builder.objectRef<FieldDiff>('AsOfFieldDiff').implement({
  description: 'One field that differs between the two points (null where absent or unseen).',
  fields: (t) => ({
    entityType: t.exposeString('entityType'),
    entityId: t.id({ resolve: (d) => encodeGlobalID(d.entityType, d.entityId) }),
    field: t.exposeString('field'),
    before: t.expose('before', { type: 'JSON', nullable: true }),
    after: t.expose('after', { type: 'JSON', nullable: true }),
  }),
});

interface Diff {
  from: bigint;
  to: bigint;
  changes: FieldDiff[];
}

const AsOfDiff = builder.objectRef<Diff>('AsOfDiff').implement({
  description:
    'What changed between two points, field by field: the record first, then what it contains. A side you could not see then counts as absent.',
  fields: (t) => ({
    from: t.string({ resolve: (d) => d.from.toString() }),
    to: t.string({ resolve: (d) => d.to.toString() }),
    changes: t.field({
      type: [AsOfFieldDiff],
      ...guardedBy('change', VISIBLE),
      resolve: (d) => d.changes,
    }),
  }),
});

const TYPES = ['DepartmentPlan', 'Initiative', 'Evaluation'] as const;
type AsOfType = (typeof TYPES)[number];

function expectType(id: { typename: string; id: string }, allowed: readonly AsOfType[]) {
  if (!allowed.includes(id.typename as AsOfType)) {
    throw new UserInputError(
      ErrorCode.BAD_USER_INPUT,
      `"id" must be the ID of ${allowed.join(', ')}, not ${id.typename}`,
      { argument: 'id' },
    );
  }
  return { type: id.typename as AsOfType, id: Number(id.id) };
}

async function read(ctx: Context, type: AsOfType, id: number, point: bigint) {
  if (type === 'DepartmentPlan') return planAt(ctx.prisma, ctx.viewer, id, point);
  if (type === 'Initiative') return initiativeAt(ctx.prisma, ctx.viewer, id, point);
  return entityAt(ctx.prisma, ctx.viewer, 'Evaluation', id, point);
}

builder.queryFields((t) => ({
  planAsOf: t.field({
    type: PlanAsOf,
    nullable: true,
    ...guardedBy('plan', VISIBLE),
    description:
      'A plan as it stood at a point (rebuilt from the change log); null if you could not see it then.',
    args: {
      id: t.arg.globalID({ required: true }),
      point: t.arg({ type: AsOfPoint, required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const { id } = expectType(args.id, ['DepartmentPlan']);
      const point = await resolvePoint(ctx.prisma, args.point as PointInput);
      const plan = await planAt(ctx.prisma, ctx.viewer, id, point);
      return plan ? { ...plan, point } : null;
    },
  }),
  initiativeAsOf: t.field({
    type: InitiativeAsOf,
    nullable: true,
    ...guardedBy('initiative', VISIBLE),
    description: 'An initiative as it stood at a point; null if you could not see it then.',
    args: {
      id: t.arg.globalID({ required: true }),
      point: t.arg({ type: AsOfPoint, required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const { id } = expectType(args.id, ['Initiative']);
      const point = await resolvePoint(ctx.prisma, args.point as PointInput);
      const initiative = await initiativeAt(ctx.prisma, ctx.viewer, id, point);
      return initiative ? { ...initiative, point } : null;
    },
  }),
  evaluationAsOf: t.field({
    type: EvaluationAsOf,
    nullable: true,
    ...guardedBy('evaluation', VISIBLE),
    description: 'An evaluation as it stood at a point; null if you could not see it then.',
    args: {
      id: t.arg.globalID({ required: true }),
      point: t.arg({ type: AsOfPoint, required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const { id } = expectType(args.id, ['Evaluation']);
      const point = await resolvePoint(ctx.prisma, args.point as PointInput);
      const evaluation = await entityAt(ctx.prisma, ctx.viewer, 'Evaluation', id, point);
      return evaluation ? { ...evaluation, point } : null;
    },
  }),
  asOfDiff: t.field({
    type: AsOfDiff,
    ...guardedBy('change', VISIBLE),
    description:
      'How a plan (with its initiatives and evaluations), an initiative or an evaluation differs between two points, field by field.',
    args: {
      id: t.arg.globalID({ required: true }),
      from: t.arg({ type: AsOfPoint, required: true }),
      to: t.arg({ type: AsOfPoint, required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const { type, id } = expectType(args.id, TYPES);
      const from = await resolvePoint(ctx.prisma, args.from as PointInput);
      const to = await resolvePoint(ctx.prisma, args.to as PointInput);
      const [before, after] = [await read(ctx, type, id, from), await read(ctx, type, id, to)];
      const diffs = diffTrees(before && treeOf(type, before), after && treeOf(type, after));
      // References as the viewer could see them at each point; a line that only a hidden
      // reference changed would tell that the hidden record exists.
      const shown = await showReferences(
        ctx.prisma,
        ctx.viewer,
        diffs.flatMap((d) => [
          { field: d.field, value: d.before, at: from },
          { field: d.field, value: d.after, at: to },
        ]),
      );
      const changes = diffs
        .map((d, index) => ({ ...d, before: shown[2 * index], after: shown[2 * index + 1] }))
        .filter((d) => JSON.stringify(d.before) !== JSON.stringify(d.after));
      return { from, to, changes };
    },
  }),
}));
