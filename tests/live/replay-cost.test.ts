// Replaying from a cursor costs a constant number of SQL statements per page of change records,
// not one per record: counted through the database's query listener (Prisma's query event) for
// 5 and 60 changes, with the fields a client typically asks for.
import { createHoshinYoga, LiveUpdates } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { factories, tokenFor } from '../support/factories.ts';
import { subscribeSse } from '../support/sse.ts';

let db: TestDatabase;
let live: LiveUpdates;
let yoga: ReturnType<typeof createHoshinYoga>;
let planning = '';
const initiatives: { id: string; version: number }[] = [];

const gid = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64');
const fetchYoga = (url: string, init: RequestInit) => Promise.resolve(yoga.fetch(url, init));
const URL = 'http://hoshin.test/graphql';

const INITIATIVE_EVENTS = `subscription ($after: String) { initiativeChanged(filter: { municipality: "990061" }, after: $after) {
  cursor kind id at initiative { text version planId } change { sequence actor office action at changes { field before after } } } }`;
const PLAN_EVENTS = `subscription ($after: String) { planChanged(filter: { municipality: "990061" }, after: $after) {
  cursor kind plan { mission department { name code } fiscalYear { label } } change { actor changes { field after } } } }`;

async function mutate(query: string, variables: Record<string, unknown>) {
  const response = await yoga.fetch(URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${planning}` },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as any).data;
}

/** `count` edits, round robin over the initiatives; returns the cursor before them. */
async function edit(count: number): Promise<string> {
  const newest = await db.prisma.changeRecord.findFirst({ orderBy: { id: 'desc' } });
  for (let i = 0; i < count; i++) {
    const target = initiatives[i % initiatives.length];
    if (!target) throw new Error('no initiative');
    const result = await mutate(
      'mutation ($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { __typename } }',
      { input: { id: target.id, expectedVersion: target.version, text: `事業 ${i}` } },
    );
    expect(result.updateInitiative.__typename).toBe('UpdateInitiativeSuccess');
    target.version += 1;
  }
  return (newest?.id ?? 0n).toString();
}

async function statementsToReplay(query: string, after: string, events: number) {
  const { result, queries } = await db.recordQueries(async () => {
    const stream = await subscribeSse(fetchYoga, URL, query, { after }, planning);
    const received = [];
    for (let i = 0; i < events; i++) received.push(await stream.next());
    stream.close();
    return received;
  });
  expect(result).toHaveLength(events);
  if (process.env.SHOW_SQL) {
    const counts = new Map<string, number>();
    for (const q of queries) counts.set(q.slice(0, 160), (counts.get(q.slice(0, 160)) ?? 0) + 1);
    console.info([...counts].map(([q, n]) => `${n} x ${q}`).join('\n'));
  }
  return queries.length;
}

beforeAll(async () => {
  db = await createTestDatabase();
  live = new LiveUpdates(db.prisma, { pollMs: 60_000, maxBuffer: 1000 });
  yoga = createHoshinYoga({ db, live });
  const make = factories(db.prisma);
  const city = await make.municipality({ code: '990061' });
  for (const code of ['kyoiku', 'somu', 'kenko']) {
    const department = await make.department(city.id, { code });
    const plan = await make.plan(department.id, {
      fiscalYear: 2012,
      initiatives: [{ text: 'a' }, { text: 'b' }],
    });
    for (const initiative of plan.initiatives) {
      initiatives.push({ id: gid('Initiative', initiative.id), version: initiative.version });
    }
  }
  planning = await tokenFor(db.prisma, { name: 'p', role: 'PLANNING', municipality: '990061' });
});
afterAll(async () => {
  await live.close();
  await db.close();
});

describe('replay from a cursor', () => {
  it('initiativeChanged(after:) costs the same statements for 5 changes as for 60', async () => {
    const few = await statementsToReplay(INITIATIVE_EVENTS, await edit(5), 5);
    const many = await statementsToReplay(INITIATIVE_EVENTS, await edit(60), 60);
    console.info(`statements to replay initiativeChanged: 5 changes ${few}, 60 changes ${many}`);
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(8);
  });

  it("planChanged(after:) with each plan's department costs no statement per change", async () => {
    const plans = await db.prisma.departmentPlan.findMany({
      where: { department: { municipality: { code: '990061' } } },
    });
    const before = await db.prisma.changeRecord.findFirst({ orderBy: { id: 'desc' } });
    let round = 0;
    const versions = new Map(plans.map((plan) => [plan.id, plan.version]));
    async function editPlans(count: number) {
      for (let i = 0; i < count; i++) {
        const plan = plans[round++ % plans.length];
        if (!plan) throw new Error('no plan');
        const version = versions.get(plan.id) ?? 1;
        const result = await mutate(
          'mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }',
          {
            input: {
              id: gid('DepartmentPlan', plan.id),
              expectedVersion: version,
              mission: `使命 ${round}`,
            },
          },
        );
        expect(result.updatePlan.__typename).toBe('UpdatePlanSuccess');
        versions.set(plan.id, version + 1);
      }
    }
    await editPlans(6);
    const few = await statementsToReplay(PLAN_EVENTS, (before?.id ?? 0n).toString(), 6);
    const middle = await db.prisma.changeRecord.findFirst({ orderBy: { id: 'desc' } });
    await editPlans(45);
    const many = await statementsToReplay(PLAN_EVENTS, (middle?.id ?? 0n).toString(), 45);
    console.info(
      `statements to replay planChanged with departments: 6 changes ${few}, 45 changes ${many}`,
    );
    expect(many).toBe(few);
  });
});
