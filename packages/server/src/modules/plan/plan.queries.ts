// Root queries that return plans.
import type { Prisma } from '../../../generated/prisma/client.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { keysetPage, keyValues, rememberKeys, withKeyFields } from '../../graphql/keyset.ts';
import { parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import {
  matchesDescription,
  matchesOf,
  remember,
  SearchMatchRef,
  withSearchedFields,
} from '../search/search.type.ts';
import { searchTextWhere, searchWords } from '../search/search-form.ts';
import { guardedBy, visiblePlans } from '../visibility/visibility.policy.ts';
import { assertScopeExists, PlanFilter, type PlanScope, planScopeWhere } from './plan.scope.ts';

export const PlanOrder = builder.enumType('PlanOrder', {
  description: 'Orders of plan lists.',
  values: {
    NEWEST_YEAR_FIRST: {
      description: 'Newest fiscal year first, then department display order (default).',
    },
    OLDEST_YEAR_FIRST: { description: 'Oldest fiscal year first, then department display order.' },
    DEPARTMENT_THEN_YEAR: {
      description: 'Department display order, then oldest year first: a department through time.',
    },
    RECENTLY_UPDATED: { description: 'Most recently changed first.' },
  } as const,
});

export function planOrder(
  order: typeof PlanOrder.$inferType | null | undefined,
): Prisma.DepartmentPlanOrderByWithRelationInput[] {
  // departmentOrder is the department's displayOrder, copied onto the plan by the database so
  // that an index serves the order (prisma/schema.prisma).
  const byDepartment = { departmentOrder: 'asc' as const };
  switch (order) {
    case 'OLDEST_YEAR_FIRST':
      return [{ fiscalYear: 'asc' }, byDepartment, { id: 'asc' }];
    case 'DEPARTMENT_THEN_YEAR':
      return [byDepartment, { departmentId: 'asc' }, { fiscalYear: 'asc' }];
    case 'RECENTLY_UPDATED':
      return [{ updatedAt: 'desc' }, { id: 'desc' }];
    default:
      return [{ fiscalYear: 'desc' }, byDepartment, { id: 'asc' }];
  }
}

export function planListWhere(
  filter: PlanScope | null | undefined,
  words: string[] | undefined,
  ctx: Pick<Context, 'viewer'>,
): Prisma.DepartmentPlanWhereInput {
  return {
    AND: [planScopeWhere(filter), visiblePlans(ctx), ...(words ? searchTextWhere(words) : [])],
  };
}

const wordsOf = (search: string | null | undefined) =>
  search == null ? undefined : searchWords(search, 'search');

builder.queryFields((t) => ({
  plan: t.prismaField({
    type: 'DepartmentPlan',
    ...guardedBy('plan', 'visiblePlans'),
    nullable: true,
    description:
      "A department's plan for a fiscal year; null when the department has no plan visible to the caller that year.",
    args: {
      municipality: t.arg.string({ required: true, description: 'National code, e.g. 132047.' }),
      department: t.arg.string({ required: true, description: 'Department code, e.g. kyoiku.' }),
      fiscalYear: t.arg.int({ required: true, description: 'e.g. 2012 for 平成24年度.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const year = parseFiscalYear(args.fiscalYear).year;
      const plan = await ctx.prisma.departmentPlan.findFirst({
        ...query,
        // One SQL statement for the plan and everything selected under it.
        relationLoadStrategy: 'join',
        where: {
          ...planScopeWhere(args),
          fiscalYear: year,
          ...visiblePlans(ctx),
        },
      });
      if (!plan) await assertScopeExists(ctx.prisma, args);
      return plan;
    },
  }),
  plans: t.prismaConnection(
    {
      ...guardedBy('plan', 'visiblePlans'),
      type: 'DepartmentPlan',
      cursor: 'id',
      ...pageSize,
      description:
        'Plans, newest fiscal year first, then in department display order (see orderBy).',
      args: {
        filter: t.arg({ type: PlanFilter }),
        search: t.arg.string({
          description:
            'Words to find in the mission and policy, separated by spaces: every word must occur. Insensitive to full-width/half-width forms (NFKC), hiragana/katakana and case. Edges say where each plan matched (`matches`).',
        }),
        orderBy: t.arg({ type: PlanOrder, description: 'NEWEST_YEAR_FIRST when absent.' }),
      },
      totalCount: async (_connection, args, ctx) => {
        const count = await ctx.prisma.departmentPlan.count({
          where: planListWhere(args.filter, wordsOf(args.search), ctx),
        });
        if (count === 0) await assertScopeExists(ctx.prisma, args.filter);
        return count;
      },
      resolve: async (pothosQuery, _root, args, ctx) => {
        const words = wordsOf(args.search);
        // Keyset paging (graphql/keyset.ts): `after`/`before` are the sort values of a row.
        const orderName = args.orderBy ?? 'NEWEST_YEAR_FIRST';
        const orderBy = planOrder(args.orderBy);
        const { query, where: afterCursor } = keysetPage(pothosQuery, orderName, orderBy);
        const listWhere = planListWhere(args.filter, words, ctx);
        const plans = await ctx.prisma.departmentPlan.findMany({
          ...withSearchedFields(withKeyFields(query, orderBy), words, ['mission', 'policy']),
          // Not 'join': for a list, Prisma builds every row's nested JSON before it sorts and
          // cuts the page (146 ms against 32 ms for 10 of 620 plans, measured). One statement
          // per relation level instead: still constant in the page size.
          relationLoadStrategy: 'query',
          where: afterCursor ? { AND: [listWhere, afterCursor] } : listWhere,
          orderBy,
        });
        if (plans.length === 0) await assertScopeExists(ctx.prisma, args.filter);
        rememberKeys(plans, orderName, (plan) => keyValues(orderBy, plan));
        return remember(plans, words);
      },
    },
    {},
    {
      fields: (t) => ({
        matches: t.field({
          type: [SearchMatchRef],
          description: matchesDescription,
          resolve: (edge) =>
            matchesOf(edge.node, () => [
              { field: 'PLAN_MISSION', text: edge.node.mission },
              { field: 'PLAN_POLICY', text: edge.node.policy },
            ]),
        }),
      }),
    },
  ),
}));
