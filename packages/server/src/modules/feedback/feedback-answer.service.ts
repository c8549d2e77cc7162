// Writes to official answers (市の考え方): the planning section drafts the city's answer to an
// approved opinion, publishes it (shown under the plan with the opinion), withdraws it, and
// deletes a draft. A published answer is not edited in place: it is withdrawn first.
import { z } from 'zod';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { actorOf } from '../../auth/viewer.ts';
import { type Answer, answering } from '../../db/answer.ts';
import { assertVersion, fieldChanges, type Tx, writeWithHistory } from '../../db/history.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.ts';
import type { Context } from '../../graphql/context.ts';
import { parseInput, text, versionedInput, versionInput } from '../shared/validation.ts';
import { visibleFeedbackAnswers } from '../visibility/visibility.policy.ts';
import { moderatesFeedback } from './feedback.policy.ts';
import {
  answerChange,
  feedbackForModeration,
  MAX_FEEDBACK_LENGTH,
  recordAnswerDeletion,
} from './feedback.service.ts';

type ServiceContext = Pick<Context, 'prisma' | 'viewer'>;
/** The caller's selection of what a write answers with (db/answer.ts). */
type AnswerQuery = Answer<Prisma.FeedbackAnswerInclude, Prisma.FeedbackAnswerSelect>;

/** An answer is at most twice as long as the opinions it answers may be. */
export const MAX_ANSWER_LENGTH = 2 * MAX_FEEDBACK_LENGTH;

const answerSchema = z.strictObject({
  feedback: z.number().int(),
  body: text(MAX_ANSWER_LENGTH),
  expectedVersion: versionInput.nullish(),
});

/** Only an approved opinion (one the public is shown) is answered. */
function assertApproved(feedback: { status: string }, path: string[]) {
  if (feedback.status !== 'APPROVED') {
    throw ValidationError.of(
      path,
      'NOT_APPROVED',
      `The opinion is ${feedback.status.toLowerCase()}: only an approved opinion is answered (approveFeedback first)`,
    );
  }
}

/**
 * Drafts the official answer to an approved opinion: creates it (expectedVersion left out), or
 * revises the draft (expectedVersion: the version read). A published answer is withdrawn
 * first (unpublishFeedbackAnswer).
 */
export async function answerFeedback(
  ctx: ServiceContext,
  input: z.input<typeof answerSchema>,
  query?: AnswerQuery,
) {
  const data = parseInput(answerSchema, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const feedback = await feedbackForModeration(ctx, tx, data.feedback);
    assertApproved(feedback, ['input', 'feedback']);
    const { answer } = feedback;
    if (!answer) {
      const created = await tx.feedbackAnswer.create({
        data: { feedbackId: feedback.id, body: data.body },
        ...answering(query),
      });
      record({
        ...answerChange(feedback, created.id),
        action: 'CREATE',
        changes: fieldChanges(null, { feedbackId: feedback.id, body: data.body, status: 'DRAFT' }),
      });
      return created;
    }
    if (data.expectedVersion == null) {
      throw ValidationError.of(
        ['input', 'expectedVersion'],
        'ALREADY_EXISTS',
        `The opinion has an answer (version ${answer.version}): pass the version you read to revise it`,
      );
    }
    assertVersion('FeedbackAnswer', answer, data.expectedVersion);
    if (answer.status === 'PUBLISHED') {
      throw ValidationError.of(
        ['input', 'feedback'],
        'PUBLISHED',
        'The answer is published: withdraw it (unpublishFeedbackAnswer) before revising it',
      );
    }
    const updated = await tx.feedbackAnswer.update({
      where: { id: answer.id, version: answer.version },
      data: { body: data.body, version: { increment: 1 } },
      ...answering(query),
    });
    record({
      ...answerChange(feedback, answer.id),
      action: 'UPDATE',
      changes: fieldChanges(answer, { body: data.body }),
    });
    return updated;
  });
}

/** The answer for a planning write, with its opinion's place; the version checked. */
async function answerForWrite(
  tx: Tx,
  ctx: ServiceContext,
  data: { id: number; expectedVersion: number },
) {
  const answer = await tx.feedbackAnswer.findFirst({
    where: { id: data.id, AND: [visibleFeedbackAnswers(ctx)] },
    include: { feedback: { include: { plan: { include: { department: true } } } } },
  });
  if (!answer) throw new NotFoundError('FeedbackAnswer', String(data.id));
  const { feedback, ...row } = answer;
  if (!moderatesFeedback(ctx.viewer, feedback.plan.department.municipalityId)) {
    throw new ForbiddenError("Only the planning section writes the city's answers");
  }
  assertVersion('FeedbackAnswer', row, data.expectedVersion);
  return { row, feedback };
}

/**
 * Publishes the answer (shown under the plan once its opinion is approved and the plan
 * published) or withdraws it to a draft. Only an approved opinion's answer is published.
 */
export async function setFeedbackAnswerStatus(
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  status: 'DRAFT' | 'PUBLISHED',
  query?: AnswerQuery,
) {
  const data = parseInput(versionedInput, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const { row, feedback } = await answerForWrite(tx, ctx, data);
    if (row.status === status) {
      throw ValidationError.of(
        ['input', 'id'],
        'UNCHANGED',
        `The answer is already ${status.toLowerCase()}`,
      );
    }
    if (status === 'PUBLISHED') assertApproved(feedback, ['input', 'id']);
    const changes = { status, publishedAt: status === 'PUBLISHED' ? new Date() : null };
    const updated = await tx.feedbackAnswer.update({
      where: { id: row.id, version: row.version },
      data: { ...changes, version: { increment: 1 } },
      ...answering(query),
    });
    record({
      ...answerChange(feedback, row.id),
      action: 'UPDATE',
      changes: fieldChanges(row, changes),
    });
    return updated;
  });
}

/** Deletes a draft answer (a published one is withdrawn first); the change log keeps it. */
export async function deleteFeedbackAnswer(
  ctx: ServiceContext,
  input: z.input<typeof versionedInput>,
  query?: AnswerQuery,
) {
  const data = parseInput(versionedInput, input);
  return writeWithHistory(ctx.prisma, actorOf(ctx.viewer), async (tx, record) => {
    const { row, feedback } = await answerForWrite(tx, ctx, data);
    if (row.status !== 'DRAFT') {
      throw ValidationError.of(
        ['input', 'id'],
        'PUBLISHED',
        'The answer is published: withdraw it (unpublishFeedbackAnswer) before deleting it',
      );
    }
    // The answer is the row as it was deleted: it can no longer be read afterwards.
    const deleted = await tx.feedbackAnswer.delete({ where: { id: row.id }, ...answering(query) });
    recordAnswerDeletion(record, feedback, row);
    return deleted;
  });
}
