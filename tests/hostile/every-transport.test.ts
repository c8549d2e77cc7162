// One pipeline for every transport: the same document is refused over HTTP, over SSE and over
// a WebSocket with the same code (trusted documents, document limits, cost), and what is
// allowed runs on all three. And the stream cap holds exactly, right after a fresh start, for a
// burst of concurrent SSE subscriptions from one address.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { type HostileServer, startHostileServer } from './support.ts';

const manifest = resolve(
  import.meta.dirname,
  '../../packages/client/src/generated/persisted-documents.json',
);
const FISCAL_YEAR = 'sha256:d8267f5ad5863795c72884dbd19d5a956daf036d764865a281c911115d72b21e';
const PLAN_CHANGES = 'sha256:28ebdac40a588b5a61127d528251b89d226903869daaa727ea55a0a2b73613f4';

let db: TestDatabase;
const servers: HostileServer[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await db?.close();
});
async function start(options: Parameters<typeof startHostileServer>[0] = {}) {
  const server = await startHostileServer({ db, ...options });
  servers.push(server);
  return server;
}

type Params = Record<string, unknown>;
/** What came back: the first error's code, or the data of the first result. */
type Answer = { code?: string; data?: unknown };

const codeIn = (text: string) => /"code":"([A-Z_]+)"/.exec(text)?.[1];

async function overHttp(server: HostileServer, params: Params): Promise<Answer> {
  const { body } = await server.post(params, { 'x-hoshin-csrf': '1' });
  return { code: body?.errors?.[0]?.extensions?.code, data: body?.data ?? undefined };
}

async function overSse(server: HostileServer, params: Params): Promise<Answer> {
  const abort = new AbortController();
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'x-hoshin-csrf': '1',
    },
    body: JSON.stringify(params),
    signal: abort.signal,
  });
  // The first event (or the refusal) is all this needs: read until one arrives.
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  while (reader && !/^data: \{.*$/m.test(text)) {
    const chunk = await reader.read();
    if (chunk.done) break;
    text += chunk.value;
  }
  abort.abort();
  const data = /^data: (\{.*)$/m.exec(text)?.[1];
  const parsed = data ? JSON.parse(data) : undefined;
  return { code: codeIn(text), data: parsed?.data ?? undefined };
}

function overWebSocket(server: HostileServer, params: Params): Promise<Answer> {
  return new Promise((done, fail) => {
    const socket = new WebSocket(
      `${server.url.replace('http', 'ws')}/graphql`,
      'graphql-transport-ws',
    );
    const timer = setTimeout(() => fail(new Error('no answer over the WebSocket')), 10_000);
    const finish = (answer: Answer) => {
      clearTimeout(timer);
      socket.close();
      done(answer);
    };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      if (message.type === 'connection_ack') {
        // graphql-ws requires a query string: a document sent by id has an empty one.
        socket.send(
          JSON.stringify({ id: '1', type: 'subscribe', payload: { query: '', ...params } }),
        );
      } else if (message.type === 'error') {
        finish({ code: message.payload[0]?.extensions?.code });
      } else if (message.type === 'next') {
        finish({
          code: message.payload.errors?.[0]?.extensions?.code,
          data: message.payload.data ?? undefined,
        });
      }
    });
    socket.on('error', fail);
  });
}

const transports = { HTTP: overHttp, SSE: overSse, WebSocket: overWebSocket };

/** The same params over every transport. */
async function everyTransport(server: HostileServer, params: Params) {
  const answers: Record<string, Answer> = {};
  for (const [name, send] of Object.entries(transports)) answers[name] = await send(server, params);
  return answers;
}

describe('the same document gets the same answer over HTTP, SSE and WebSocket', () => {
  it('trusted documents: an arbitrary document is refused, an unknown id too, a listed one runs', async () => {
    const server = await start({ security: { trustedDocuments: manifest } });
    const arbitrary = await everyTransport(server, {
      query: '{ fiscalYear(year: 2012) { label } }',
    });
    for (const answer of Object.values(arbitrary))
      expect(answer.code).toBe('PERSISTED_DOCUMENT_REQUIRED');
    const unknown = await everyTransport(server, { documentId: `sha256:${'0'.repeat(64)}` });
    for (const answer of Object.values(unknown))
      expect(answer.code).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    const listed = await everyTransport(server, {
      documentId: FISCAL_YEAR,
      variables: { year: 2012 },
    });
    for (const answer of Object.values(listed)) {
      expect(answer).toMatchObject({ data: { fiscalYear: { label: '平成24年度' } } });
    }
    // A listed subscription opens over SSE and WebSocket alike (no refusal before its events).
    for (const send of [overSse, overWebSocket]) {
      const answer = await Promise.race([
        send(server, { documentId: PLAN_CHANGES, variables: {} }),
        new Promise<Answer>((r) => setTimeout(() => r({ code: 'STILL_OPEN' }), 1000)),
      ]);
      expect(answer.code).toBe('STILL_OPEN');
    }
  });

  it('document limits and cost: the same refusal with the same code', async () => {
    const server = await start({ security: { maxDepth: 4, maxCost: 50 } });
    const deep = await everyTransport(server, {
      query: '{ plans { edges { node { department { municipality { name } } } } } }',
    });
    for (const answer of Object.values(deep)) expect(answer.code).toBe('DEPTH_LIMIT_EXCEEDED');
    const costly = await everyTransport(server, {
      query: '{ plans(first: 100) { edges { node { id } } } }',
    });
    for (const answer of Object.values(costly)) expect(answer.code).toBe('COST_LIMIT_EXCEEDED');
  });

  it('a bad token is refused on every transport with UNAUTHENTICATED', async () => {
    const server = await start();
    const authorization = `Bearer hsn_AAAAAAAAAAAA_${'x'.repeat(43)}`;
    const { body } = await server.post({ query: '{ __typename }' }, { authorization });
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const sse = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization },
      body: JSON.stringify({ query: 'subscription { planChanged { cursor } }' }),
    });
    expect(codeIn(await sse.text())).toBe('UNAUTHENTICATED');
    const socket = new WebSocket(
      `${server.url.replace('http', 'ws')}/graphql`,
      'graphql-transport-ws',
    );
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization } })),
    );
    const [code] = await new Promise<[number]>((r) => socket.on('close', (code) => r([code])));
    expect(code).toBe(4401);
  });
});

describe('the SDK over a WebSocket', () => {
  it('subscribes by documentId to a trusted-documents server, and by text to one without', async () => {
    const { createClient } = await import('@hoshin/client');
    const { webSocketTransport } = await import('@hoshin/client/ws');
    for (const trusted of [true, false]) {
      const server = await start(trusted ? { security: { trustedDocuments: manifest } } : {});
      const states: string[] = [];
      const hoshin = createClient({
        url: `${server.url}/graphql`,
        persistedDocuments: true,
        subscriptionTransport: webSocketTransport({
          url: `${server.url.replace('http', 'ws')}/graphql`,
          webSocketImpl: WebSocket,
        }),
      });
      const abort = new AbortController();
      const events = hoshin.planChanges(null, {
        signal: abort.signal,
        onState: (state) => {
          states.push(
            state.status === 'failed'
              ? `failed: ${state.error.message} ${state.error.codes}`
              : state.status,
          );
          // Live, and not refused in the second after: the server took the document.
          if (state.status === 'live') setTimeout(() => abort.abort(), 1000);
        },
      });
      await events.next().catch(() => {});
      expect(states, trusted ? 'trusted documents' : 'any document').toContain('live');
      expect(
        states.filter((s) => s.startsWith('failed')),
        String(trusted),
      ).toEqual([]);
    }
  });
});

describe('the stream cap right after a fresh start', () => {
  it('admits exactly the cap of a burst of concurrent SSE subscriptions from one address, every time', async () => {
    const cap = 20;
    const burst = 30;
    const runs = 5;
    const admitted: number[] = [];
    for (let run = 0; run < runs; run++) {
      // A fresh server each run: the burst meets it cold.
      const server = await startHostileServer({ db, http: { maxConnectionsPerClient: cap } });
      const abort = new AbortController();
      // Each admitted stream is read as it comes: one that ends before the burst is over gave
      // its slot back (say, its start failed on a server under load), and a later request may
      // rightly take that slot. What must never happen is more than `cap` open at once.
      const endedEarly: string[] = [];
      const statuses = await Promise.all(
        Array.from({ length: burst }, () =>
          fetch(`${server.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
            body: JSON.stringify({ query: 'subscription { planChanged { cursor } }' }),
            signal: abort.signal,
          }).then((response) => {
            if (response.status === 200) {
              response
                .text()
                .then((text) => endedEarly.push(text.slice(0, 200)))
                .catch(() => {}); // aborted below: it was still open
            }
            return response.status;
          }),
        ),
      );
      admitted.push(statuses.filter((status) => status === 200).length - endedEarly.length);
      // Every answer, so that a failure shows what the others were.
      const byStatus: Record<number, number> = {};
      for (const status of statuses) byStatus[status] = (byStatus[status] ?? 0) + 1;
      const shown = `run ${run}: ${JSON.stringify(byStatus)}, ended early: ${JSON.stringify(endedEarly)}`;
      expect(byStatus, shown).toEqual({
        200: cap + endedEarly.length,
        429: burst - cap - endedEarly.length,
      });
      abort.abort();
      await server.close();
    }
    console.info(
      `admitted of ${burst} against a cap of ${cap}, ${runs} fresh starts: ${admitted.join(' ')}`,
    );
    expect(admitted).toEqual(Array(runs).fill(cap));
  });
});
