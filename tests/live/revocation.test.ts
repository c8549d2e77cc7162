// Authorization that holds for a request holds for the streams it opened: when a token is
// revoked or expires, its open SSE streams and WebSockets end within seconds with
// UNAUTHENTICATED (the code its next request gets), and nothing committed after the
// revocation reaches them. Embedded database, one server in process.
import { revokeToken } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileServer, hostileFixtures, startHostileServer } from '../hostile/support.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { errorCode, openSse, openWebSocket, type Recorded } from './support/streams.ts';

let db: TestDatabase;
let fixtures: Awaited<ReturnType<typeof hostileFixtures>>;
let writer: string;
const servers: HostileServer[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  fixtures = await hostileFixtures(db);
  writer = await fixtures.issue({ name: 'writer', role: 'PLANNING', municipality: '990071' });
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await db?.close();
});

async function start(livePollMs?: number) {
  const server = await startHostileServer({ db, livePollMs });
  servers.push(server);
  return server;
}

/** The editors' view: drafts of their department included. */
const DRAFT_EDITS =
  'subscription { planChanged(filter: { municipality: "990071", department: "kyoiku" }) { kind cursor plan { mission } } }';

let version: number | undefined;
/** Edits the kyoiku draft through the API (as the planning section): one live event. */
async function editDraft(server: HostileServer, mission: string) {
  version ??= fixtures.draftVersion;
  const { body } = await server.post(
    {
      query:
        'mutation Edit($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename ... on UpdatePlanSuccess { plan { version } } } }',
      variables: { input: { id: fixtures.draftId, expectedVersion: version, mission } },
    },
    { authorization: `Bearer ${writer}`, 'x-hoshin-csrf': '1' },
  );
  if (body?.data?.updatePlan?.__typename !== 'UpdatePlanSuccess')
    throw new Error(`edit failed: ${JSON.stringify(body)}`);
  version = body.data.updatePlan.plan.version;
}

const missions = (stream: Recorded) =>
  stream.messages
    .filter((m) => m.type === 'next' && m.payload.data)
    .map((m) => m.payload.data.planChanged.plan?.mission);

/** A fresh editor token of kyoiku, its prefix, and an SSE stream and a WebSocket it opened, both seen live. */
async function openedBy(server: HostileServer, name: string, expiresAt?: Date) {
  const token = await fixtures.issue({
    name,
    role: 'EDITOR',
    municipality: '990071',
    department: 'kyoiku',
    ...(expiresAt ? { expiresAt } : {}),
  });
  const sse = await openSse(server.url, DRAFT_EDITS, token);
  const ws = await openWebSocket(server.url, DRAFT_EDITS, token);
  // Both are live once an edit reaches them (a WebSocket subscribes after its ack).
  const seen = `${name}: live`;
  for (let attempt = 0; !(missions(sse).includes(seen) && missions(ws).includes(seen)); attempt++) {
    if (attempt === 50) throw new Error('the streams did not go live');
    await editDraft(server, seen);
    await Promise.race([
      Promise.all(
        [sse, ws].map((s) =>
          s.until((m) => m.payload?.data?.planChanged?.plan?.mission === seen, 200),
        ),
      ),
      new Promise((r) => setTimeout(r, 200)),
    ]).catch(() => {});
  }
  return { token, prefix: token.split('_')[1] as string, sse, ws };
}

/** How the SSE stream ended: the UNAUTHENTICATED error, then `complete`. */
function expectSseEndedUnauthenticated(sse: Recorded, message: RegExp) {
  const last = sse.messages.slice(-2);
  expect(last.map((m) => m.type)).toEqual(['next', 'complete']);
  expect(errorCode(last[0] as Recorded['messages'][number])).toBe('UNAUTHENTICATED');
  expect(last[0]?.payload.errors[0].message).toMatch(message);
}

/** How the WebSocket ended: the operation's UNAUTHENTICATED error and the socket closed with 4401. */
function expectWsEndedUnauthenticated(ws: Recorded, message: RegExp) {
  const close = ws.messages.find((m) => m.type === 'close');
  expect(close?.payload.code).toBe(4401);
  expect(close?.payload.reason).toMatch(message);
  // Nothing but the end after the last event: an error for the operation, if it came first.
  const afterEvents = ws.messages.slice(
    ws.messages.findLastIndex((m) => m.type === 'next' && m.payload.data) + 1,
  );
  for (const message of afterEvents) {
    if (message.type === 'next') expect(errorCode(message)).toBe('UNAUTHENTICATED');
  }
}

/** The end of a stream: SSE's `complete`, the socket's close. */
const end = (m: Recorded['messages'][number]) => m.type === 'complete' || m.type === 'close';

describe('a revoked token loses its open streams', () => {
  it('ends its SSE stream and its WebSocket within 5 s with UNAUTHENTICATED, and delivers nothing after', async () => {
    const server = await start();
    const other = await openedBy(server, 'still valid');
    const revoked = await openedBy(server, 'revoked');
    const revokedAt = Date.now();
    await revokeToken(db.prisma, revoked.prefix);
    await Promise.all([revoked.sse, revoked.ws].map((s) => s.until(end, 5000)));
    const took = Math.max(
      ...[revoked.sse, revoked.ws].map((s) => (s.messages.find(end)?.at ?? 0) - revokedAt),
    );
    console.info(`revoked token's SSE stream and WebSocket ended ${took} ms after the revocation`);
    expect(took).toBeLessThan(5000);
    expectSseEndedUnauthenticated(revoked.sse, /revoked/);
    expectWsEndedUnauthenticated(revoked.ws, /revoked/);
    // The next edit reaches the token still valid, and nothing more reaches the revoked one.
    const before = [revoked.sse.messages.length, revoked.ws.messages.length];
    await editDraft(server, 'after the revocation');
    await other.sse.until(
      (m) => m.payload?.data?.planChanged?.plan?.mission === 'after the revocation',
    );
    await other.ws.until(
      (m) => m.payload?.data?.planChanged?.plan?.mission === 'after the revocation',
    );
    expect([revoked.sse.messages.length, revoked.ws.messages.length]).toEqual(before);
    // Its next request is refused with the same code.
    const { status, body } = await server.post(
      { query: '{ __typename }' },
      { authorization: `Bearer ${revoked.token}` },
    );
    expect(status).toBe(401);
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    other.sse.close();
    other.ws.close();
  });

  it('ends them within 5 s when the revocation is written by another process (no notice: the poll finds it)', async () => {
    const server = await start(1000);
    const revoked = await openedBy(server, 'revoked elsewhere');
    const revokedAt = Date.now();
    // As `hoshin token revoke` run against PostgreSQL from another host: the row alone.
    await db.prisma.apiToken.update({
      where: { prefix: revoked.prefix },
      data: { revokedAt: new Date() },
    });
    await Promise.all([revoked.sse, revoked.ws].map((s) => s.until(end, 5000)));
    console.info(
      `ended ${Math.max(...[revoked.sse, revoked.ws].map((s) => (s.messages.find(end)?.at ?? 0) - revokedAt))} ms after a silent revocation (poll 1000 ms)`,
    );
    expectSseEndedUnauthenticated(revoked.sse, /revoked/);
    expectWsEndedUnauthenticated(revoked.ws, /revoked/);
  });

  it('never delivers an event committed after the revocation, even before any poll or notice', async () => {
    // A poll far away: only the check before each delivery can stop the event.
    const server = await start(60_000);
    const revoked = await openedBy(server, 'revoked then edited');
    await db.prisma.apiToken.update({
      where: { prefix: revoked.prefix },
      data: { revokedAt: new Date() },
    });
    await editDraft(server, 'committed after the revocation');
    await Promise.all([revoked.sse, revoked.ws].map((s) => s.until(end, 5000)));
    for (const stream of [revoked.sse, revoked.ws]) {
      expect(missions(stream)).not.toContain('committed after the revocation');
    }
    expectSseEndedUnauthenticated(revoked.sse, /revoked/);
    expectWsEndedUnauthenticated(revoked.ws, /revoked/);
  });

  it('ends the streams of a token when it expires', async () => {
    const server = await start(500);
    const expiresAt = new Date(Date.now() + 4000);
    const expiring = await openedBy(server, 'expiring', expiresAt);
    await Promise.all([expiring.sse, expiring.ws].map((s) => s.until(end, 10_000)));
    const after = Math.max(
      ...[expiring.sse, expiring.ws].map(
        (s) => (s.messages.find(end)?.at ?? 0) - expiresAt.getTime(),
      ),
    );
    console.info(`expired token's streams ended ${after} ms after its expiry (poll 500 ms)`);
    expect(after).toBeGreaterThanOrEqual(0);
    expect(after).toBeLessThan(5000);
    expectSseEndedUnauthenticated(expiring.sse, /expired/);
    expectWsEndedUnauthenticated(expiring.ws, /expired/);
  });
});
