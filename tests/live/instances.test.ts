import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/database.ts';
import { tokenFor } from '../support/factories.ts';
import { untilLiveSubscribers } from '../support/metrics.ts';
import { PROCESS_TIMEOUT_MS, runServer, type ServerProcess } from '../support/process.ts';
import { type TestRedis, testRedis } from '../support/redis.ts';
import { subscribeSse } from '../support/sse.ts';
import { errorCode, openSse, openWebSocket } from './support/streams.ts';

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
    await untilLiveSubscribers(a.url, 1);
    expect(await write(b, 2013)).toBe('CreatePlanSuccess');
    expect((await stream.next(10_000)).data.planChanged.plan.fiscalYear.year).toBe(2013);
    stream.close();
  });

  it('while Redis is down, writes still succeed; when it returns, the subscriber catches up from the change records', async () => {
    const stream = await subscribeSse(fetch, `${a.url}/graphql`, EVENTS, {}, token);
    await untilLiveSubscribers(a.url, 1);
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

describe('a token revoked from the command line while another instance holds its streams', () => {
  /** `hoshin token revoke` against the shared database, as an operator runs it on a third host. */
  function revoke(prefix: string, withRedis: boolean) {
    const child = spawn(
      process.execPath,
      ['scripts/start.mjs', '--run', 'cli', 'token', 'revoke', prefix],
      {
        cwd: resolve(import.meta.dirname, '../..'),
        env: {
          ...process.env,
          DATABASE_URL: db.url as string,
          REDIS_URL: withRedis ? redis.url : '',
          HOSHIN_SEED: 'false',
        },
        stdio: 'ignore',
      },
    );
    return new Promise<number | null>((done) => child.on('exit', done));
  }

  for (const withRedis of [true, false]) {
    it(
      `ends its SSE stream and WebSocket on the other instance within 5 s (${withRedis ? 'told through Redis' : 'Redis down: found by the poll'})`,
      async () => {
        const streaming = await tokenFor(db.prisma, {
          name: `streams ${withRedis}`,
          role: 'PLANNING',
          municipality: '132047',
        });
        const query = 'subscription { planChanged { cursor plan { mission } } }';
        const sse = await openSse(a.url, query, streaming);
        const ws = await openWebSocket(a.url, query, streaming);
        await untilLiveSubscribers(a.url, 2);
        if (!withRedis) await redis.stop();
        try {
          expect(await revoke(streaming.slice(4, 16), withRedis)).toBe(0);
          const end = (m: { type: string }) => m.type === 'complete' || m.type === 'close';
          await Promise.all([sse.until(end, 5000), ws.until(end, 5000)]);
          // From the revocation's commit (the CLI's own start and exit are not the server's).
          const row = await db.prisma.apiToken.findUnique({
            where: { prefix: streaming.slice(4, 16) },
          });
          const took =
            Math.max(...[sse, ws].map((s) => s.messages.find(end)?.at ?? 0)) -
            (row?.revokedAt?.getTime() ?? 0);
          console.info(
            `instance A ended the streams ${took} ms after another process committed the revocation (${withRedis ? 'Redis' : 'no Redis'})`,
          );
          expect(took).toBeLessThan(5000);
          expect(sse.messages.map((m) => m.type)).toEqual(['next', 'complete']);
          expect(errorCode(sse.messages[0] as never)).toBe('UNAUTHENTICATED');
          expect(ws.messages.find((m) => m.type === 'close')?.payload.code).toBe(4401);
          // A write made afterwards on instance B reaches neither.
          expect(await write(b, withRedis ? 2017 : 2018)).toBe('CreatePlanSuccess');
          await new Promise((r) => setTimeout(r, 500));
          expect(sse.messages).toHaveLength(2);
          expect(ws.messages.filter((m) => m.type === 'next' && m.payload.data)).toEqual([]);
        } finally {
          if (!withRedis) await redis.start();
        }
      },
      PROCESS_TIMEOUT_MS,
    ); // the revocation runs the CLI as its own process
  }
});
