import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/database.ts';
import { tokenFor } from '../support/factories.ts';
import { runServer, type ServerProcess } from '../support/process.ts';
import { type TestRedis, testRedis } from '../support/redis.ts';
import { subscribeSse } from '../support/sse.ts';

// Two server instances on one PostgreSQL database, sharing change notifications through a
// Redis of the test's own (so it can be stopped and started). Runs in the postgres project.
let db: TestDatabase;
let redis: TestRedis;
let a: ServerProcess;
let b: ServerProcess;
let token = '';

async function write(server: ServerProcess, fiscalYear: number) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      query: `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { __typename } }`,
      variables: { input: { municipality: '132047', department: 'kyoiku', fiscalYear } },
    }),
  });
  return ((await response.json()) as any).data.createPlan.__typename;
}

const EVENTS = `subscription { planChanged { plan { fiscalYear { year } } } }`;

beforeAll(async () => {
  if (!onPostgres) throw new Error('run in the postgres project (TEST_DATABASE_URL)');
  db = await createTestDatabase({ seed: true });
  token = await tokenFor(db.prisma, { name: 'live', role: 'PLANNING', municipality: '132047' });
  redis = await testRedis();
  await redis.start();
  // Polling is slowed to a minute: events in this test travel through Redis, or not at all.
  const env = {
    DATABASE_URL: db.url as string,
    REDIS_URL: redis.url,
    HOSHIN_LIVE_POLL_MS: '60000',
    HOSHIN_SEED: 'false',
  };
  // One after the other: the second starts once the first has finished its migrations.
  a = await runServer(env);
  b = await runServer(env);
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
  await redis?.stop();
  await db?.close();
});

describe('two instances sharing live updates through Redis', () => {
  it('a write on one instance reaches a subscriber on the other', async () => {
    const stream = await subscribeSse(fetch, `${a.url}/graphql`, EVENTS, {}, token);
    await new Promise((r) => setTimeout(r, 300));
    expect(await write(b, 2013)).toBe('CreatePlanSuccess');
    expect((await stream.next(10_000)).data.planChanged.plan.fiscalYear.year).toBe(2013);
    stream.close();
  });

  it('while Redis is down, writes still succeed; when it returns, the subscriber catches up from the change records', async () => {
    const stream = await subscribeSse(fetch, `${a.url}/graphql`, EVENTS, {}, token);
    await new Promise((r) => setTimeout(r, 300));
    await redis?.stop();
    expect(await write(b, 2014)).toBe('CreatePlanSuccess');
    expect(await write(b, 2015)).toBe('CreatePlanSuccess');
    expect(await stream.drain(1000)).toEqual([]); // no notification could travel

    await redis.start();
    const years = [];
    for (let i = 0; i < 2; i++)
      years.push((await stream.next(20_000)).data.planChanged.plan.fiscalYear.year);
    expect(years).toEqual([2014, 2015]);
    // And notifications flow again.
    expect(await write(b, 2016)).toBe('CreatePlanSuccess');
    expect((await stream.next(10_000)).data.planChanged.plan.fiscalYear.year).toBe(2016);
    stream.close();
  });
});
