// Issue 29's "done when": the whole spring for 教育部 FY2012, through the real HTTP server as
// each role of the city runs it. The planning office sets the deadline calendar; the
// department's pending list shows its 自己評価 due and its target's 実績; the editor records both;
// planning does 一次 and 二次; the external committee (REVIEWER) reads the draft it is asked to
// review and records 外部評価; the 白書2013 is published (the evaluations reach the public and the
// white paper's booklet section) and withdrawn again; a status rule changed in 2013 leaves
// FY2012's status as it closed; planAsOf at a date in June 2012 returns the FY2012 plan as
// published, with its targets; and the generated FY2012 booklet page reads word for word like
// the source, its PDF with extractable Japanese text.
//
// Scenario data (never in the seed): 教育部's target on its third project, loaded as the seed
// loads what the source publishes (so it is dated with the plan's publication, 2012-04-01), and
// the figures, dates and texts the test records.
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadSeed, mitakaSeedPath, readSeedFile } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  firstLineMissing,
  normalisedLines,
  pdftotext,
  readerText,
  sourceLines,
} from '../booklet/support.ts';
import { type GraphQLResponse, startTestApi, type TestApi } from '../support/api.ts';
import { type Browser, chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { tokenFor } from '../support/factories.ts';

const MITAKA = '132047';
const TARGET = {
  indicator: '総合防災訓練（小・中学校）の参加者数',
  unit: '人',
  direction: 'AT_LEAST' as const,
  baseline: 0,
  targetValue: 1000,
};
const runBrowser = chromiumAvailable();

let api: TestApi;
const tokens = { editor: '', planning: '', reviewer: '' };
let planId = '';
/** 教育部's FY2012 initiatives, in order. */
let initiatives: string[] = [];
let targetId = '';
/** The evaluations, per initiative, as they stand after the last write. */
const evaluations = new Map<string, { id: string; version: number }>();

const OUTCOME = `__typename ... on Error { message } ... on ValidationError { issues { path code message } }`;
const EVALUATION = 'evaluation { id version status rating summary }';

/** Runs a mutation with `input`; returns its payload, failing on any GraphQL error. */
async function mutate(
  field: string,
  inputType: string,
  input: Record<string, unknown>,
  token: string,
  selection = '',
) {
  const response: GraphQLResponse<any> = await api.query(
    `mutation ($input: ${inputType}!) { ${field}(input: $input) { ${OUTCOME} ${selection} } }`,
    { input },
    token,
  );
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data[field] as Record<string, any>;
}

async function read(text: string, variables: Record<string, unknown> = {}, token?: string) {
  const response: GraphQLResponse<any> = await api.query(text, variables, token);
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  return response.data as Record<string, any>;
}

/** Records a stage and completes it, as `token`; keeps the evaluation's new version. */
async function stage(token: string, initiative: string, kind: string, summary: string) {
  const before = evaluations.get(initiative);
  const recorded = await mutate(
    'recordEvaluationStage',
    'RecordEvaluationStageInput',
    {
      initiative,
      stage: kind,
      rating: 'ACHIEVED',
      progressPercent: 100,
      summary,
      expectedVersion: before?.version ?? null,
    },
    token,
    `... on RecordEvaluationStageSuccess { ${EVALUATION} }`,
  );
  expect(recorded.__typename, JSON.stringify(recorded)).toBe('RecordEvaluationStageSuccess');
  const completed = await mutate(
    'completeEvaluationStage',
    'EvaluationStageInput',
    {
      evaluation: recorded.evaluation.id,
      stage: kind,
      expectedVersion: recorded.evaluation.version,
    },
    token,
    `... on CompleteEvaluationStageSuccess { ${EVALUATION} }`,
  );
  expect(completed.__typename, JSON.stringify(completed)).toBe('CompleteEvaluationStageSuccess');
  evaluations.set(initiative, completed.evaluation);
  return completed.evaluation as { id: string; version: number; rating: string; summary: string };
}

const PENDING = `query ($department: String, $today: LocalDate) {
  pending(municipality: "${MITAKA}", fiscalYear: 2012, department: $department, today: $today) {
    kind name state dueOn daysLeft initiative { id } target { indicator } } }`;

async function pendingOf(token: string, today: string) {
  return (await read(PENDING, { department: 'kyoiku', today }, token)).pending as {
    kind: string;
    name: string;
    state: string;
    dueOn: string;
    daysLeft: number;
    initiative: { id: string };
    target: { indicator: string } | null;
  }[];
}

beforeAll(async () => {
  api = await startTestApi();
  // The source's plans, with 教育部's target on its third project (総合防災訓練), loaded as the
  // seed loads what a source publishes: with the plan's publication date.
  const seed = await readSeedFile(mitakaSeedPath);
  const plan = seed.departments.find((d) => d.code === 'kyoiku')?.plans[0];
  const third = plan?.initiatives[2];
  if (!plan || !third) throw new Error('seed: 教育部 FY2012 has three initiatives');
  third.targets = [TARGET];
  await loadSeed(api.db.prisma, seed);

  const prisma = api.db.prisma;
  tokens.editor = await tokenFor(prisma, {
    name: '教育部 編集者',
    role: 'EDITOR',
    municipality: MITAKA,
    department: 'kyoiku',
  });
  tokens.planning = await tokenFor(prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: MITAKA,
  });
  tokens.reviewer = await tokenFor(prisma, {
    name: '外部評価委員会',
    role: 'REVIEWER',
    municipality: MITAKA,
  });
  const data =
    await read(`{ plan(municipality: "${MITAKA}", department: "kyoiku", fiscalYear: 2012) {
    id initiatives(first: 10) { edges { node { id targets { id } } } } } }`);
  planId = data.plan.id;
  const nodes = data.plan.initiatives.edges.map(
    (e: { node: { id: string; targets: { id: string }[] } }) => e.node,
  );
  initiatives = nodes.map((n: { id: string }) => n.id);
  targetId = nodes[2].targets[0].id;
}, 120_000);
afterAll(() => api?.close());

describe('the spring of FY2012 for 教育部, as each role runs it', () => {
  it('planning sets the deadline calendar; the department sees its 自己評価 and 実績 due', async () => {
    const set = await mutate(
      'setReportingCalendar',
      'SetReportingCalendarInput',
      {
        municipality: MITAKA,
        fiscalYear: 2012,
        deadlines: [
          { kind: 'ACTUALS', dueOn: '2013-04-30' },
          { kind: 'SELF', dueOn: '2013-05-10' },
          { kind: 'FIRST', dueOn: '2013-05-31' },
          { kind: 'SECOND', dueOn: '2013-06-14' },
          { kind: 'EXTERNAL', dueOn: '2013-06-28', remindDaysBefore: 14 },
        ],
      },
      tokens.planning,
    );
    expect(set.__typename).toBe('SetReportingCalendarSuccess');

    const items = await pendingOf(tokens.editor, '2013-04-25');
    expect(items.filter((i) => i.kind === 'SELF')).toEqual(
      initiatives.map((id) => ({
        kind: 'SELF',
        name: '自己評価',
        state: 'DUE',
        dueOn: '2013-05-10',
        daysLeft: 15,
        initiative: { id },
        target: null,
      })),
    );
    expect(items.filter((i) => i.kind === 'ACTUALS')).toEqual([
      {
        kind: 'ACTUALS',
        name: '実績',
        state: 'DUE',
        dueOn: '2013-04-30',
        daysLeft: 5,
        initiative: { id: initiatives[2] },
        target: { indicator: TARGET.indicator },
      },
    ]);
  });

  it("the editor records the year's 実績 and completes each 自己評価; nothing is left pending", async () => {
    // The plan is published: its targets stay as they are, but the department reports its
    // actuals (the committee may not).
    const refused = await mutate(
      'recordTargetActual',
      'RecordTargetActualInput',
      { target: targetId, period: '2012年度', measuredOn: '2013-03-31', value: 1200 },
      tokens.reviewer,
    );
    expect(refused.__typename).toBe('ForbiddenError');
    const actual = await mutate(
      'recordTargetActual',
      'RecordTargetActualInput',
      { target: targetId, period: '2012年度', measuredOn: '2013-03-31', value: 1200 },
      tokens.editor,
      '... on RecordTargetActualSuccess { target { status { status rule { id } } } }',
    );
    expect(actual.target.status).toEqual({ status: 'ACHIEVED', rule: { id: 'achieved' } });
    for (const [n, initiative] of initiatives.entries()) {
      const self = await stage(tokens.editor, initiative, 'SELF', `自己評価 ${n + 1}: 実施した。`);
      expect(self).toMatchObject({ rating: 'ACHIEVED', summary: `自己評価 ${n + 1}: 実施した。` });
    }
    expect(await pendingOf(tokens.editor, '2013-05-08')).toEqual([]);
  });

  it('一次 and 二次 by planning; the committee reads the draft only then, and records 外部評価', async () => {
    const [first] = initiatives as [string];
    const READ = `query ($id: ID!) {
      node(id: $id) { ... on Initiative { evaluation { id status summary stages { kind state } } } } }`;
    for (const initiative of initiatives) {
      await stage(tokens.planning, initiative, 'FIRST', '一次評価: 計画どおり。');
      // Before 二次 is completed, the committee has nothing to review.
      if (initiative === first) {
        const early = await read(READ, { id: initiative }, tokens.reviewer);
        expect(early.node.evaluation).toBeNull();
      }
      await stage(tokens.planning, initiative, 'SECOND', '二次評価: 計画どおり。');
    }
    const draft = await read(READ, { id: first }, tokens.reviewer);
    expect(draft.node.evaluation).toMatchObject({
      status: 'DRAFT',
      summary: '二次評価: 計画どおり。',
      stages: [
        { kind: 'SELF', state: 'COMPLETED' },
        { kind: 'FIRST', state: 'COMPLETED' },
        { kind: 'SECOND', state: 'COMPLETED' },
      ],
    });
    // The public sees no draft.
    expect((await read(READ, { id: first })).node.evaluation).toBeNull();

    for (const initiative of initiatives) {
      const external = await stage(tokens.reviewer, initiative, 'EXTERNAL', '外部評価: 妥当。');
      expect(external.summary).toBe('外部評価: 妥当。');
    }
    const planningList = await read(
      PENDING,
      { department: null, today: '2013-06-20' },
      tokens.planning,
    );
    expect(
      planningList.pending.filter((i: { initiative: { id: string } }) =>
        initiatives.includes(i.initiative.id),
      ),
    ).toEqual([]);
  });

  let paper = { id: '', version: 0 };

  it('the 白書2013 publishes the evaluations: the public reads them and the booklet section shows them', async () => {
    const created = await mutate(
      'createWhitePaper',
      'CreateWhitePaperInput',
      {
        municipality: MITAKA,
        title: '三鷹市自治体経営白書2013',
        publicationDate: '2013-07',
        reportsOnFiscalYear: 2012,
      },
      tokens.planning,
      '... on CreateWhitePaperSuccess { whitePaper { id version } }',
    );
    paper = created.whitePaper;
    for (const initiative of initiatives) {
      const evaluation = evaluations.get(initiative);
      const attached = await mutate(
        'updateEvaluation',
        'UpdateEvaluationInput',
        {
          id: evaluation?.id,
          expectedVersion: evaluation?.version,
          whitePaper: paper.id,
          decision: 'COMPLETE',
        },
        tokens.planning,
        `... on UpdateEvaluationSuccess { ${EVALUATION} }`,
      );
      expect(attached.__typename, JSON.stringify(attached)).toBe('UpdateEvaluationSuccess');
      evaluations.set(initiative, attached.evaluation);
    }
    const published = await mutate(
      'publishWhitePaper',
      'PublishWhitePaperInput',
      { id: paper.id, expectedVersion: paper.version },
      tokens.planning,
      '... on PublishWhitePaperSuccess { whitePaper { id version publishedAt } }',
    );
    expect(published.__typename, JSON.stringify(published)).toBe('PublishWhitePaperSuccess');
    paper = published.whitePaper;

    const seen = await read(
      `query ($id: ID!) { node(id: $id) { ... on Initiative { evaluation { status summary decision stages { kind } } } } }`,
      { id: initiatives[0] },
    );
    expect(seen.node.evaluation).toEqual({
      status: 'PUBLISHED',
      summary: '外部評価: 妥当。',
      decision: 'COMPLETE',
      stages: [],
    });
    const section = await api.fetch('/booklet/132047/2012/white-paper.html');
    expect(section.status).toBe(200);
    const html = await section.text();
    expect(html).toContain('<caption>教育部</caption>');
    expect(html).toContain('外部評価: 妥当。');
  });

  it('a status rule changed in 2013 leaves FY2012 as it closed', async () => {
    const STATUS = `query ($id: ID!) { node(id: $id) { ... on Target { status { status rule { id } } } } }`;
    const stricter = [
      {
        id: 'never',
        status: 'OFF_TRACK',
        description: '常に遅れとする。',
        descriptionEn: 'Always behind.',
        when: { always: true },
      },
    ];
    const closed = await mutate(
      'setStatusRules',
      'SetStatusRulesInput',
      { municipality: MITAKA, fromFiscalYear: 2012, rules: stricter },
      tokens.planning,
    );
    expect(closed.issues?.map((i: { code: string }) => i.code)).toEqual(['CLOSED_YEAR']);
    const from2013 = await mutate(
      'setStatusRules',
      'SetStatusRulesInput',
      { municipality: MITAKA, fromFiscalYear: 2013, rules: stricter },
      tokens.planning,
      '... on SetStatusRulesSuccess { statusRules { fromFiscalYear } }',
    );
    expect(from2013.statusRules).toEqual({ fromFiscalYear: 2013 });
    expect((await read(STATUS, { id: targetId })).node.status).toEqual({
      status: 'ACHIEVED',
      rule: { id: 'achieved' },
    });
    // The same rule does decide FY2013: a FY2013 target achieved by the old rules is not now.
    const plan2013 = await mutate(
      'createPlan',
      'CreatePlanInput',
      { municipality: MITAKA, department: 'kyoiku', fiscalYear: 2013 },
      tokens.planning,
      '... on CreatePlanSuccess { plan { id } }',
    );
    const next = await mutate(
      'addInitiative',
      'AddInitiativeInput',
      { plan: plan2013.plan.id, text: '総合防災訓練を継続します（試験）。' },
      tokens.planning,
      '... on AddInitiativeSuccess { initiative { id } }',
    );
    const target2013 = await mutate(
      'addTarget',
      'AddTargetInput',
      { ...TARGET, initiative: next.initiative.id },
      tokens.planning,
      '... on AddTargetSuccess { target { id } }',
    );
    const recorded = await mutate(
      'recordTargetActual',
      'RecordTargetActualInput',
      { target: target2013.target.id, period: '2013年度', measuredOn: '2014-03-31', value: 1200 },
      tokens.planning,
      '... on RecordTargetActualSuccess { target { status { status rule { id } } } }',
    );
    expect(recorded.target.status).toEqual({ status: 'OFF_TRACK', rule: { id: 'never' } });
  });

  it('the white paper is withdrawn: its evaluations leave the public view and the booklet section', async () => {
    const withdrawn = await mutate(
      'unpublishWhitePaper',
      'PublishWhitePaperInput',
      { id: paper.id, expectedVersion: paper.version },
      tokens.planning,
      '... on UnpublishWhitePaperSuccess { whitePaper { publishedAt } }',
    );
    expect(withdrawn.whitePaper).toEqual({ publishedAt: null });
    const seen = await read(
      `query ($id: ID!) { node(id: $id) { ... on Initiative { evaluation { status } } } }`,
      { id: initiatives[0] },
    );
    expect(seen.node.evaluation).toBeNull();
    expect((await api.fetch('/booklet/132047/2012/white-paper.html')).status).toBe(404);
    // The staff still have it, as a draft.
    const staff = await read(
      `query ($id: ID!) { node(id: $id) { ... on Initiative { evaluation { status summary } } } }`,
      { id: initiatives[0] },
      tokens.planning,
    );
    expect(staff.node.evaluation).toEqual({ status: 'DRAFT', summary: '外部評価: 妥当。' });
  });

  it('planAsOf at a date in June 2012 returns the FY2012 plan as published, with its targets', async () => {
    const june = await read(
      `query ($id: ID!) { planAsOf(id: $id, point: { at: "2012-06-15T12:00:00+09:00" }) {
        plan { status } initiatives { initiative { id } evaluation { evaluation { status } }
          targets { indicator unit direction baseline targetValue actuals { value } } } } }`,
      { id: planId },
    );
    expect(june.planAsOf.plan.status).toBe('PUBLISHED');
    expect(
      june.planAsOf.initiatives.map((i: { initiative: { id: string } }) => i.initiative.id),
    ).toEqual(initiatives);
    // As it stood then: the target as published, no actual yet, no evaluation yet.
    expect(june.planAsOf.initiatives[2]).toMatchObject({
      evaluation: null,
      targets: [{ ...TARGET, actuals: [] }],
    });
  });
});

describe.skipIf(!runBrowser)('the FY2012 booklet page, generated from the same data', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('reads word for word like the source, and its PDF has the Japanese text extractable', async () => {
    const probe = await api.fetch('/booklet/132047/2012.html');
    expect(probe.status).toBe(200);
    const page = await browser.newPage();
    await page.goto(probe.url);
    expect(normalisedLines(await readerText(page))).toEqual(await sourceLines());
    await page.close();

    const response = await api.fetch('/booklet/132047/2012.pdf');
    expect(response.status).toBe(200);
    const dir = resolve(import.meta.dirname, '../../test-results/spring');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'booklet-2012.pdf');
    await writeFile(file, Buffer.from(await response.arrayBuffer()));
    const text = pdftotext(file);
    expect(text).toContain('教育部');
    expect(firstLineMissing(text, await sourceLines())).toBeNull();
  });
});
