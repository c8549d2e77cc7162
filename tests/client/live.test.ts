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
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type LiveServer, startLiveServer } from './support/live-server.ts';

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
}, 60_000);
afterAll(() => server?.close());

const mitaka = '132047';
const fast = { baseMs: 20, maxMs: 100 };

/** Takes events from an iterator until `count` arrived (or fails after `ms`). */
async function take<T>(events: AsyncIterator<T>, count: number, ms = 10_000): Promise<T[]> {
  const out: T[] = [];
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
    const events = hoshin.planChanges({ municipality: mitaka });
    const first = take(events, 1);
    await waitForStreams(1);
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
    const events = hoshin.planChanges({ municipality: mitaka, department: 'somu' });
    const received = take(events, 5);
    await waitForStreams(before + 1);
    await plan.edit('一');
    await new Promise((resolve) => setTimeout(resolve, 200)); // '一' delivered
    // Cut the connection and refuse the next two reconnections while two more writes land.
    server.failNextStreams(2, 503);
    expect(server.dropStreams()).toBeGreaterThanOrEqual(1);
    await plan.edit('二');
    await plan.edit('三');
    await waitForStreams(before + 4); // two refused, then the resumed one
    await plan.edit('四');
    await plan.edit('五');
    const events5 = await received;
    expect(events5.map(missionOf)).toEqual(['一', '二', '三', '四', '五']);
    expect(new Set(events5.map((e) => e.cursor)).size).toBe(5);
    // Every reconnection asked for the events after the last one seen ('一').
    const resumed = server.streams.slice(before + 1).map((s) => JSON.parse(s.body).variables.after);
    expect(resumed).toEqual([events5[0]?.cursor, events5[0]?.cursor, events5[0]?.cursor]);
    await events.return();
  });

  test('survives a server restart on the same port, with writes made while it was down', async () => {
    const hoshin = createClient({ url: server.url, token: server.planningToken, backoff: fast });
    const plan = await editablePlan('shimin');
    const before = server.streams.length;
    const events = hoshin.planChanges({ municipality: mitaka, department: 'shimin' });
    const received = take(events, 4);
    await waitForStreams(before + 1);
    await plan.edit('再起動前');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const restarted = server.restart(300);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await plan.edit('停止中1'); // straight to Yoga: the HTTP server is down
    await plan.edit('停止中2');
    await restarted;
    await waitFor(() => server.streams.length > before + 1);
    await plan.edit('再起動後');
    const all = await received;
    expect(all.map(missionOf)).toEqual(['再起動前', '停止中1', '停止中2', '再起動後']);
    await events.return();
  });

  test('aborting the signal ends the iteration quietly and closes the stream', async () => {
    const hoshin = createClient({ url: server.url });
    const controller = new AbortController();
    const events = hoshin.planChanges({ municipality: mitaka }, { signal: controller.signal });
    const done = events.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await expect(done).resolves.toEqual({ done: true, value: undefined });
  });

  test('resumes from an `after` given up front: the replay comes first', async () => {
    const hoshin = createClient({ url: server.url, token: server.planningToken });
    const plan = await editablePlan('seikatsu-kankyo');
    const live = hoshin.planChanges({ municipality: mitaka, department: 'seikatsu-kankyo' });
    const first = take(live, 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
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
  test('a bad token: HTTP 401 UNAUTHENTICATED, no reconnection', async () => {
    const before = server.streams.length;
    const hoshin = createClient({ url: server.url, token: 'hsn_nope', backoff: fast });
    const error = await take(hoshin.planChanges(), 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HoshinRequestError);
    expect(error).toMatchObject({ kind: 'graphql', status: 401, codes: ['UNAUTHENTICATED'] });
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

async function waitFor(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Waits until the server has received `count` subscription requests and Yoga started them. */
async function waitForStreams(count: number): Promise<void> {
  await waitFor(() => server.streams.length >= count);
  await new Promise((resolve) => setTimeout(resolve, 100));
}
