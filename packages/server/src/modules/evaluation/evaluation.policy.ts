// Who may see an evaluation (達成状況): published ones of plans the caller may see, and
// unpublished ones within the caller's draft scope.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Context } from '../../graphql/context.ts';
import { draftScope, visibleInitiatives } from '../plan/plan.policy.ts';

export function visibleEvaluations(ctx: Pick<Context, 'viewer'>): Prisma.EvaluationWhereInput {
  const scope = draftScope(ctx.viewer);
  return {
    initiative: visibleInitiatives(ctx),
    ...(scope
      ? { OR: [{ status: 'PUBLISHED' }, { initiative: { plan: { department: scope } } }] }
      : { status: 'PUBLISHED' }),
  };
}

/** For an evaluation reached through its (visible) initiative, whose department is known. */
export function isEvaluationVisible(
  evaluation: { status: string },
  department: { id: number; municipalityId: number },
  ctx: Pick<Context, 'viewer'>,
): boolean {
  if (evaluation.status === 'PUBLISHED') return true;
  const scope = draftScope(ctx.viewer);
  if (!scope) return false;
  if (typeof scope.id === 'number') return scope.id === department.id;
  if (typeof scope.municipalityId === 'number')
    return scope.municipalityId === department.municipalityId;
  return true;
}
