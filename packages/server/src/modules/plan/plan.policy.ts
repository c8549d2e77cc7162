// Who may see which plans. Every read path (root queries, relations, node(id:)) filters
// through these, so a rule changes in one place.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Context } from '../../graphql/context.ts';

/** Plans the caller may read: for now, published ones (drafts are never public). */
export function visiblePlans(_ctx: Context): Prisma.DepartmentPlanWhereInput {
  return { status: 'PUBLISHED' };
}

/** Initiatives are visible exactly when their plan is. */
export function visibleInitiatives(ctx: Context): Prisma.InitiativeWhereInput {
  return { plan: visiblePlans(ctx) };
}
