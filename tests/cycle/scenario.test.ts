// Issue 18's scenario, end to end over HTTP as the city's staff and the public would run it, for
// 教育部: a FY2012 initiative gets a target and actuals (its status says which rule decided it),
// a 自己評価 by the department's editor, 一次 and 二次 by planning; 継続 without a FY2013
// initiative is refused when the 白書2013 is published; with the FY2013 initiative it is
// published in one step; `planAsOf` shows the FY2012 plan as published and `asOfDiff` what the
// evaluation changed; the chain runs from FY2012 into FY2013. Targets, figures and the FY2013
// plan are this test's scenario data: the seed holds none of them.
// (The seed's plans are published when the seed loads, so "as published" is the change
// sequence right after the seed, not a date in April 2012.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GraphQLResponse, startTestApi, type TestApi } from '../support/api.ts';
import { tokenFor } from '../support/factories.ts';

const MITAKA = '132047';
let api: TestApi;
let planning = '';
let editor = '';

/** Runs a mutation and returns its payload, failing on any GraphQL error. */
async function mutate(text: string, input: Record<string, unknown>, token: string) {
  const response: GraphQLResponse<any> = await api.query(text, { input }, token);
  expect(response.errors).toBeUndefined();
  return Object.values(response.data ?? {})[0] as Record<string, any>;
}

async function read(text: string, variables: Record<string, unknown> = {}, token?: string) {
  const response: GraphQLResponse<any> = await api.query(text, variables, token);
  expect(response.errors).toBeUndefined();
  return response.data as Record<string, any>;
}

const OUTCOME =
  '__typename ... on ValidationError { issues { path code message } } ... on Error { message }';
const EVALUATION = 'evaluation { id version status rating progressPercent summary decision }';

let planId = '';
let initiativeId = '';
let publishedSequence = '';
let evaluation = { id: '', version: 0 };
let whitePaper = { id: '', version: 0 };
let nextYearInitiative = '';

beforeAll(async () => {
  api = await startTestApi({ seed: true });
  planning = await tokenFor(api.db.prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: MITAKA,
  });
  editor = await tokenFor(api.db.prisma, {
    name: '教育部',
    role: 'EDITOR',
    municipality: MITAKA,
    department: 'kyoiku',
  });
  const data = await read(`{
    plan(municipality: "${MITAKA}", department: "kyoiku", fiscalYear: 2012) {
      id initiatives(first: 1) { edges { node { id } } } }
    latestChangeCursor }`);
  planId = data.plan.id;
  initiativeId = data.plan.initiatives.edges[0].node.id;
  publishedSequence = data.latestChangeCursor;
});
afterAll(() => api?.close());

describe('教育部 FY2012 through the management cycle', () => {
  it('a target with actuals has a status that names the rule and the values behind it', async () => {
    const added = await mutate(
      `mutation ($input: AddTargetInput!) { addTarget(input: $input) { ${OUTCOME} ... on AddTargetSuccess { target { id } } } }`,
      {
        initiative: initiativeId,
        indicator: '学校図書館の貸出冊数',
        unit: '千冊',
        direction: 'AT_LEAST',
        baseline: 100,
        targetValue: 200,
      },
      planning,
    );
    expect(added.__typename).toBe('AddTargetSuccess');
    const target = added.target.id as string;
    const RECORD = `mutation ($input: RecordTargetActualInput!) { recordTargetActual(input: $input) { ${OUTCOME}
      ... on RecordTargetActualSuccess { target { status { status reason rule { id } values { progressPercent expectedPercent } } } } } }`;

    // Half the year gone (1 April to 30 September), 60 % of the way: on track.
    const half = await mutate(
      RECORD,
      { target, period: '2012年度上半期', measuredOn: '2012-09-30', value: 160 },
      planning,
    );
    expect(half.__typename).toBe('RecordTargetActualSuccess');
    expect(half.target.status).toMatchObject({ status: 'ON_TRACK', rule: { id: 'on-track' } });
    expect(half.target.status.values.progressPercent).toBe(60);
    expect(half.target.status.values.expectedPercent).toBeGreaterThan(49);
    expect(half.target.status.values.expectedPercent).toBeLessThan(51);
    expect(half.target.status.reason).toMatch(/on-track/);

    const year = await mutate(
      RECORD,
      { target, period: '2012年度', measuredOn: '2013-03-31', value: 210 },
      planning,
    );
    expect(year.target.status).toMatchObject({ status: 'ACHIEVED', rule: { id: 'achieved' } });
  });

  it('自己評価 by the department’s editor, then 一次 and 二次 by planning (not by the editor)', async () => {
    const RECORD = `mutation ($input: RecordEvaluationStageInput!) { recordEvaluationStage(input: $input) { ${OUTCOME} ... on RecordEvaluationStageSuccess { ${EVALUATION} } } }`;
    const COMPLETE = `mutation ($input: EvaluationStageInput!) { completeEvaluationStage(input: $input) { ${OUTCOME} ... on CompleteEvaluationStageSuccess { ${EVALUATION} } } }`;
    const stage = async (token: string, kind: string, rating: string, summary: string) => {
      const recorded = await mutate(
        RECORD,
        {
          initiative: initiativeId,
          stage: kind,
          rating,
          progressPercent: 90,
          summary,
          expectedVersion: evaluation.id ? evaluation.version : null,
        },
        token,
      );
      expect(recorded.__typename).toBe('RecordEvaluationStageSuccess');
      const completed = await mutate(
        COMPLETE,
        {
          evaluation: recorded.evaluation.id,
          stage: kind,
          expectedVersion: recorded.evaluation.version,
        },
        token,
      );
      expect(completed.__typename).toBe('CompleteEvaluationStageSuccess');
      evaluation = completed.evaluation;
      return completed.evaluation;
    };

    const self = await stage(editor, 'SELF', 'ACHIEVED', '自己評価: 計画どおり実施した。');
    expect(self).toMatchObject({ status: 'DRAFT', rating: 'ACHIEVED' });

    const refused = await mutate(
      RECORD,
      {
        initiative: initiativeId,
        stage: 'FIRST',
        rating: 'ACHIEVED',
        summary: '編集者による一次評価',
        expectedVersion: evaluation.version,
      },
      editor,
    );
    expect(refused.__typename).toBe('ForbiddenError');

    await stage(planning, 'FIRST', 'MOSTLY_ACHIEVED', '一次評価: おおむね達成。');
    const second = await stage(planning, 'SECOND', 'MOSTLY_ACHIEVED', '二次評価: おおむね達成。');
    // The result is the last completed stage's.
    expect(second).toMatchObject({
      rating: 'MOSTLY_ACHIEVED',
      summary: '二次評価: おおむね達成。',
    });
  });

  it('継続 without a FY2013 initiative is refused when the 白書2013 is published; nothing is published', async () => {
    const created = await mutate(
      `mutation ($input: CreateWhitePaperInput!) { createWhitePaper(input: $input) { ${OUTCOME} ... on CreateWhitePaperSuccess { whitePaper { id version } } } }`,
      {
        municipality: MITAKA,
        title: '三鷹市自治体経営白書2013',
        publicationDate: '2013-07-01',
        reportsOnFiscalYear: 2012,
      },
      planning,
    );
    expect(created.__typename).toBe('CreateWhitePaperSuccess');
    whitePaper = created.whitePaper;
    const decided = await mutate(
      `mutation ($input: UpdateEvaluationInput!) { updateEvaluation(input: $input) { ${OUTCOME} ... on UpdateEvaluationSuccess { ${EVALUATION} } } }`,
      {
        id: evaluation.id,
        expectedVersion: evaluation.version,
        decision: 'CONTINUE',
        whitePaper: whitePaper.id,
      },
      planning,
    );
    expect(decided.__typename).toBe('UpdateEvaluationSuccess');
    evaluation = decided.evaluation;

    const refused = await mutate(
      `mutation ($input: PublishWhitePaperInput!) { publishWhitePaper(input: $input) { ${OUTCOME} } }`,
      { id: whitePaper.id, expectedVersion: whitePaper.version },
      planning,
    );
    expect(refused.__typename).toBe('ValidationError');
    expect(refused.issues).toEqual([
      expect.objectContaining({
        code: 'DECISION_INCONSISTENT',
        path: ['input', 'evaluations', evaluation.id],
      }),
    ]);
    const now = await read(
      `query ($id: ID!, $paper: ID!) {
        evaluation: node(id: $id) { ... on Evaluation { status } }
        paper: node(id: $paper) { ... on WhitePaper { publishedAt } } }`,
      { id: evaluation.id, paper: whitePaper.id },
      planning,
    );
    expect(now).toEqual({ evaluation: { status: 'DRAFT' }, paper: { publishedAt: null } });
  });

  it('with the FY2013 initiative that carries it on, the 白書2013 publishes the evaluation', async () => {
    const plan = await mutate(
      `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { ${OUTCOME} ... on CreatePlanSuccess { plan { id } } } }`,
      { municipality: MITAKA, department: 'kyoiku', fiscalYear: 2013 },
      planning,
    );
    expect(plan.__typename).toBe('CreatePlanSuccess');
    const added = await mutate(
      `mutation ($input: AddInitiativeInput!) { addInitiative(input: $input) { ${OUTCOME} ... on AddInitiativeSuccess { initiative { id } } } }`,
      { plan: plan.plan.id, text: '前年度の取り組みを継続します（テスト）。' },
      planning,
    );
    nextYearInitiative = added.initiative.id;
    const version = await read(
      `query ($id: ID!) { node(id: $id) { ... on DepartmentPlan { version } } }`,
      { id: plan.plan.id },
      planning,
    );
    const published = await mutate(
      `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { ${OUTCOME} } }`,
      { id: plan.plan.id, expectedVersion: version.node.version },
      planning,
    );
    expect(published.__typename).toBe('PublishPlanSuccess');

    const carried = await mutate(
      `mutation ($input: UpdateEvaluationInput!) { updateEvaluation(input: $input) { ${OUTCOME} ... on UpdateEvaluationSuccess { ${EVALUATION} } } }`,
      {
        id: evaluation.id,
        expectedVersion: evaluation.version,
        nextInitiative: nextYearInitiative,
      },
      planning,
    );
    expect(carried.__typename).toBe('UpdateEvaluationSuccess');
    const paper = await mutate(
      `mutation ($input: PublishWhitePaperInput!) { publishWhitePaper(input: $input) { ${OUTCOME} ... on PublishWhitePaperSuccess { whitePaper { publishedAt } } } }`,
      { id: whitePaper.id, expectedVersion: whitePaper.version },
      planning,
    );
    expect(paper.__typename).toBe('PublishWhitePaperSuccess');
    expect(paper.whitePaper.publishedAt).not.toBeNull();

    // The public now reads the result: the last completed stage, none of the stages.
    const seen = await read(
      `query ($id: ID!) { node(id: $id) { ... on Initiative { evaluation { status rating summary decision stages { kind } } } } }`,
      { id: initiativeId },
    );
    expect(seen.node.evaluation).toEqual({
      status: 'PUBLISHED',
      rating: 'MOSTLY_ACHIEVED',
      summary: '二次評価: おおむね達成。',
      decision: 'CONTINUE',
      stages: [],
    });
  });

  it('asOf shows the FY2012 plan as published, and the diff to its evaluated state', async () => {
    const AS_OF = `query ($id: ID!, $point: AsOfPoint!) { planAsOf(id: $id, point: $point) {
      plan { status } initiatives { initiative { id } evaluation { evaluation { rating } } } } }`;
    const then = await read(AS_OF, { id: planId, point: { sequence: publishedSequence } });
    expect(then.planAsOf.plan.status).toBe('PUBLISHED');
    const first = then.planAsOf.initiatives.find(
      (i: { initiative: { id: string } }) => i.initiative.id === initiativeId,
    );
    expect(first.evaluation).toBeNull();

    const latest = (await read('{ latestChangeCursor }')).latestChangeCursor;
    const diff = await read(
      `query ($id: ID!, $from: AsOfPoint!, $to: AsOfPoint!) { asOfDiff(id: $id, from: $from, to: $to) {
        changes { entityType field before after } } }`,
      { id: planId, from: { sequence: publishedSequence }, to: { sequence: latest } },
    );
    const changes = diff.asOfDiff.changes as {
      entityType: string;
      field: string;
      after: unknown;
    }[];
    expect(changes).toContainEqual(
      expect.objectContaining({
        entityType: 'Evaluation',
        field: 'rating',
        after: 'MOSTLY_ACHIEVED',
      }),
    );
    expect(changes).toContainEqual(
      expect.objectContaining({ entityType: 'Evaluation', field: 'decision', after: 'CONTINUE' }),
    );
    // Stage-by-stage drafts never reach the public's diff: only the published result.
    expect(JSON.stringify(changes)).not.toContain('自己評価');
  });

  it('the chain query shows the initiative from FY2012 into FY2013', async () => {
    const data = await read(`{
      initiativeChains(municipality: "${MITAKA}", department: "kyoiku", fiscalYear: 2013) {
        links { fiscalYear decision initiative { id } } } }`);
    expect(data.initiativeChains).toContainEqual({
      links: [
        { fiscalYear: 2012, decision: 'CONTINUE', initiative: { id: initiativeId } },
        { fiscalYear: 2013, decision: null, initiative: { id: nextYearInitiative } },
      ],
    });
  });
});
