// The reporting calendar (提出期限): per municipality and fiscal year, the day each evaluation
// stage and the year-end actuals are due; and what is pending against it: per department
// (what its editors must still do) and for the planning office (every department, every
// stage). Only planning sets the calendar; a department's editors read their own list.
import { z } from 'zod';
import type { Department, Initiative, Prisma, Target } from '../../../generated/prisma/client.ts';
import { actorOf, actsForDepartment, actsForMunicipality } from '../../auth/viewer.ts';
import type { PrismaClient } from '../../db/client.ts';
import { fieldChanges, writeWithHistory } from '../../db/history.ts';
import { ForbiddenError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { type StageKind, stageDefinitions } from '../evaluation/evaluation-stage.policy.ts';
import { fiscalYear, isSupportedFiscalYear } from '../fiscal-year/fiscal-year.ts';
import {
  municipalityOfInput,
  requireDepartment,
  requireMunicipality,
} from '../municipality/municipality.lookup.ts';
import { parseInput } from '../shared/validation.ts';
import { visiblePlans } from '../visibility/visibility.policy.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;

/** A deadline is for one evaluation stage or for the actuals (ReportingKind). */
export type ReportingKind = StageKind | 'ACTUALS';
/** The name of the actuals' deadline; stages are named by the municipality's definitions. */
export const ACTUALS_NAME = '実績';
// Every stage kind is a reporting kind (a compile-time check that the two enums agree).
const _everyStageIsReported: Prisma.ReportingDeadlineCreateInput['kind'] extends ReportingKind
  ? StageKind extends Prisma.ReportingDeadlineCreateInput['kind']
    ? true
    : never
  : never = true;
void _everyStageIsReported;

export type PendingState = 'DUE' | 'OVERDUE' | 'RETURNED';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = z
  .string()
  .regex(ISO_DAY, 'a calendar day, YYYY-MM-DD')
  .refine((value) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    message: 'not a calendar day',
  });

const calendarSchema = z.strictObject({
  municipality: z.string().max(16),
  fiscalYear: z.number().int().refine(isSupportedFiscalYear, 'a fiscal year from 1886 to 2100'),
  deadlines: z
    .array(
      z.strictObject({
        kind: z.enum(['SELF', 'FIRST', 'SECOND', 'EXTERNAL', 'ACTUALS']),
        dueOn: day,
        remindDaysBefore: z.number().int().min(0).max(366).nullish(),
      }),
    )
    .max(5)
    .refine((list) => new Set(list.map((d) => d.kind)).size === list.length, {
      message: 'each kind at most once',
    }),
});

/** Today in Japan (the calendar's days are the city's days). */
export function todayInJapan(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export async function readCalendar(prisma: PrismaClient, municipalityId: number, year: number) {
  const [rows, stages] = await Promise.all([
    prisma.reportingDeadline.findMany({ where: { municipalityId, fiscalYear: year } }),
    stageDefinitions(prisma, municipalityId),
  ]);
  const order = (kind: string) => {
    const at = stages.findIndex((s) => s.kind === kind);
    return at < 0 ? stages.length : at;
  };
  const nameOf = (kind: string) => stages.find((s) => s.kind === kind)?.name ?? ACTUALS_NAME;
  return rows
    .sort((a, b) => order(a.kind) - order(b.kind))
    .map((row) => ({ ...row, name: nameOf(row.kind) }));
}

export type CalendarDeadline = Awaited<ReturnType<typeof readCalendar>>[number];

/** The calendar of a municipality's fiscal year (public: a city publishes its schedule). */
export async function reportingCalendar(ctx: ServiceContext, code: string, year: number) {
  const municipality = await requireMunicipality(ctx.prisma, code);
  return {
    municipality,
    fiscalYear: year,
    deadlines: await readCalendar(ctx.prisma, municipality.id, year),
  };
}

/**
 * Replaces the calendar of one fiscal year (kinds left out have no deadline). Planning staff
 * and admins of the municipality only; recorded as a change of the municipality.
 */
export async function setReportingCalendar(
  ctx: ServiceContext,
  input: z.input<typeof calendarSchema>,
) {
  const data = parseInput(calendarSchema, input);
  const municipalityId = await writeWithHistory(
    ctx.prisma,
    actorOf(ctx.viewer),
    async (tx, record) => {
      const municipality = await municipalityOfInput(tx, data.municipality);
      if (!actsForMunicipality(ctx.viewer, municipality.id)) {
        throw new ForbiddenError("Only the municipality's planning section sets its calendar");
      }
      const where = { municipalityId: municipality.id, fiscalYear: data.fiscalYear };
      const before = await tx.reportingDeadline.findMany({ where, orderBy: { kind: 'asc' } });
      await tx.reportingDeadline.deleteMany({
        where: { ...where, kind: { notIn: data.deadlines.map((d) => d.kind) } },
      });
      for (const d of data.deadlines) {
        const values = { dueOn: d.dueOn, remindDaysBefore: d.remindDaysBefore ?? 7 };
        await tx.reportingDeadline.upsert({
          where: { municipalityId_fiscalYear_kind: { ...where, kind: d.kind } },
          create: { ...where, kind: d.kind, ...values },
          update: { ...values, version: { increment: 1 } },
        });
      }
      const shown = (rows: { kind: string; dueOn: string; remindDaysBefore: number }[]) =>
        rows.map(({ kind, dueOn, remindDaysBefore }) => ({ kind, dueOn, remindDaysBefore }));
      record({
        municipalityId: municipality.id,
        entityType: 'Municipality',
        entityId: municipality.id,
        fiscalYear: data.fiscalYear,
        action: 'UPDATE',
        changes: fieldChanges(
          { reportingCalendar: shown(before) },
          {
            reportingCalendar: shown(
              data.deadlines.map((d) => ({ ...d, remindDaysBefore: d.remindDaysBefore ?? 7 })),
            ),
          },
        ),
      });
      return municipality.id;
    },
  );
  const municipality = await ctx.prisma.municipality.findUniqueOrThrow({
    where: { id: municipalityId },
  });
  return {
    municipality,
    fiscalYear: data.fiscalYear,
    deadlines: await readCalendar(ctx.prisma, municipalityId, data.fiscalYear),
  };
}

export interface PendingItem {
  kind: ReportingKind;
  /** 自己評価, 一次評価, ..., 実績 */
  name: string;
  state: PendingState;
  /** Null for a returned stage whose kind has no deadline. */
  dueOn: string | null;
  /** Days left until dueOn (negative: overdue by so many days). */
  daysLeft: number | null;
  department: Department;
  initiative: Initiative;
  target: Target | null;
  returnReason: string | null;
}

/**
 * What is pending in a fiscal year against the calendar, on `today`: for one department, the
 * items its own editors must do (stages worked on by EDITOR, and actuals); without a
 * department, the planning office's view of every department and every stage. Returned
 * stages are listed even without a deadline. Published plans only (what is evaluated).
 */
export async function pendingItems(
  ctx: ServiceContext,
  args: {
    municipality: string;
    fiscalYear: number;
    department?: string | null;
    today?: string | null;
  },
): Promise<PendingItem[]> {
  const municipality = await requireMunicipality(ctx.prisma, args.municipality);
  const department = args.department
    ? await requireDepartment(ctx.prisma, args.municipality, args.department)
    : null;
  if (
    department
      ? !actsForDepartment(ctx.viewer, department)
      : !actsForMunicipality(ctx.viewer, municipality.id)
  ) {
    throw new ForbiddenError(
      department
        ? "A department's pending list is for its editors and the planning section"
        : "The municipality's pending list is for its planning section",
    );
  }
  const today = args.today ?? todayInJapan();
  const [deadlines, stages] = await Promise.all([
    readCalendar(ctx.prisma, municipality.id, args.fiscalYear),
    stageDefinitions(ctx.prisma, municipality.id),
  ]);
  const byKind = new Map(deadlines.map((d) => [d.kind as string, d]));
  // The department's own list: the stages its editors work on, and the actuals.
  const listed = stages.filter((s) => !department || s.role === 'EDITOR');
  const plans = await ctx.prisma.departmentPlan.findMany({
    where: {
      fiscalYear: args.fiscalYear,
      status: 'PUBLISHED',
      department: department ? { id: department.id } : { municipalityId: municipality.id },
      AND: [visiblePlans(ctx)],
    },
    orderBy: [{ departmentOrder: 'asc' }, { id: 'asc' }],
    include: {
      department: true,
      initiatives: {
        orderBy: { position: 'asc' },
        include: {
          evaluation: { include: { stages: true } },
          targets: {
            orderBy: { id: 'asc' },
            include: { actuals: { select: { measuredOn: true } } },
          },
        },
      },
    },
  });
  const timing = (dueOn: string) => {
    const daysLeft = daysBetween(today, dueOn);
    return { dueOn, daysLeft, state: (daysLeft < 0 ? 'OVERDUE' : 'DUE') as PendingState };
  };
  const yearEnd = fiscalYear(args.fiscalYear).endDate;
  const items: PendingItem[] = [];
  for (const plan of plans) {
    for (const initiative of plan.initiatives) {
      for (const stage of listed) {
        const recorded = initiative.evaluation?.stages.find((s) => s.kind === stage.kind);
        if (recorded?.state === 'COMPLETED') continue;
        const deadline = byKind.get(stage.kind);
        const returned = recorded?.returnReason != null;
        if (!deadline && !returned) continue;
        const when = deadline
          ? timing(deadline.dueOn)
          : { dueOn: null, daysLeft: null, state: 'RETURNED' as PendingState };
        items.push({
          kind: stage.kind,
          name: stage.name,
          ...when,
          state: returned ? 'RETURNED' : when.state,
          department: plan.department,
          initiative,
          target: null,
          returnReason: recorded?.returnReason ?? null,
        });
      }
      const actuals = byKind.get('ACTUALS');
      if (!actuals) continue;
      for (const target of initiative.targets) {
        // The year's actual: one measured at the end of the fiscal year or later.
        if (target.actuals.some((a) => a.measuredOn >= yearEnd)) continue;
        items.push({
          kind: 'ACTUALS',
          name: ACTUALS_NAME,
          ...timing(actuals.dueOn),
          department: plan.department,
          initiative,
          target,
          returnReason: null,
        });
      }
    }
  }
  return items;
}
