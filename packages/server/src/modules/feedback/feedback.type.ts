// Feedback: a citizen's opinion on a plan, shown once the planning section approves it.

import { RateLimitedError } from '../../errors.ts';
import { builder, pageSize } from '../../graphql/builder.ts';
import { writeErrors } from '../../graphql/error-types.ts';
import { intKey, keysetRelated } from '../../graphql/keyset.ts';
import { DepartmentPlan } from '../plan/plan.type.ts';
import { canSeeContact, guardedBy, visibleFeedback } from '../visibility/visibility.policy.ts';
import {
  deleteFeedback,
  MAX_FEEDBACK_LENGTH,
  moderateFeedback,
  submitFeedback,
} from './feedback.service.ts';

const FeedbackStatus = builder.enumType('FeedbackStatus', {
  values: {
    PENDING: { description: 'Waiting for moderation; not public.' },
    APPROVED: { description: 'Public.' },
    REJECTED: { description: 'Never shown.' },
  } as const,
});

export const Feedback = builder.prismaNode('Feedback', {
  id: { field: 'id' },
  findUnique: (id, ctx) => ({ id: Number(id), AND: [visibleFeedback(ctx)] }),
  ...guardedBy('feedback', 'node(id:) findUnique: visibleFeedback'),
  nullable: true,
  description: 'A citizen’s opinion on a plan (ご意見、ご感想).',
  fields: (t) => ({
    body: t.exposeString('body'),
    status: t.expose('status', { type: FeedbackStatus }),
    submittedAt: t.expose('createdAt', { type: 'DateTime' }),
    moderatedAt: t.expose('moderatedAt', { type: 'DateTime', nullable: true }),
    plan: t.relation('plan', {
      ...guardedBy('plan', 'visible feedback is on a visible plan (visibleFeedback)'),
    }),
    contactEmail: t.string({
      nullable: true,
      description: 'Only the planning section of the municipality sees this; null for others.',
      select: {
        contactEmail: true,
        plan: { select: { department: { select: { municipalityId: true } } } },
      },
      resolve: (feedback, _args, ctx) =>
        canSeeContact(ctx, feedback.plan.department.municipalityId) ? feedback.contactEmail : null,
    }),
  }),
});

builder.prismaObjectField(DepartmentPlan, 'feedback', (t) =>
  t.relatedConnection('feedback', {
    ...guardedBy('feedback', 'visibleFeedback'),
    cursor: 'id',
    ...pageSize,
    totalCount: true,
    description:
      'Opinions on this plan: approved ones, and all of them for its department and the planning section.',
    // Keyset paging on the id (graphql/keyset.ts).
    query: (args, ctx) => keysetRelated(args, [{ id: 'asc' }], intKey, visibleFeedback(ctx)),
  }),
);

const SubmitFeedbackInput = builder.inputType('SubmitFeedbackInput', {
  fields: (t) => ({
    plan: t.globalID({ required: true, for: DepartmentPlan }),
    body: t.string({ required: true, description: `1 to ${MAX_FEEDBACK_LENGTH} characters.` }),
    contactEmail: t.string({ description: 'Optional; seen only by the planning section.' }),
  }),
});

const ModerateFeedbackInput = builder.inputType('ModerateFeedbackInput', {
  fields: (t) => ({ id: t.globalID({ required: true, for: Feedback }) }),
});

builder.mutationFields((t) => ({
  submitFeedback: t.prismaField({
    type: Feedback,
    description: 'Sends an opinion on a plan. Anyone may; it is shown once approved.',
    errors: { types: [...writeErrors, RateLimitedError], dataField: { name: 'feedback' } },
    args: { input: t.arg({ type: SubmitFeedbackInput, required: true }) },
    resolve: (query, _root, { input: { plan, ...input } }, ctx) =>
      submitFeedback(ctx, { ...input, planId: Number(plan.id) }, query),
  }),
  approveFeedback: t.prismaField({
    type: Feedback,
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'feedback' } },
    args: { input: t.arg({ type: ModerateFeedbackInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      moderateFeedback(ctx, { id: Number(input.id.id) }, 'APPROVED', query),
  }),
  rejectFeedback: t.prismaField({
    type: Feedback,
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'feedback' } },
    args: { input: t.arg({ type: ModerateFeedbackInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      moderateFeedback(ctx, { id: Number(input.id.id) }, 'REJECTED', query),
  }),
  deleteFeedback: t.prismaField({
    type: Feedback,
    description:
      'Deletes an opinion that is not shown (pending or rejected), with its answer; an approved one is withdrawn first with rejectFeedback (PUBLISHED otherwise). The change log keeps the deletion, never the contact address. Planning section only.',
    authScopes: { planning: true },
    errors: { types: [...writeErrors], dataField: { name: 'feedback' } },
    args: { input: t.arg({ type: ModerateFeedbackInput, required: true }) },
    resolve: (query, _root, { input }, ctx) =>
      deleteFeedback(ctx, { id: Number(input.id.id) }, query),
  }),
}));
