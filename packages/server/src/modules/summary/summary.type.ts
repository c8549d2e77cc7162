// YearSummary: what a dashboard shows for a municipality's fiscal year, counted over what the
// caller may see: plans and initiatives per department, the share of ☞ reform projects, and
// achievement by rating.
import { builder } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { formerNamesSelect, namingIn } from '../department/department-naming.ts';
import { AchievementRating } from '../evaluation/evaluation.type.ts';
import type { FiscalYear } from '../fiscal-year/fiscal-year.ts';
import { FiscalYearRef, parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import { requireMunicipality } from '../municipality/municipality.lookup.ts';
import { guardedBy, visibleEvaluations, visiblePlans } from '../visibility/visibility.policy.ts';

interface DepartmentCount {
  department: { id: number; code: string; name: string };
  initiativeCount: number;
  reformCount: number;
}

interface YearSummary {
  fiscalYear: FiscalYear;
  departments: DepartmentCount[];
  achievement: {
    rating: 'ACHIEVED' | 'MOSTLY_ACHIEVED' | 'PARTIALLY_ACHIEVED' | 'NOT_ACHIEVED';
    count: number;
  }[];
}

const DepartmentCountRef = builder.objectRef<DepartmentCount>('DepartmentCount').implement({
  fields: (t) => ({
    departmentCode: t.string({ resolve: (c) => c.department.code }),
    departmentName: t.string({
      description: 'Its name in the summary’s fiscal year.',
      resolve: (c) => c.department.name,
    }),
    initiativeCount: t.exposeInt('initiativeCount'),
    reformCount: t.exposeInt('reformCount'),
  }),
});

const RatingCount = builder.objectRef<YearSummary['achievement'][number]>('RatingCount').implement({
  fields: (t) => ({
    rating: t.field({ type: AchievementRating, resolve: (c) => c.rating }),
    count: t.exposeInt('count'),
  }),
});

const YearSummaryRef = builder.objectRef<YearSummary>('YearSummary').implement({
  description: "Counts for a municipality's fiscal year, over what the caller may see.",
  fields: (t) => ({
    fiscalYear: t.field({ type: FiscalYearRef, resolve: (s) => s.fiscalYear }),
    planCount: t.int({ resolve: (s) => s.departments.length }),
    initiativeCount: t.int({ resolve: (s) => sum(s.departments, 'initiativeCount') }),
    reformCount: t.int({ resolve: (s) => sum(s.departments, 'reformCount') }),
    reformShare: t.float({
      description: 'Share of initiatives flagged ☞ 行革推進事業, 0 to 1 (0 when there are none).',
      resolve: (s) => {
        const total = sum(s.departments, 'initiativeCount');
        return total === 0 ? 0 : sum(s.departments, 'reformCount') / total;
      },
    }),
    byDepartment: t.field({
      ...guardedBy('plan', 'computed by yearSummary with visiblePlans'),
      type: [DepartmentCountRef],
      description: 'One entry per visible plan, in department display order.',
      resolve: (s) => s.departments,
    }),
    evaluatedCount: t.int({ resolve: (s) => s.achievement.reduce((n, r) => n + r.count, 0) }),
    achievement: t.field({
      ...guardedBy('evaluation', 'computed by yearSummary with visibleEvaluations'),
      type: [RatingCount],
      description: 'Visible evaluations by rating (every rating listed, zero included).',
      resolve: (s) => s.achievement,
    }),
  }),
});

function sum(rows: DepartmentCount[], field: 'initiativeCount' | 'reformCount') {
  return rows.reduce((n, row) => n + row[field], 0);
}

async function summarise(
  ctx: Context,
  municipalityCode: string,
  year: number,
): Promise<YearSummary> {
  const fiscalYear = parseFiscalYear(year);
  const municipality = await requireMunicipality(ctx.prisma, municipalityCode);
  const planScope = {
    fiscalYear: fiscalYear.year,
    department: { municipalityId: municipality.id },
  };
  const [plans, ratings] = await Promise.all([
    ctx.prisma.departmentPlan.findMany({
      where: { ...planScope, AND: [visiblePlans(ctx)] },
      select: {
        department: {
          select: {
            id: true,
            code: true,
            name: true,
            nameEn: true,
            displayOrder: true,
            ...formerNamesSelect,
          },
        },
        // A visible plan's initiatives are visible.
        initiatives: { select: { isAdministrativeReform: true } },
      },
      orderBy: [{ department: { displayOrder: 'asc' } }, { id: 'asc' }],
    }),
    ctx.prisma.evaluation.groupBy({
      by: ['rating'],
      where: { AND: [visibleEvaluations(ctx), { initiative: { plan: planScope } }] },
      _count: { _all: true },
    }),
  ]);
  const counts = new Map(ratings.map((r) => [r.rating, r._count._all]));
  return {
    fiscalYear,
    departments: plans.map(({ department, initiatives }) => ({
      department: {
        ...department,
        name: namingIn(department, department.formerNames, fiscalYear.year).name,
      },
      initiativeCount: initiatives.length,
      reformCount: initiatives.filter((i) => i.isAdministrativeReform).length,
    })),
    achievement: (
      ['ACHIEVED', 'MOSTLY_ACHIEVED', 'PARTIALLY_ACHIEVED', 'NOT_ACHIEVED'] as const
    ).map((rating) => ({ rating, count: counts.get(rating) ?? 0 })),
  };
}

builder.queryField('yearSummary', (t) =>
  t.field({
    ...guardedBy('plan', 'visiblePlans and visibleEvaluations'),
    type: YearSummaryRef,
    description: "Dashboard counts for a municipality's fiscal year.",
    args: {
      municipality: t.arg.string({ required: true }),
      fiscalYear: t.arg.int({ required: true }),
    },
    resolve: (_root, args, ctx) => summarise(ctx, args.municipality, args.fiscalYear),
  }),
);
