// Evaluation (達成状況): how far an initiative achieved its goal, published in a white paper,
// and what it decided for the next year.
import type { Prisma } from '../../../generated/prisma/client.ts';
import { AchievementRating as RatingInDeclaredOrder } from '../../../generated/prisma/enums.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import { inIdOrder, pageIds } from '../../graphql/compiled/page.ts';
import type { SqlTable } from '../../graphql/compiled/where.ts';
import type { Context } from '../../graphql/context.ts';
import { fieldFacts, notExported } from '../../graphql/fields.ts';
import {
  type KeysetOptions,
  keysetPage,
  keyValues,
  rememberKeys,
  withKeyFields,
} from '../../graphql/keyset.ts';
import { initiativeTable } from '../initiative/initiative.table.ts';
import { assertScopeExists, initiativeScopeWhere, PlanFilter } from '../plan/plan.scope.ts';
import { PLAN_STATUSES } from '../plan/plan.table.ts';
import { PublicationStatus } from '../plan/plan.type.ts';
import {
  matchesDescription,
  matchesOf,
  remember,
  SearchMatchRef,
  withSearchedFields,
} from '../search/search.type.ts';
import {
  countPerList,
  type ListCount,
  searchCount,
  searchedCountFields,
} from '../search/search-count.ts';
import { searchTextWhere, searchWords } from '../search/search-form.ts';
import {
  guardedBy,
  visibleEvaluations,
  visibleInitiatives,
} from '../visibility/visibility.policy.ts';

export const AchievementRating = builder.enumType('AchievementRating', {
  description: 'How far an initiative achieved its goal, as the white paper rates it.',
  values: {
    ACHIEVED: { description: '達成 (achieved).' },
    MOSTLY_ACHIEVED: { description: 'おおむね達成 (mostly achieved).' },
    PARTIALLY_ACHIEVED: { description: '一部達成 (partly achieved).' },
    NOT_ACHIEVED: { description: '未達成 (not achieved).' },
  } as const,
});

export const EvaluationOrder = builder.enumType('EvaluationOrder', {
  description: 'Orders of evaluation lists.',
  values: {
    INITIATIVE_ORDER: { description: 'In the order of their initiatives (default).' },
    RATING: {
      description: 'Best rating first (ACHIEVED to NOT_ACHIEVED), then as INITIATIVE_ORDER.',
    },
    PROGRESS_DESC: { description: 'Highest progress first (none last), then as INITIATIVE_ORDER.' },
  } as const,
});

function evaluationOrder(
  order: typeof EvaluationOrder.$inferType | null | undefined,
): Prisma.EvaluationOrderByWithRelationInput[] {
  const inInitiativeOrder: Prisma.EvaluationOrderByWithRelationInput[] = [
    { initiative: { planId: 'asc' } },
    { initiative: { position: 'asc' } },
  ];
  switch (order) {
    case 'RATING':
      // The enum is declared best first, and PostgreSQL sorts enums in declaration order.
      return [{ rating: 'asc' }, ...inInitiativeOrder];
    case 'PROGRESS_DESC':
      return [{ progressPercent: { sort: 'desc', nulls: 'last' } }, ...inInitiativeOrder];
    default:
      return inInitiativeOrder;
  }
}

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
    status: t.expose('status', {
      type: PublicationStatus,
      ...fieldFacts({
        openData: {
          ja: '公開状態',
          en: 'Publication status',
          description:
            'DRAFT is seen only by the department and the planning section; PUBLISHED by all.',
        },
      }),
    }),
    rating: t.expose('rating', {
      type: AchievementRating,
      nullable: true,
      description:
        "The result: a staged evaluation's last completed stage's (null until a stage is completed).",
      ...fieldFacts({
        openData: {
          ja: '達成状況',
          en: 'Achievement',
          sourceTerm: '達成状況',
          description: 'How far the project achieved its goal, as the white paper rates it.',
        },
      }),
    }),
    progressPercent: t.exposeInt('progressPercent', {
      nullable: true,
      description: 'Share of the goal reached, 0 to 100, when the evaluation states one.',
      ...fieldFacts({
        openData: {
          ja: '達成率',
          en: 'Progress',
          unit: '% (percent)',
          description: 'Share of the goal reached, when the evaluation states one.',
          min: 0,
          max: 100,
        },
      }),
    }),
    summary: t.exposeString('summary', {
      nullable: true,
      description:
        "What was achieved, in words: a staged evaluation's last completed stage's (null until one is completed).",
      ...fieldFacts({
        openData: {
          ja: '評価の概要',
          en: 'Summary',
          description: 'What the evaluation says, verbatim.',
          maxLength: 4000,
        },
      }),
    }),
    decision: t.expose('decision', {
      type: NextYearDecision,
      nullable: true,
      description: 'What the evaluation decided for the next fiscal year.',
      ...fieldFacts({
        openData: {
          ja: '次年度の方向性',
          en: 'Next-year decision',
          description: '継続 CONTINUE, 拡充 EXPAND, 縮小 REDUCE, 廃止 ABOLISH, 完了 COMPLETE.',
        },
      }),
    }),
    version: t.exposeInt('version', notExported()),
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
  t.prismaConnection(
    {
      ...guardedBy('evaluation', 'visibleEvaluations'),
      type: 'Evaluation',
      cursor: 'id',
      ...pageSize,
      description: 'Evaluations of initiatives, in the order of their initiatives.',
      args: {
        filter: t.arg({ type: PlanFilter, description: 'Scope of the evaluated plans.' }),
        rating: t.arg({ type: AchievementRating }),
        search: t.arg.string({
          description:
            'Words to find in the summary, separated by spaces: every word must occur. Insensitive to full-width/half-width forms (NFKC), hiragana/katakana and case. Edges say where each evaluation matched (`matches`).',
        }),
        orderBy: t.arg({ type: EvaluationOrder, description: 'INITIATIVE_ORDER when absent.' }),
      },
      totalCount: async (_connection, args, ctx) => (await evaluationCount(args, ctx)).count,
      resolve: async (pothosQuery, _root, args, ctx) => {
        const words = args.search == null ? undefined : searchWords(args.search, 'search');
        const orderBy = evaluationOrder(args.orderBy);
        // Keyset paging (graphql/keyset.ts) in every order.
        const orderName = args.orderBy ?? 'INITIATIVE_ORDER';
        const { query, where: afterCursor } = keysetPage(
          pothosQuery,
          orderName,
          orderBy,
          ratingKeyset,
        );
        const listWhere = evaluationWhere(args, ctx);
        const where = afterCursor ? { AND: [listWhere, afterCursor] } : listWhere;
        const { take, ...selection } = withSearchedFields(
          withKeyFields(query, orderBy, ['id', 'initiativeId']),
          words,
          ['summary'],
        );
        // The page's ids in the initiatives' index order where the filter translates
        // (graphql/compiled/page.ts), then the rows by id; else Prisma's statement as it is.
        const page = await pageIds(ctx.prisma, evaluationTable, where, orderBy, take);
        const evaluations = page
          ? inIdOrder(
              page.ids,
              await ctx.prisma.evaluation.findMany({
                ...selection,
                relationLoadStrategy: 'query',
                where: { id: { in: page.ids }, AND: [listWhere] },
              }),
            )
          : await ctx.prisma.evaluation.findMany({
              ...selection,
              take,
              relationLoadStrategy: 'query', // as for plans: see plan.queries.ts
              where,
              orderBy,
            });
        if (evaluations.length === 0) await assertScopeExists(ctx.prisma, args.filter);
        // Each cursor holds the row's values of the order's keys (its initiative's included).
        if (page) rememberKeys(evaluations, orderName, (e) => page.keys.get(e.id) ?? []);
        else await rememberEvaluationKeys(ctx.prisma, evaluations, orderName, orderBy);
        return remember(evaluations, words);
      },
    },
    {
      fields: (t) => ({
        totalCount: t.int(countFields.totalCount),
        totalCountIsEstimate: t.boolean(countFields.totalCountIsEstimate),
      }),
    },
    {
      fields: (t) => ({
        matches: t.field({
          type: [SearchMatchRef],
          description: matchesDescription,
          resolve: (edge) =>
            matchesOf(edge.node, () => [{ field: 'EVALUATION_SUMMARY', text: edge.node.summary }]),
        }),
      }),
    },
  ),
);

/** The evaluations table as graphql/compiled/where.ts compares and orders it. */
export const evaluationTable: SqlTable = {
  name: 'Evaluation',
  alias: 'e',
  columns: {
    id: 'int',
    initiativeId: 'int',
    status: PLAN_STATUSES,
    rating: Object.values(RatingInDeclaredOrder),
    progressPercent: 'int',
    searchText: 'search',
  },
  relations: { initiative: { table: initiativeTable, on: 'initiativeId' } },
};

type EvaluationsArgs = Parameters<typeof evaluationWhere>[0];

/** The list's totalCount: exact, or for a search with many matches an estimate (search-count.ts). */
const evaluationCount = countPerList(
  async (args: EvaluationsArgs, ctx: Context): Promise<ListCount> => {
    const where = evaluationWhere(args, ctx);
    const exact = () => ctx.prisma.evaluation.count({ where });
    const result =
      args.search == null
        ? { count: await exact(), isEstimate: false }
        : await searchCount(ctx.prisma, exact, evaluationTable, where);
    if (result.count === 0) await assertScopeExists(ctx.prisma, args.filter);
    return result;
  },
);

const countFields = searchedCountFields('evaluations', evaluationCount);

/** The rating is an enum: keyset paging compares it by its declared (best first) order. */
const ratingKeyset: KeysetOptions = { enums: { rating: Object.values(RatingInDeclaredOrder) } };

/** Each evaluation's cursor: its own keys of the order, then its initiative's plan and position. */
async function rememberEvaluationKeys(
  prisma: Context['prisma'],
  evaluations: Array<{ initiativeId: number }>,
  orderName: string,
  orderBy: Prisma.EvaluationOrderByWithRelationInput[],
) {
  if (evaluations.length === 0) return;
  const initiatives = await prisma.initiative.findMany({
    where: { id: { in: evaluations.map((e) => e.initiativeId) } },
    select: { id: true, planId: true, position: true },
  });
  const byId = new Map(initiatives.map((i) => [i.id, i]));
  rememberKeys(evaluations, orderName, (evaluation) =>
    keyValues(orderBy, { ...evaluation, initiative: byId.get(evaluation.initiativeId) }),
  );
}

export function evaluationWhere(
  args: {
    filter?: Parameters<typeof initiativeScopeWhere>[0];
    rating?: string | null;
    search?: string | null;
  },
  ctx: Parameters<typeof visibleEvaluations>[0],
): Prisma.EvaluationWhereInput {
  const words = args.search == null ? undefined : searchWords(args.search, 'search');
  return {
    AND: [
      visibleEvaluations(ctx),
      // The plan's year and status as copied onto the initiative (visibleEvaluations holds the
      // initiative's visibility): one join, and an index the page can be read in.
      { initiative: initiativeScopeWhere(args.filter) },
      args.rating == null ? {} : { rating: args.rating as 'ACHIEVED' },
      ...(words ? searchTextWhere(words) : []),
    ],
  };
}
