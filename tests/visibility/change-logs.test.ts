// What each viewer reads of a change on every log (issue 31's faults that the suite missed):
// another department's editor reads a published plan's history from its publication on, never
// its draft-time entries; a published evaluation of a draft plan is recorded as staff-only, so
// the public never hears of it, live or replayed, and a reviewer's change log does not list it;
// the change that takes a plan out of the public view shows its viewers no value after it.
// Through the front door (GraphQL over HTTP and SSE); negative checks end at a later public
// write (a fence), not at a timeout.
import { createHoshinYoga, LiveUpdates } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { factories, tokenFor } from '../support/factories.ts';
import { type EventStream, subscribeSse } from '../support/sse.ts';
import { graphqlOf, URL } from './support/city-scene.ts';

const CITY = '990071';
const DRAFT_TEXT = '下書きだけの文言 DRAFT-ONLY';
const PUBLISHED_TEXT = '公開された文言';

let db: TestDatabase;
let live: LiveUpdates;
let yoga: ReturnType<typeof createHoshinYoga>;
const tokens = {
  planning: '',
  kyoikuEditor: '',
  somuEditor: '',
  reviewer: '',
  otherCityPlanning: '',
  admin: '',
};
const gid = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64');
const fetchYoga = (url: string, init: RequestInit) => Promise.resolve(yoga.fetch(url, init));

const graphql = (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  graphqlOf(yoga)(query, variables, token);

const cursorNow = async () => (await graphql('{ liveSnapshot { cursor } }')).liveSnapshot.cursor;
/** A draft plan of the city made through the API by the planning office: its id. */
const createDraftPlan = async (department: string, fiscalYear: number, mission: string) =>
  (
    await graphql(
      `mutation ($input: CreatePlanInput!) { createPlan(input: $input) {
        ... on CreatePlanSuccess { plan { id } } } }`,
      { input: { municipality: CITY, department, fiscalYear, mission } },
      tokens.planning,
    )
  ).createPlan.plan.id as string;
/** An initiative added to a plan through the API by the planning office: its id. */
const addInitiative = async (plan: string, text: string) =>
  (
    await graphql(
      `mutation ($input: AddInitiativeInput!) { addInitiative(input: $input) {
        ... on AddInitiativeSuccess { initiative { id } } } }`,
      { input: { plan, text } },
      tokens.planning,
    )
  ).addInitiative.initiative.id as string;
const planVersion = async (id: string) =>
  (
    await graphql(
      'query ($id: ID!) { node(id: $id) { ... on DepartmentPlan { version } } }',
      { id },
      tokens.planning,
    )
  ).node.version;

async function setPlanStatus(id: string, mutation: 'publishPlan' | 'unpublishPlan') {
  const data = await graphql(
    `mutation ($input: PlanVersionInput!) { ${mutation}(input: $input) { __typename } }`,
    { input: { id, expectedVersion: await planVersion(id) } },
    tokens.planning,
  );
  expect(data[mutation].__typename).toMatch(/Success$/);
}

/** Records a draft evaluation of the initiative (planning), then publishes it. */
async function publishedEvaluation(initiative: string) {
  const recorded = await graphql(
    `mutation ($input: RecordEvaluationInput!) { recordEvaluation(input: $input) {
      __typename ... on RecordEvaluationSuccess { evaluation { id version } } } }`,
    { input: { initiative, rating: 'ACHIEVED', summary: '評価の概要' } },
    tokens.planning,
  );
  const { id, version } = recorded.recordEvaluation.evaluation;
  const published = await graphql(
    `mutation ($input: EvaluationVersionInput!) { publishEvaluation(input: $input) { __typename } }`,
    { input: { id, expectedVersion: version } },
    tokens.planning,
  );
  expect(published.publishEvaluation.__typename).toBe('PublishEvaluationSuccess');
  return id as string;
}

const CHANGE = 'sequence action entityType entityId changes { field before after }';
const HISTORY = `query ($id: ID!) { node(id: $id) {
  ... on DepartmentPlan { history(first: 100) { edges { node { ${CHANGE} } } } }
  ... on Initiative { history(first: 100) { edges { node { ${CHANGE} } } } } } }`;
const CHANGES = `query ($filter: ChangeFilter) { changes(filter: $filter, first: 100) {
  edges { node { ${CHANGE} } } } }`;

const history = async (id: string, token?: string) =>
  (await graphql(HISTORY, { id }, token)).node.history.edges.map((e: any) => e.node);
const changes = async (token: string, filter: Record<string, unknown> = {}) =>
  (await graphql(CHANGES, { filter: { municipality: CITY, ...filter } }, token)).changes.edges.map(
    (e: any) => e.node,
  );

/** Events until (and without) the fence entity's first event; fails if the fence never comes. */
async function eventsBefore(stream: EventStream, field: string, fenceId: string) {
  const events = [];
  for (;;) {
    const event = (await stream.next()).data[field];
    if (event.id === fenceId) return events;
    events.push(event);
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  live = new LiveUpdates(db.prisma, { pollMs: 60_000 });
  yoga = createHoshinYoga({ db, live });
  const make = factories(db.prisma);
  const city = await make.municipality({ code: CITY, name: '記録市' });
  await make.department(city.id, { code: 'kyoiku', name: '教育部' });
  await make.department(city.id, { code: 'somu', name: '総務部' });
  tokens.planning = await tokenFor(db.prisma, {
    name: '企画',
    role: 'PLANNING',
    municipality: CITY,
  });
  tokens.kyoikuEditor = await tokenFor(db.prisma, {
    name: '教育 editor',
    role: 'EDITOR',
    municipality: CITY,
    department: 'kyoiku',
  });
  tokens.somuEditor = await tokenFor(db.prisma, {
    name: '総務 editor',
    role: 'EDITOR',
    municipality: CITY,
    department: 'somu',
  });
  tokens.reviewer = await tokenFor(db.prisma, {
    name: '委員',
    role: 'REVIEWER',
    municipality: CITY,
  });
  // Staff of another city, and an admin of every city (no municipality).
  await make.municipality({ code: '990072', name: '隣接市' });
  tokens.otherCityPlanning = await tokenFor(db.prisma, {
    name: '隣の企画',
    role: 'PLANNING',
    municipality: '990072',
  });
  tokens.admin = await tokenFor(db.prisma, { name: '運用', role: 'ADMIN' });
});
afterAll(async () => {
  await live.close();
  await db.close();
});

describe("a published plan's draft-time history", () => {
  let planId = '';
  let initiativeId = '';

  beforeAll(async () => {
    planId = await createDraftPlan('kyoiku', 2013, '使命');
    initiativeId = await addInitiative(planId, DRAFT_TEXT);
    await graphql(
      `mutation ($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { __typename } }`,
      { input: { id: initiativeId, expectedVersion: 1, text: PUBLISHED_TEXT } },
      tokens.planning,
    );
    await setPlanStatus(planId, 'publishPlan');
  });

  it("the plan's own department reads every entry, drafts included", async () => {
    const entries = await history(initiativeId, tokens.kyoikuEditor);
    expect(entries.map((e: any) => e.action)).toEqual(['CREATE', 'UPDATE', 'UPDATE']);
    expect(JSON.stringify(entries)).toContain(DRAFT_TEXT);
  });

  it("another department's editor reads it from its publication on, as the public does", async () => {
    for (const id of [planId, initiativeId]) {
      const seenByOtherEditor = await history(id, tokens.somuEditor);
      expect(seenByOtherEditor).toEqual(await history(id));
      expect(seenByOtherEditor).toHaveLength(1);
    }
    const initiative = await history(initiativeId, tokens.somuEditor);
    expect(initiative[0].changes).toContainEqual({
      field: 'text',
      before: null,
      after: PUBLISHED_TEXT,
    });
    expect(JSON.stringify(initiative)).not.toContain(DRAFT_TEXT);
    // Their change log covers their own department: nothing of 教育部's draft either.
    expect(JSON.stringify(await changes(tokens.somuEditor))).not.toContain(DRAFT_TEXT);
  });

  it("another city's planning section reads it as the public does; an admin of every city reads it all", async () => {
    for (const id of [planId, initiativeId]) {
      expect(await history(id, tokens.otherCityPlanning)).toEqual(await history(id));
      expect(await history(id, tokens.admin)).toEqual(await history(id, tokens.planning));
    }
    expect(JSON.stringify(await history(initiativeId, tokens.admin))).toContain(DRAFT_TEXT);
    expect(JSON.stringify(await changes(tokens.otherCityPlanning))).not.toContain(DRAFT_TEXT);
    expect(JSON.stringify(await changes(tokens.admin))).toContain(DRAFT_TEXT);
  });

  it('unpublishing shows those who lose sight of the plan no value after it', async () => {
    const start = await cursorNow();
    const PLAN_EVENTS = `subscription ($after: String) {
      planChanged(filter: { municipality: "${CITY}" }, after: $after) {
        kind id change { sequence changes { field before after } } } }`;
    const publicLive = await subscribeSse(fetchYoga, URL, PLAN_EVENTS, { after: start });
    const otherEditorLive = await subscribeSse(
      fetchYoga,
      URL,
      PLAN_EVENTS,
      { after: start },
      tokens.somuEditor,
    );
    const ownEditorLive = await subscribeSse(
      fetchYoga,
      URL,
      PLAN_EVENTS,
      { after: start },
      tokens.kyoikuEditor,
    );
    await setPlanStatus(planId, 'unpublishPlan');

    const left = (await publicLive.next()).data.planChanged;
    expect(left).toMatchObject({ kind: 'LEFT', id: planId });
    expect(left.change.changes).toContainEqual({
      field: 'status',
      before: 'PUBLISHED',
      after: null,
    });
    const replayed = await subscribeSse(fetchYoga, URL, PLAN_EVENTS, { after: start });
    const asLeft = [
      left,
      (await otherEditorLive.next()).data.planChanged,
      (await replayed.next()).data.planChanged,
    ];
    // The reviewer's change log (the whole municipality) shows the same entry the same way.
    const logged = (await changes(tokens.reviewer, { entityType: 'DepartmentPlan' })).filter(
      (entry: any) => entry.sequence === left.change.sequence,
    );
    expect(logged).toHaveLength(1);
    for (const change of [...asLeft.map((event) => event.change), ...logged]) {
      expect(change.changes.length).toBeGreaterThan(0);
      for (const entry of change.changes) expect(entry.after).toBeNull();
    }
    // The department itself still sees the plan: for it, the change is an ordinary edit.
    const own = (await ownEditorLive.next()).data.planChanged;
    expect(own.kind).toBe('MODIFIED');
    expect(own.change.changes).toContainEqual({
      field: 'status',
      before: 'PUBLISHED',
      after: 'DRAFT',
    });
    for (const stream of [publicLive, otherEditorLive, ownEditorLive, replayed]) stream.close();
  });
});

describe('a published evaluation of a draft plan', () => {
  it('stays staff-only: the public never hears of it, live or replayed; no reviewer log lists it', async () => {
    const make = factories(db.prisma);
    const city = await db.prisma.municipality.findUniqueOrThrow({ where: { code: CITY } });
    const department = await make.department(city.id, { code: 'kenko' });
    const draftPlan = await make.plan(department.id, {
      fiscalYear: 2014,
      status: 'DRAFT',
      initiatives: [{ text: '下書き計画の事業' }],
    });
    const publicPlan = await make.plan(department.id, {
      fiscalYear: 2015,
      initiatives: [{ text: '公開計画の事業' }],
    });
    const EVALUATION_EVENTS = `subscription ($after: String) {
      evaluationChanged(filter: { municipality: "${CITY}" }, after: $after) {
        kind id evaluation { id summary } } }`;
    const start = await cursorNow();
    const publicLive = await subscribeSse(fetchYoga, URL, EVALUATION_EVENTS, { after: start });
    const reviewerLive = await subscribeSse(
      fetchYoga,
      URL,
      EVALUATION_EVENTS,
      { after: start },
      tokens.reviewer,
    );
    const ofDraftPlan = await publishedEvaluation(
      gid('Initiative', draftPlan.initiatives[0]?.id ?? 0),
    );
    // The fence: a published evaluation of a published plan, which everyone sees.
    const fence = await publishedEvaluation(gid('Initiative', publicPlan.initiatives[0]?.id ?? 0));

    expect(await eventsBefore(publicLive, 'evaluationChanged', fence)).toEqual([]);
    expect(await eventsBefore(reviewerLive, 'evaluationChanged', fence)).toEqual([]);
    const replayed = await subscribeSse(fetchYoga, URL, EVALUATION_EVENTS, { after: start });
    expect(await eventsBefore(replayed, 'evaluationChanged', fence)).toEqual([]);
    const reviewerLog = await changes(tokens.reviewer, { entityType: 'Evaluation' });
    expect(reviewerLog.map((entry: any) => entry.entityId)).not.toContain(ofDraftPlan);
    expect(reviewerLog.map((entry: any) => entry.entityId)).toContain(fence);
    // Its department does see it.
    const own = await changes(tokens.planning, { entityType: 'Evaluation' });
    expect(own.map((entry: any) => entry.entityId)).toContain(ofDraftPlan);
    for (const stream of [publicLive, reviewerLive, replayed]) stream.close();
  });
});

// `history` on a list (a plan's initiatives, as a dashboard reads them) is read for every
// parent at once (modules/change/change.type.ts historyPages): each page must still be exactly
// what the parent's own `history` answers, for every viewer and every page argument.
describe("a list's history", () => {
  const PAGE = 'edges { cursor node { sequence action } } pageInfo { hasNextPage hasPreviousPage }';
  const PAGES = [
    'first: 2',
    'first: 100',
    'last: 2',
    'last: 100',
    'first: 1, after: $cursor',
    'last: 1, before: $cursor',
  ];
  /** The operation's variables: the page's cursor when its arguments take one. */
  const declared = (args: string) => (args.includes('$cursor') ? ', $cursor: String' : '');
  const listed = (args: string) => `query ($id: ID!${declared(args)}) { node(id: $id) {
    ... on DepartmentPlan { initiatives(first: 10) { edges { node {
      id history(${args}) { ${PAGE} } } } } } } }`;
  const own = (args: string) => `query ($id: ID!${declared(args)}) { node(id: $id) {
    ... on Initiative { history(${args}) { ${PAGE} } } } }`;
  let planId = '';
  let initiativeIds: string[] = [];

  beforeAll(async () => {
    planId = await createDraftPlan('somu', 2016, '一覧');
    const ids: string[] = [];
    for (let n = 1; n <= 5; n += 1) ids.push(await addInitiative(planId, `事業 ${n}`));
    initiativeIds = ids;
    // Histories of different lengths, interleaved in the log: the first initiative has the
    // most draft-time entries, one of the last gets more once published.
    const edit = async (id: string, version: number, text: string) => {
      const data = await graphql(
        `mutation ($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { __typename } }`,
        { input: { id, expectedVersion: version, text } },
        tokens.planning,
      );
      expect(data.updateInitiative.__typename).toBe('UpdateInitiativeSuccess');
    };
    for (const [index, id] of ids.entries()) {
      for (let version = 1; version < 5 - index; version += 1)
        await edit(id, version, `下書き ${version}`);
    }
    await setPlanStatus(planId, 'publishPlan');
    for (let version = 2; version <= 4; version += 1)
      await edit(ids[3] ?? '', version, `公開後 ${version}`);
  });

  const viewers = {
    public: undefined,
    ownEditor: () => tokens.somuEditor,
    otherEditor: () => tokens.kyoikuEditor,
    reviewer: () => tokens.reviewer,
    planning: () => tokens.planning,
  };

  it('is read with one statement for every parent, as for one', async () => {
    const historyReads = async (query: string, id: string) => {
      const { result, queries } = await db.recordReadQueries(() => graphql(query, { id }));
      return { result, reads: queries.filter((sql) => sql.includes('"ChangeRecord"')).length };
    };
    const list = await historyReads(listed('first: 100'), planId);
    const initiatives = list.result.node.initiatives.edges.map((e: any) => e.node);
    expect(initiatives).toHaveLength(5);
    for (const initiative of initiatives)
      expect(initiative.history.edges.length).toBeGreaterThan(0);
    expect(list.reads).toBe(1);
    expect((await historyReads(own('first: 100'), initiatives[0].id)).reads).toBe(1);
  });

  it("answers each parent's own page, for every viewer and page", async () => {
    for (const [viewer, token] of Object.entries(viewers)) {
      const as = token?.();
      // A cursor from a read of one initiative alone, which `after`/`before` apply to each.
      const alone = await graphql(own('first: 1'), { id: initiativeIds[0] }, as);
      const cursor = alone.node.history.edges[0].cursor;
      for (const args of PAGES) {
        const variables = { id: planId, cursor };
        const pages = (await graphql(listed(args), variables, as)).node.initiatives.edges.map(
          (e: any) => e.node,
        );
        for (const { id, history } of pages) {
          const alone = (await graphql(own(args), { ...variables, id }, as)).node.history;
          expect({ viewer, args, id, history }).toEqual({ viewer, args, id, history: alone });
        }
      }
    }
  });
});
