// Who sees citizens' feedback: approved feedback is public; the department concerned and the
// planning section see all of it. The submitter's contact address is for the planning
// section (ADMIN/PLANNING of the municipality) only.
import { actsForMunicipality } from '../../auth/viewer.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Context } from '../../graphql/context.ts';
import { draftScope, visiblePlans } from '../plan/plan.policy.ts';

export function visibleFeedback(ctx: Pick<Context, 'viewer'>): Prisma.FeedbackWhereInput {
  const scope = draftScope(ctx.viewer);
  return {
    plan: visiblePlans(ctx),
    ...(scope
      ? { OR: [{ status: 'APPROVED' }, { plan: { department: scope } }] }
      : { status: 'APPROVED' }),
  };
}

export function canSeeContact(ctx: Pick<Context, 'viewer'>, municipalityId: number): boolean {
  return actsForMunicipality(ctx.viewer, municipalityId);
}
