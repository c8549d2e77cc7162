// Targets and explainable status on Mitaka's seeded FY2012 教育部 plan. The scenario's figures
// (indicator, baseline, actuals) are invented here, in the test: the seed holds only the real
// published text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestApi, type TestApi } from '../support/api.ts';
import { tokenFor } from '../support/factories.ts';

let api: TestApi;
const tokens: Record<string, string> = {};
let initiativeId = '';
let planId = '';
let planVersion = 0;

const TARGET_FIELDS = `id indicator direction baseline targetValue weight version
  actuals { id period measuredOn value }
  status { status reason reasonEn rule { id status description }
    values { baseline targetValue latestValue latestPeriod measuredOn progressPercent expectedPercent gapPoints meetsTarget } }`;

const ADD = `mutation ($input: AddTargetInput!) {
  addTarget(input: $input) {
    __typename
    ... on AddTargetSuccess { target { ${TARGET_FIELDS} } }
    ... on ValidationError { issues { path code message } }
    ... on ForbiddenError { message }
  }
}`;

const RECORD = `mutation ($input: RecordTargetActualInput!) {
  recordTargetActual(input: $input) {
    __typename
    ... on RecordTargetActualSuccess { target { ${TARGET_FIELDS} } }
    ... on ValidationError { issues { path code message } }
    ... on ForbiddenError { message }
  }
}`;

const SET_RULES = `mutation ($input: SetStatusRulesInput!) {
  setStatusRules(input: $input) {
    __typename
    ... on SetStatusRulesSuccess { statusRules { version isDefault rules { id status when } } }
    ... on ValidationError { issues { path code message } }
    ... on VersionConflictError { currentVersion }
  }
}`;

const ROLLUP = `query ($department: String) {
  targetRollups(municipality: "132047", fiscalYear: 2012, department: $department) {
    department { code name } fiscalYear targetCount onTrackShare weightedProgressPercent
    statusCounts { status count }
  }
}`;

beforeAll(async () => {
  api = await startTestApi({ seed: true });
  const prisma = api.db.prisma;
  tokens.editor = await tokenFor(prisma, {
    name: '教育部',
    role: 'EDITOR',
    municipality: '132047',
    department: 'kyoiku',
  });
  tokens.otherEditor = await tokenFor(prisma, {
    name: '総務部',
    role: 'EDITOR',
    municipality: '132047',
    department: 'somu',
  });
  tokens.planning = await tokenFor(prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: '132047',
  });
  const plan = await api.query(`{
    plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) {
      id version status initiatives(first: 1) { edges { node { id } } }
    }
  }`);
  planId = plan.data?.plan.id;
  planVersion = plan.data?.plan.version;
  initiativeId = plan.data?.plan.initiatives.edges[0].node.id;
  expect(plan.data?.plan.status).toBe('PUBLISHED');
});
afterAll(() => api.close());

async function addTarget(input: Record<string, unknown>, token?: string) {
  const response = await api.query(
    ADD,
    { input: { initiative: initiativeId, ...input } },
    token ?? tokens.planning,
  );
  return response.data?.addTarget;
}

async function record(target: string, input: Record<string, unknown>, token?: string) {
  const response = await api.query(
    RECORD,
    { input: { target, ...input } },
    token ?? tokens.planning,
  );
  return response.data?.recordTargetActual;
}

describe('targets of a 教育部 FY2012 initiative', () => {
  let targetId = '';

  it('the planning section sets a target on a published plan; an editor may not, and the public sees it', async () => {
    const refused = await addTarget(
      { indicator: '学校図書館の貸出冊数', direction: 'AT_LEAST', baseline: 100, targetValue: 200 },
      tokens.editor,
    );
    expect(refused.__typename).toBe('ForbiddenError');

    const added = await addTarget({
      indicator: '学校図書館の貸出冊数',
      unit: '千冊',
      direction: 'AT_LEAST',
      baseline: 100,
      targetValue: 200,
      weight: 3,
    });
    expect(added.__typename).toBe('AddTargetSuccess');
    targetId = added.target.id;
    expect(added.target.status).toMatchObject({ status: 'NO_DATA', rule: { id: 'no-data' } });

    const publicly = await api.query(
      `query ($id: ID!) { node(id: $id) { ... on Initiative { targets { indicator weight } } } }`,
      { id: initiativeId },
    );
    expect(publicly.data?.node.targets).toEqual([{ indicator: '学校図書館の貸出冊数', weight: 3 }]);
  });

  it('refuses targets whose shape does not fit their direction, saying where', async () => {
    const noValue = await addTarget({ indicator: 'x', direction: 'AT_LEAST', baseline: 1 });
    expect(noValue.issues).toEqual([
      expect.objectContaining({ path: ['input', 'targetValue'], code: 'REQUIRED' }),
    ]);
    const wrongWay = await addTarget({
      indicator: 'x',
      direction: 'AT_MOST',
      baseline: 1,
      targetValue: 5,
    });
    expect(wrongWay.issues[0]).toMatchObject({ code: 'WRONG_WAY' });
    const badRange = await addTarget({
      indicator: 'x',
      direction: 'WITHIN_RANGE',
      rangeMin: 5,
      rangeMax: 1,
    });
    expect(badRange.issues[0]).toMatchObject({ path: ['input', 'rangeMax'] });
    const milestoneWithValue = await addTarget({
      indicator: 'x',
      direction: 'MILESTONE',
      targetDate: '2013-03-31',
      targetValue: 3,
    });
    expect(milestoneWithValue.issues[0]).toMatchObject({ code: 'NOT_FOR_DIRECTION' });
    const badDate = await api.query(
      ADD,
      {
        input: {
          initiative: initiativeId,
          indicator: 'x',
          direction: 'MILESTONE',
          targetDate: '2013-02-30',
        },
      },
      tokens.planning,
    );
    expect(badDate.errors ?? badDate.data?.addTarget.issues).toBeTruthy();
  });

  it('computes the status from the latest actual and names the rule and the values', async () => {
    // Half a year in (the end of 2012-09-30 is 50.1% of FY2012), 60% of the way: on track.
    const first = await record(targetId, {
      period: '2012年度上半期',
      measuredOn: '2012-09-30',
      value: 160,
    });
    expect(first.__typename).toBe('RecordTargetActualSuccess');
    expect(first.target.status.status).toBe('ON_TRACK');
    expect(first.target.status.rule.id).toBe('on-track');
    expect(first.target.status.values).toMatchObject({
      baseline: 100,
      targetValue: 200,
      latestValue: 160,
      latestPeriod: '2012年度上半期',
      measuredOn: '2012-09-30',
      progressPercent: 60,
      expectedPercent: 50.1,
      gapPoints: -9.9,
      meetsTarget: false,
    });
    expect(first.target.status.reason).toContain('on-track');
    // The status in words, as the API's labels say it, not its code.
    expect(first.target.status.reason).toMatch(/^順調（規則「on-track」/);
    expect(first.target.status.reasonEn).toMatch(/^On track by rule "on-track"/);
    expect(first.target.status.reasonEn).toContain('latest 160');
    expect(first.target.status.reason).toContain('最新の実績 160');

    // Three quarters in, 65% of the way: behind by 10.3 points, within the at-risk margin.
    const second = await record(targetId, {
      period: '2012年度第3四半期',
      measuredOn: '2012-12-31',
      value: 165,
    });
    expect(second.target.status).toMatchObject({
      status: 'AT_RISK',
      rule: { id: 'at-risk' },
      values: { progressPercent: 65, expectedPercent: 75.3, gapPoints: 10.3 },
    });
    expect(second.target.actuals.map((a: { period: string }) => a.period)).toEqual([
      '2012年度上半期',
      '2012年度第3四半期',
    ]);
  });

  it('changing the municipality rules changes the status, and the status names the new rule', async () => {
    const rules = await api.query(
      `{ statusRules(municipality: "132047") { isDefault version rules { id when } } }`,
    );
    expect(rules.data?.statusRules).toMatchObject({ isDefault: true, version: 0 });

    const stricter = [
      { id: 'no-data', status: 'NO_DATA', description: '実績なし', when: { noActual: true } },
      { id: 'achieved', status: 'ACHIEVED', description: '達成', when: { meetsTarget: true } },
      {
        id: 'on-track',
        status: 'ON_TRACK',
        description: '順調',
        when: { metric: 'progressPercent', op: '>=', metricRight: 'expectedPercent' },
      },
      {
        id: 'tight-risk',
        status: 'AT_RISK',
        description: '遅れ5ポイント以内',
        when: { metric: 'gapPoints', op: '<=', value: 5 },
      },
      { id: 'behind', status: 'OFF_TRACK', description: '遅れ', when: { always: true } },
    ];
    const refusedForEditor = await api.query(
      SET_RULES,
      { input: { municipality: '132047', expectedVersion: 0, rules: stricter } },
      tokens.editor,
    );
    expect(
      errorCodes(refusedForEditor).concat(refusedForEditor.data?.setStatusRules?.__typename),
    ).toContain('ForbiddenError');

    const set = await api.query(
      SET_RULES,
      { input: { municipality: '132047', expectedVersion: 0, rules: stricter } },
      tokens.planning,
    );
    expect(set.data?.setStatusRules.statusRules).toMatchObject({ version: 1, isDefault: false });

    const read = await api.query(
      `query ($id: ID!) { node(id: $id) { ... on Target {
      status { status rule { id description } values { gapPoints } } } } }`,
      { id: targetId },
    );
    expect(read.data?.node.status).toEqual({
      status: 'OFF_TRACK',
      rule: { id: 'behind', description: '遅れ' },
      values: { gapPoints: 10.3 },
    });
  });

  it('refuses a rule set that is malformed, or that does not end in a fallback, saying where', async () => {
    const noFallback = await api.query(
      SET_RULES,
      {
        input: {
          municipality: '132047',
          expectedVersion: 1,
          rules: [{ id: 'a', status: 'ACHIEVED', description: 'x', when: { meetsTarget: true } }],
        },
      },
      tokens.planning,
    );
    expect(noFallback.data?.setStatusRules.issues[0].path).toEqual(['input', 'rules', '0', 'when']);
    const unknownMetric = await api.query(
      SET_RULES,
      {
        input: {
          municipality: '132047',
          expectedVersion: 1,
          rules: [
            {
              id: 'a',
              status: 'ACHIEVED',
              description: 'x',
              when: { metric: 'mood', op: '>', value: 1 },
            },
            { id: 'b', status: 'NO_DATA', description: 'x', when: { always: true } },
          ],
        },
      },
      tokens.planning,
    );
    expect(unknownMetric.data?.setStatusRules.__typename).toBe('ValidationError');
    const stale = await api.query(
      SET_RULES,
      { input: { municipality: '132047', expectedVersion: 0, rules: null } },
      tokens.planning,
    );
    expect(stale.data?.setStatusRules).toEqual({
      __typename: 'VersionConflictError',
      currentVersion: 1,
    });
    // Reset to the default rules: the status is AT_RISK again, by the default rule.
    const reset = await api.query(
      SET_RULES,
      { input: { municipality: '132047', expectedVersion: 1, rules: null } },
      tokens.planning,
    );
    expect(reset.data?.setStatusRules.statusRules.rules.map((r: { id: string }) => r.id)).toContain(
      'at-risk',
    );
  });

  it('rolls up per department and year: counts by status, share on track, weighted progress', async () => {
    // A second, lighter target that is already achieved, and a milestone with no actual.
    const second = await addTarget({
      indicator: '学校施設の耐震化率',
      unit: '%',
      direction: 'AT_LEAST',
      baseline: 80,
      targetValue: 100,
      weight: 1,
    });
    await record(second.target.id, { period: '2012年度', measuredOn: '2013-03-31', value: 100 });
    const milestone = await addTarget({
      indicator: '新教育プラン策定',
      direction: 'MILESTONE',
      targetDate: '2013-03-31',
    });
    expect(milestone.target.status.status).toBe('NO_DATA');

    const response = await api.query(ROLLUP, { department: 'kyoiku' });
    expect(response.data?.targetRollups).toEqual([
      {
        department: { code: 'kyoiku', name: '教育部' },
        fiscalYear: 2012,
        targetCount: 3,
        // ACHIEVED (1) + ON_TRACK (0) of 3.
        onTrackShare: 0.333,
        // (3 × 65 + 1 × 100) / (3 + 1); the milestone has no progress yet.
        weightedProgressPercent: 73.8,
        statusCounts: [
          { status: 'ON_TRACK', count: 0 },
          { status: 'AT_RISK', count: 1 },
          { status: 'OFF_TRACK', count: 0 },
          { status: 'ACHIEVED', count: 1 },
          { status: 'NO_DATA', count: 1 },
        ],
      },
    ]);
    const all = await api.query(ROLLUP, {});
    expect(
      all.data?.targetRollups.map((r: { department: { code: string } }) => r.department.code),
    ).toEqual(['kyoiku']);
  });

  it("a draft plan's targets stay out of the public's view and roll-ups until it is published", async () => {
    const unpublish = await api.query(
      `mutation ($input: PlanVersionInput!) { unpublishPlan(input: $input) { __typename } }`,
      { input: { id: planId, expectedVersion: planVersion } },
      tokens.planning,
    );
    expect(unpublish.data?.unpublishPlan.__typename).toBe('UnpublishPlanSuccess');
    const publicly = await api.query(ROLLUP, { department: 'kyoiku' });
    expect(publicly.data?.targetRollups).toEqual([]);
    const node = await api.query(`query ($id: ID!) { node(id: $id) { id } }`, { id: targetId });
    expect(node.data?.node).toBeNull();
    const staff = await api.as(tokens.editor as string).query(ROLLUP, { department: 'kyoiku' });
    expect(staff.data?.targetRollups[0].targetCount).toBe(3);
    const other = await api
      .as(tokens.otherEditor as string)
      .query(ROLLUP, { department: 'kyoiku' });
    expect(other.data?.targetRollups).toEqual([]);

    // The editor may now set targets (the draft is theirs); the change log records them for staff.
    const editorTarget = await addTarget(
      { indicator: '研修受講者数', direction: 'AT_MOST', baseline: 10, targetValue: 5 },
      tokens.editor,
    );
    expect(editorTarget.__typename).toBe('AddTargetSuccess');
    const log = await api.as(tokens.planning as string).query(`{
      changes(filter: { municipality: "132047", entityType: "Target" }, last: 100) {
        edges { node { action changes { field after } } }
      }
    }`);
    const actions = log.data?.changes.edges.map((e: { node: { action: string } }) => e.node.action);
    expect(actions.filter((a: string) => a === 'CREATE')).toHaveLength(4);

    // Recorded with the draft's audience (staff), and entering the public view on publication.
    const prisma = api.db.prisma;
    const created = await prisma.changeRecord.findFirstOrThrow({
      where: { entityType: 'Target', action: 'CREATE' },
      orderBy: { id: 'desc' },
    });
    expect([created.audienceBefore, created.audienceAfter]).toEqual(['NONE', 'STAFF']);
    const plan = await api
      .as(tokens.planning as string)
      .query(`query ($id: ID!) { node(id: $id) { ... on DepartmentPlan { version } } }`, {
        id: planId,
      });
    const before = await prisma.changeRecord.findFirstOrThrow({ orderBy: { id: 'desc' } });
    const published = await api.query(
      `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }`,
      { input: { id: planId, expectedVersion: plan.data?.node.version } },
      tokens.planning,
    );
    expect(published.data?.publishPlan.__typename).toBe('PublishPlanSuccess');
    const entered = await prisma.changeRecord.findMany({
      where: { id: { gt: before.id }, entityType: { in: ['Target', 'TargetActual'] } },
    });
    // Four targets and three actuals, each now public.
    expect(
      entered.map((r) => `${r.entityType}:${r.audienceBefore}>${r.audienceAfter}`).sort(),
    ).toEqual(
      [
        ...Array(4).fill('Target:STAFF>PUBLIC'),
        ...Array(3).fill('TargetActual:STAFF>PUBLIC'),
      ].sort(),
    );
  });
  it('updates a target under its version, removes an actual and the target, each with a change record', async () => {
    const added = await addTarget({
      indicator: '一時的な指標',
      direction: 'AT_LEAST',
      baseline: 0,
      targetValue: 10,
    });
    const id = added.target.id as string;
    const UPDATE = `mutation ($input: UpdateTargetInput!) { updateTarget(input: $input) {
      __typename ... on UpdateTargetSuccess { target { weight targetValue version } }
      ... on VersionConflictError { currentVersion } ... on ValidationError { issues { code } } } }`;
    const updated = await api.query(
      UPDATE,
      { input: { id, expectedVersion: 1, weight: 2, targetValue: 20 } },
      tokens.planning,
    );
    expect(updated.data?.updateTarget.target).toEqual({ weight: 2, targetValue: 20, version: 2 });
    const stale = await api.query(
      UPDATE,
      { input: { id, expectedVersion: 1, weight: 5 } },
      tokens.planning,
    );
    expect(stale.data?.updateTarget).toEqual({
      __typename: 'VersionConflictError',
      currentVersion: 2,
    });
    const wrongWay = await api.query(
      UPDATE,
      { input: { id, expectedVersion: 2, targetValue: -1 } },
      tokens.planning,
    );
    expect(wrongWay.data?.updateTarget.issues).toEqual([{ code: 'WRONG_WAY' }]);

    const recorded = await record(id, { period: '2012年度', measuredOn: '2013-03-31', value: 20 });
    const actualId = recorded.target.actuals[0].id as string;
    const removedActual = await api.query(
      `mutation ($input: RemoveTargetActualInput!) { removeTargetActual(input: $input) {
        __typename ... on RemoveTargetActualSuccess { target { actuals { id } status { status } } } } }`,
      { input: { id: actualId } },
      tokens.planning,
    );
    expect(removedActual.data?.removeTargetActual.target).toEqual({
      actuals: [],
      status: { status: 'NO_DATA' },
    });
    const removed = await api.query(
      `mutation ($input: RemoveTargetInput!) { removeTarget(input: $input) {
        __typename ... on RemoveTargetSuccess { initiative { targets { id } } } } }`,
      { input: { id, expectedVersion: 2 } },
      tokens.planning,
    );
    expect(
      removed.data?.removeTarget.initiative.targets.map((t: { id: string }) => t.id),
    ).not.toContain(id);
    const deletions = await api.db.prisma.changeRecord.findMany({
      where: { action: 'DELETE', entityType: { in: ['Target', 'TargetActual'] } },
    });
    expect(
      deletions.map((r) => `${r.entityType}:${r.audienceBefore}>${r.audienceAfter}`).sort(),
    ).toEqual(['Target:PUBLIC>NONE', 'TargetActual:PUBLIC>NONE']);
  });
});
