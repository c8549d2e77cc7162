// Every limit on every transport: the stream cap for any subscription request over HTTP, the
// subscription cap and the rate limit over a WebSocket, the WebSocket message size, and cached
// answers held to the rate limit and the CSRF check. Each case asserts the refusal and that the
// next normal request is served. The figures the issue asks for are printed (console.info).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { expectRefusal, type HostileServer, NORMAL_QUERY, startHostileServer } from './support.ts';

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

const SUBSCRIPTION = 'subscription { planChanged { __typename } }';

/** A loopback address no other test (or run) is likely to share a rate-limit key with. */
const randomLoopback = () =>
  `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

/** A graphql-transport-ws socket, acknowledged, with every message it receives. */
async function openProtocolSocket(
  server: HostileServer,
  options: { localAddress?: string; connectionParams?: Record<string, unknown> } = {},
) {
  const socket = new WebSocket(
    `${server.url.replace('http', 'ws')}/graphql`,
    'graphql-transport-ws',
    {
      localAddress: options.localAddress,
    },
  );
  const messages: any[] = [];
  const closed = new Promise<{ code: number; reason: string }>((done) =>
    socket.on('close', (code, reason) => done({ code, reason: reason.toString() })),
  );
  socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
  await new Promise<void>((done, fail) => {
    socket.once('open', () => done());
    socket.once('error', fail);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: options.connectionParams ?? {} }));
  return {
    socket,
    messages,
    closed,
    send: (message: unknown) => socket.send(JSON.stringify(message)),
    /** Waits until `predicate` holds for the messages received, or fails after `ms`. */
    async until(predicate: (messages: any[]) => boolean, ms = 5000) {
      const deadline = Date.now() + ms;
      while (!predicate(messages)) {
        if (Date.now() > deadline || socket.readyState === WebSocket.CLOSED) {
          throw new Error(`not seen in time: ${JSON.stringify(messages).slice(0, 500)}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** The error code of a refusal, sent as JSON or (under Accept: text/event-stream) as one event. */
const codeOf = (body: string) => /"code":"([A-Z_]+)"/.exec(body)?.[1];

function openStream(server: HostileServer, accept: string | undefined, signal: AbortSignal) {
  return fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
    body: JSON.stringify({ query: SUBSCRIPTION }),
    signal,
  });
}

describe('the stream cap holds for every way of asking for a subscription', () => {
  it('counts subscriptions sent with any Accept header, or none, against the same cap', async () => {
    const cap = 4;
    const server = await start({ http: { maxConnectionsPerClient: cap } });
    const abort = new AbortController();
    // Yoga refuses a subscription under a JSON-only Accept (406); every other way opens a stream.
    const accepts = [
      'text/event-stream',
      undefined,
      '*/*',
      '*/*',
      undefined,
      'text/event-stream',
      '*/*',
    ];
    const statuses: number[] = [];
    const codes: unknown[] = [];
    for (const accept of accepts) {
      const response = await openStream(server, accept, abort.signal);
      statuses.push(response.status);
      if (response.status === 429) {
        codes.push(codeOf(await response.text()));
      }
    }
    const opened = statuses.filter((status) => status === 200).length;
    console.info(
      `streams opened against a cap of ${cap}: ${opened} of ${accepts.length} (statuses ${statuses.join(' ')})`,
    );
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429, 429]);
    expect(new Set(codes)).toEqual(new Set(['TOO_MANY_CONNECTIONS']));
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      expect((await openStream(server, accept, abort.signal)).status).not.toBe(200);
    }
    await server.stillServes();
    abort.abort();
    // Closing the streams gives the slots back, once the server has seen them close.
    const again = new AbortController();
    await expect
      .poll(async () => (await openStream(server, '*/*', again.signal)).status, { timeout: 5000 })
      .toBe(200);
    again.abort();
  });
});

describe('WebSocket limits', () => {
  it('keeps at most the cap of subscriptions live when 200 subscribe messages arrive back to back', async () => {
    const cap = 20;
    const server = await start({
      http: { maxSubscriptionsPerConnection: cap },
      security: { rateLimitPerAddress: 10_000 },
    });
    const client = await openProtocolSocket(server);
    await client.until((messages) => messages.some((m) => m.type === 'connection_ack'));
    for (let i = 0; i < 200; i++) {
      client.send({ id: `s${i}`, type: 'subscribe', payload: { query: SUBSCRIPTION } });
    }
    await client.until(
      (messages) => messages.filter((m) => m.type === 'error').length >= 200 - cap,
      20_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    const refused = client.messages.filter((m) => m.type === 'error');
    const live = 200 - refused.length;
    console.info(
      `subscriptions live on one WebSocket after 200 back-to-back: ${live} (cap ${cap})`,
    );
    expect(live).toBe(cap);
    expect(new Set(refused.map((m) => m.payload[0].extensions.code))).toEqual(
      new Set(['TOO_MANY_SUBSCRIPTIONS']),
    );
    // The socket still answers a query, once a slot is given back.
    client.send({ id: 's0', type: 'complete' });
    client.send({ id: 'q', type: 'subscribe', payload: { query: NORMAL_QUERY } });
    await client.until((messages) => messages.some((m) => m.id === 'q' && m.type === 'next'));
    expect(client.messages.find((m) => m.id === 'q' && m.type === 'next').payload.data).toEqual({
      fiscalYear: { label: '平成24年度' },
    });
    client.socket.close();
    await server.stillServes();
  });

  it('counts anonymous operations over a WebSocket against the address rate limit, one error per operation', async () => {
    const limit = 5;
    const server = await start({ security: { rateLimitPerAddress: limit } });
    const address = randomLoopback();
    const client = await openProtocolSocket(server, { localAddress: address });
    await client.until((messages) => messages.some((m) => m.type === 'connection_ack'));
    const sent = 12;
    for (let i = 0; i < sent; i++) {
      client.send({ id: `q${i}`, type: 'subscribe', payload: { query: NORMAL_QUERY } });
    }
    await client.until(
      (messages) =>
        messages.filter((m) => m.type === 'complete' || m.type === 'error').length >= sent,
    );
    const answered = client.messages.filter((m) => m.type === 'next').length;
    const refused = client.messages.filter((m) => m.type === 'error');
    console.info(
      `anonymous WebSocket operations answered: ${answered} of ${sent} (limit ${limit})`,
    );
    expect(answered).toBe(limit);
    expect(refused).toHaveLength(sent - limit);
    expect(refused[0].payload[0].extensions.code).toBe('RATE_LIMITED');
    expect(refused[0].payload[0].extensions.retryAfterSeconds).toBeGreaterThan(0);
    // One refusal per operation: the socket stays open.
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
    await server.stillServes();
  });

  it('refuses a message larger than the body limit and closes with 1009; the next socket is served', async () => {
    const maxBodyBytes = 64 * 1024;
    const server = await start({ security: { maxBodyBytes } });
    const client = await openProtocolSocket(server);
    await client.until((messages) => messages.some((m) => m.type === 'connection_ack'));
    const query = `{ fiscalYear(year: 2012) { label } } # ${'x'.repeat(maxBodyBytes)}`;
    client.send({ id: 'big', type: 'subscribe', payload: { query } });
    const { code } = await client.closed;
    expect(code).toBe(1009);
    console.info(
      `largest WebSocket message accepted: ${maxBodyBytes} bytes (HOSHIN_MAX_BODY_BYTES)`,
    );
    const next = await openProtocolSocket(server);
    await next.until((messages) => messages.some((m) => m.type === 'connection_ack'));
    next.send({ id: 'q', type: 'subscribe', payload: { query: NORMAL_QUERY } });
    await next.until((messages) => messages.some((m) => m.id === 'q' && m.type === 'next'));
    next.socket.close();
    await server.stillServes();
  });
});

describe('one refused WebSocket operation does not end the others', () => {
  it('answers an operation over the depth limit with an error for it alone', async () => {
    const server = await start({ security: { maxDepth: 3 } });
    const client = await openProtocolSocket(server);
    await client.until((messages) => messages.some((m) => m.type === 'connection_ack'));
    client.send({ id: 'live', type: 'subscribe', payload: { query: SUBSCRIPTION } });
    const deep = '{ plans { edges { node { department { municipality { name } } } } } }';
    client.send({ id: 'deep', type: 'subscribe', payload: { query: deep } });
    client.send({
      id: 'bad-vars',
      type: 'subscribe',
      payload: {
        query: 'query Year($year: Int!) { fiscalYear(year: $year) { label } }',
        variables: { year: 'two thousand' },
      },
    });
    client.send({ id: 'syntax', type: 'subscribe', payload: { query: '{ fiscalYear(' } });
    // Refused before it runs: an `error` message; refused while it runs (variables are coerced
    // at execution): a `next` carrying errors, then `complete`.
    const errorOf = (id: string) => {
      const message = client.messages.find(
        (m) => m.id === id && (m.type === 'error' || (m.type === 'next' && m.payload.errors)),
      );
      return message?.type === 'error' ? message.payload[0] : message?.payload.errors[0];
    };
    await client.until(() => ['deep', 'bad-vars', 'syntax'].every((id) => errorOf(id)));
    expect(errorOf('deep').extensions.code).toBe('DEPTH_LIMIT_EXCEEDED');
    expect(errorOf('bad-vars').extensions.code).toBe('BAD_USER_INPUT');
    expect(errorOf('syntax').extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    // The socket and its live subscription are still there.
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    expect(client.messages.some((m) => m.id === 'live' && m.type !== 'next')).toBe(false);
    client.send({ id: 'q', type: 'subscribe', payload: { query: NORMAL_QUERY } });
    await client.until((messages) => messages.some((m) => m.id === 'q' && m.type === 'next'));
    client.socket.close();
    await server.stillServes();
  });

  it('closes a socket whose connectionParams carry a bad or expired token with 4401 and a reason, never 4500', async () => {
    const server = await start();
    const { tokenFor } = await import('../support/factories.ts');
    const expired = await tokenFor(db.prisma, { name: 'expired-ws', role: 'ADMIN' });
    await db.prisma.apiToken.update({
      where: { prefix: expired.split('_')[1] },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    for (const authorization of [
      `Bearer hsn_AAAAAAAAAAAA_${'x'.repeat(43)}`,
      `Bearer ${expired}`,
      'Basic abc',
    ]) {
      const client = await openProtocolSocket(server, { connectionParams: { authorization } });
      const { code, reason } = await client.closed;
      expect(code).toBe(4401);
      expect(reason).toMatch(/token|Bearer/i);
      expect(client.messages.some((m) => m.type === 'connection_ack')).toBe(false);
    }
    // A valid token on the next socket is served.
    const good = await tokenFor(db.prisma, { name: 'good-ws', role: 'ADMIN' });
    const client = await openProtocolSocket(server, {
      connectionParams: { authorization: `Bearer ${good}` },
    });
    await client.until((messages) => messages.some((m) => m.type === 'connection_ack'));
    client.send({ id: 'q', type: 'subscribe', payload: { query: NORMAL_QUERY } });
    await client.until((messages) => messages.some((m) => m.id === 'q' && m.type === 'next'));
    client.socket.close();
    await server.stillServes();
  });
});

describe("graphql-sse's single-connection mode", () => {
  it('is refused with 405, Allow and a code saying to use distinct connections', async () => {
    const server = await start();
    // The mode opens with a PUT reserving a stream...
    const put = await fetch(`${server.url}/graphql`, { method: 'PUT' });
    const putBody = (await put.json()) as any;
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expectRefusal({ status: put.status, body: putBody }, 405, 'SSE_SINGLE_CONNECTION_UNSUPPORTED');
    expect(putBody.errors[0].message).toMatch(/distinct-connections mode/);
    // ...then sends operations and opens the stream with the reservation's token.
    for (const init of <RequestInit[]>[
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-graphql-event-stream-token': 'abc',
        },
        body: JSON.stringify({ query: SUBSCRIPTION, extensions: { operationId: '1' } }),
      },
      {
        method: 'GET',
        headers: { accept: 'text/event-stream', 'x-graphql-event-stream-token': 'abc' },
      },
    ]) {
      const response = await fetch(`${server.url}/graphql`, init);
      expectRefusal(
        { status: response.status, body: await response.json() },
        405,
        'SSE_SINGLE_CONNECTION_UNSUPPORTED',
      );
    }
    // Distinct-connections mode (a POST per subscription) is served.
    const abort = new AbortController();
    const stream = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: SUBSCRIPTION }),
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    abort.abort();
    await server.stillServes();
  });
});
