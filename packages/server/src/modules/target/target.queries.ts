// Roll-ups of target statuses per department and fiscal year: how many targets stand at each
// status, the share on track, and a weighted progress. Only targets the caller may see count
// (the public: those of published plans).
import { builder } from '../../graphql/builder.ts';
import { Department } from '../department/department.type.ts';
import { parseFiscalYear } from '../fiscal-year/fiscal-year.type.ts';
import { requireDepartment, requireMunicipality } from '../municipality/municipality.lookup.ts';
import { guardedBy, visibleInitiatives } from '../visibility/visibility.policy.ts';
import { STATUSES, type TargetStatus as Status } from './status-rules.ts';
import { explainTarget, statusSelect, TargetStatus } from './target.type.ts';

interface Rollup {
  departmentId: number;
  fiscalYear: number;
  targetCount: number;
  counts: Record<Status, number>;
  onTrackShare: number | null;
  weightedProgressPercent: number | null;
  weightWithData: number;
}

const StatusCount = builder
  .objectRef<{ status: Status; count: number }>('TargetStatusCount')
  .implement({
    fields: (t) => ({
      status: t.field({ type: TargetStatus, resolve: (c) => c.status }),
      count: t.exposeInt('count'),
    }),
  });

const TargetRollup = builder.objectRef<Rollup>('TargetRollup').implement({
  description: "One department's targets of one fiscal year, by status.",
  fields: (t) => ({
    department: t.field({
      type: Department,
      resolve: (r, _args, ctx) =>
        ctx.prisma.department.findUniqueOrThrow({ where: { id: r.departmentId } }),
    }),
    fiscalYear: t.exposeInt('fiscalYear'),
    targetCount: t.exposeInt('targetCount', {
      ...guardedBy('initiative', 'counts only targets of visible initiatives'),
    }),
    statusCounts: t.field({
      type: [StatusCount],
      description: 'Every status, with how many targets stand at it (zeros included).',
      ...guardedBy('initiative', 'counts only targets of visible initiatives'),
      resolve: (r) => STATUSES.map((status) => ({ status, count: r.counts[status] })),
    }),
    onTrackShare: t.float({
      nullable: true,
      description: 'ON_TRACK and ACHIEVED targets over all targets (0 to 1); null without targets.',
      resolve: (r) => r.onTrackShare,
    }),
    weightedProgressPercent: t.float({
      nullable: true,
      description:
        'Sum of weight × progress (clamped to 0..100) over the sum of weights, for targets with a progress; null when none has one.',
      resolve: (r) => r.weightedProgressPercent,
    }),
  }),
});

const round = (n: number) => Math.round(n * 10) / 10;

builder.queryField('targetRollups', (t) =>
  t.field({
    type: [TargetRollup],
    ...guardedBy('initiative', 'targets of visibleInitiatives only'),
    description:
      "Target statuses per department for a fiscal year, by each department's municipality's rules.",
    args: {
      municipality: t.arg.string({ required: true, description: 'National code, e.g. 132047.' }),
      fiscalYear: t.arg.int({ required: true }),
      department: t.arg.string({ description: 'Only this department (code).' }),
    },
    resolve: async (_root, args, ctx) => {
      const year = parseFiscalYear(args.fiscalYear).year;
      const municipality = await requireMunicipality(ctx.prisma, args.municipality);
      const department = args.department
        ? await requireDepartment(ctx.prisma, args.municipality, args.department)
        : null;
      const targets = await ctx.prisma.target.findMany({
        where: {
          initiative: {
            AND: [
              visibleInitiatives(ctx),
              {
                plan: {
                  fiscalYear: year,
                  department: department
                    ? { id: department.id }
                    : { municipalityId: municipality.id },
                },
              },
            ],
          },
        },
        select: {
          ...statusSelect,
          initiative: {
            select: {
              plan: {
                select: {
                  fiscalYear: true,
                  departmentId: true,
                  department: { select: { municipalityId: true, displayOrder: true } },
                },
              },
            },
          },
        },
      });
      const byDepartment = new Map<number, { order: number; rollup: Rollup; sum: number }>();
      for (const target of targets) {
        const { plan } = target.initiative;
        let entry = byDepartment.get(plan.departmentId);
        if (!entry) {
          entry = {
            order: plan.department.displayOrder,
            sum: 0,
            rollup: {
              departmentId: plan.departmentId,
              fiscalYear: year,
              targetCount: 0,
              counts: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>,
              onTrackShare: null,
              weightedProgressPercent: null,
              weightWithData: 0,
            },
          };
          byDepartment.set(plan.departmentId, entry);
        }
        const explanation = await explainTarget(ctx, target);
        entry.rollup.targetCount += 1;
        entry.rollup.counts[explanation.status] += 1;
        const progress = explanation.values.progressPercent;
        if (progress !== null) {
          entry.sum += target.weight * Math.min(100, Math.max(0, progress));
          entry.rollup.weightWithData += target.weight;
        }
      }
      return [...byDepartment.values()]
        .sort((a, b) => a.order - b.order)
        .map(({ rollup, sum }) => ({
          ...rollup,
          onTrackShare:
            rollup.targetCount === 0
              ? null
              : Math.round(
                  ((rollup.counts.ON_TRACK + rollup.counts.ACHIEVED) / rollup.targetCount) * 1000,
                ) / 1000,
          weightedProgressPercent:
            rollup.weightWithData === 0 ? null : round(sum / rollup.weightWithData),
        }));
    },
  }),
);
