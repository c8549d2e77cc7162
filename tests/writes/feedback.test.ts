import { createHoshinYoga } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

let api: TestApi;
let planning: ReturnType<TestApi['as']>;
let editor: ReturnType<TestApi['as']>;
let planId = '';
let draftId = '';

const gid = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64');
const SUBMIT = `mutation ($input: SubmitFeedbackInput!) { submitFeedback(input: $input) {
  __typename ... on SubmitFeedbackSuccess { feedback { id status contactEmail } }
  ... on RateLimitedError { retryAfterSeconds } ... on ValidationError { issues { path code } } ... on Error { message } } }`;
const APPROVE = `mutation ($input: ModerateFeedbackInput!) { approveFeedback(input: $input) {
  __typename ... on ApproveFeedbackSuccess { feedback { status } } ... on Error { message } } }`;
const FEEDBACK = `query ($id: ID!) { node(id: $id) { ... on DepartmentPlan {
  feedback { totalCount edges { node { body status contactEmail } } } } } }`;

beforeAll(async () => {
  api = await startTestApi();
  const make = factories(api.db.prisma);
  const city = await make.municipality({ code: '990041' });
  const department = await make.department(city.id, { code: 'kyoiku' });
  planId = gid('DepartmentPlan', (await make.plan(department.id, { fiscalYear: 2012 })).id);
  draftId = gid(
    'DepartmentPlan',
    (await make.plan(department.id, { fiscalYear: 2013, status: 'DRAFT' })).id,
  );
  planning = api.as(
    await tokenFor(api.db.prisma, { name: 'p', role: 'PLANNING', municipality: '990041' }),
  );
  editor = api.as(
    await tokenFor(api.db.prisma, {
      name: 'e',
      role: 'EDITOR',
      municipality: '990041',
      department: 'kyoiku',
    }),
  );
});
afterAll(() => api.close());

describe('citizen feedback', () => {
  it('anyone may submit; it is shown to the public only once approved, and never with the contact', async () => {
    const submitted = await api.query(SUBMIT, {
      input: {
        plan: planId,
        body: '図書館の開館時間を延ばしてください。',
        contactEmail: 'taro@example.jp',
      },
    });
    const feedback = submitted.data?.submitFeedback.feedback;
    expect(feedback).toMatchObject({ status: 'PENDING', contactEmail: null });

    expect((await api.query(FEEDBACK, { id: planId })).data?.node.feedback.totalCount).toBe(0);
    expect(
      (await editor.query(FEEDBACK, { id: planId })).data?.node.feedback.edges[0].node,
    ).toEqual({
      body: '図書館の開館時間を延ばしてください。',
      status: 'PENDING',
      contactEmail: null,
    });

    expect(
      (await editor.query(APPROVE, { input: { id: feedback.id } })).data?.approveFeedback
        .__typename,
    ).toBe('ForbiddenError');
    expect(
      (await planning.query(APPROVE, { input: { id: feedback.id } })).data?.approveFeedback,
    ).toEqual({
      __typename: 'ApproveFeedbackSuccess',
      feedback: { status: 'APPROVED' },
    });

    const publicView = await api.query(FEEDBACK, { id: planId });
    expect(publicView.data?.node.feedback.edges[0].node).toEqual({
      body: '図書館の開館時間を延ばしてください。',
      status: 'APPROVED',
      contactEmail: null,
    });
    const planningView = await planning.query(FEEDBACK, { id: planId });
    expect(planningView.data?.node.feedback.edges[0].node.contactEmail).toBe('taro@example.jp');

    const records = await api.db.prisma.changeRecord.findMany({
      where: { entityType: 'Feedback' },
    });
    expect(records.map((r) => r.action)).toEqual(['CREATE', 'UPDATE']);
    expect(JSON.stringify(records.map((r) => r.changes))).not.toContain('taro@example.jp');
  });

  it('cannot be sent on a draft, nor be empty, oversized or carry a bad address', async () => {
    expect(
      (await api.query(SUBMIT, { input: { plan: draftId, body: '意見' } })).data?.submitFeedback
        .__typename,
    ).toBe('NotFoundError');
    const bad = await api.query(SUBMIT, {
      input: { plan: planId, body: 'あ'.repeat(2001), contactEmail: 'not-an-address' },
    });
    expect(bad.data?.submitFeedback.issues).toEqual([
      { path: ['input', 'body'], code: 'TOO_BIG' },
      { path: ['input', 'contactEmail'], code: 'INVALID_FORMAT' },
    ]);
    const nul = await api.query(SUBMIT, { input: { plan: planId, body: '意見\u0000' } });
    expect(nul.data?.submitFeedback.__typename).toBe('ValidationError');
  });

  it('is rate limited per client address', async () => {
    const yoga = createHoshinYoga({ db: api.db, rateLimits: { feedbackPer10Minutes: 2 } });
    const send = async () => {
      const response = await yoga.fetch('http://hoshin.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: SUBMIT,
          variables: { input: { plan: planId, body: '連投' } },
        }),
      });
      return ((await response.json()) as any).data.submitFeedback;
    };
    expect((await send()).__typename).toBe('SubmitFeedbackSuccess');
    expect((await send()).__typename).toBe('SubmitFeedbackSuccess');
    const limited = await send();
    expect(limited.__typename).toBe('RateLimitedError');
    expect(limited.retryAfterSeconds).toBeGreaterThan(500);
  });
});
