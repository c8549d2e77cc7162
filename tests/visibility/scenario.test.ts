// Issue 11's "Done when": a planning token creates a draft plan, adds an initiative, edits its
// text, publishes the plan, edits the published plan, then unpublishes it. A public subscriber
// live and one replaying from the starting cursor afterwards get the same events: the plan and
// its initiative entering on publish (with the published text, never the draft text), the
// edit, and both leaving on unpublish; no token identifier in any public event; no draft
// wording in any public history. Through the front door (GraphQL over HTTP and SSE).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/database.ts';
import { factories } from '../support/factories.ts';
import { type EventStream, subscribeSse } from '../support/sse.ts';
import { type CityScene, openCityScene, take, URL } from './support/city-scene.ts';

const CITY = '990061';
const DRAFT_TEXT = '下書きだけの文言 DRAFT-ONLY';
const PUBLISHED_TEXT = '公開された文言';
const DRAFT_MISSION = '下書きの使命 DRAFT-MISSION';
const MISSION = '公開時の使命';
const EDITED_MISSION = '公開後に直した使命';

let db: TestDatabase;
let planning = '';
let otherEditor = '';

let scene: CityScene;
const fetchYoga: CityScene['fetchYoga'] = (url, init) => scene.fetchYoga(url, init);
const graphql: CityScene['graphql'] = (query, variables, token) =>
  scene.graphql(query, variables, token);

const CHANGE = 'change { action actor office changes { field before after } }';
const PLAN_EVENTS = `subscription ($after: String) {
  planChanged(filter: { municipality: "${CITY}", fiscalYear: 2013 }, after: $after) {
    cursor kind id at ${CHANGE}
    plan { id mission staffCount budgetYen policy status version fiscalYear { year } department { code } }
  } }`;
const INITIATIVE_EVENTS = `subscription ($after: String) {
  initiativeChanged(filter: { municipality: "${CITY}", fiscalYear: 2013 }, after: $after) {
    cursor kind id at ${CHANGE}
    initiative { id planId position text isAdministrativeReform footnotes citations version }
  } }`;

beforeAll(async () => {
  scene = await openCityScene({ code: CITY, name: '見本市' }, '担当者 山田');
  ({ db, planning, otherEditor } = scene);
});
afterAll(() => scene.close());

describe('the six-step scenario, for a public dashboard', () => {
  let start = '';
  let livePlan: EventStream;
  let liveInitiative: EventStream;
  let staffInitiative: EventStream;
  let otherEditorPlan: EventStream;
  let planId = '';
  let initiativeId = '';
  const publicHistoryWhilePublished: unknown[] = [];

  it('runs the six steps with subscribers connected from the start', async () => {
    start = (await graphql('{ liveSnapshot { cursor } }')).liveSnapshot.cursor;
    livePlan = await subscribeSse(fetchYoga, URL, PLAN_EVENTS, { after: start });
    liveInitiative = await subscribeSse(fetchYoga, URL, INITIATIVE_EVENTS, { after: start });
    staffInitiative = await subscribeSse(fetchYoga, URL, INITIATIVE_EVENTS, {}, planning);
    otherEditorPlan = await subscribeSse(fetchYoga, URL, PLAN_EVENTS, {}, otherEditor);

    // 1. a draft plan
    const created = await graphql(
      `mutation ($input: CreatePlanInput!) { createPlan(input: $input) {
        ... on CreatePlanSuccess { plan { id version } } } }`,
      {
        input: {
          municipality: CITY,
          department: 'kyoiku',
          fiscalYear: 2013,
          mission: DRAFT_MISSION,
        },
      },
      planning,
    );
    planId = created.createPlan.plan.id;
    // 2. an initiative, 3. its text edited (both in the draft)
    const added = await graphql(
      `mutation ($input: AddInitiativeInput!) { addInitiative(input: $input) {
        ... on AddInitiativeSuccess { initiative { id version } } } }`,
      { input: { plan: planId, text: DRAFT_TEXT } },
      planning,
    );
    initiativeId = added.addInitiative.initiative.id;
    await graphql(
      `mutation ($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { __typename } }`,
      { input: { id: initiativeId, expectedVersion: 1, text: PUBLISHED_TEXT } },
      planning,
    );
    const version = async () =>
      (
        await graphql(
          `query ($id: ID!) { node(id: $id) { ... on DepartmentPlan { version } } }`,
          {
            id: planId,
          },
          planning,
        )
      ).node.version;
    await graphql(
      `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }`,
      { input: { id: planId, expectedVersion: await version(), mission: MISSION } },
      planning,
    );
    // 4. published
    await graphql(
      `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }`,
      { input: { id: planId, expectedVersion: await version() } },
      planning,
    );
    // (the public history of the initiative while it is public)
    const history = await graphql(
      `query ($id: ID!) { node(id: $id) { ... on Initiative { text history { edges { node {
        action actor office changes { field before after } } } } } } }`,
      { id: initiativeId },
    );
    expect(history.node.text).toBe(PUBLISHED_TEXT);
    publicHistoryWhilePublished.push(...history.node.history.edges.map((e: any) => e.node));
    // 5. edited while published
    await graphql(
      `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }`,
      { input: { id: planId, expectedVersion: await version(), mission: EDITED_MISSION } },
      planning,
    );
    // 6. unpublished
    await graphql(
      `mutation ($input: PlanVersionInput!) { unpublishPlan(input: $input) { __typename } }`,
      { input: { id: planId, expectedVersion: await version() } },
      planning,
    );
  });

  let publicPlanEvents: any[] = [];
  let publicInitiativeEvents: any[] = [];

  it('live, the public sees the plan enter, change and leave, and its initiative enter and leave', async () => {
    publicPlanEvents = await take(livePlan, 'planChanged', 3);
    expect(publicPlanEvents.map((e) => e.kind)).toEqual(['ENTERED', 'MODIFIED', 'LEFT']);
    expect(publicPlanEvents.map((e) => e.id)).toEqual([planId, planId, planId]);
    expect(publicPlanEvents[0].plan).toMatchObject({
      id: planId,
      status: 'PUBLISHED',
      mission: MISSION,
      fiscalYear: { year: 2013 },
      department: { code: 'kyoiku' },
    });
    expect(publicPlanEvents[1].plan.mission).toBe(EDITED_MISSION);
    expect(publicPlanEvents[2].plan).toBeNull();

    publicInitiativeEvents = await take(liveInitiative, 'initiativeChanged', 2);
    expect(publicInitiativeEvents.map((e) => e.kind)).toEqual(['ENTERED', 'LEFT']);
    expect(publicInitiativeEvents[0].initiative).toMatchObject({
      id: initiativeId,
      planId,
      position: 1,
      text: PUBLISHED_TEXT,
    });
    expect(publicInitiativeEvents[1].initiative).toBeNull();
    // Entering shows the state it entered with, never the values before it.
    const entered = publicInitiativeEvents[0].change.changes;
    expect(entered).toContainEqual({ field: 'text', before: null, after: PUBLISHED_TEXT });
    for (const { before } of entered) expect(before).toBeNull();
    for (const stream of [livePlan, liveInitiative]) stream.close();
  });

  it('replayed from the starting cursor afterwards, the public gets exactly the same events', async () => {
    const replayPlan = await subscribeSse(fetchYoga, URL, PLAN_EVENTS, { after: start });
    const replayInitiative = await subscribeSse(fetchYoga, URL, INITIATIVE_EVENTS, {
      after: start,
    });
    expect(await take(replayPlan, 'planChanged', 3)).toEqual(publicPlanEvents);
    expect(await take(replayInitiative, 'initiativeChanged', 2)).toEqual(publicInitiativeEvents);
    replayPlan.close();
    replayInitiative.close();
  });

  it('no public event carries a token identifier or a draft-only value', () => {
    const text = JSON.stringify([publicPlanEvents, publicInitiativeEvents]);
    expect(text).not.toContain('token:');
    expect(text).not.toContain('山田');
    expect(text).not.toContain(DRAFT_TEXT);
    expect(text).not.toContain(DRAFT_MISSION);
    // The public sees the office that made the change.
    expect(publicPlanEvents[1].change.actor).toBe('見本市');
    expect(publicPlanEvents[1].change.office).toBe('見本市');
  });

  it("the initiative's public history starts at the state it entered with: no draft wording", () => {
    const text = JSON.stringify(publicHistoryWhilePublished);
    expect(text).not.toContain(DRAFT_TEXT);
    expect(text).not.toContain('token:');
    expect(publicHistoryWhilePublished).toHaveLength(1);
    expect(publicHistoryWhilePublished[0]).toMatchObject({ action: 'UPDATE', actor: '見本市' });
  });

  it('the planning section saw every step, with the token, as it sees it today', async () => {
    const events = await take(staffInitiative, 'initiativeChanged', 4);
    expect(events.map((e) => e.kind)).toEqual(['ENTERED', 'MODIFIED', 'MODIFIED', 'MODIFIED']);
    expect(events[0].initiative.text).toBe(DRAFT_TEXT);
    expect(events[1].change.changes).toEqual([
      { field: 'text', before: DRAFT_TEXT, after: PUBLISHED_TEXT },
    ]);
    expect(events[0].change.actor).toMatch(/^token:\w+ \(担当者 山田\)$/);
    staffInitiative.close();
  });

  it("another department's editor sees only what the public sees", async () => {
    const events = await take(otherEditorPlan, 'planChanged', 3);
    expect(events.map((e) => e.kind)).toEqual(['ENTERED', 'MODIFIED', 'LEFT']);
    expect(JSON.stringify(events)).not.toContain('token:');
    otherEditorPlan.close();
  });
});

describe('snapshot + stream = state', () => {
  it('a liveSnapshot, then the events after its cursor, give what a fresh query returns', async () => {
    const make = factories(db.prisma);
    const city = await db.prisma.municipality.findUniqueOrThrow({ where: { code: CITY } });
    const department = await make.department(city.id, { code: 'kodomo' });
    const PLANS = `plans(filter: { municipality: "${CITY}", fiscalYear: 2014 }) {
      edges { node { id mission status version } } }`;
    const snapshot = (await graphql(`{ liveSnapshot { cursor query { ${PLANS} } } }`)).liveSnapshot;
    const state = new Map<string, any>(
      snapshot.query.plans.edges.map((e: any) => [e.node.id, e.node]),
    );
    const stream = await subscribeSse(
      fetchYoga,
      URL,
      `subscription ($after: String) { planChanged(filter: { municipality: "${CITY}", fiscalYear: 2014 }, after: $after) {
        kind id plan { id mission status version } } }`,
      { after: snapshot.cursor },
    );
    const created = await graphql(
      `mutation ($input: CreatePlanInput!) { createPlan(input: $input) {
        ... on CreatePlanSuccess { plan { id } } } }`,
      { input: { municipality: CITY, department: 'kodomo', fiscalYear: 2014, mission: 'a' } },
      planning,
    );
    const id = created.createPlan.plan.id;
    await graphql(
      `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }`,
      { input: { id, expectedVersion: 1 } },
      planning,
    );
    await graphql(
      `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }`,
      { input: { id, expectedVersion: 2, mission: 'b' } },
      planning,
    );
    for (const { data } of [await stream.next(), await stream.next()]) {
      const event = data.planChanged;
      if (event.kind === 'LEFT') state.delete(event.id);
      else state.set(event.id, event.plan);
    }
    expect(await stream.drain(300)).toEqual([]);
    stream.close();
    const fresh = (await graphql(`{ ${PLANS} }`)).plans.edges.map((e: any) => e.node);
    expect([...state.values()]).toEqual(fresh);
    expect(fresh).toEqual([{ id, mission: 'b', status: 'PUBLISHED', version: 3 }]);
    expect(department.id).toBeGreaterThan(0);
  });
});

describe('a path that used to forget the rule', () => {
  it("a public evaluation does not reveal next year's initiative while its plan is a draft", async () => {
    const make = factories(db.prisma);
    const city = await db.prisma.municipality.findUniqueOrThrow({ where: { code: CITY } });
    const department = await make.department(city.id, { code: 'toshi' });
    const last = await make.plan(department.id, {
      fiscalYear: 2011,
      initiatives: [{ text: '前年度の事業', evaluation: { rating: 'ACHIEVED' } }],
    });
    const next = await make.plan(department.id, {
      fiscalYear: 2012,
      status: 'DRAFT',
      initiatives: [{ text: '翌年度の下書き NEXT-DRAFT' }],
    });
    await db.prisma.evaluation.updateMany({
      where: { initiativeId: last.initiatives[0]?.id },
      data: { nextInitiativeId: next.initiatives[0]?.id },
    });
    const QUERY = `{ evaluations(filter: { municipality: "${CITY}", department: "toshi" }) {
      edges { node { nextInitiative { text } } } } }`;
    const seenByPublic = await graphql(QUERY);
    expect(seenByPublic.evaluations.edges).toEqual([{ node: { nextInitiative: null } }]);
    const seenByPlanning = await graphql(QUERY, {}, planning);
    expect(seenByPlanning.evaluations.edges).toEqual([
      { node: { nextInitiative: { text: '翌年度の下書き NEXT-DRAFT' } } },
    ]);
  });
});
