// Citizens' opinions on a plan (ご意見、ご感想): anyone may submit one on a plan they can see,
// within a rate limit; the planning section approves or rejects it before it is shown.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { actorOf } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
import { feedbackAnswerAudience, feedbackAudience, NOT_IN_SNAPSHOTS } from '../../db/audience.ts';
import {
  type Change,
  deletionChanges,
  fieldChanges,
  type RecordChange,
  type Tx,
  writeWithHistory,
} from '../../db/history.ts';
import { ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { parseInput, text } from '../shared/validation.ts';
import { visibleFeedback, visiblePlans } from '../visibility/visibility.policy.ts';
import { moderatesFeedback } from './feedback.policy.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer' | 'clientAddress' | 'limits'>;
/** The caller's selection of what a write answers with (db/answer.ts). */
type FeedbackQuery = Answer<Prisma.FeedbackInclude, Prisma.FeedbackSelect>;

export const MAX_FEEDBACK_LENGTH = 2000;

const submitSchema = z.strictObject({
  planId: z.number().int(),
  body: text(MAX_FEEDBACK_LENGTH),
  contactEmail: z.email().max(254).nullish(),
});

export async function submitFeedback(
  ctx: ServiceContext,
  input: z.input<typeof submitSchema>,
  query?: FeedbackQuery,
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
  query?: FeedbackQuery,
) {
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const feedback = await feedbackForModeration(ctx, tx, input.id);
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
    const { plan: _plan, answer, ...row } = feedback;
    const updated = await tx.feedback.update({
      where: { id: feedback.id },
      data: moderation,
      ...answering(query),
    });
    record({
      ...feedbackChange(feedback),
      action: 'UPDATE',
      changes: fieldChanges(row, moderation),
    });
    // Its official answer is shown only with an approved opinion: it enters or leaves with it.
    if (answer) record({ ...answerChange(feedback, answer.id), action: 'UPDATE', changes: {} });
    return updated;
  });
}

type FeedbackPlace = {
  id: number;
  plan: { fiscalYear: number; departmentId: number; department: { municipalityId: number } };
};

/** A change of the opinion, where it sits. */
export function feedbackChange(feedback: FeedbackPlace) {
  return {
    municipalityId: feedback.plan.department.municipalityId,
    entityType: 'Feedback' as const,
    entityId: feedback.id,
    departmentId: feedback.plan.departmentId,
    fiscalYear: feedback.plan.fiscalYear,
  };
}

/** A change of the opinion's official answer, where the opinion sits. */
export function answerChange(feedback: FeedbackPlace, answerId: number) {
  return { ...feedbackChange(feedback), entityType: 'FeedbackAnswer' as const, entityId: answerId };
}

/**
 * The opinion for a moderator's write, with its plan and official answer: NotFound when the
 * caller may not see it, Forbidden unless they moderate its municipality's opinions.
 */
export async function feedbackForModeration(ctx: Pick<Context, 'viewer'>, tx: Tx, id: number) {
  const feedback = await tx.feedback.findFirst({
    where: { id, AND: [visibleFeedback(ctx)] },
    include: { plan: { include: { department: true } }, answer: true },
  });
  if (!feedback) throw new NotFoundError('Feedback', String(id));
  if (!moderatesFeedback(ctx.viewer, feedback.plan.department.municipalityId)) {
    throw new ForbiddenError('Only the planning section moderates feedback');
  }
  return feedback;
}

/** A row's fields as a deletion records them: what a snapshot may show (no contact address). */
export function recordedFields(row: Record<string, unknown>) {
  return Object.fromEntries(
    Object.entries(row).filter(
      ([field]) => field !== 'id' && field !== 'version' && !NOT_IN_SNAPSHOTS.has(field),
    ),
  );
}

/**
 * Deletes an opinion that is not shown (pending or rejected), with its official answer
 * (planning): an approved one is withdrawn first (rejectFeedback), so nothing shown is deleted
 * in place. The change log keeps the deletion; the contact address is in no record.
 */
export async function deleteFeedback(
  ctx: ServiceContext,
  input: { id: number },
  query?: FeedbackQuery,
) {
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const feedback = await feedbackForModeration(ctx, tx, input.id);
    if (feedback.status === 'APPROVED') {
      throw ValidationError.of(
        ['input', 'id'],
        'PUBLISHED',
        'The opinion is shown: withdraw it (rejectFeedback) before deleting it',
      );
    }
    const { plan: _plan, answer, ...row } = feedback;
    // The answer is the opinion as it was deleted: it can no longer be read afterwards.
    const deleted = await tx.feedback.delete({ where: { id: feedback.id }, ...answering(query) });
    if (answer) recordAnswerDeletion(record, feedback, answer);
    record({
      ...feedbackChange(feedback),
      action: 'DELETE',
      changes: deletionChanges(recordedFields(row)),
    });
    return deleted;
  });
}

/**
 * What a plan's publication, withdrawal or deletion does to its opinions and their answers,
 * whose audience follows the plan (db/audience.ts): on deletion, each one's DELETE (the answer
 * before its opinion, as deleteFeedback records them); on a status change, an UPDATE of each
 * one whose audience that change moves, so that live viewers and the change logs see it enter
 * or leave with the plan.
 */
export async function planFeedbackChanges(
  tx: Tx,
  plan: FeedbackPlace['plan'] & { id: number },
  change: PlanMove,
): Promise<Change[]> {
  const opinions = await tx.feedback.findMany({
    where: { planId: plan.id },
    orderBy: { id: 'asc' },
    include: { answer: true },
  });
  const changes: Change[] = [];
  for (const { answer, ...opinion } of opinions) {
    const place = { id: opinion.id, plan };
    if (change.action === 'DELETE') {
      if (answer) {
        changes.push({
          ...answerChange(place, answer.id),
          action: 'DELETE',
          changes: deletionChanges(recordedFields(answer)),
        });
      }
      changes.push({
        ...feedbackChange(place),
        action: 'DELETE',
        changes: deletionChanges(recordedFields(opinion)),
      });
      continue;
    }
    const moves = <T>(audience: (planState: { status: PlanStatus }) => T) =>
      audience({ status: change.from }) !== audience({ status: change.to });
    if (moves((planState) => feedbackAudience(opinion, planState))) {
      changes.push({ ...feedbackChange(place), action: 'UPDATE', changes: {} });
    }
    if (answer && moves((planState) => feedbackAnswerAudience(answer, opinion, planState))) {
      changes.push({ ...answerChange(place, answer.id), action: 'UPDATE', changes: {} });
    }
  }
  return changes;
}

type PlanStatus = 'DRAFT' | 'PUBLISHED';

/** A plan deleted, or moved from one status to another. */
export type PlanMove =
  | { action: 'DELETE' }
  | { action: 'UPDATE'; from: PlanStatus; to: PlanStatus };

/** The DELETE record of an official answer (deleted itself, or with its opinion). */
export function recordAnswerDeletion(
  record: RecordChange,
  feedback: FeedbackPlace,
  answer: { id: number } & Record<string, unknown>,
) {
  record({
    ...answerChange(feedback, answer.id),
    action: 'DELETE',
    changes: deletionChanges(recordedFields(answer)),
  });
}
