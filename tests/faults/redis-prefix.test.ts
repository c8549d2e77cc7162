// Two deployments sharing one Redis (the machine's, at TEST_REDIS_URL or 127.0.0.1:6379), each
// with its own HOSHIN_REDIS_PREFIX: they never count each other's requests or feedback, nor
// wake each other's change feeds; two instances of one deployment (one prefix) share all three.
// An unreachable Redis fails this file; it never skips.
import { request as httpRequest } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  expectRefusal,
  type HostileServer,
  NORMAL_QUERY,
  startHostileServer,
} from '../hostile/support.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { factories } from '../support/factories.ts';

// The server's own Redis client (a dependency of @hoshin/server, not of the tests).
interface RedisClient {
  connect(): Promise<void>;
  ping(): Promise<string>;
  keys(pattern: string): Promise<string[]>;
  publish(channel: string, message: string): Promise<number>;
  disconnect(): void;
}
const { Redis } = createRequire(new URL('../../packages/server/package.json', import.meta.url))(
  'ioredis',
) as { Redis: new (url: string, options: Record<string, unknown>) => RedisClient };
type Redis = RedisClient;

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `${process.pid}-${Date.now()}`;
let redis: Redis;
let db: TestDatabase;
let otherDb: TestDatabase;
let planId: string;
const servers: HostileServer[] = [];

beforeAll(async () => {
  redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect(); // throws (and fails the file) when Redis is unreachable
  expect(await redis.ping()).toBe('PONG');
  db = await createTestDatabase();
  otherDb = await createTestDatabase();
  const make = factories(db.prisma);
  const city = await make.municipality({ code: '990081' });
  const department = await make.department(city.id, { code: 'kyoiku' });
  const plan = await make.plan(department.id, { fiscalYear: 2012 });
  planId = Buffer.from(`DepartmentPlan:${plan.id}`).toString('base64');
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await db?.close();
  await otherDb?.close();
  redis?.disconnect();
});

async function start(prefix: string, database: TestDatabase, limits = {}) {
  const server = await startHostileServer({
    db: database,
    redisUrl,
    redisPrefix: prefix,
    livePollMs: 60_000,
    security: { rateLimitPerAddress: 2 },
    feedbackPer10Minutes: 1,
    ...limits,
  });
  servers.push(server);
  return server;
}

const randomLoopback = () =>
  `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

function postFrom(server: HostileServer, localAddress: string, body: unknown) {
  return new Promise<{ status: number; body: any }>((done, fail) => {
    const req = httpRequest(
      `${server.url}/graphql`,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => done({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}

const SUBMIT = `mutation ($input: SubmitFeedbackInput!) { submitFeedback(input: $input) {
  __typename ... on RateLimitedError { retryAfterSeconds } } }`;

describe('two deployments on one Redis', () => {
  let a: HostileServer;
  let aTwin: HostileServer;
  let b: HostileServer;
  beforeAll(async () => {
    a = await start(`test-a-${run}:`, db);
    aTwin = await start(`test-a-${run}:`, db);
    b = await start(`test-b-${run}:`, db);
    // Until its Redis connection is up an instance counts in memory (the insurance limiter).
    await new Promise((r) => setTimeout(r, 500));
  });

  it('count requests apart: one deployment over its limit leaves the other serving', async () => {
    const address = randomLoopback();
    expect((await postFrom(a, address, { query: NORMAL_QUERY })).status).toBe(200);
    expect((await postFrom(aTwin, address, { query: NORMAL_QUERY })).status).toBe(200);
    // The deployment's two instances share the count...
    expectRefusal(await postFrom(a, address, { query: NORMAL_QUERY }), 429, 'RATE_LIMITED');
    expectRefusal(await postFrom(aTwin, address, { query: NORMAL_QUERY }), 429, 'RATE_LIMITED');
    // ...the other deployment counts its own, from zero.
    expect((await postFrom(b, address, { query: NORMAL_QUERY })).status).toBe(200);
    expect((await postFrom(b, address, { query: NORMAL_QUERY })).status).toBe(200);
    expectRefusal(await postFrom(b, address, { query: NORMAL_QUERY }), 429, 'RATE_LIMITED');
    // Another client of A is served.
    expect((await postFrom(a, randomLoopback(), { query: NORMAL_QUERY })).status).toBe(200);
    expect(await redis.keys(`test-a-${run}:*`)).not.toEqual([]);
    expect(await redis.keys(`test-b-${run}:*`)).not.toEqual([]);
  });

  it('share the feedback limit within a deployment through Redis, not across deployments', async () => {
    const submit = (server: HostileServer, address: string) =>
      postFrom(server, address, {
        query: SUBMIT,
        variables: { input: { plan: planId, body: '意見です' } },
      });
    const address = randomLoopback();
    expect((await submit(a, address)).body.data.submitFeedback.__typename).toBe(
      'SubmitFeedbackSuccess',
    );
    // The same deployment's other instance knows that address has used its one submission.
    expect((await submit(aTwin, address)).body.data.submitFeedback.__typename).toBe(
      'RateLimitedError',
    );
    // Another deployment does not.
    expect((await submit(b, randomLoopback())).body.data.submitFeedback.__typename).toBe(
      'SubmitFeedbackSuccess',
    );
    const third = randomLoopback();
    expect((await submit(b, third)).body.data.submitFeedback.__typename).toBe(
      'SubmitFeedbackSuccess',
    );
    expect((await submit(a, third)).body.data.submitFeedback.__typename).toBe(
      'SubmitFeedbackSuccess',
    );
    await a.stillServes();
  });

  it('wake only their own change feeds', async () => {
    const c = await start(`test-c-${run}:`, otherDb);
    const d = await start(`test-d-${run}:`, otherDb);
    await c.app.live.ready();
    await d.app.live.ready();
    await new Promise((r) => setTimeout(r, 300)); // their SUBSCRIBE
    const wakeC = vi.spyOn(c.app.live.feed, 'wake');
    const wakeD = vi.spyOn(d.app.live.feed, 'wake');
    // What another instance of C's deployment announces after a commit.
    await redis.publish(`test-c-${run}:changes`, '');
    await vi.waitFor(() => expect(wakeC).toHaveBeenCalled(), { timeout: 5000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(wakeD).not.toHaveBeenCalled();
    await d.stillServes();
  });
});
