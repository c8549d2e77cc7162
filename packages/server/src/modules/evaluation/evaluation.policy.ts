// Who may see an evaluation (達成状況): published ones of plans the caller may see.

import type { Prisma } from '../../generated/prisma/client.ts';
import type { Context } from '../../graphql/context.ts';
import { visibleInitiatives } from '../plan/plan.policy.ts';

export function visibleEvaluations(ctx: Context): Prisma.EvaluationWhereInput {
  return { status: 'PUBLISHED', initiative: visibleInitiatives(ctx) };
}

/** For an evaluation reached through its (already visible) initiative. */
export function isEvaluationVisible(evaluation: { status: string }, _ctx: Context): boolean {
  return evaluation.status === 'PUBLISHED';
}
