// Evaluation (達成状況): how far an initiative achieved its goal, published in a white paper,
// and what it decided for the next year.
import { builder, pageSize } from '../../graphql/builder.ts';
import { assertScopeExists, PlanFilter, planScopeWhere } from '../plan/plan.scope.ts';
import { PublicationStatus } from '../plan/plan.type.ts';
import {
  guardedBy,
  visibleEvaluations,
  visibleInitiatives,
} from '../visibility/visibility.policy.ts';

export const AchievementRating = builder.enumType('AchievementRating', {
  values: ['ACHIEVED', 'MOSTLY_ACHIEVED', 'PARTIALLY_ACHIEVED', 'NOT_ACHIEVED'] as const,
});

export const NextYearDecision = builder.enumType('NextYearDecision', {
  values: {
    CONTINUE: { description: '継続' },
    EXPAND: { description: '拡充' },
    REDUCE: { description: '縮小' },
    ABOLISH: { description: '廃止' },
    COMPLETE: { description: '完了' },
  } as const,
});

export const Evaluation = builder.prismaNode('Evaluation', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), AND: [visibleEvaluations(ctx)] }),
  ...guardedBy('evaluation', 'node(id:) findUnique: visibleEvaluations'),
  nullable: true,
  description: 'The achievement (達成状況) of one initiative, evaluated after its fiscal year.',
  fields: (t) => ({
    rating: t.expose('rating', { type: AchievementRating }),
    progressPercent: t.exposeInt('progressPercent', { nullable: true }),
    summary: t.exposeString('summary'),
    decision: t.expose('decision', { type: NextYearDecision, nullable: true }),
    status: t.expose('status', { type: PublicationStatus }),
    version: t.exposeInt('version'),
    initiative: t.relation('initiative', {
      ...guardedBy(
        'initiative',
        'a visible evaluation has a visible initiative (visibleEvaluations)',
      ),
    }),
    nextInitiative: t.prismaField({
      type: 'Initiative',
      nullable: true,
      description:
        "The next year's initiative that carries this one on (null while its plan is not visible to you).",
      ...guardedBy('initiative', 'visibleInitiatives'),
      // Not a preloaded relation (a to-one relation cannot be filtered): next year's plan may
      // still be a draft, so the initiative is read with the visibility filter, once per row.
      resolve: (query, evaluation, _args, ctx) =>
        evaluation.nextInitiativeId === null
          ? null
          : ctx.prisma.initiative.findFirst({
              ...query,
              where: { id: evaluation.nextInitiativeId, AND: [visibleInitiatives(ctx)] },
            }),
    }),
    whitePaper: t.relation('whitePaper', { nullable: true }),
  }),
});

builder.queryField('evaluations', (t) =>
  t.prismaConnection({
    ...guardedBy('evaluation', 'visibleEvaluations'),
    type: 'Evaluation',
    cursor: 'id',
    ...pageSize,
    description: 'Evaluations of initiatives, in the order of their initiatives.',
    args: {
      filter: t.arg({ type: PlanFilter, description: 'Scope of the evaluated plans.' }),
      rating: t.arg({ type: AchievementRating }),
    },
    totalCount: async (_connection, args, ctx) => {
      const count = await ctx.prisma.evaluation.count({ where: evaluationWhere(args, ctx) });
      if (count === 0) await assertScopeExists(ctx.prisma, args.filter);
      return count;
    },
    resolve: async (query, _root, args, ctx) => {
      const evaluations = await ctx.prisma.evaluation.findMany({
        ...query,
        relationLoadStrategy: 'query', // as for plans: see plan.queries.ts
        where: evaluationWhere(args, ctx),
        orderBy: [{ initiative: { planId: 'asc' } }, { initiative: { position: 'asc' } }],
      });
      if (evaluations.length === 0) await assertScopeExists(ctx.prisma, args.filter);
      return evaluations;
    },
  }),
);

function evaluationWhere(
  args: { filter?: Parameters<typeof planScopeWhere>[0]; rating?: string | null },
  ctx: Parameters<typeof visibleEvaluations>[0],
) {
  return {
    AND: [
      visibleEvaluations(ctx),
      { initiative: { ...visibleInitiatives(ctx), plan: planScopeWhere(args.filter) } },
      args.rating == null ? {} : { rating: args.rating as 'ACHIEVED' },
    ],
  };
}
