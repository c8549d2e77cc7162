// Root queries that return initiatives: the cross-department list and its search.

import type { Prisma } from '../../generated/prisma/client.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import { ErrorCode, UserInputError } from '../../graphql/errors.ts';
import { assertScopeExists, planScopeWhere } from '../plan/plan.scope.ts';
import { guardedBy, visiblePlans } from '../visibility/visibility.policy.ts';

export const MAX_SEARCH_LENGTH = 100;

const InitiativeFilter = builder.inputType('InitiativeFilter', {
  fields: (t) => ({
    municipality: t.string({ description: 'National code, e.g. 132047.' }),
    fiscalYear: t.int({ description: 'e.g. 2012 for 平成24年度.' }),
    department: t.string({ description: 'Department code, e.g. kyoiku.' }),
    isAdministrativeReform: t.boolean({ description: 'Only ☞ reform projects, or only others.' }),
    search: t.string({
      description: `Substring of the text, as written (Japanese is matched as is); 1 to ${MAX_SEARCH_LENGTH} characters.`,
    }),
  }),
});

type InitiativeFilterShape = typeof InitiativeFilter.$inferInput;

function searchTerm(search: string | null | undefined): string | undefined {
  if (search == null) return undefined;
  const term = search.normalize('NFC').trim();
  if (term.length === 0 || term.length > MAX_SEARCH_LENGTH) {
    throw new UserInputError(
      ErrorCode.BAD_USER_INPUT,
      `"search" must be 1 to ${MAX_SEARCH_LENGTH} characters`,
      { argument: 'filter.search' },
    );
  }
  return term;
}

function initiativeWhere(
  filter: InitiativeFilterShape | null | undefined,
  ctx: Parameters<typeof visiblePlans>[0],
): Prisma.InitiativeWhereInput {
  const term = searchTerm(filter?.search);
  return {
    plan: { AND: [planScopeWhere(filter), visiblePlans(ctx)] },
    ...(filter?.isAdministrativeReform == null
      ? {}
      : { isAdministrativeReform: filter.isAdministrativeReform }),
    // Prisma passes LIKE wildcards through: a search for "%" must mean the character.
    ...(term === undefined ? {} : { text: { contains: term.replace(/[\\%_]/g, '\\$&') } }),
  };
}

builder.queryField('initiatives', (t) =>
  t.prismaConnection({
    ...guardedBy('initiative', 'visiblePlans on the plan'),
    type: 'Initiative',
    cursor: 'id',
    ...pageSize,
    description:
      'Initiatives across plans: newest fiscal year first, then department display order, then position.',
    args: { filter: t.arg({ type: InitiativeFilter }) },
    totalCount: async (_connection, args, ctx) => {
      const count = await ctx.prisma.initiative.count({ where: initiativeWhere(args.filter, ctx) });
      if (count === 0) await assertScopeExists(ctx.prisma, args.filter);
      return count;
    },
    resolve: async (query, _root, args, ctx) => {
      const initiatives = await ctx.prisma.initiative.findMany({
        ...query,
        relationLoadStrategy: 'query', // as for plans: see plan.queries.ts
        where: initiativeWhere(args.filter, ctx),
        orderBy: [
          { plan: { fiscalYear: 'desc' } },
          { plan: { department: { displayOrder: 'asc' } } },
          { planId: 'asc' },
          { position: 'asc' },
        ],
      });
      if (initiatives.length === 0) await assertScopeExists(ctx.prisma, args.filter);
      return initiatives;
    },
  }),
);
