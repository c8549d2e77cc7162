// Targets (指標と目標値) and their actuals (実績) in the live feed and in `history`, under the
// same visibility model as plans and initiatives: while the plan is a draft only its staff
// hear of them; the public sees them enter with the plan's publication (with their state
// then, never a draft value), change while published, and leave when the plan is withdrawn or
// the target removed. Live delivery and replay from a cursor give the same events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventStream, subscribeSse } from '../support/sse.ts';
import { type CityScene, openCityScene, take, URL } from './support/city-scene.ts';

const CITY = '990091';
const DRAFT_INDICATOR = '下書きの指標 DRAFT-ONLY';
const INDICATOR = '学校図書館の貸出冊数';

let planning = '';
let otherEditor = '';

let scene: CityScene;
const fetchYoga: CityScene['fetchYoga'] = (url, init) => scene.fetchYoga(url, init);
const graphql: CityScene['graphql'] = (query, variables, token) =>
  scene.graphql(query, variables, token);

const CHANGE = 'change { action changes { field before after } }';
const TARGET_EVENTS = `subscription ($after: String) {
  targetChanged(filter: { municipality: "${CITY}" }, after: $after) {
    cursor kind id ${CHANGE}
    target { id initiativeId indicator unit direction baseline targetValue weight version }
  } }`;
const ACTUAL_EVENTS = `subscription ($after: String) {
  targetActualChanged(filter: { municipality: "${CITY}" }, after: $after) {
    cursor kind id ${CHANGE}
    actual { id targetId period measuredOn value }
  } }`;

beforeAll(async () => {
  scene = await openCityScene({ code: CITY, name: '指標市' }, '企画経営課');
  ({ planning, otherEditor } = scene);
});
afterAll(() => scene.close());

describe('targets and actuals, live and in history', () => {
  let start = '';
  let publicTargets: EventStream;
  let publicActuals: EventStream;
  let staffTargets: EventStream;
  let otherEditorTargets: EventStream;
  let planId = '';
  let targetId = '';
  let actualId = '';
  let publicHistoryWhilePublished: any[] = [];

  const planVersion = async () =>
    (
      await graphql(
        'query ($id: ID!) { node(id: $id) { ... on DepartmentPlan { version } } }',
        { id: planId },
        planning,
      )
    ).node.version as number;
  const targetVersion = async () =>
    (
      await graphql(
        'query ($id: ID!) { node(id: $id) { ... on Target { version } } }',
        { id: targetId },
        planning,
      )
    ).node.version as number;
  const updateTarget = (fields: Record<string, unknown>, version: number) =>
    graphql(
      `mutation ($input: UpdateTargetInput!) { updateTarget(input: $input) { __typename } }`,
      { input: { id: targetId, expectedVersion: version, ...fields } },
      planning,
    );

  it('a target is drafted, published, changed, withdrawn with its plan, and removed', async () => {
    start = (await graphql('{ liveSnapshot { cursor } }')).liveSnapshot.cursor;
    publicTargets = await subscribeSse(fetchYoga, URL, TARGET_EVENTS, { after: start });
    publicActuals = await subscribeSse(fetchYoga, URL, ACTUAL_EVENTS, { after: start });
    staffTargets = await subscribeSse(fetchYoga, URL, TARGET_EVENTS, { after: start }, planning);
    otherEditorTargets = await subscribeSse(
      fetchYoga,
      URL,
      TARGET_EVENTS,
      { after: start },
      otherEditor,
    );

    const plan = await graphql(
      `mutation ($input: CreatePlanInput!) { createPlan(input: $input) {
        ... on CreatePlanSuccess { plan { id } } } }`,
      { input: { municipality: CITY, department: 'kyoiku', fiscalYear: 2013 } },
      planning,
    );
    planId = plan.createPlan.plan.id;
    const initiative = await graphql(
      `mutation ($input: AddInitiativeInput!) { addInitiative(input: $input) {
        ... on AddInitiativeSuccess { initiative { id } } } }`,
      { input: { plan: planId, text: '学校図書館を充実します。' } },
      planning,
    );
    // 1. drafted (with a draft indicator), 2. corrected, 3. an actual: all in the draft.
    const added = await graphql(
      `mutation ($input: AddTargetInput!) { addTarget(input: $input) {
        ... on AddTargetSuccess { target { id } } } }`,
      {
        input: {
          initiative: initiative.addInitiative.initiative.id,
          indicator: DRAFT_INDICATOR,
          unit: '千冊',
          direction: 'AT_LEAST',
          baseline: 100,
          targetValue: 200,
        },
      },
      planning,
    );
    targetId = added.addTarget.target.id;
    await updateTarget({ indicator: INDICATOR }, 1);
    const recorded = await graphql(
      `mutation ($input: RecordTargetActualInput!) { recordTargetActual(input: $input) {
        ... on RecordTargetActualSuccess { target { actuals { id } } } } }`,
      {
        input: { target: targetId, period: '2013年度上半期', measuredOn: '2013-09-30', value: 150 },
      },
      planning,
    );
    actualId = recorded.recordTargetActual.target.actuals[0].id;
    // 4. published with its plan
    await graphql(
      `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }`,
      { input: { id: planId, expectedVersion: await planVersion() } },
      planning,
    );
    // 5. changed while published
    await updateTarget({ targetValue: 250 }, await targetVersion());
    const history = await graphql(
      `query ($id: ID!) { node(id: $id) { ... on Target { history { edges { node {
        action changes { field before after } } } } } } }`,
      { id: targetId },
    );
    publicHistoryWhilePublished = history.node.history.edges.map((e: any) => e.node);
    // 6. withdrawn with its plan, 7. removed (in the draft)
    await graphql(
      `mutation ($input: PlanVersionInput!) { unpublishPlan(input: $input) { __typename } }`,
      { input: { id: planId, expectedVersion: await planVersion() } },
      planning,
    );
    await graphql(
      `mutation ($input: RemoveTargetInput!) { removeTarget(input: $input) { __typename } }`,
      { input: { id: targetId, expectedVersion: await targetVersion() } },
      planning,
    );
  });

  let publicEvents: any[] = [];
  let publicActualEvents: any[] = [];

  it('the public sees the target enter with its plan, change, and leave; never a draft value', async () => {
    publicEvents = await take(publicTargets, 'targetChanged', 3);
    expect(publicEvents.map((e) => e.kind)).toEqual(['ENTERED', 'MODIFIED', 'LEFT']);
    expect(publicEvents.map((e) => e.id)).toEqual([targetId, targetId, targetId]);
    expect(publicEvents[0].target).toMatchObject({
      id: targetId,
      indicator: INDICATOR,
      unit: '千冊',
      direction: 'AT_LEAST',
      baseline: 100,
      targetValue: 200,
      weight: 1,
    });
    expect(publicEvents[1].target.targetValue).toBe(250);
    expect(publicEvents[1].change.changes).toEqual([
      { field: 'targetValue', before: 200, after: 250 },
    ]);
    expect(publicEvents[2].target).toBeNull();
    expect(JSON.stringify(publicEvents)).not.toContain(DRAFT_INDICATOR);

    publicActualEvents = await take(publicActuals, 'targetActualChanged', 2);
    expect(publicActualEvents.map((e) => e.kind)).toEqual(['ENTERED', 'LEFT']);
    expect(publicActualEvents[0].actual).toEqual({
      id: actualId,
      targetId,
      period: '2013年度上半期',
      measuredOn: '2013-09-30',
      value: 150,
    });
  });

  it("the plan's staff see every step; another department's editor only the public ones", async () => {
    const staff = await take(staffTargets, 'targetChanged', 6);
    expect(staff.map((e) => [e.kind, e.change.action])).toEqual([
      ['ENTERED', 'CREATE'],
      ['MODIFIED', 'UPDATE'], // the draft's correction
      ['MODIFIED', 'UPDATE'], // published
      ['MODIFIED', 'UPDATE'], // changed while published
      ['MODIFIED', 'UPDATE'], // withdrawn
      ['LEFT', 'DELETE'], // removed
    ]);
    expect(staff[0].target.indicator).toBe(DRAFT_INDICATOR);
    // Another department's editor sees what the public sees: not the draft.
    const other = await take(otherEditorTargets, 'targetChanged', 3);
    expect(other.map((e) => e.kind)).toEqual(['ENTERED', 'MODIFIED', 'LEFT']);
    expect(JSON.stringify(other)).not.toContain(DRAFT_INDICATOR);
    for (const stream of [publicTargets, publicActuals, staffTargets, otherEditorTargets]) {
      stream.close();
    }
  });

  it('replayed from the starting cursor, the public gets the same events', async () => {
    const targets = await subscribeSse(fetchYoga, URL, TARGET_EVENTS, { after: start });
    const actuals = await subscribeSse(fetchYoga, URL, ACTUAL_EVENTS, { after: start });
    expect(await take(targets, 'targetChanged', 3)).toEqual(publicEvents);
    expect(await take(actuals, 'targetActualChanged', 2)).toEqual(publicActualEvents);
    targets.close();
    actuals.close();
  });

  it("the public history of a published target starts at its publication; the staff's at its draft", async () => {
    expect(publicHistoryWhilePublished.map((c) => c.action)).toEqual(['UPDATE', 'UPDATE']);
    expect(JSON.stringify(publicHistoryWhilePublished)).not.toContain(DRAFT_INDICATOR);
    expect(publicHistoryWhilePublished[1].changes).toEqual([
      { field: 'targetValue', before: 200, after: 250 },
    ]);
  });
});
