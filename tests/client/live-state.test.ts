// The live helpers' contract beyond delivery (live.test.ts): the connection state a panel
// shows, retries that survive a restart, a start without a gap, persisted subscriptions that
// fall back to the text, and the same guarantees over graphql-ws.
import { type ConnectionState, createClient, type PlanEvent } from '@hoshin/client';
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
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Collects the events of one subscription until `stop()` (an abort: a generator's return()
 * would wait for the pending next()).
 */
function follow(start: (signal: AbortSignal) => AsyncGenerator<PlanEvent, void>) {
  const controller = new AbortController();
  const seen: PlanEvent[] = [];
  const done = (async () => {
    for await (const event of start(controller.signal)) seen.push(event);
  })();
  return {
    seen,
    done,
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

async function editablePlan(department: string) {
  const writer = createClient({
    url: server.url,
    token: server.planningToken,
    fetch: server.direct,
  });
  const plan = await writer.departmentPlan({ municipality: mitaka, department, fiscalYear: 2012 });
  if (!plan) throw new Error(`no plan for ${department}`);
  let version = plan.version;
  return async (policy: string) => {
    const result = await writer.updatePlan({ id: plan.id, expectedVersion: version, policy });
    if (result.__typename !== 'UpdatePlanSuccess') throw new Error(result.message);
    version = result.plan.version;
  };
}

describe('connection state', () => {
  test('connecting, live, retrying with the next attempt time while down, live again; retries survive the restart', async () => {
    const edit = await editablePlan('kikaku');
    const states: ConnectionState[] = [];
    const errors: unknown[] = [];
    const hoshin = createClient({ url: server.url, backoff: fast });
    // retries: 2 and a restart that takes many attempts: the count restarts at each live
    // connection, so an ordinary restart does not end the subscription.
    const live = follow((signal) =>
      hoshin.planChanges(
        { municipality: mitaka, department: 'kikaku' },
        { signal, retries: 50, onState: (s) => states.push(s), onError: (e) => errors.push(e) },
      ),
    );
    await expect.poll(() => states.at(-1)?.status).toBe('live');
    expect(states[0]).toEqual({ status: 'connecting', attempt: 1 });

    const restarted = server.restart(800);
    await expect.poll(() => states.at(-1)?.status).toBe('retrying');
    const retrying = states.find((s) => s.status === 'retrying');
    if (retrying?.status !== 'retrying') throw new Error('no retrying state');
    expect(retrying.nextAttemptAt).toBeGreaterThan(Date.now() - 1000);
    expect(retrying.error.kind).toBe('network');
    await edit('停止中');
    await restarted;
    await expect.poll(() => live.seen.map((e) => e.plan?.policy)).toEqual(['停止中']);
    expect(states.at(-1)?.status).toBe('live');
    expect(errors.length).toBeGreaterThan(0);
    await live.stop();
    expect(states.at(-1)).toEqual({ status: 'closed' });
  });

  test('retries: N counts failed connections in a row, then fails with retries-exhausted', async () => {
    const states: ConnectionState[] = [];
    server.failNextStreams(3, 503);
    const hoshin = createClient({ url: server.url, backoff: fast });
    const error = await hoshin
      .planChanges(null, { after: null, retries: 2, onState: (s) => states.push(s) })
      .next()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'http', status: 503 });
    expect(states.at(-1)).toMatchObject({ status: 'failed', reason: 'retries-exhausted' });
    expect(states.filter((s) => s.status === 'connecting')).toHaveLength(3);
  });
});

test('without `after`, subscribe starts from the latest cursor: a write made before the first connection succeeds still arrives', async () => {
  const edit = await editablePlan('somu');
  const before = server.streams.length;
  server.failNextStreams(2, 503);
  const hoshin = createClient({ url: server.url, backoff: { baseMs: 300, maxMs: 300 } });
  const states: string[] = [];
  const live = follow((signal) =>
    hoshin.planChanges(
      { municipality: mitaka, department: 'somu' },
      { signal, onState: (s) => states.push(s.status) },
    ),
  );
  await expect.poll(() => server.streams.length).toBeGreaterThan(before);
  await edit('接続前の変更'); // the first connection was refused: not live yet
  await expect.poll(() => live.seen.map((e) => e.plan?.policy)).toEqual(['接続前の変更']);
  const firstAfter = JSON.parse(server.streams[before]?.body ?? '{}').variables.after;
  expect(firstAfter).toMatch(/^\d+$/);
  await live.stop();
});

test('persisted subscriptions: sends the documentId, and the text once a server without trusted documents refuses it', async () => {
  const edit = await editablePlan('shimin');
  const before = server.streams.length;
  const hoshin = createClient({ url: server.url, persistedDocuments: true, backoff: fast });
  const states: string[] = [];
  const live = follow((signal) =>
    hoshin.planChanges(
      { municipality: mitaka, department: 'shimin' },
      { signal, onState: (s) => states.push(s.status) },
    ),
  );
  await expect.poll(() => states.at(-1)).toBe('live');
  const bodies = server.streams.slice(before).map((s) => JSON.parse(s.body));
  expect(bodies[0]).toMatchObject({ documentId: expect.stringMatching(/^sha256:/) });
  expect(bodies[0].query).toBeUndefined();
  expect(bodies.at(-1).query).toContain('subscription PlanChanges');
  await edit('ハッシュから本文へ');
  await expect.poll(() => live.seen.map((e) => e.plan?.policy)).toEqual(['ハッシュから本文へ']);
  await live.stop();
});

describe('over graphql-ws', () => {
  test('events arrive, state goes live, and a restart is resumed without loss', async () => {
    const edit = await editablePlan('kyoiku');
    const states: string[] = [];
    const hoshin = createClient({
      url: server.url,
      backoff: fast,
      subscriptionTransport: webSocketTransport({ url: server.wsUrl, webSocketImpl: WebSocket }),
    });
    const live = follow((signal) =>
      hoshin.planChanges(
        { municipality: mitaka, department: 'kyoiku' },
        { signal, onState: (s) => states.push(s.status) },
      ),
    );
    await expect.poll(() => states.at(-1)).toBe('live');
    await pause(100);
    await edit('WebSocket 1');
    await expect.poll(() => live.seen.map((e) => e.plan?.policy)).toEqual(['WebSocket 1']);
    const restarted = server.restart(500);
    await expect.poll(() => states.at(-1)).toBe('retrying');
    await edit('WebSocket 停止中');
    await restarted;
    await expect
      .poll(() => live.seen.map((e) => e.plan?.policy))
      .toEqual(['WebSocket 1', 'WebSocket 停止中']);
    await live.stop();
  });

  test('a bad token fails for good: unauthenticated, no retry', async () => {
    const states: ConnectionState[] = [];
    const hoshin = createClient({
      url: server.url,
      token: 'hsn_nope',
      backoff: fast,
      subscriptionTransport: webSocketTransport({ url: server.wsUrl, webSocketImpl: WebSocket }),
    });
    const error = await hoshin
      .planChanges(null, { after: null, onState: (s) => states.push(s) })
      .next()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'graphql', codes: ['UNAUTHENTICATED'] });
    expect(states.at(-1)).toMatchObject({ status: 'failed', reason: 'unauthenticated' });
    expect(states.filter((s) => s.status === 'connecting')).toHaveLength(1);
  });

  test('multiplexed: several subscriptions share one socket, and a restart resumes each once', async () => {
    const kyoiku = await editablePlan('kyoiku');
    const kikaku = await editablePlan('kikaku');
    let sockets = 0;
    class CountingWebSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        // Sockets that opened (attempts refused while the server is down do not count).
        this.on('open', () => sockets++);
      }
    }
    const states = new Map<string, string>();
    const hoshin = createClient({
      url: server.url,
      backoff: fast,
      subscriptionTransport: webSocketTransport({
        url: server.wsUrl,
        webSocketImpl: CountingWebSocket,
        multiplex: true,
      }),
    });
    const watch = (department: string) =>
      follow((signal) =>
        hoshin.planChanges(
          { municipality: mitaka, department },
          { signal, onState: (s) => states.set(department, s.status) },
        ),
      );
    const a = watch('kyoiku');
    const b = watch('kikaku');
    await expect.poll(() => [states.get('kyoiku'), states.get('kikaku')]).toEqual(['live', 'live']);
    expect(sockets).toBe(1);
    await kyoiku('多重化 1');
    await kikaku('多重化 A');
    await expect.poll(() => a.seen.map((e) => e.plan?.policy)).toEqual(['多重化 1']);
    await expect.poll(() => b.seen.map((e) => e.plan?.policy)).toEqual(['多重化 A']);
    // One subscription ending leaves the other on the socket.
    await b.stop();
    await kyoiku('多重化 2');
    await expect.poll(() => a.seen.map((e) => e.plan?.policy)).toEqual(['多重化 1', '多重化 2']);
    // A restart drops the socket: the subscription comes back on a new one and resumes after
    // its own last event, so what was written while down arrives once.
    const restarted = server.restart(500);
    await expect.poll(() => states.get('kyoiku')).toBe('retrying');
    await kyoiku('多重化 停止中');
    await restarted;
    await expect
      .poll(() => a.seen.map((e) => e.plan?.policy))
      .toEqual(['多重化 1', '多重化 2', '多重化 停止中']);
    expect(sockets).toBe(2);
    await a.stop();
  });
});
