// References in the change log speak global IDs, and only of records the viewer could see: the
// external committee reading the published evaluation's changes never learns the id of
// 教育部's FY2013 draft initiative it names as the next year's (the next initiative is of the same department's
// plan for the next year, a rule checked when it is set).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';
import { readEvents } from '../support/sse.ts';

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');
const CITY = '990071';

let api: TestApi;
let planning: string;
let kyoikuEditor: string;
/** The external committee: reads the municipality's published work, not its drafts. */
let reviewer: string;
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
  reviewer = await tokenFor(api.db.prisma, {
    name: '委員会',
    role: 'REVIEWER',
    municipality: CITY,
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
  hidden = await plan('kyoiku', 2013, '図書館の開館時間をさらに延ばす（検討中）');
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
          decision: 'CONTINUE',
          nextInitiative: gid('Initiative', hidden.id),
        },
      },
    );
  expect(recorded.data?.recordEvaluation.__typename).toBe('RecordEvaluationSuccess');
  // Published: the public sees the evaluation, never the FY2013 draft it names.
  const evaluation = await api.db.prisma.evaluation.findFirstOrThrow({
    where: { initiativeId: evaluated.id },
  });
  const published = await api
    .as(planning)
    .query(
      `mutation ($input: EvaluationVersionInput!) { publishEvaluation(input: $input) { __typename } }`,
      {
        input: {
          id: gid('Evaluation', evaluation.id),
          expectedVersion: 1,
        },
      },
    );
  expect(published.data?.publishEvaluation.__typename).toBe('PublishEvaluationSuccess');
});
afterAll(() => api.close());

type Entry = { field: string; before: unknown; after: unknown };
/** Every field change of the evaluation the viewer may read (the committee: its publication). */
async function evaluationChanges(token: string, records: number): Promise<Entry[]> {
  const response = await api.as(token).query(LOG);
  expect(response.errors).toBeUndefined();
  const edges = response.data?.changes.edges as { node: { changes: Entry[] } }[];
  expect(edges).toHaveLength(records);
  return edges.flatMap((edge) => edge.node.changes);
}
const afterValueOf = (entries: Entry[], field: string) =>
  entries.find((e) => e.field === field)?.after;

describe('references in the change log', () => {
  it('are global IDs of the records referenced', async () => {
    const entries = await evaluationChanges(planning, 2);
    expect(afterValueOf(entries, 'initiativeId')).toBe(gid('Initiative', evaluated.id));
    expect(afterValueOf(entries, 'nextInitiativeId')).toBe(gid('Initiative', hidden.id));
  });

  it('name a draft to nobody who cannot read it, not even by a null', async () => {
    const entries = await evaluationChanges(reviewer, 1);
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

  it("a live event's state names a draft to nobody who cannot read it", async () => {
    // Replayed from the start: the evaluation's CREATE is planning's first event of this city.
    const event = async (token: string | undefined) => {
      const abort = new AbortController();
      const response = await api.fetch('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
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
    // The public's first event is the publication: the evaluation enters its view.
    expect(await event(undefined)).toEqual({
      kind: 'ENTERED',
      evaluation: { initiativeId: gid('Initiative', evaluated.id), nextInitiativeId: null },
    });
  });
});
