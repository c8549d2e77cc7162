// Citizens' opinions on a plan (ご意見、ご感想): anyone may submit one on a plan they can see,
// within a rate limit; the planning section approves or rejects it before it is shown.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { actorOf, actsForMunicipality } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
import { fieldChanges, writeWithHistory } from '../../db/history.ts';
import { ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { parseInput, text } from '../shared/validation.ts';
import { visibleFeedback, visiblePlans } from '../visibility/visibility.policy.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer' | 'clientAddress' | 'limits'>;
/** The caller's selection of what a write answers with (db/answer.ts). */
type FeedbackAnswer = Answer<Prisma.FeedbackInclude, Prisma.FeedbackSelect>;

export const MAX_FEEDBACK_LENGTH = 2000;

const submitSchema = z.strictObject({
  planId: z.number().int(),
  body: text(MAX_FEEDBACK_LENGTH),
  contactEmail: z.email().max(254).nullish(),
});

export async function submitFeedback(
  ctx: ServiceContext,
  input: z.input<typeof submitSchema>,
  query?: FeedbackAnswer,
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
    // A pending opinion is not visible to the anonymous caller who sent it: read it here.
    const feedback = await tx.feedback.create({
      data: { planId: plan.id, body: data.body, contactEmail: data.contactEmail ?? null },
      ...answering(query),
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
    return feedback;
  });
}

export async function moderateFeedback(
  ctx: ServiceContext,
  input: { id: number },
  status: 'APPROVED' | 'REJECTED',
  query?: FeedbackAnswer,
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
    const updated = await tx.feedback.update({
      where: { id: feedback.id },
      data: moderation,
      ...answering(query),
    });
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
