// The anonymous read cache (packages/server/src/http/response-cache.ts), through a real
// node:http server in process: same bytes as Yoga's own answer, cleared by every committed
// write (local, or read by the change feed from another instance), never used or filled by
// authenticated requests, never storing an answer with errors or a mutation's.
import type { AddressInfo } from 'node:net';
import {
  attachReadCache,
  closeGracefully,
  createFrontHandler,
  createHoshinYoga,
  createHttpServer,
  createLogger,
  LiveUpdates,
  ReadCache,
} from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { tokenFor } from '../support/factories.ts';

let db: TestDatabase;
let live: LiveUpdates;
let yoga: ReturnType<typeof createHoshinYoga>;
let cache: ReadCache;
let server: ReturnType<typeof createHttpServer>;
let url = '';
let planning = '';
let detach: () => void;

const PLAN = `query Plan { plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) {
  id version mission status initiatives(first: 3) { totalCount edges { cursor node { text evaluation { rating } } } } } }`;
const PLANS_2013 = `{ plans(filter: { fiscalYear: 2013 }, first: 50) { totalCount edges { node { status department { code } } } } }`;

async function post(query: string, options: { token?: string; variables?: unknown } = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return {
    status: response.status,
    cache: response.headers.get('x-hoshin-cache'),
    contentType: response.headers.get('content-type'),
    text: await response.text(),
  };
}

const mutate = async (query: string, variables: unknown) =>
  JSON.parse((await post(query, { token: planning, variables })).text).data;

async function currentPlan() {
  return db.prisma.departmentPlan.findFirstOrThrow({
    where: { fiscalYear: 2012, department: { code: 'kyoiku' } },
  });
}
const gid = (id: number) => Buffer.from(`DepartmentPlan:${id}`).toString('base64');

beforeAll(async () => {
  db = await createTestDatabase({ seed: true });
  live = new LiveUpdates(db.prisma, { pollMs: 60_000 });
  yoga = createHoshinYoga({ db, graphiql: false, live });
  cache = new ReadCache({ maxBytes: 1 << 20 });
  server = createHttpServer(yoga, createLogger('silent'), {
    front: createFrontHandler({ live, readCache: cache }),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  planning = await tokenFor(db.prisma, { name: 'p', role: 'PLANNING', municipality: '132047' });
});
afterAll(async () => {
  detach?.();
  await closeGracefully(server, 1_000);
  await live.close();
  await db.close();
});

describe('anonymous read cache', () => {
  it('caches nothing until the change feed runs', async () => {
    const first = await post(PLAN);
    expect(first.status).toBe(200);
    expect(first.cache).toBeNull();
    expect(cache.size).toBe(0);
    detach = await attachReadCache(cache, live);
  });

  it('answers a repeated query with the very bytes Yoga answered', async () => {
    const miss = await post(PLAN);
    const hit = await post(PLAN);
    expect([miss.cache, hit.cache]).toEqual(['MISS', 'HIT']);
    expect(hit.text).toBe(miss.text);
    expect(hit.contentType).toBe(miss.contentType);
    const direct = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: PLAN }),
    });
    expect(hit.text).toBe(await direct.text());
    expect(JSON.parse(hit.text).data.plan.initiatives.totalCount).toBeGreaterThan(0);
  });

  it('keys on the normalised request: the same query sent by GET is cached on its own', async () => {
    const get = (init?: RequestInit) =>
      fetch(`${url}?query=${encodeURIComponent(PLAN)}`, init).then(async (response) => ({
        cache: response.headers.get('x-hoshin-cache'),
        text: await response.text(),
      }));
    const [miss, hit] = [await get(), await get()];
    expect([miss.cache, hit.cache]).toEqual(['MISS', 'HIT']);
    expect(hit.text).toBe(miss.text);
  });

  it('a write clears it: the next read shows the change', async () => {
    expect((await post(PLAN)).cache).toBe('HIT');
    const plan = await currentPlan();
    const result = await mutate(
      `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }`,
      {
        input: { id: gid(plan.id), expectedVersion: plan.version, mission: '学びを支える（更新）' },
      },
    );
    expect(result.updatePlan.__typename).toBe('UpdatePlanSuccess');
    await live.feed.wake(); // the feed clears the cache again when it reads the write's record
    const after = await post(PLAN);
    expect(after.cache).toBe('MISS');
    expect(JSON.parse(after.text).data.plan).toMatchObject({
      mission: '学びを支える（更新）',
      version: plan.version + 1,
    });
    expect((await post(PLAN)).cache).toBe('HIT');
  });

  it("a change another instance committed clears it when this instance's feed reads it", async () => {
    expect((await post(PLAN)).cache).toBe('HIT');
    const plan = await currentPlan();
    const department = await db.prisma.department.findUniqueOrThrow({
      where: { id: plan.departmentId },
    });
    // What another instance's write leaves in the shared database: the data and its record.
    await db.prisma.$transaction([
      db.prisma.departmentPlan.update({
        where: { id: plan.id },
        data: { mission: '別のインスタンスから', version: { increment: 1 } },
      }),
      db.prisma.changeRecord.create({
        data: {
          municipalityId: department.municipalityId,
          entityType: 'DepartmentPlan',
          entityId: plan.id,
          action: 'UPDATE',
          actor: 'another instance',
          changes: { mission: { before: plan.mission, after: '別のインスタンスから' } },
          departmentId: plan.departmentId,
          fiscalYear: plan.fiscalYear,
        },
      }),
    ]);
    // Not yet seen by this instance: the cached answer may still be served...
    await live.feed.wake();
    // ...but once the feed has read the record, it is gone.
    const after = await post(PLAN);
    expect(after.cache).toBe('MISS');
    expect(JSON.parse(after.text).data.plan.mission).toBe('別のインスタンスから');
  });

  it('authenticated requests never get the public answer and never fill the cache', async () => {
    await mutate(
      `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { __typename } }`,
      {
        input: {
          municipality: '132047',
          department: 'kyoiku',
          fiscalYear: 2013,
          mission: '下書き',
        },
      },
    );
    // The write cleared the cache at once; its change feed clears it again when it reads the
    // record. Let it, so the answer cached next stays.
    await live.feed.wake();
    const publicMiss = await post(PLANS_2013);
    expect((await post(PLANS_2013)).cache).toBe('HIT');
    expect(JSON.parse(publicMiss.text).data.plans.totalCount).toBe(0);
    const before = { size: cache.size, hits: cache.hits, misses: cache.misses };

    const staff = await post(PLANS_2013, { token: planning });
    expect(staff.cache).toBeNull();
    expect(JSON.parse(staff.text).data.plans.totalCount).toBe(1);
    expect((await post(PLAN, { token: planning })).cache).toBeNull();
    expect({ size: cache.size, hits: cache.hits, misses: cache.misses }).toEqual(before);
  });

  it('does not store an answer with errors', async () => {
    const broken = `{ plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) { initiatives(first: 2, after: "not-a-cursor") { totalCount } } }`;
    const first = await post(broken);
    const second = await post(broken);
    expect(first.text).toContain('"errors"');
    expect([first.cache, second.cache]).toEqual(['MISS', 'MISS']);
    const invalid = await post('{ noSuchField }');
    expect(invalid.text).toContain('"errors"');
    expect((await post('{ noSuchField }')).cache).toBe('MISS');
  });

  it('never stores a mutation, even an anonymous one', async () => {
    const size = cache.size;
    const plan = await currentPlan();
    const feedback = `mutation { submitFeedback(input: { plan: "${gid(plan.id)}", body: "キャッシュの試験" }) { __typename } }`;
    const [first, second] = [await post(feedback), await post(feedback)];
    expect(first.text).toContain('SubmitFeedbackSuccess');
    expect([first.cache, second.cache]).toEqual([null, null]);
    expect(cache.size).toBeLessThanOrEqual(size);
  });

  it('stays within its size bound, least recently used out first', async () => {
    const small = new ReadCache({ maxBytes: 8000 });
    const undo = await attachReadCache(small, live);
    const other = createHttpServer(yoga, createLogger('silent'), {
      front: createFrontHandler({ live, readCache: small }),
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as AddressInfo).port;
    try {
      const ask = async (first: number) => {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `{ plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) { initiatives(first: ${first}) { edges { node { text } } } } }`,
          }),
        });
        await response.text();
        return response.headers.get('x-hoshin-cache');
      };
      for (let first = 1; first <= 8; first++) await ask(first);
      expect(small.sizeBytes).toBeLessThanOrEqual(small.maxBytes);
      expect(small.size).toBeLessThan(8);
      expect(await ask(8)).toBe('HIT'); // the newest stayed
      expect(await ask(1)).toBe('MISS'); // the oldest went
    } finally {
      undo();
      await closeGracefully(other, 1_000);
    }
  });
});
