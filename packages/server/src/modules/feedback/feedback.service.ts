// Citizens' opinions on a plan (ご意見、ご感想): anyone may submit one on a plan they can see,
// within a rate limit; the planning section approves or rejects it before it is shown.
import { z } from 'zod';
import { actorOf, actsForMunicipality } from '../../auth/viewer.ts';
import { fieldChanges, writeWithHistory } from '../../db/history.ts';
import { ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../../errors.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Context } from '../../graphql/context.ts';
import { parseInput, text } from '../shared/validation.ts';
import { visibleFeedback, visiblePlans } from '../visibility/visibility.policy.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer' | 'clientAddress' | 'limits'>;

export const MAX_FEEDBACK_LENGTH = 2000;

const submitSchema = z.strictObject({
  planId: z.number().int(),
  body: text(MAX_FEEDBACK_LENGTH),
  contactEmail: z.email().max(254).nullish(),
});

/**
 * `query` is the caller's selection (Pothos): the answer is read in the same transaction, so
 * nothing can fail once the opinion is committed.
 */
export async function submitFeedback(
  ctx: ServiceContext,
  input: z.input<typeof submitSchema>,
  query: { include?: Prisma.FeedbackInclude; select?: Prisma.FeedbackSelect } = {},
) {
  const data = parseInput(submitSchema, input);
  const wait = await ctx.limits.feedback(ctx.clientAddress);
  if (wait > 0) throw new RateLimitedError(wait);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const plan = await tx.departmentPlan.findFirst({
      where: { id: data.planId, AND: [visiblePlans(ctx)] },
      include: { department: true },
    });
    if (!plan) throw new NotFoundError('DepartmentPlan', String(data.planId));
    const feedback = await tx.feedback.create({
      data: { planId: plan.id, body: data.body, contactEmail: data.contactEmail ?? null },
    });
    // The contact address stays out of the change record: histories are widely readable.
    record({
      municipalityId: plan.department.municipalityId,
      entityType: 'Feedback',
      entityId: feedback.id,
      action: 'CREATE',
      changes: fieldChanges(null, {
        planId: plan.id,
        body: feedback.body,
        status: feedback.status,
      }),
      departmentId: plan.departmentId,
      fiscalYear: plan.fiscalYear,
    });
    // A payload that selects only __typename hands over an empty select, which Prisma refuses:
    // read the row plainly then (an error here would come after the write).
    const selection = query.select && Object.keys(query.select).length === 0 ? {} : { ...query };
    return tx.feedback.findUniqueOrThrow({ ...selection, where: { id: feedback.id } });
  });
}

export async function moderateFeedback(
  ctx: ServiceContext,
  input: { id: number },
  status: 'APPROVED' | 'REJECTED',
) {
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const feedback = await tx.feedback.findFirst({
      where: { id: input.id, AND: [visibleFeedback(ctx)] },
      include: { plan: { include: { department: true } } },
    });
    if (!feedback) throw new NotFoundError('Feedback', String(input.id));
    const { department } = feedback.plan;
    if (!actsForMunicipality(ctx.viewer, department.municipalityId)) {
      throw new ForbiddenError('Only the planning section moderates feedback');
    }
    if (feedback.status === status) {
      throw ValidationError.of(
        ['input', 'id'],
        'UNCHANGED',
        `The feedback is already ${status.toLowerCase()}`,
      );
    }
    const moderation = {
      status,
      moderatedAt: new Date(),
      moderatedBy: actorOf(ctx.viewer).subject,
    };
    const updated = await tx.feedback.update({ where: { id: feedback.id }, data: moderation });
    record({
      municipalityId: department.municipalityId,
      entityType: 'Feedback',
      entityId: feedback.id,
      action: 'UPDATE',
      changes: fieldChanges(feedback, moderation),
      departmentId: department.id,
      fiscalYear: feedback.plan.fiscalYear,
    });
    return updated;
  });
}
