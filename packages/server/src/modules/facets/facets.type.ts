// Facet counts beside a list: how many of the rows a filter selects fall in each department,
// fiscal year, status, reform flag and rating. Counted by the database (GROUP BY) over the same
// `where` as the list, so they never count what the caller may not see.
import type { Prisma } from '../../../generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import { joinsSql, SqlParams, translated, whereSql } from '../../graphql/compiled/where.ts';
import type { Context } from '../../graphql/context.ts';
import { formerNamesSelect, namingIn } from '../department/department-naming.ts';
import { AchievementRating, evaluationTable } from '../evaluation/evaluation.type.ts';
import { fiscalYear as fiscalYearOf } from '../fiscal-year/fiscal-year.ts';
import { FiscalYearRef } from '../fiscal-year/fiscal-year.type.ts';
import { InitiativeFilter, initiativeWhere } from '../initiative/initiative.queries.ts';
import { initiativeTable } from '../initiative/initiative.table.ts';
import { planListWhere } from '../plan/plan.queries.ts';
import { assertScopeExists, PlanFilter } from '../plan/plan.scope.ts';
import { PublicationStatus } from '../plan/plan.type.ts';
import { searchWords } from '../search/search-form.ts';
import { guardedBy, visibleEvaluations } from '../visibility/visibility.policy.ts';

interface DepartmentRow {
  id: number;
  code: string;
  name: string;
  displayOrder: number;
}
type Rating = 'ACHIEVED' | 'MOSTLY_ACHIEVED' | 'PARTIALLY_ACHIEVED' | 'NOT_ACHIEVED';
type Status = 'DRAFT' | 'PUBLISHED';

interface Facets {
  total: number;
  byDepartment: { department: DepartmentRow; count: number }[];
  byFiscalYear: { year: number; count: number }[];
  byStatus: { status: Status; count: number }[];
  /** Initiatives only. */
  byReform?: { value: boolean; count: number }[];
  byRating?: { rating: Rating; count: number }[];
}

const DepartmentFacet = builder
  .objectRef<Facets['byDepartment'][number]>('DepartmentFacet')
  .implement({
    fields: (t) => ({
      departmentCode: t.string({ resolve: (f) => f.department.code }),
      departmentName: t.string({
        description: 'Its name in the newest fiscal year counted here.',
        resolve: (f) => f.department.name,
      }),
      count: t.exposeInt('count'),
    }),
  });

const FiscalYearFacet = builder
  .objectRef<Facets['byFiscalYear'][number]>('FiscalYearFacet')
  .implement({
    fields: (t) => ({
      fiscalYear: t.field({ type: FiscalYearRef, resolve: (f) => fiscalYearOf(f.year) }),
      count: t.exposeInt('count'),
    }),
  });

const StatusFacet = builder.objectRef<Facets['byStatus'][number]>('StatusFacet').implement({
  fields: (t) => ({
    status: t.field({ type: PublicationStatus, resolve: (f) => f.status }),
    count: t.exposeInt('count'),
  }),
});

const ReformFacet = builder
  .objectRef<NonNullable<Facets['byReform']>[number]>('ReformFacet')
  .implement({
    fields: (t) => ({
      isAdministrativeReform: t.exposeBoolean('value'),
      count: t.exposeInt('count'),
    }),
  });

const RatingFacet = builder
  .objectRef<NonNullable<Facets['byRating']>[number]>('RatingFacet')
  .implement({
    fields: (t) => ({
      rating: t.field({ type: AchievementRating, resolve: (f) => f.rating }),
      count: t.exposeInt('count'),
    }),
  });

const counted = () =>
  guardedBy('delegated', 'counted by the facets query over what the caller may see');

type FacetFieldBuilder = Parameters<
  NonNullable<Parameters<ReturnType<typeof builder.objectRef<Facets>>['implement']>[0]['fields']>
>[0];

/** The facets plans and initiatives share; `statusDescription` says whose status is counted. */
function sharedFacetFields(t: FacetFieldBuilder, statusDescription: string) {
  return {
    total: t.exposeInt('total', {
      description: 'Rows the filter selects (the list’s totalCount).',
    }),
    byDepartment: t.field({
      ...counted(),
      type: [DepartmentFacet],
      description: 'Per department, in display order; departments with none are left out.',
      resolve: (f) => f.byDepartment,
    }),
    byFiscalYear: t.field({
      ...counted(),
      type: [FiscalYearFacet],
      description: 'Per fiscal year, oldest first.',
      resolve: (f) => f.byFiscalYear,
    }),
    byStatus: t.field({
      ...counted(),
      type: [StatusFacet],
      description: statusDescription,
      resolve: (f) => f.byStatus,
    }),
  };
}

const PlanFacetsRef = builder.objectRef<Facets>('PlanFacets').implement({
  description: 'Counts of the plans a filter selects, for a dashboard’s filter panel.',
  fields: (t) => sharedFacetFields(t, 'Per plan status (only DRAFT for those who may see drafts).'),
});

const InitiativeFacetsRef = builder.objectRef<Facets>('InitiativeFacets').implement({
  description: 'Counts of the initiatives a filter selects, for a dashboard’s filter panel.',
  fields: (t) => ({
    ...sharedFacetFields(t, 'Per status of the initiative’s plan.'),
    byReform: t.field({
      ...counted(),
      type: [ReformFacet],
      description: '☞ 行革推進事業 or not.',
      resolve: (f) => f.byReform ?? [],
    }),
    byRating: t.field({
      ...counted(),
      type: [RatingFacet],
      description:
        'Per rating of the visible evaluations of these initiatives (every rating listed, zero included); initiatives without one are not counted.',
      resolve: (f) => f.byRating ?? [],
    }),
  }),
});

interface PlanGroup {
  departmentId: number;
  fiscalYear: number;
  status: Status;
  count: number;
}

/** Sums counts grouped by department, year and status (from a GROUP BY) into facets. */
async function rollUp(
  ctx: Pick<Context, 'prisma'>,
  groups: PlanGroup[],
): Promise<Omit<Facets, 'byReform' | 'byRating'>> {
  const newest = new Map<number, number>();
  for (const { departmentId, fiscalYear } of groups) {
    newest.set(departmentId, Math.max(fiscalYear, newest.get(departmentId) ?? fiscalYear));
  }
  const rows = await ctx.prisma.department.findMany({
    where: { id: { in: [...newest.keys()] } },
    select: {
      id: true,
      code: true,
      name: true,
      nameEn: true,
      displayOrder: true,
      ...formerNamesSelect,
    },
  });
  const departments = new Map(
    rows.map(({ formerNames, ...d }) => {
      const { name } = namingIn(d, formerNames, newest.get(d.id) ?? Number.POSITIVE_INFINITY);
      return [d.id, { department: { ...d, name }, count: 0 }];
    }),
  );
  const years = new Map<number, number>();
  const statuses = new Map<Status, number>();
  let total = 0;
  for (const group of groups) {
    total += group.count;
    const entry = departments.get(group.departmentId);
    if (entry) entry.count += group.count;
    years.set(group.fiscalYear, (years.get(group.fiscalYear) ?? 0) + group.count);
    statuses.set(group.status, (statuses.get(group.status) ?? 0) + group.count);
  }
  return {
    total,
    byDepartment: [...departments.values()]
      .filter((d) => d.count > 0)
      .sort((a, b) => a.department.displayOrder - b.department.displayOrder),
    byFiscalYear: [...years]
      .filter(([, count]) => count > 0)
      .sort(([a], [b]) => a - b)
      .map(([year, count]) => ({ year, count })),
    byStatus: (['PUBLISHED', 'DRAFT'] as const)
      .filter((status) => (statuses.get(status) ?? 0) > 0)
      .map((status) => ({ status, count: statuses.get(status) ?? 0 })),
  };
}

builder.queryFields((t) => ({
  planFacets: t.field({
    ...guardedBy('plan', 'visiblePlans in the grouped where'),
    type: PlanFacetsRef,
    description:
      'Facet counts of the plans `plans(filter, search)` would list, over what the caller may see.',
    args: { filter: t.arg({ type: PlanFilter }), search: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const words = args.search == null ? undefined : searchWords(args.search, 'search');
      const where = planListWhere(args.filter, words, ctx);
      const rows = await ctx.prisma.departmentPlan.groupBy({
        by: ['departmentId', 'fiscalYear', 'status'],
        where,
        _count: { _all: true },
      });
      if (rows.length === 0) await assertScopeExists(ctx.prisma, args.filter);
      return rollUp(
        ctx,
        rows.map(({ _count, ...group }) => ({ ...group, count: _count._all })),
      );
    },
  }),
  initiativeFacets: t.field({
    ...guardedBy('initiative', 'visiblePlans on the plan in the grouped where'),
    type: InitiativeFacetsRef,
    description:
      'Facet counts of the initiatives `initiatives(filter)` would list, over what the caller may see.',
    args: { filter: t.arg({ type: InitiativeFilter }) },
    resolve: async (_root, args, ctx) => {
      const where = initiativeWhere(args.filter, ctx);
      const ratingsWhere = { AND: [visibleEvaluations(ctx), { initiative: where }] };
      const [counted, ratings] = await Promise.all([
        initiativeGroups(ctx, where),
        ratingCounts(ctx, ratingsWhere),
      ]);
      if (counted.groups.length === 0) await assertScopeExists(ctx.prisma, args.filter);
      const { groups, reform } = counted;
      const byRating = new Map(ratings.map((r) => [r.rating, r.count]));
      return {
        ...(await rollUp(ctx, groups)),
        byReform: [true, false].map((value) => ({ value, count: reform.get(value) ?? 0 })),
        byRating: (
          ['ACHIEVED', 'MOSTLY_ACHIEVED', 'PARTIALLY_ACHIEVED', 'NOT_ACHIEVED'] as const
        ).map((rating) => ({ rating, count: byRating.get(rating) ?? 0 })),
      };
    },
  }),
}));

/**
 * The initiatives a `where` selects, counted per department, year, status and reform flag: one
 * GROUP BY over the initiatives and their plans where the filter translates to SQL
 * (graphql/compiled/where.ts; the year and status are the plan's, as copied onto the
 * initiative), else grouped by plan through Prisma and the plans read after.
 */
async function initiativeGroups(
  ctx: Pick<Context, 'prisma'>,
  where: Prisma.InitiativeWhereInput,
): Promise<{ groups: PlanGroup[]; reform: Map<boolean, number> }> {
  const reform = new Map<boolean, number>();
  const params = new SqlParams();
  const condition = translated(() => whereSql(where, initiativeTable, params));
  if (condition !== undefined) {
    // LEFT JOINs: PostgreSQL drops those neither the `where` nor the grouping uses.
    const rows = await ctx.prisma.$queryRawUnsafe<Array<PlanGroup & { reform: boolean }>>(
      `SELECT p."departmentId" AS "departmentId", i."planFiscalYear" AS "fiscalYear", i."planStatus"::text AS status, i."isAdministrativeReform" AS reform, count(*)::int AS count FROM "Initiative" AS i ${joinsSql(initiativeTable, 'LEFT JOIN')} WHERE ${condition} GROUP BY 1, 2, 3, 4`,
      ...params.values,
    );
    for (const { reform: flag, ...group } of rows) {
      reform.set(flag, (reform.get(flag) ?? 0) + group.count);
    }
    return { groups: rows.map(({ reform: _, ...group }) => group), reform };
  }
  const perPlanAndFlag = await ctx.prisma.initiative.groupBy({
    by: ['planId', 'isAdministrativeReform'],
    where,
    _count: { _all: true },
  });
  const plans = await ctx.prisma.departmentPlan.findMany({
    where: { id: { in: [...new Set(perPlanAndFlag.map((row) => row.planId))] } },
    select: { id: true, departmentId: true, fiscalYear: true, status: true },
  });
  const planOf = new Map(plans.map((plan) => [plan.id, plan]));
  const groups: PlanGroup[] = [];
  for (const row of perPlanAndFlag) {
    const plan = planOf.get(row.planId);
    if (plan) {
      const { id: _, ...place } = plan;
      groups.push({ ...place, count: row._count._all });
    }
    reform.set(
      row.isAdministrativeReform,
      (reform.get(row.isAdministrativeReform) ?? 0) + row._count._all,
    );
  }
  return { groups, reform };
}

/** The visible evaluations a `where` selects, counted per rating (SQL as above, else Prisma). */
async function ratingCounts(
  ctx: Pick<Context, 'prisma'>,
  where: Prisma.EvaluationWhereInput,
): Promise<Array<{ rating: Rating | null; count: number }>> {
  const params = new SqlParams();
  const condition = translated(() => whereSql(where, evaluationTable, params));
  if (condition !== undefined) {
    return ctx.prisma.$queryRawUnsafe(
      `SELECT e.rating::text AS rating, count(*)::int AS count FROM "Evaluation" AS e ${joinsSql(evaluationTable, 'LEFT JOIN')} WHERE ${condition} GROUP BY 1`,
      ...params.values,
    );
  }
  const rows = await ctx.prisma.evaluation.groupBy({
    by: ['rating'],
    where,
    _count: { _all: true },
  });
  return rows.map((row) => ({ rating: row.rating, count: row._count._all }));
}
