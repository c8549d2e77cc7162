// Root queries that return initiatives: the cross-department list and its search.

import type { Prisma } from '../../../generated/prisma/client.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { keysetPage, keyValues, rememberKeys, withKeyFields } from '../../graphql/keyset.ts';
import { assertScopeExists, initiativeScopeWhere, planScopeFields } from '../plan/plan.scope.ts';
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
import { MAX_SEARCH_LENGTH, searchTextWhere, searchWords } from '../search/search-form.ts';
import { guardedBy, visibleInitiatives } from '../visibility/visibility.policy.ts';
import { initiativeTable } from './initiative.table.ts';

export const searchDescription = (fields: string) =>
  `Words to find in ${fields}, separated by spaces: every word must occur. Insensitive to full-width/half-width forms (NFKC), hiragana/katakana and case; 1 to ${MAX_SEARCH_LENGTH} characters. Edges say where each result matched (\`matches\`).`;

export const InitiativeFilter = builder.inputType('InitiativeFilter', {
  fields: (t) => ({
    ...planScopeFields(t),
    isAdministrativeReform: t.boolean({ description: 'Only ☞ reform projects, or only others.' }),
    search: t.string({ description: searchDescription('the text and footnotes') }),
  }),
});

export const InitiativeOrder = builder.enumType('InitiativeOrder', {
  description: 'Orders of initiative lists.',
  values: {
    PLAN_ORDER: {
      description:
        'Newest fiscal year first, then department display order, then position (default).',
    },
    OLDEST_YEAR_FIRST: { description: 'Oldest fiscal year first, then as PLAN_ORDER.' },
    RECENTLY_UPDATED: { description: 'Most recently changed first.' },
  } as const,
});

type InitiativeFilterShape = typeof InitiativeFilter.$inferInput;

export function initiativeWhere(
  filter: InitiativeFilterShape | null | undefined,
  ctx: Parameters<typeof visibleInitiatives>[0],
  words = filter?.search == null ? undefined : searchWords(filter.search, 'filter.search'),
): Prisma.InitiativeWhereInput {
  return {
    ...initiativeScopeWhere(filter),
    ...(filter?.isAdministrativeReform == null
      ? {}
      : { isAdministrativeReform: filter.isAdministrativeReform }),
    AND: [visibleInitiatives(ctx), ...(words === undefined ? [] : searchTextWhere(words))],
  };
}

function initiativeOrder(
  order: typeof InitiativeOrder.$inferType | null | undefined,
): Prisma.InitiativeOrderByWithRelationInput[] {
  // The plan's fiscal year and department display order, as copied onto the initiative
  // (prisma/schema.prisma): PLAN_ORDER's first page is then read in an index's order.
  const inPlan: Prisma.InitiativeOrderByWithRelationInput[] = [
    { planDepartmentOrder: 'asc' },
    { planId: 'asc' },
    { position: 'asc' },
  ];
  switch (order) {
    case 'OLDEST_YEAR_FIRST':
      return [{ planFiscalYear: 'asc' }, ...inPlan];
    case 'RECENTLY_UPDATED':
      return [{ updatedAt: 'desc' }, { id: 'desc' }];
    default:
      return [{ planFiscalYear: 'desc' }, ...inPlan];
  }
}

builder.queryField('initiatives', (t) =>
  t.prismaConnection(
    {
      ...guardedBy('initiative', 'visiblePlans on the plan'),
      type: 'Initiative',
      cursor: 'id',
      ...pageSize,
      description:
        'Initiatives across plans: newest fiscal year first, then department display order, then position.',
      args: {
        filter: t.arg({ type: InitiativeFilter }),
        orderBy: t.arg({ type: InitiativeOrder, description: 'PLAN_ORDER when absent.' }),
      },
      totalCount: async (_root, args, ctx) => (await initiativeCount(args, ctx)).count,
      resolve: async (pothosQuery, _root, args, ctx) => {
        const words =
          args.filter?.search == null
            ? undefined
            : searchWords(args.filter.search, 'filter.search');
        // Keyset paging (graphql/keyset.ts): `after`/`before` are the sort values of a row.
        const orderName = args.orderBy ?? 'PLAN_ORDER';
        const orderBy = initiativeOrder(args.orderBy);
        const { query, where: afterCursor } = keysetPage(pothosQuery, orderName, orderBy);
        const listWhere = initiativeWhere(args.filter, ctx, words);
        const initiatives = await ctx.prisma.initiative.findMany({
          ...withSearchedFields(withKeyFields(query, orderBy, ['planId']), words, [
            'text',
            'footnotes',
          ]),
          relationLoadStrategy: 'query', // as for plans: see plan.queries.ts
          where: afterCursor ? { AND: [listWhere, afterCursor] } : listWhere,
          orderBy,
        });
        if (initiatives.length === 0) await assertScopeExists(ctx.prisma, args.filter);
        // Each cursor holds the row's own sort values (the plan's, as copied onto the row).
        rememberKeys(initiatives, orderName, (initiative) => keyValues(orderBy, initiative));
        return remember(initiatives, words);
      },
    },
    {
      fields: (t) => ({
        // Pothos's own totalCount, with what it promises when the list is searched.
        totalCount: t.int(countFields.totalCount),
        totalCountIsEstimate: t.boolean(countFields.totalCountIsEstimate),
      }),
    },
    {
      fields: (t) => ({
        matches: t.field({
          type: [SearchMatchRef],
          description: matchesDescription,
          resolve: (edge) => initiativeMatches(edge.node),
        }),
      }),
    },
  ),
);

type InitiativesArgs = { filter?: InitiativeFilterShape | null };

/** The list's totalCount: exact, or for a search with many matches an estimate (search-count.ts). */
const initiativeCount = countPerList(
  async (args: InitiativesArgs, ctx: Context): Promise<ListCount> => {
    const where = initiativeWhere(args.filter, ctx);
    const exact = () => ctx.prisma.initiative.count({ where });
    const result =
      args.filter?.search == null
        ? { count: await exact(), isEstimate: false }
        : await searchCount(ctx.prisma, exact, initiativeTable, where);
    if (result.count === 0) await assertScopeExists(ctx.prisma, args.filter);
    return result;
  },
);

const countFields = searchedCountFields('initiatives', initiativeCount);

export function initiativeMatches(initiative: { text: string; footnotes: string[] }) {
  return matchesOf(initiative, () => [
    { field: 'INITIATIVE_TEXT', text: initiative.text },
    ...initiative.footnotes.map((text, index) => ({
      field: 'INITIATIVE_FOOTNOTE' as const,
      text,
      index,
    })),
  ]);
}
