// The FY2012 教育部 plan as it stood when it was published, after later edits and an
// evaluation; the difference between the two points; and what the public may see of points
// at which the plan was a draft. The edits and the evaluation are scenario data of this test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestApi, type TestApi } from '../support/api.ts';
import { tokenFor } from '../support/factories.ts';

let api: TestApi;
let planning = '';
let editor = '';
let planId = '';
let initiativeId = '';
let publishedMission = '';
let publishedText = '';
/** The point right after publication: the seed's last change, and a time after it. */
let publishedSequence = '';
let publishedAt = '';
let evaluatedSequence = '';
let evaluationId = '';

const PLAN_AS_OF = `query ($id: ID!, $point: AsOfPoint!) {
  planAsOf(id: $id, point: $point) {
    point sequence changedAt
    plan { id mission status version fiscalYear { label } }
    initiatives { initiative { id position text } evaluation { evaluation { rating summary status } } }
  }
}`;

const DIFF = `query ($id: ID!, $from: AsOfPoint!, $to: AsOfPoint!) {
  asOfDiff(id: $id, from: $from, to: $to) { from to changes { entityType entityId field before after } }
}`;

async function latest() {
  const response = await api.query('{ latestChangeCursor }');
  return response.data?.latestChangeCursor as string;
}

async function mutate(text: string, input: Record<string, unknown>, token = planning) {
  const response = await api.query(text, { input }, token);
  expect(response.errors).toBeUndefined();
  const [result] = Object.values(response.data ?? {}) as Record<string, any>[];
  return result as Record<string, any>;
}

beforeAll(async () => {
  api = await startTestApi({ seed: true });
  planning = await tokenFor(api.db.prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: '132047',
  });
  editor = await tokenFor(api.db.prisma, {
    name: '教育部',
    role: 'EDITOR',
    municipality: '132047',
    department: 'kyoiku',
  });
  const plan = await api.query(`{
    plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) {
      id mission version initiatives(first: 1) { edges { node { id text version } } }
    }
  }`);
  planId = plan.data?.plan.id;
  publishedMission = plan.data?.plan.mission;
  const initiative = plan.data?.plan.initiatives.edges[0].node;
  initiativeId = initiative.id;
  publishedText = initiative.text;
  publishedSequence = await latest();
  await new Promise((resolve) => setTimeout(resolve, 20));
  publishedAt = new Date().toISOString();
  await new Promise((resolve) => setTimeout(resolve, 20));

  // Later: planning revises the mission and the initiative's text, then records and publishes
  // the evaluation of the initiative.
  const updated = await mutate(
    `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename ... on UpdatePlanSuccess { plan { version } } } }`,
    { id: planId, expectedVersion: plan.data?.plan.version, mission: '改訂後の使命（テスト）' },
  );
  expect(updated.__typename).toBe('UpdatePlanSuccess');
  await mutate(
    `mutation ($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { __typename } }`,
    { id: initiativeId, expectedVersion: initiative.version, text: '改訂後の事業（テスト）' },
  );
  const recorded = await mutate(
    `mutation ($input: RecordEvaluationInput!) { recordEvaluation(input: $input) {
      __typename ... on RecordEvaluationSuccess { evaluation { id version } } } }`,
    { initiative: initiativeId, rating: 'MOSTLY_ACHIEVED', summary: '概ね達成（テスト）' },
  );
  evaluationId = recorded.evaluation.id;
  await mutate(
    `mutation ($input: EvaluationVersionInput!) { publishEvaluation(input: $input) { __typename } }`,
    { id: evaluationId, expectedVersion: recorded.evaluation.version },
  );
  evaluatedSequence = await latest();
});
afterAll(() => api.close());

describe('as of a point, rebuilt from the change log', () => {
  it('shows the FY2012 plan as published, after later edits, by sequence and by time', async () => {
    for (const point of [{ sequence: publishedSequence }, { at: publishedAt }]) {
      const response = await api.query(PLAN_AS_OF, { id: planId, point });
      const asOf = response.data?.planAsOf;
      expect(asOf.point).toBe(publishedSequence);
      expect(asOf.plan).toMatchObject({
        id: planId,
        mission: publishedMission,
        status: 'PUBLISHED',
        fiscalYear: { label: '平成24年度' },
      });
      expect(asOf.initiatives[0]).toEqual({
        initiative: { id: initiativeId, position: 1, text: publishedText },
        evaluation: null,
      });
    }
    const now = await api.query(PLAN_AS_OF, { id: planId, point: { sequence: evaluatedSequence } });
    expect(now.data?.planAsOf.plan.mission).toBe('改訂後の使命（テスト）');
    expect(now.data?.planAsOf.initiatives[0]).toEqual({
      initiative: { id: initiativeId, position: 1, text: '改訂後の事業（テスト）' },
      evaluation: {
        evaluation: {
          rating: 'MOSTLY_ACHIEVED',
          summary: '概ね達成（テスト）',
          status: 'PUBLISHED',
        },
      },
    });
  });

  it('diffs the plan as published against the plan as evaluated, field by field', async () => {
    const response = await api.query(DIFF, {
      id: planId,
      from: { sequence: publishedSequence },
      to: { sequence: evaluatedSequence },
    });
    const changes = response.data?.asOfDiff.changes as { entityType: string; field: string }[];
    const pick = (entityType: string, field: string) =>
      changes.find((c) => c.entityType === entityType && c.field === field);
    expect(pick('DepartmentPlan', 'mission')).toMatchObject({
      entityId: planId,
      before: publishedMission,
      after: '改訂後の使命（テスト）',
    });
    expect(pick('Initiative', 'text')).toMatchObject({
      entityId: initiativeId,
      before: publishedText,
      after: '改訂後の事業（テスト）',
    });
    expect(pick('Evaluation', 'rating')).toMatchObject({
      entityId: evaluationId,
      before: null,
      after: 'MOSTLY_ACHIEVED',
    });
    // Only what changed: no line for the budget or the staff count, which did not.
    expect(changes.map((c) => c.field)).not.toContain('budgetYen');
    expect(changes.map((c) => c.field)).not.toContain('staffCount');

    const initiativeDiff = await api.query(DIFF, {
      id: initiativeId,
      from: { sequence: publishedSequence },
      to: { sequence: evaluatedSequence },
    });
    expect(
      initiativeDiff.data?.asOfDiff.changes.map(
        (c: { entityType: string; field: string }) => `${c.entityType}.${c.field}`,
      ),
    ).toEqual(
      expect.arrayContaining(['Initiative.text', 'Initiative.version', 'Evaluation.summary']),
    );
  });

  it('an initiative as of a point: its text then, and its evaluation once there was one', async () => {
    const INITIATIVE_AS_OF = `query ($id: ID!, $point: AsOfPoint!) {
      initiativeAsOf(id: $id, point: $point) { initiative { text } evaluation { evaluation { rating } } }
    }`;
    const then = await api.query(INITIATIVE_AS_OF, {
      id: initiativeId,
      point: { sequence: publishedSequence },
    });
    expect(then.data?.initiativeAsOf).toEqual({
      initiative: { text: publishedText },
      evaluation: null,
    });
    const later = await api.query(INITIATIVE_AS_OF, {
      id: initiativeId,
      point: { sequence: evaluatedSequence },
    });
    expect(later.data?.initiativeAsOf).toEqual({
      initiative: { text: '改訂後の事業（テスト）' },
      evaluation: { evaluation: { rating: 'MOSTLY_ACHIEVED' } },
    });
  });

  it('an evaluation as of a point before it existed is null, and after it its state then', async () => {
    const before = await api.query(
      `query ($id: ID!, $point: AsOfPoint!) { evaluationAsOf(id: $id, point: $point) { evaluation { status } } }`,
      { id: evaluationId, point: { sequence: publishedSequence } },
    );
    expect(before.data?.evaluationAsOf).toBeNull();
    const after = await api.query(
      `query ($id: ID!, $point: AsOfPoint!) { evaluationAsOf(id: $id, point: $point) { evaluation { status rating } } }`,
      { id: evaluationId, point: { sequence: evaluatedSequence } },
    );
    expect(after.data?.evaluationAsOf.evaluation).toEqual({
      status: 'PUBLISHED',
      rating: 'MOSTLY_ACHIEVED',
    });
  });

  it('the public never sees a point at which the plan was a draft, nor its draft text', async () => {
    const plan = await api.query(
      `query ($id: ID!) { node(id: $id) { ... on DepartmentPlan { version } } }`,
      {
        id: planId,
      },
    );
    let version = plan.data?.node.version as number;
    const unpublished = await mutate(
      `mutation ($input: PlanVersionInput!) { unpublishPlan(input: $input) { ... on UnpublishPlanSuccess { plan { version } } } }`,
      { id: planId, expectedVersion: version },
    );
    version = unpublished.plan.version;
    const drafted = await mutate(
      `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { ... on UpdatePlanSuccess { plan { version } } } }`,
      { id: planId, expectedVersion: version, mission: '下書きの秘密の使命' },
      editor,
    );
    const draftSequence = await latest();
    const republishedDraft = await mutate(
      `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { ... on UpdatePlanSuccess { plan { version } } } }`,
      { id: planId, expectedVersion: drafted.plan.version, mission: '公開する使命' },
      editor,
    );
    await mutate(
      `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }`,
      { id: planId, expectedVersion: republishedDraft.plan.version },
    );
    const republishedSequence = await latest();

    const publicDraft = await api.query(PLAN_AS_OF, {
      id: planId,
      point: { sequence: draftSequence },
    });
    expect(publicDraft.data?.planAsOf).toBeNull();
    const staffDraft = await api
      .as(editor)
      .query(PLAN_AS_OF, { id: planId, point: { sequence: draftSequence } });
    expect(staffDraft.data?.planAsOf.plan).toMatchObject({
      mission: '下書きの秘密の使命',
      status: 'DRAFT',
    });

    // A diff across the draft period shows the public only the two public states.
    const diff = await api.query(DIFF, {
      id: planId,
      from: { sequence: evaluatedSequence },
      to: { sequence: republishedSequence },
    });
    expect(JSON.stringify(diff.data)).not.toContain('下書きの秘密の使命');
    expect(diff.data?.asOfDiff.changes).toContainEqual(
      expect.objectContaining({
        field: 'mission',
        before: '改訂後の使命（テスト）',
        after: '公開する使命',
      }),
    );
    const diffIntoDraft = await api.query(DIFF, {
      id: planId,
      from: { sequence: evaluatedSequence },
      to: { sequence: draftSequence },
    });
    expect(JSON.stringify(diffIntoDraft.data)).not.toContain('下書きの秘密の使命');
  });

  it('refuses a point that is neither or both of a time and a sequence, and IDs of other types', async () => {
    const neither = await api.query(PLAN_AS_OF, { id: planId, point: {} });
    expect(errorCodes(neither)).toEqual(['BAD_USER_INPUT']);
    const both = await api.query(PLAN_AS_OF, {
      id: planId,
      point: { sequence: '1', at: new Date().toISOString() },
    });
    expect(errorCodes(both)).toEqual(['BAD_USER_INPUT']);
    const wrongType = await api.query(PLAN_AS_OF, { id: initiativeId, point: { sequence: '1' } });
    expect(errorCodes(wrongType)).toEqual(['BAD_USER_INPUT']);
    const badSequence = await api.query(PLAN_AS_OF, { id: planId, point: { sequence: '-1' } });
    expect(errorCodes(badSequence)).toEqual(['INVALID_CURSOR']);
  });
});
