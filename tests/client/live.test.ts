// subscribe() and the live helpers of the built @hoshin/client against a real server (Yoga
// over node:http with live updates): events arrive as they commit, and a subscription that
// loses its connection resumes after the last event it saw, so every event arrives exactly
// once, those committed while it was disconnected included.
import {
  createClient,
  HoshinRequestError,
  type PlanEvent,
  type TypedDocument,
} from '@hoshin/client';
import { webSocketTransport } from '@hoshin/client/ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import { type LiveServer, startLiveServer } from './support/live-server.ts';

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
}, 60_000);
afterAll(() => server?.close());

const mitaka = '132047';
const fast = { baseMs: 20, maxMs: 100 };

/** take(), with the events readable as they arrive: `until(n)` resolves once n have. */
function collect<T>(events: AsyncIterator<T>, count: number, ms = 10_000) {
  const received: T[] = [];
  const done = take(events, count, ms, received);
  return {
    received,
    done,
    until: (count: number) => waitFor(() => received.length >= count, ms),
  };
}

/** Takes events from an iterator until `count` arrived (or fails after `ms`). */
async function take<T>(
  events: AsyncIterator<T>,
  count: number,
  ms = 10_000,
  out: T[] = [],
): Promise<T[]> {
  const deadline = setTimeout(() => void events.return?.(), ms);
  try {
    while (out.length < count) {
      const next = await events.next();
      if (next.done) break;
      out.push(next.value);
    }
  } finally {
    clearTimeout(deadline);
  }
  return out;
}

/** A plan of Mitaka to edit, its current version, and an edit function writing through Yoga. */
async function editablePlan(department: string) {
  const writer = createClient({
    url: server.url,
    token: server.planningToken,
    fetch: server.direct,
  });
  const plan = await writer.departmentPlan({ municipality: mitaka, department, fiscalYear: 2012 });
  if (!plan) throw new Error(`no plan for ${department}`);
  let version = plan.version;
  return {
    id: plan.id,
    async edit(mission: string) {
      const result = await writer.updatePlan({ id: plan.id, expectedVersion: version, mission });
      if (result.__typename !== 'UpdatePlanSuccess') throw new Error(result.message);
      version = result.plan.version;
    },
  };
}

const missionOf = (event: PlanEvent) =>
  event.change.changes.find((c) => c.field === 'mission')?.after;

describe('planChanges over SSE', () => {
  test('a committed write arrives as it happens, typed', async () => {
    const hoshin = createClient({ url: server.url, token: server.planningToken });
    const plan = await editablePlan('kikaku');
    const started = server.subscriptionsStarted();
    const events = hoshin.planChanges({ municipality: mitaka });
    const first = take(events, 1);
    await waitForSubscriptions(started + 1);
    await plan.edit('即時');
    const [event] = await first;
    expect(event).toMatchObject({ kind: 'MODIFIED', id: plan.id, plan: { mission: '即時' } });
    expect(event?.cursor).toMatch(/^\d+$/);
    expect(event?.change.action).toBe('UPDATE');
  });

  test('survives its socket being destroyed: every event once, those written while it was away included', async () => {
    const hoshin = createClient({ url: server.url, token: server.planningToken, backoff: fast });
    const plan = await editablePlan('somu');
    const before = server.streams.length;
    const started = server.subscriptionsStarted();
    const events = hoshin.planChanges({ municipality: mitaka, department: 'somu' });
    const received = collect(events, 5);
    await waitForSubscriptions(started + 1);
    await plan.edit('一');
    await received.until(1);
    // Cut the connection and refuse the next two reconnections while two more writes land.
    server.failNextStreams(2, 503);
    expect(server.dropStreams()).toBeGreaterThanOrEqual(1);
    await plan.edit('二');
    await plan.edit('三');
    await waitFor(() => server.streams.length >= before + 4); // two refused, then the resumed one
    await waitForSubscriptions(started + 2);
    await plan.edit('四');
    await plan.edit('五');
    const events5 = await received.done;
    await events.return();
    expect(events5.map(missionOf)).toEqual(['一', '二', '三', '四', '五']);
    expect(new Set(events5.map((e) => e.cursor)).size).toBe(5);
    // Every reconnection asked for the events after the last one seen ('一').
    const resumed = server.streams.slice(before + 1).map((s) => JSON.parse(s.body).variables.after);
    expect(resumed).toEqual([events5[0]?.cursor, events5[0]?.cursor, events5[0]?.cursor]);
  });

  test('survives a server restart on the same port, with writes made while it was down', async () => {
    const hoshin = createClient({ url: server.url, token: server.planningToken, backoff: fast });
    const plan = await editablePlan('shimin');
    const started = server.subscriptionsStarted();
    const events = hoshin.planChanges({ municipality: mitaka, department: 'shimin' });
    const received = take(events, 4);
    await waitForSubscriptions(started + 1);
    await plan.edit('再起動前');
    await server.restart(300, async () => {
      await plan.edit('停止中1'); // straight to Yoga: the HTTP server is down
      await plan.edit('停止中2');
    });
    await waitForSubscriptions(started + 2);
    await plan.edit('再起動後');
    const all = await received;
    expect(all.map(missionOf)).toEqual(['再起動前', '停止中1', '停止中2', '再起動後']);
    await events.return();
  });

  test('aborting the signal ends the iteration quietly and closes the stream', async () => {
    const hoshin = createClient({ url: server.url });
    const controller = new AbortController();
    const started = server.subscriptionsStarted();
    const events = hoshin.planChanges({ municipality: mitaka }, { signal: controller.signal });
    const done = events.next();
    await waitForSubscriptions(started + 1);
    controller.abort();
    await expect(done).resolves.toEqual({ done: true, value: undefined });
  });

  test('resumes from an `after` given up front: the replay comes first', async () => {
    const hoshin = createClient({ url: server.url, token: server.planningToken });
    const plan = await editablePlan('seikatsu-kankyo');
    const started = server.subscriptionsStarted();
    const live = hoshin.planChanges({ municipality: mitaka, department: 'seikatsu-kankyo' });
    const first = take(live, 1);
    await waitForSubscriptions(started + 1);
    await plan.edit('起点');
    const [start] = await first;
    await live.return();
    await plan.edit('後1');
    await plan.edit('後2');
    const replay = hoshin.planChanges(
      { municipality: mitaka, department: 'seikatsu-kankyo' },
      { after: start?.cursor ?? null },
    );
    expect((await take(replay, 2)).map(missionOf)).toEqual(['後1', '後2']);
    await replay.return();
  });
});

describe('subscribe() refuses what retrying cannot fix', () => {
  test('a bad token: HTTP 401 UNAUTHENTICATED, no reconnection, state failed', async () => {
    const before = server.streams.length;
    const hoshin = createClient({ url: server.url, token: 'hsn_nope', backoff: fast });
    const states: string[] = [];
    const errors: unknown[] = [];
    const error = await take(
      hoshin.planChanges(null, {
        after: null,
        onState: (s) => states.push(s.status === 'failed' ? `failed:${s.reason}` : s.status),
        onError: (e) => errors.push(e),
      }),
      1,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HoshinRequestError);
    expect(error).toMatchObject({ kind: 'graphql', status: 401, codes: ['UNAUTHENTICATED'] });
    expect(server.streams.length - before).toBe(1);
    expect(states).toEqual(['connecting', 'failed:unauthenticated']);
    expect(errors).toEqual([error]);
    // Without `after`, the cursor read is refused the same way, before any stream opens.
    const first = await take(hoshin.planChanges(), 1).catch((e: unknown) => e);
    expect(first).toMatchObject({ status: 401, codes: ['UNAUTHENTICATED'] });
    expect(server.streams.length - before).toBe(1);
  });

  test('a document the schema rejects, and an invalid cursor: no reconnection', async () => {
    const hoshin = createClient({ url: server.url, backoff: fast });
    const Invalid = {
      toString: () =>
        'subscription Bad($after: String) { planChanged(after: $after) { cursor nope } }',
    } as TypedDocument<{ planChanged: { cursor: string } }, { after?: string | null }>;
    const invalid = await take(hoshin.subscribe(Invalid), 1).catch((e: unknown) => e);
    expect(invalid).toMatchObject({ kind: 'graphql', codes: ['GRAPHQL_VALIDATION_FAILED'] });
    const cursor = await take(hoshin.planChanges(null, { after: 'x' }), 1).catch((e: unknown) => e);
    expect(cursor).toMatchObject({ kind: 'graphql', codes: ['INVALID_CURSOR'] });
  });
});

describe('a token revoked while its subscription is open', () => {
  for (const transport of ['SSE', 'graphql-ws'] as const) {
    test(`over ${transport}: the iteration fails with UNAUTHENTICATED within 5 s, state failed, no reconnection`, async () => {
      const token = await server.issueToken(`revoked over ${transport}`);
      const hoshin = createClient({
        url: server.url,
        token,
        backoff: fast,
        ...(transport === 'graphql-ws'
          ? {
              subscriptionTransport: webSocketTransport({
                url: server.wsUrl,
                webSocketImpl: WebSocket,
              }),
            }
          : {}),
      });
      const plan = await editablePlan('kikaku');
      const started = server.subscriptionsStarted();
      const states: string[] = [];
      let live: () => void = () => {};
      const isLive = new Promise<void>((resolve) => {
        live = resolve;
      });
      const events = hoshin.planChanges(
        { municipality: mitaka },
        {
          onState: (s) => {
            states.push(s.status === 'failed' ? `failed:${s.reason}` : s.status);
            if (s.status === 'live') live();
          },
        },
      );
      const received: PlanEvent[] = [];
      const iterated = (async () => {
        for await (const event of events) received.push(event);
      })().catch((e: unknown) => e);
      await isLive;
      await waitForSubscriptions(started + 1);
      await plan.edit(`${transport}: before`);
      await waitFor(() => received.length === 1);
      const revokedAt = Date.now();
      await server.revokeToken(token);
      const error = await iterated;
      console.info(
        `${transport}: the SDK's subscription failed ${Date.now() - revokedAt} ms after the revocation`,
      );
      expect(Date.now() - revokedAt).toBeLessThan(5000);
      expect(error).toBeInstanceOf(HoshinRequestError);
      expect((error as HoshinRequestError).codes).toEqual(['UNAUTHENTICATED']);
      expect((error as HoshinRequestError).message).toMatch(/revoked/);
      // One connection, then failed for good: it does not try again with that token.
      expect(states).toEqual(['connecting', 'live', 'failed:unauthenticated']);
      await plan.edit(`${transport}: after`);
      expect(received.map(missionOf)).toEqual([`${transport}: before`]);
    });
  }
});

async function waitFor(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until `count` subscriptions (from the server's start) listen for changes. */
async function waitForSubscriptions(count: number): Promise<void> {
  await waitFor(() => server.subscriptionsStarted() >= count);
}
