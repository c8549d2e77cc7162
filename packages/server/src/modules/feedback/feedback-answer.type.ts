// FeedbackAnswer: the city's official answer (市の考え方) to an approved opinion, shown under
// the plan with the opinion once published; its mutations (planning section). Thin:
// feedback-answer.service.ts checks and writes.
import { builder } from '../../graphql/builder.ts';
import { versionedWriteErrors } from '../../graphql/error-types.ts';
import { PublicationStatus } from '../plan/plan.type.ts';
import {
  guardedBy,
  isFeedbackAnswerVisible,
  visibleFeedbackAnswers,
} from '../visibility/visibility.policy.ts';
import { Feedback } from './feedback.type.ts';
import {
  answerFeedback,
  deleteFeedbackAnswer,
  MAX_ANSWER_LENGTH,
  setFeedbackAnswerStatus,
} from './feedback-answer.service.ts';

export const FeedbackAnswer = builder.prismaNode('FeedbackAnswer', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), AND: [visibleFeedbackAnswers(ctx)] }),
  ...guardedBy('feedbackAnswer', 'node(id:) findUnique: visibleFeedbackAnswers'),
  nullable: true,
  description: 'The city’s official answer to an opinion (市の考え方).',
  fields: (t) => ({
    body: t.exposeString('body'),
    status: t.expose('status', {
      type: PublicationStatus,
      description:
        'DRAFT: seen by the department concerned and planning only; PUBLISHED: shown with its opinion (approved, on a published plan).',
    }),
    publishedAt: t.expose('publishedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was last published (null while a draft).',
    }),
    version: t.exposeInt('version', {
      description: 'Increases with every change; pass it to the answer mutations.',
    }),
    feedback: t.relation('feedback', {
      ...guardedBy('feedback', 'a visible answer is to a visible opinion (visibleFeedbackAnswers)'),
    }),
  }),
});

builder.prismaObjectField(Feedback, 'answer', (t) =>
  t.field({
    type: FeedbackAnswer,
    ...guardedBy('feedbackAnswer', 'isFeedbackAnswerVisible on the row'),
    nullable: true,
    description:
      'The city’s official answer: once published, for everyone who sees the approved opinion; drafts for the department concerned and planning.',
    // A to-one relation cannot be filtered in the query, so the check happens on the row.
    select: (_args, _ctx, nestedSelection) => ({
      answer: nestedSelection(true),
      status: true,
      plan: {
        select: {
          status: true,
          departmentId: true,
          department: { select: { municipalityId: true } },
        },
      },
    }),
    resolve: (feedback, _args, ctx) => {
      const { answer, plan } = feedback;
      return answer && isFeedbackAnswerVisible(answer, feedback, plan, ctx) ? answer : null;
    },
  }),
);

const AnswerFeedbackInput = builder.inputType('AnswerFeedbackInput', {
  fields: (t) => ({
    feedback: t.globalID({ required: true, for: Feedback }),
    body: t.string({ required: true, description: `1 to ${MAX_ANSWER_LENGTH} characters.` }),
    expectedVersion: t.int({
      description: 'Left out to write the first draft; the version you read to revise it.',
    }),
  }),
});

const FeedbackAnswerVersionInput = builder.inputType('FeedbackAnswerVersionInput', {
  fields: (t) => ({
    id: t.globalID({ required: true, for: FeedbackAnswer }),
    expectedVersion: t.int({ required: true, description: 'The version you read.' }),
  }),
});

builder.mutationFields((t) => ({
  answerFeedback: t.prismaField({
    type: FeedbackAnswer,
    description:
      "Writes the city's answer to an approved opinion, as a draft (NOT_APPROVED otherwise); revises the draft given its version (a published answer is withdrawn first). Planning section only.",
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'answer' } },
    args: { input: t.arg({ type: AnswerFeedbackInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      answerFeedback(ctx, { ...input, feedback: Number(input.feedback.id) }, query),
  }),
  publishFeedbackAnswer: t.prismaField({
    type: FeedbackAnswer,
    description:
      'Publishes the answer: shown under the plan with its opinion, which must be approved. Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'answer' } },
    args: { input: t.arg({ type: FeedbackAnswerVersionInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      setFeedbackAnswerStatus(ctx, { ...input, id: Number(input.id.id) }, 'PUBLISHED', query),
  }),
  unpublishFeedbackAnswer: t.prismaField({
    type: FeedbackAnswer,
    description: 'Withdraws a published answer to a draft. Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'answer' } },
    args: { input: t.arg({ type: FeedbackAnswerVersionInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      setFeedbackAnswerStatus(ctx, { ...input, id: Number(input.id.id) }, 'DRAFT', query),
  }),
  deleteFeedbackAnswer: t.prismaField({
    type: FeedbackAnswer,
    description:
      'Deletes a draft answer (PUBLISHED: withdraw it first); the change log keeps its history. Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...versionedWriteErrors], dataField: { name: 'answer' } },
    args: { input: t.arg({ type: FeedbackAnswerVersionInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      deleteFeedbackAnswer(ctx, { ...input, id: Number(input.id.id) }, query),
  }),
}));
