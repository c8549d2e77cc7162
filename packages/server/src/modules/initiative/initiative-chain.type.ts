// Decisions that carry into next year, as data: an initiative's `carriedInto` (the next
// year's initiative its evaluation's decision carries it on to; `carriedFrom` is the other
// way), and `initiativeChains`: each initiative of a department's year with the initiatives
// before and after it, through the years. Only links the caller may see: a link is an
// evaluation, so a chain stops where an evaluation or an initiative is not visible.
import type { Initiative as InitiativeRow } from '../../../generated/prisma/client.ts';
import { builder } from '../../graphql/builder.ts';
import { NextYearDecision } from '../evaluation/evaluation.type.ts';
import { requireDepartment } from '../municipality/municipality.lookup.ts';
import {
  guardedBy,
  visibleEvaluations,
  visibleInitiatives,
} from '../visibility/visibility.policy.ts';
import { Initiative } from './initiative.type.ts';

builder.prismaObjectField(Initiative, 'carriedInto', (t) =>
  t.prismaField({
    type: 'Initiative',
    nullable: true,
    ...guardedBy('initiative', 'visibleInitiatives, through a visibleEvaluations link'),
    description:
      "The next year's initiative that carries this one on, as its evaluation decided (null when there is none you may see).",
    resolve: (query, initiative, _args, ctx) =>
      ctx.prisma.initiative.findFirst({
        ...query,
        where: {
          AND: [
            visibleInitiatives(ctx),
            {
              carriedFrom: {
                some: { initiativeId: initiative.id, AND: [visibleEvaluations(ctx)] },
              },
            },
          ],
        },
      }),
  }),
);

type Decision = 'CONTINUE' | 'EXPAND' | 'REDUCE' | 'ABOLISH' | 'COMPLETE';

interface Link {
  initiative: InitiativeRow;
  fiscalYear: number;
  decision: Decision | null;
}

const InitiativeChainLink = builder.objectRef<Link>('InitiativeChainLink').implement({
  description: 'One year of a chain: the initiative, and what its evaluation decided.',
  fields: (t) => ({
    fiscalYear: t.exposeInt('fiscalYear'),
    initiative: t.field({
      type: Initiative,
      ...guardedBy('initiative', 'read with visibleInitiatives by initiativeChains'),
      resolve: (link) => link.initiative,
    }),
    decision: t.field({
      type: NextYearDecision,
      nullable: true,
      description: "Its visible evaluation's decision for the next year (null when none).",
      resolve: (link) => link.decision,
    }),
  }),
});

const InitiativeChain = builder.objectRef<Link[]>('InitiativeChain').implement({
  description: 'An initiative through the years, oldest first.',
  fields: (t) => ({
    links: t.field({
      type: [InitiativeChainLink],
      ...guardedBy('initiative', 'every link read with visibleInitiatives/visibleEvaluations'),
      resolve: (links) => links,
    }),
  }),
});

builder.queryField('initiativeChains', (t) =>
  t.field({
    type: [InitiativeChain],
    ...guardedBy('initiative', 'visibleInitiatives and visibleEvaluations at every link'),
    description:
      "For each initiative of a department's plan of a fiscal year (that you may see), its chain through the years: the earlier initiatives it carries on and the later ones that carry it on.",
    args: {
      municipality: t.arg.string({ required: true }),
      department: t.arg.string({ required: true }),
      fiscalYear: t.arg.int({ required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const department = await requireDepartment(ctx.prisma, args.municipality, args.department);
      const withYear = { plan: { select: { fiscalYear: true } } } as const;
      const starts = await ctx.prisma.initiative.findMany({
        where: {
          AND: [
            visibleInitiatives(ctx),
            { plan: { departmentId: department.id, fiscalYear: args.fiscalYear } },
          ],
        },
        include: withYear,
        orderBy: { position: 'asc' },
      });
      const link = (
        { plan, ...initiative }: (typeof starts)[number],
        decision: Decision | null,
      ) => ({
        initiative,
        fiscalYear: plan.fiscalYear,
        decision,
      });
      const chains: Link[][] = [];
      for (const start of starts) {
        const seen = new Set([start.id]);
        const before: Link[] = [];
        for (let id = start.id; ; ) {
          const earlier = await ctx.prisma.evaluation.findFirst({
            where: { nextInitiativeId: id, AND: [visibleEvaluations(ctx)] },
            include: { initiative: { include: withYear } },
            orderBy: { id: 'asc' },
          });
          if (!earlier || seen.has(earlier.initiativeId)) break;
          seen.add(earlier.initiativeId);
          before.unshift(link(earlier.initiative, earlier.decision));
          id = earlier.initiativeId;
        }
        const after: Link[] = [];
        let current = start;
        for (;;) {
          const evaluation = await ctx.prisma.evaluation.findFirst({
            where: { initiativeId: current.id, AND: [visibleEvaluations(ctx)] },
          });
          after.push(link(current, evaluation?.decision ?? null));
          if (!evaluation?.nextInitiativeId || seen.has(evaluation.nextInitiativeId)) break;
          const next = await ctx.prisma.initiative.findFirst({
            where: { id: evaluation.nextInitiativeId, AND: [visibleInitiatives(ctx)] },
            include: withYear,
          });
          if (!next) break;
          seen.add(next.id);
          current = next;
        }
        chains.push([...before, ...after]);
      }
      return chains;
    },
  }),
);
