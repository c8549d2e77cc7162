// References in the change log speak global IDs, and only of records the viewer could see: an
// editor of 教育部 reading its evaluation's change never learns the id of 総務部's draft initiative
// it names as the next year's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';
import { readEvents } from '../support/sse.ts';

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
const CITY = '990071';

let api: TestApi;
let planning: string;
let kyoikuEditor: string;
let evaluated: { id: number };
let hidden: { id: number };
let kyoiku: { id: number };
let planGid = '';

const LOG = `{ changes(filter: { entityType: "Evaluation" }) { edges { node {
  entityId changes { field before after } } } } }`;

beforeAll(async () => {
  api = await startTestApi();
  const make = factories(api.db.prisma);
  const city = await make.municipality({ code: CITY });
  kyoiku = await make.department(city.id, { code: 'kyoiku', name: '教育部' });
  await make.department(city.id, { code: 'somu', name: '総務部' });
  planning = await tokenFor(api.db.prisma, { name: '企画', role: 'PLANNING', municipality: CITY });
  kyoikuEditor = await tokenFor(api.db.prisma, {
    name: '教育部',
    role: 'EDITOR',
    municipality: CITY,
    department: 'kyoiku',
  });
  // Written through the API, so the change log knows every record.
  const as = api.as(planning);
  const plan = async (department: string, fiscalYear: number, text: string) => {
    const created = await as.query(
      `mutation ($input: CreatePlanInput!) { createPlan(input: $input) {
        ... on CreatePlanSuccess { plan { id } } } }`,
      { input: { municipality: CITY, department, fiscalYear } },
    );
    const planId = created.data?.createPlan.plan.id as string;
    const added = await as.query(
      `mutation ($input: AddInitiativeInput!) { addInitiative(input: $input) {
        ... on AddInitiativeSuccess { initiative { id } } } }`,
      { input: { plan: planId, text } },
    );
    const id = Buffer.from(added.data?.addInitiative.initiative.id, 'base64').toString();
    return { planId, id: Number(id.split(':')[1]) };
  };
  const kyoikuPlan = await plan('kyoiku', 2012, '図書館の開館時間を延ばす');
  evaluated = kyoikuPlan;
  planGid = kyoikuPlan.planId;
  hidden = await plan('somu', 2013, '庁舎の改修（検討中）');
  const publishedPlan = await as.query(
    `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }`,
    { input: { id: kyoikuPlan.planId, expectedVersion: 2 } },
  );
  expect(publishedPlan.data?.publishPlan.__typename).toBe('PublishPlanSuccess');
  const recorded = await api
    .as(planning)
    .query(
      `mutation ($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { __typename } }`,
      {
        input: {
          initiative: gid('Initiative', evaluated.id),
          rating: 'ACHIEVED',
          summary: '達成',
          nextInitiative: gid('Initiative', hidden.id),
        },
      },
    );
  expect(recorded.data?.recordEvaluation.__typename).toBe('RecordEvaluationSuccess');
});
afterAll(() => api.close());

type Entry = { field: string; before: unknown; after: unknown };
async function evaluationChanges(token: string): Promise<Entry[]> {
  const response = await api.as(token).query(LOG);
  expect(response.errors).toBeUndefined();
  const edges = response.data?.changes.edges as { node: { changes: Entry[] } }[];
  expect(edges).toHaveLength(1);
  return edges[0]?.node.changes ?? [];
}
const afterValueOf = (entries: Entry[], field: string) =>
  entries.find((e) => e.field === field)?.after;

describe('references in the change log', () => {
  it('are global IDs of the records referenced', async () => {
    const entries = await evaluationChanges(planning);
    expect(afterValueOf(entries, 'initiativeId')).toBe(gid('Initiative', evaluated.id));
    expect(afterValueOf(entries, 'nextInitiativeId')).toBe(gid('Initiative', hidden.id));
  });

  it("name another department's draft to nobody who cannot read it, not even by a null", async () => {
    const entries = await evaluationChanges(kyoikuEditor);
    expect(afterValueOf(entries, 'initiativeId')).toBe(gid('Initiative', evaluated.id));
    expect(entries.map((entry) => entry.field)).not.toContain('nextInitiativeId');
    expect(JSON.stringify(entries)).not.toContain(gid('Initiative', hidden.id));
    const ids = entries.filter((entry) => entry.field.endsWith('Id'));
    expect(ids.filter((entry) => typeof entry.after === 'number')).toEqual([]);
  });

  it("a plan's history names its department by global ID", async () => {
    const response = await api.as(kyoikuEditor).query(
      `query ($id: ID!) { node(id: $id) { ... on DepartmentPlan { history { edges { node {
        action changes { field after } } } } } } }`,
      { id: planGid },
    );
    expect(response.errors).toBeUndefined();
    const created = response.data?.node.history.edges[0].node;
    expect(created.action).toBe('CREATE');
    expect(afterValueOf(created.changes, 'departmentId')).toBe(gid('Department', kyoiku.id));
  });

  it("a live event's state names another department's draft to nobody who cannot read it", async () => {
    // Replayed from the start: the evaluation's CREATE is the one event of this city.
    const event = async (token: string) => {
      const abort = new AbortController();
      const response = await api.fetch('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          authorization: `Bearer ${token}`,
        },
        body: JSON.stringify({
          query: `subscription { evaluationChanged(after: "0", filter: { municipality: "${CITY}" }) {
            kind evaluation { initiativeId nextInitiativeId } } }`,
        }),
        signal: abort.signal,
      });
      const events = readEvents(response, abort);
      try {
        const first = await events.next();
        expect(first.errors).toBeUndefined();
        return first.data.evaluationChanged;
      } finally {
        events.close();
      }
    };
    expect(await event(planning)).toEqual({
      kind: 'ENTERED',
      evaluation: {
        initiativeId: gid('Initiative', evaluated.id),
        nextInitiativeId: gid('Initiative', hidden.id),
      },
    });
    expect(await event(kyoikuEditor)).toEqual({
      kind: 'ENTERED',
      evaluation: { initiativeId: gid('Initiative', evaluated.id), nextInitiativeId: null },
    });
  });
});
