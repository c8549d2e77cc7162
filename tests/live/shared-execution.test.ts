// Live fan-out (packages/server/src/live/shared-execution.ts): each event is executed once per
// group of subscribers (document, variables, visibility class of the viewer), and over SSE the
// same bytes go to every subscriber of the group. Subscribers of different classes still get
// different payloads (the public never sees a draft, nor a token), a document that reaches a
// field outside the shareable list is executed per subscriber, and a subscriber that stops
// reading is closed with the cursor to resume from, as before. Over graphql-ws the same: one
// execution per group, its JSON written by the feed to every socket of the group.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachWebSocket, createHoshinYoga, LiveUpdates } from '@hoshin/server/testing';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { factories, tokenFor } from '../support/factories.ts';
import { type EventStream, subscribeSse } from '../support/sse.ts';

let db: TestDatabase;
let live: LiveUpdates;
let yoga: ReturnType<typeof createHoshinYoga>;
let planning = '';
let planning2 = '';
let published = 0;
let draft = 0;

const URL = 'http://hoshin.test/graphql';
const fetchYoga = (url: string, init: RequestInit) => Promise.resolve(yoga.fetch(url, init));
const gid = (n: number) => Buffer.from(`DepartmentPlan:${n}`).toString('base64');
const EVENTS = `subscription { planChanged(filter: { municipality: "990061" }) {
  cursor kind id plan { mission status department { name } } change { actor changes { field after } } } }`;

async function update(id: number, mission: string) {
  const { version } = await db.prisma.departmentPlan.findUniqueOrThrow({ where: { id } });
  const response = await yoga.fetch(URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${planning}` },
    body: JSON.stringify({
      query: 'mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }',
      variables: { input: { id: gid(id), expectedVersion: version, mission } },
    }),
  });
  expect(await response.text()).toContain('UpdatePlanSuccess');
}

const counts = () => ({ ...live.sharedExecution });
/** Waits (10 s at most) until the feed has exactly `n` subscribers (closed streams leave asynchronously). */
async function listeners(n: number) {
  for (let i = 0; i < 500 && live.feed.listenerCount !== n; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(live.feed.listenerCount).toBe(n);
}
const closeAll = (streams: EventStream[]) => {
  for (const stream of streams) stream.close();
};

beforeAll(async () => {
  db = await createTestDatabase();
  live = new LiveUpdates(db.prisma, { pollMs: 60_000, maxBuffer: 5 });
  yoga = createHoshinYoga({ db, live });
  const make = factories(db.prisma);
  const city = await make.municipality({ code: '990061' });
  const department = await make.department(city.id, { code: 'kyoiku', name: '教育部' });
  published = (await make.plan(department.id, { fiscalYear: 2012, status: 'PUBLISHED' })).id;
  draft = (await make.plan(department.id, { fiscalYear: 2013, status: 'DRAFT' })).id;
  planning = await tokenFor(db.prisma, { name: 'p1', role: 'PLANNING', municipality: '990061' });
  planning2 = await tokenFor(db.prisma, { name: 'p2', role: 'PLANNING', municipality: '990061' });
  await live.ready();
});
afterAll(async () => {
  await live.close();
  await db.close();
});

describe('one execution per event and group, over SSE', () => {
  it('two classes get different payloads; subscribers of one class share one execution and the same bytes', async () => {
    const opened = counts();
    const publicStreams = await Promise.all(
      [1, 2, 3].map(() => subscribeSse(fetchYoga, URL, EVENTS)),
    );
    // Two different tokens of one class (PLANNING of the municipality).
    const staffStreams = [
      await subscribeSse(fetchYoga, URL, EVENTS, {}, planning),
      await subscribeSse(fetchYoga, URL, EVENTS, {}, planning2),
    ];
    await listeners(5);
    const before = counts();

    await update(draft, '下書きの使命');
    await update(published, '公開の使命');
    await live.feed.wake();

    const staffEvents = await Promise.all(
      staffStreams.map(async (s) => [
        (await s.next()).data.planChanged,
        (await s.next()).data.planChanged,
      ]),
    );
    const publicEvents = await Promise.all(
      publicStreams.map(async (s) => (await s.next()).data.planChanged),
    );

    // Staff see the draft's edit and the token that made it.
    expect(staffEvents[0]?.[0]).toMatchObject({
      kind: 'MODIFIED',
      id: gid(draft),
      plan: { mission: '下書きの使命', status: 'DRAFT', department: { name: '教育部' } },
    });
    expect(staffEvents[0]?.[0].change.actor).toContain('token:');
    // The public's first (and only) event is the published plan's, with the office as actor.
    for (const event of publicEvents) {
      expect(event).toMatchObject({
        id: gid(published),
        plan: { mission: '公開の使命' },
      });
      expect(event.change.actor).not.toContain('token:');
    }
    for (const stream of publicStreams) expect(await stream.drain(100)).toEqual([]);
    // Within a class, every subscriber received the same payload (the same bytes, parsed).
    expect(staffEvents[1]).toEqual(staffEvents[0]);
    expect(publicEvents[1]).toEqual(publicEvents[0]);
    expect(publicEvents[2]).toEqual(publicEvents[0]);

    const after = counts();
    // Draft: staff's group only; published: staff's and the public's. Not 2 + 5 executions.
    expect(after.executions - before.executions).toBe(3);
    // Staff: 2 events x 1 more subscriber; public: 1 event x 2 more subscribers.
    expect(after.reused - before.reused).toBe(4);
    // All five are written to by the feed itself, not iterated.
    expect(after.pushedStreams - opened.pushedStreams).toBe(5);
    closeAll([...publicStreams, ...staffStreams]);
    await listeners(0);
  });

  it('a document reaching a field outside the shareable list is executed per subscriber', async () => {
    // Connection cursors are sealed per token: never shared, even within a class.
    const opened = counts();
    const query = `subscription { planChanged(filter: { municipality: "990061" }) {
      cursor plan { department { plans(first: 1) { edges { cursor } } } } } }`;
    const streams = [
      await subscribeSse(fetchYoga, URL, query, {}, planning),
      await subscribeSse(fetchYoga, URL, query, {}, planning2),
    ];
    await listeners(2);
    const before = counts();
    await update(published, '公開の使命 2');
    await live.feed.wake();
    const [first, second] = await Promise.all(
      streams.map(async (s) => (await s.next()).data.planChanged),
    );
    expect(first.cursor).toBe(second.cursor);
    const cursorOf = (event: any) => event.plan.department.plans.edges[0].cursor;
    // Each token's own sealed cursor: sharing would have given one token's to the other.
    expect(cursorOf(first)).not.toBe(cursorOf(second));
    const after = counts();
    expect(after.executions - before.executions).toBe(0);
    expect(after.reused - before.reused).toBe(0);
    expect(after.pushedStreams - opened.pushedStreams).toBe(0);
    // (Streams iterated by Yoga itself leave the feed when a request made in process next reads.)
    closeAll(streams);
  });

  it('closes a pushed subscriber that stops reading, with the cursor of the last event it was sent', async () => {
    const abort = new AbortController();
    const pushedBefore = live.sharedExecution.pushedStreams;
    const response = await yoga.fetch(URL, {
      method: 'POST',
      signal: abort.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        query: `subscription { planChanged(filter: { municipality: "990061" }) { cursor mission: plan { mission } } }`,
      }),
    });
    const others = live.feed.listenerCount - 1;
    // Nobody reads the body while 40 changes of ~4 KB each commit (a full connection).
    const long = 'あ'.repeat(1300);
    for (let k = 0; k < 40; k++) {
      await update(published, `${long}${k}`);
      await live.feed.wake();
    }
    expect(live.sharedExecution.pushedStreams).toBe(pushedBefore + 1);
    const text = await response.text();
    const blocks = text.split('\n\n').filter((block) => block.startsWith('event: next'));
    const payloads = blocks.map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6)));
    const events = payloads.filter((p) => p.data).map((p) => p.data.planChanged.cursor as string);
    const failure = payloads.at(-1)?.errors?.[0];
    expect(failure?.extensions.code).toBe('SUBSCRIBER_TOO_SLOW');
    expect(events.length).toBeLessThan(40);
    // Resuming after the named cursor loses nothing: it is the last event written.
    expect(failure.extensions.cursor).toBe(events.at(-1));
    expect(text.trimEnd().endsWith('event: complete\ndata:')).toBe(true);
    // Closed: it left the feed (and the two streams above may have left meanwhile).
    for (let i = 0; i < 100 && live.feed.listenerCount > others; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(live.feed.listenerCount).toBeLessThanOrEqual(others);
  });
});

describe('one execution per event and group, over graphql-ws', () => {
  let server: Server;
  let socket: ReturnType<typeof attachWebSocket>;
  let wsUrl = '';
  beforeAll(async () => {
    server = createServer(yoga);
    socket = attachWebSocket(server, yoga);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    wsUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await socket.close();
    await new Promise((resolve) => server.close(resolve));
  });

  /** One graphql-ws connection (with the token, if any) holding one subscription. */
  function subscribeWs(token?: string) {
    const client = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    });
    const received: any[] = [];
    const waiting: (() => void)[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe(
        { query: EVENTS },
        {
          next(value) {
            received.push(value);
            for (const wake of waiting.splice(0)) wake();
          },
          error: reject,
          complete: resolve,
        },
      );
    });
    done.catch(() => {});
    return {
      received,
      done,
      /** Waits for the n-th event (1-based); fails after 5 s with what did arrive. */
      async nth(n: number) {
        const deadline = Date.now() + 5_000;
        while (received.length < n) {
          const left = deadline - Date.now();
          if (left <= 0) {
            throw new Error(`event ${n} never came; received ${JSON.stringify(received)}`);
          }
          await new Promise<void>((resolve) => {
            waiting.push(resolve);
            setTimeout(resolve, left);
          });
        }
        return received[n - 1].data.planChanged;
      },
      close: () => client.dispose(),
    };
  }

  it('subscribers of one class share one execution and one JSON text; another class does not', async () => {
    const opened = counts();
    // Streams Yoga iterated in the tests above may still be registered: they leave at their next event.
    const earlier = live.feed.listenerCount;
    const publicSubscribers = [subscribeWs(), subscribeWs()];
    const staff = [subscribeWs(planning), subscribeWs(planning2)];
    await listeners(earlier + 4);
    const before = counts();

    await update(draft, '下書き WS');
    await update(published, '公開 WS');
    await live.feed.wake();

    const staffEvents = await Promise.all(staff.map(async (s) => [await s.nth(1), await s.nth(2)]));
    const publicEvents = await Promise.all(publicSubscribers.map((s) => s.nth(1)));
    expect(staffEvents[0]?.[0]).toMatchObject({ id: gid(draft), plan: { status: 'DRAFT' } });
    expect(staffEvents[0]?.[0].change.actor).toContain('token:');
    for (const event of publicEvents) {
      expect(event).toMatchObject({ id: gid(published), plan: { mission: '公開 WS' } });
      expect(event.change.actor).not.toContain('token:');
    }
    expect(staffEvents[1]).toEqual(staffEvents[0]);
    expect(publicEvents[1]).toEqual(publicEvents[0]);

    const after = counts();
    // Draft: staff's group only; published: staff's and the public's. Not 2 + 4 executions.
    expect(after.executions - before.executions).toBe(3);
    // Staff: 2 events x 1 more subscriber; public: 1 event x 1 more subscriber.
    expect(after.reused - before.reused).toBe(3);
    // All four are written to by the feed itself, not iterated by graphql-ws.
    expect(after.pushedStreams - opened.pushedStreams).toBe(4);
    // The public never hears of the draft.
    for (const s of publicSubscribers) expect(s.received).toHaveLength(1);
    for (const s of [...publicSubscribers, ...staff]) await s.close();
    // All four left (and the earlier streams may have left on this test's events).
    for (let i = 0; i < 500 && live.feed.listenerCount > earlier; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(live.feed.listenerCount, `${earlier} registered before`).toBeLessThanOrEqual(earlier);
  });
});
