// A department through several fiscal years in one query: each year's plan and, against the
// year before, which initiatives were carried on (an evaluation's nextInitiative), which are new
// and which ended. Two statements whatever the number of years; only what the caller may see.
import type { PrismaClient } from '../../db/client.ts';
import { ErrorCode, UserInputError } from '../../errors.ts';
import { builder } from '../../graphql/builder.ts';
import type { Context } from '../../graphql/context.ts';
import { NextYearDecision } from '../evaluation/evaluation.type.ts';
import { type FiscalYear, fiscalYear } from '../fiscal-year/fiscal-year.ts';
import { FiscalYearRef } from '../fiscal-year/fiscal-year.type.ts';
import { Initiative } from '../initiative/initiative.type.ts';
import { requireDepartment } from '../municipality/municipality.lookup.ts';
import { guardedBy, isEvaluationVisible, visiblePlans } from '../visibility/visibility.policy.ts';
import { FiscalYearRange, planScopeWhere } from './plan.scope.ts';
import { DepartmentPlan } from './plan.type.ts';

const MAX_TIMELINE_YEARS = 30;

type PlanRow = NonNullable<Awaited<ReturnType<typeof loadPlans>>>[number];
type InitiativeRow = PlanRow['initiatives'][number];

interface Carried {
  from: InitiativeRow;
  to: InitiativeRow;
  decision: string | null;
}

interface TimelineYear {
  fiscalYear: FiscalYear;
  plan: PlanRow | null;
  previousPlan: PlanRow | null;
  carriedOn: Carried[];
  added: InitiativeRow[];
  ended: InitiativeRow[];
}

const CarriedInitiative = builder.objectRef<Carried>('CarriedInitiative').implement({
  description: "An initiative of the year before carried on by one of this year's.",
  fields: (t) => ({
    from: t.field({
      ...guardedBy(
        'delegated',
        'departmentTimeline loads only plans and initiatives the caller may see',
      ),
      type: Initiative,
      resolve: (c) => c.from,
    }),
    to: t.field({
      ...guardedBy(
        'delegated',
        'departmentTimeline loads only plans and initiatives the caller may see',
      ),
      type: Initiative,
      resolve: (c) => c.to,
    }),
    decision: t.field({
      type: NextYearDecision,
      nullable: true,
      description: 'What the evaluation of `from` decided.',
      resolve: (c) => c.decision as 'CONTINUE' | null,
    }),
  }),
});

const TimelineYearRef = builder.objectRef<TimelineYear>('DepartmentYear').implement({
  description:
    "One fiscal year of a department's timeline, compared with the year before (empty lists when either plan is not visible).",
  fields: (t) => ({
    fiscalYear: t.field({ type: FiscalYearRef, resolve: (y) => y.fiscalYear }),
    plan: t.field({
      ...guardedBy(
        'delegated',
        'departmentTimeline loads only plans and initiatives the caller may see',
      ),
      type: DepartmentPlan,
      nullable: true,
      description: "That year's plan, if visible to the caller.",
      resolve: (y) => y.plan,
    }),
    carriedOn: t.field({
      type: [CarriedInitiative],
      description: "Last year's initiatives whose evaluation names one of this year's as next.",
      resolve: (y) => y.carriedOn,
    }),
    new: t.field({
      ...guardedBy(
        'delegated',
        'departmentTimeline loads only plans and initiatives the caller may see',
      ),
      type: [Initiative],
      description: "This year's initiatives that carry on none of last year's.",
      resolve: (y) => y.added,
    }),
    ended: t.field({
      ...guardedBy(
        'delegated',
        'departmentTimeline loads only plans and initiatives the caller may see',
      ),
      type: [Initiative],
      description: "Last year's initiatives that none of this year's carries on.",
      resolve: (y) => y.ended,
    }),
  }),
});

async function loadPlans(
  ctx: Pick<Context, 'viewer'> & { prisma: PrismaClient },
  departmentId: number,
  from: number,
  to: number,
) {
  return ctx.prisma.departmentPlan.findMany({
    where: {
      departmentId,
      fiscalYear: { gte: from, lte: to },
      AND: [visiblePlans(ctx)],
    },
    orderBy: { fiscalYear: 'asc' },
    include: {
      initiatives: {
        orderBy: { position: 'asc' },
        // The evaluation that may carry each one into a later year (its visibility is
        // checked per row: a to-one relation cannot be filtered in the query).
        include: { evaluation: true },
      },
    },
  });
}

builder.queryField('departmentTimeline', (t) =>
  t.field({
    type: [TimelineYearRef],
    description: `A department's plans across fiscal years (at most ${MAX_TIMELINE_YEARS}), oldest first, each compared with the year before: initiatives carried on, new and ended.`,
    args: {
      municipality: t.arg.string({ required: true, description: 'National code, e.g. 132047.' }),
      department: t.arg.string({ required: true, description: 'Department code, e.g. kyoiku.' }),
      fiscalYears: t.arg({
        type: FiscalYearRange,
        required: true,
        description: 'A range with both ends, e.g. {from: 2012, to: 2014}.',
      }),
    },
    resolve: async (_root, args, ctx) => {
      const wanted = timelineYears(args.fiscalYears);
      const department = await requireDepartment(ctx.prisma, args.municipality, args.department);
      const first = wanted[0];
      const last = wanted[wanted.length - 1];
      if (first === undefined || last === undefined) return [];
      // From one year before the first, to compare the first with.
      const plans = await loadPlans(ctx, department.id, first - 1, last);
      const byYear = new Map(plans.map((plan) => [plan.fiscalYear, plan]));
      const visible = (evaluation: { status: string } | null) =>
        evaluation !== null && isEvaluationVisible(evaluation, department, ctx);
      return wanted.map((year) =>
        compare(year, byYear.get(year) ?? null, byYear.get(year - 1) ?? null, visible),
      );
    },
  }),
);

/** The years asked for, checked: a closed range or a list, at most MAX_TIMELINE_YEARS. */
function timelineYears(range: { from?: number | null; to?: number | null; in?: number[] | null }) {
  const where = planScopeWhere({ fiscalYears: range }).fiscalYear;
  const bad = (message: string) =>
    new UserInputError(ErrorCode.BAD_USER_INPUT, message, { argument: 'fiscalYears' });
  let years: number[];
  if (typeof where === 'object' && where?.in) {
    years = [...new Set(where.in as number[])].sort((a, b) => a - b);
  } else if (typeof where === 'object' && where?.gte != null && where.lte != null) {
    const from = where.gte as number;
    years = Array.from({ length: (where.lte as number) - from + 1 }, (_, i) => from + i);
  } else {
    throw bad('A timeline needs both "from" and "to", or "in"');
  }
  if (years.length > MAX_TIMELINE_YEARS)
    throw bad(`A timeline spans at most ${MAX_TIMELINE_YEARS} years`);
  return years;
}

function compare(
  year: number,
  plan: PlanRow | null,
  previousPlan: PlanRow | null,
  visible: (evaluation: InitiativeRow['evaluation']) => boolean,
): TimelineYear {
  const result: TimelineYear = {
    fiscalYear: fiscalYear(year),
    plan,
    previousPlan,
    carriedOn: [],
    added: [],
    ended: [],
  };
  if (!plan || !previousPlan) {
    if (plan) result.added = [...plan.initiatives];
    return result;
  }
  const thisYear = new Map(plan.initiatives.map((i) => [i.id, i]));
  const carriedIds = new Set<number>();
  for (const before of previousPlan.initiatives) {
    const evaluation = visible(before.evaluation) ? before.evaluation : null;
    const nextId = evaluation?.nextInitiativeId;
    const next = nextId == null ? undefined : thisYear.get(nextId);
    if (next) {
      result.carriedOn.push({ from: before, to: next, decision: evaluation?.decision ?? null });
      carriedIds.add(next.id);
    } else {
      result.ended.push(before);
    }
  }
  result.added = plan.initiatives.filter((i) => !carriedIds.has(i.id));
  return result;
}
