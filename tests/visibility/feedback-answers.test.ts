// Official answers (issue 29, item 7): the planning office answers an approved opinion and
// publishes the answer under the plan. The public never sees an unpublished answer, nor an
// answer to an opinion that is not approved (rejected after it was answered, too), through
// any read path: the plan's opinions, node(id:), or the answer's history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

const CITY = '990059';
const gid = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64');
const rowId = (id: string) => Number(Buffer.from(id, 'base64').toString().split(':')[1]);

const RESULT = `__typename ... on Error { message } ... on ValidationError { issues { path code } }`;
const ANSWER = 'id body status version publishedAt feedback { id }';

let api: TestApi;
let planning: ReturnType<TestApi['as']>;
let editor: ReturnType<TestApi['as']>;
let otherEditor: ReturnType<TestApi['as']>;
let otherPlanning: ReturnType<TestApi['as']>;
let planId = '';
let make: ReturnType<typeof factories>;
let kyoikuId = 0;

beforeAll(async () => {
  api = await startTestApi();
  make = factories(api.db.prisma);
  const city = await make.municipality({ code: CITY });
  const other = await make.municipality({ code: '990067' });
  const kyoiku = await make.department(city.id, { code: 'kyoiku' });
  kyoikuId = kyoiku.id;
  await make.department(city.id, { code: 'kikaku' });
  planId = gid('DepartmentPlan', (await make.plan(kyoiku.id, { fiscalYear: 2012 })).id);
  planning = api.as(
    await tokenFor(api.db.prisma, { name: '企画経営課', role: 'PLANNING', municipality: CITY }),
  );
  editor = api.as(
    await tokenFor(api.db.prisma, {
      name: '教育部',
      role: 'EDITOR',
      municipality: CITY,
      department: 'kyoiku',
    }),
  );
  otherEditor = api.as(
    await tokenFor(api.db.prisma, {
      name: '企画部',
      role: 'EDITOR',
      municipality: CITY,
      department: 'kikaku',
    }),
  );
  otherPlanning = api.as(
    await tokenFor(api.db.prisma, { name: '他市', role: 'PLANNING', municipality: other.code }),
  );
});
afterAll(() => api.close());

type Query = TestApi['query'];

/** What a caller sees of the answers: under the plan's opinions, and by node(id:). */
async function seen(query: Query, answerId: string) {
  const plan = await query(
    `query ($id: ID!) { node(id: $id) { ... on DepartmentPlan {
      feedback { edges { node { body answer { id body status } } } } } } }`,
    { id: planId },
  );
  expect(plan.errors).toBeUndefined();
  const underPlan = (plan.data?.node?.feedback.edges ?? [])
    .map((edge: any) => edge.node.answer)
    .filter((answer: any) => answer?.id === answerId)
    .map(({ body, status }: any) => ({ body, status }));
  const node = await query(
    `query ($id: ID!) { node(id: $id) { ... on FeedbackAnswer { body } } }`,
    {
      id: answerId,
    },
  );
  expect(node.errors).toBeUndefined();
  return { underPlan, byNode: node.data?.node ?? null };
}

const nothing = { underPlan: [], byNode: null };

async function write(query: Query, name: string, input: Record<string, unknown>) {
  const result = await query(
    `mutation ($input: ${name === 'answerFeedback' ? 'AnswerFeedbackInput' : 'FeedbackAnswerVersionInput'}!) {
      ${name}(input: $input) { ${RESULT} ... on ${name[0]?.toUpperCase()}${name.slice(1)}Success { answer { ${ANSWER} } } } }`,
    { input },
  );
  expect(result.errors).toBeUndefined();
  return result.data?.[name];
}

async function moderate(name: 'approveFeedback' | 'rejectFeedback', id: string) {
  const result = await planning.query(
    `mutation ($input: ModerateFeedbackInput!) { ${name}(input: $input) { ${RESULT} } }`,
    { input: { id } },
  );
  expect(result.data?.[name].__typename).toMatch(/Success$/);
}

async function submit(body: string, plan = planId) {
  const result = await api.query(
    `mutation ($input: SubmitFeedbackInput!) { submitFeedback(input: $input) {
      ${RESULT} ... on SubmitFeedbackSuccess { feedback { id } } } }`,
    { input: { plan, body } },
  );
  return result.data?.submitFeedback.feedback.id as string;
}

describe('official answers to opinions', () => {
  it('the public sees an answer only once it is published and while its opinion is approved', async () => {
    const feedback = await submit('図書館の開館時間を延ばしてください。');
    // A pending opinion is not answered.
    const early = await write(planning.query, 'answerFeedback', { feedback, body: '検討します。' });
    expect(early.issues).toEqual([{ path: ['input', 'feedback'], code: 'NOT_APPROVED' }]);
    await moderate('approveFeedback', feedback);

    // Only the planning section writes the city's answer.
    for (const caller of [editor, otherPlanning, { query: api.query }]) {
      const refused = await write(caller.query, 'answerFeedback', { feedback, body: '答え' });
      expect(refused.__typename).toBe('ForbiddenError');
    }
    const drafted = await write(planning.query, 'answerFeedback', {
      feedback,
      body: '開館時間の延長を検討します。',
    });
    expect(drafted.answer).toMatchObject({ status: 'DRAFT', version: 1, publishedAt: null });
    const answerId: string = drafted.answer.id;

    // A draft: the department concerned and planning see it; nobody else does.
    expect(await seen(api.query, answerId)).toEqual(nothing);
    expect(await seen(otherEditor.query, answerId)).toEqual(nothing);
    expect(await seen(otherPlanning.query, answerId)).toEqual(nothing);
    expect((await seen(editor.query, answerId)).byNode).toEqual({
      body: '開館時間の延長を検討します。',
    });

    const revised = await write(planning.query, 'answerFeedback', {
      feedback,
      body: '令和の予算で延長します。',
      expectedVersion: 1,
    });
    const published = await write(planning.query, 'publishFeedbackAnswer', {
      id: answerId,
      expectedVersion: revised.answer.version,
    });
    expect(published.answer.status).toBe('PUBLISHED');
    expect(published.answer.publishedAt).not.toBeNull();
    const shown = { body: '令和の予算で延長します。', status: 'PUBLISHED' };
    expect(await seen(api.query, answerId)).toEqual({
      underPlan: [shown],
      byNode: { body: shown.body },
    });
    // A published answer is not edited in place.
    const inPlace = await write(planning.query, 'answerFeedback', {
      feedback,
      body: '書き換え',
      expectedVersion: published.answer.version,
    });
    expect(inPlace.issues?.[0]?.code).toBe('PUBLISHED');

    // The opinion is rejected after all: its answer leaves the public's view with it.
    await moderate('rejectFeedback', feedback);
    expect(await seen(api.query, answerId)).toEqual(nothing);
    expect(await seen(otherPlanning.query, answerId)).toEqual(nothing);
    expect((await seen(editor.query, answerId)).byNode).toEqual({ body: shown.body });
    const left = await api.db.prisma.changeRecord.findFirstOrThrow({
      where: { entityType: 'FeedbackAnswer', entityId: rowId(answerId) },
      orderBy: { id: 'desc' },
    });
    expect(left).toMatchObject({ audienceBefore: 'PUBLIC', audienceAfter: 'STAFF' });
    // Approved again, the published answer is shown again.
    await moderate('approveFeedback', feedback);
    expect((await seen(api.query, answerId)).underPlan).toEqual([shown]);

    // Withdrawn, it is a draft again: not public; then deleted, its history stays.
    const withdrawn = await write(planning.query, 'unpublishFeedbackAnswer', {
      id: answerId,
      expectedVersion: published.answer.version,
    });
    expect(withdrawn.answer).toMatchObject({ status: 'DRAFT', publishedAt: null });
    expect(await seen(api.query, answerId)).toEqual(nothing);
    const deleted = await write(planning.query, 'deleteFeedbackAnswer', {
      id: answerId,
      expectedVersion: withdrawn.answer.version,
    });
    expect(deleted.__typename).toBe('DeleteFeedbackAnswerSuccess');
    const history = await api.db.prisma.changeRecord.findMany({
      where: { entityType: 'FeedbackAnswer', entityId: rowId(answerId) },
      orderBy: { id: 'asc' },
    });
    expect(history.map((r) => `${r.action} ${r.audienceBefore}->${r.audienceAfter}`)).toEqual([
      'CREATE NONE->STAFF',
      'UPDATE STAFF->STAFF',
      'UPDATE STAFF->PUBLIC',
      'UPDATE PUBLIC->STAFF',
      'UPDATE STAFF->PUBLIC',
      'UPDATE PUBLIC->STAFF',
      'DELETE STAFF->NONE',
    ]);
  });

  it("an answer's history shows the public only what it could see: from publication on, never the draft's text", async () => {
    const feedback = await submit('公園のベンチを増やしてください。');
    await moderate('approveFeedback', feedback);
    const drafted = await write(planning.query, 'answerFeedback', {
      feedback,
      body: '下書きの文面',
    });
    const revised = await write(planning.query, 'answerFeedback', {
      feedback,
      body: '増設します。',
      expectedVersion: drafted.answer.version,
    });
    const published = await write(planning.query, 'publishFeedbackAnswer', {
      id: revised.answer.id,
      expectedVersion: revised.answer.version,
    });
    const HISTORY = `query ($id: ID!) { node(id: $id) { ... on FeedbackAnswer {
      history { edges { node { action changes { field before after } } } } } } }`;
    const publicHistory = await api.query(HISTORY, { id: published.answer.id });
    const entries = publicHistory.data?.node.history.edges.map((edge: any) => edge.node);
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries)).not.toContain('下書きの文面');
    expect(JSON.stringify(entries)).toContain('増設します。');
    const staffHistory = await planning.query(HISTORY, { id: published.answer.id });
    expect(staffHistory.data?.node.history.edges).toHaveLength(3);
  });

  it('an answer to a rejected opinion is never published', async () => {
    const feedback = await submit('反映されない意見です。');
    await moderate('approveFeedback', feedback);
    const drafted = await write(planning.query, 'answerFeedback', { feedback, body: '答え' });
    await moderate('rejectFeedback', feedback);
    const refused = await write(planning.query, 'publishFeedbackAnswer', {
      id: drafted.answer.id,
      expectedVersion: drafted.answer.version,
    });
    expect(refused.issues).toEqual([{ path: ['input', 'id'], code: 'NOT_APPROVED' }]);
    expect(await seen(api.query, drafted.answer.id)).toEqual(nothing);
  });
});

describe('opinions and answers follow their plan', () => {
  it('withdrawing, publishing again and deleting a plan moves its shown opinion and answer, with records', async () => {
    const row = await make.plan(kyoikuId, { fiscalYear: 2013 });
    const plan = gid('DepartmentPlan', row.id);
    const shownOpinion = await submit('通学路に信号を付けてください。', plan);
    await moderate('approveFeedback', shownOpinion);
    const drafted = await write(planning.query, 'answerFeedback', {
      feedback: shownOpinion,
      body: '警察と協議します。',
    });
    await write(planning.query, 'publishFeedbackAnswer', {
      id: drafted.answer.id,
      expectedVersion: drafted.answer.version,
    });
    const pendingOpinion = await submit('まだ審査中の意見です。', plan);
    const since = (await api.db.prisma.changeRecord.aggregate({ _max: { id: true } }))._max.id ?? 0;

    for (const name of ['unpublishPlan', 'publishPlan', 'unpublishPlan', 'deletePlan']) {
      const { version } = await api.db.prisma.departmentPlan.findUniqueOrThrow({
        where: { id: row.id },
      });
      const result = await planning.query(
        `mutation ($input: PlanVersionInput!) { ${name}(input: $input) { __typename } }`,
        { input: { id: plan, expectedVersion: version } },
      );
      expect(result.data?.[name].__typename, name).toMatch(/Success$/);
    }
    const recorded = async (entityType: string, id: string) =>
      (
        await api.db.prisma.changeRecord.findMany({
          where: { entityType, entityId: rowId(id), id: { gt: since } },
          orderBy: { id: 'asc' },
        })
      ).map((r) => `${r.action} ${r.audienceBefore}->${r.audienceAfter}`);
    const withThePlan = [
      'UPDATE PUBLIC->STAFF',
      'UPDATE STAFF->PUBLIC',
      'UPDATE PUBLIC->STAFF',
      'DELETE STAFF->NONE',
    ];
    expect(await recorded('Feedback', shownOpinion)).toEqual(withThePlan);
    expect(await recorded('FeedbackAnswer', drafted.answer.id)).toEqual(withThePlan);
    // A pending opinion is the staff's whatever the plan: only its deletion is recorded.
    expect(await recorded('Feedback', pendingOpinion)).toEqual(['DELETE STAFF->NONE']);
  });
});
