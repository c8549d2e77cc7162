// Floods and slow clients: rate limits per address and per token, caps on open streams,
// WebSockets and subscriptions, Node's header and request timeouts. After each refusal the
// server still serves a normal request.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/database.ts';
import { tokenFor } from '../support/factories.ts';
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

/** A POST from a chosen loopback address (127.0.0.0/8 is all loopback on Linux). */
function postFrom(
  server: HostileServer,
  localAddress: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: any }>(
    (done, fail) => {
      const req = httpRequest(
        `${server.url}/graphql`,
        {
          method: 'POST',
          localAddress,
          headers: { 'content-type': 'application/json', ...headers },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () =>
            done({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }),
          );
        },
      );
      req.on('error', fail);
      req.end(JSON.stringify(body));
    },
  );
}

/** A loopback address no other test (or run) is likely to share a rate-limit key with. */
const randomLoopback = () =>
  `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

describe('rate limits', () => {
  it('refuses an address over its limit with 429, RATE_LIMITED and the standard headers', async () => {
    const server = await start({ security: { rateLimitPerAddress: 3 } });
    const address = randomLoopback();
    const remaining: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await postFrom(server, address, { query: NORMAL_QUERY });
      expect(response.status).toBe(200);
      remaining.push(response.headers['ratelimit-remaining']);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await postFrom(server, address, { query: NORMAL_QUERY });
    expectRefusal(refused, 429, 'RATE_LIMITED');
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.headers['ratelimit-limit']).toBe('3');
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.headers['ratelimit-policy']).toBe('3;w=60');
    // Another client is not affected.
    expect((await postFrom(server, randomLoopback(), { query: NORMAL_QUERY })).status).toBe(200);
  });

  it('counts a token by itself, not by the address it comes from', async () => {
    const server = await start({ security: { rateLimitPerAddress: 100, rateLimitPerToken: 2 } });
    const token = await tokenFor(db.prisma, { name: 'flood', role: 'ADMIN' });
    const address = randomLoopback();
    const auth = { authorization: `Bearer ${token}` };
    expect((await postFrom(server, address, { query: NORMAL_QUERY }, auth)).status).toBe(200);
    expect((await postFrom(server, address, { query: NORMAL_QUERY }, auth)).status).toBe(200);
    const refused = await postFrom(server, address, { query: NORMAL_QUERY }, auth);
    expectRefusal(refused, 429, 'RATE_LIMITED');
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    // The same address without the token is still served.
    expect((await postFrom(server, address, { query: NORMAL_QUERY })).status).toBe(200);
  });

  it('counts guessed tokens against the address, so guessing is rate limited too', async () => {
    const server = await start({ security: { rateLimitPerAddress: 3 } });
    const address = randomLoopback();
    const guess = { authorization: `Bearer hsn_AAAAAAAAAAAA_${'x'.repeat(43)}` };
    for (let i = 0; i < 3; i++) {
      expectRefusal(
        await postFrom(server, address, { query: NORMAL_QUERY }, guess),
        401,
        'UNAUTHENTICATED',
      );
    }
    expectRefusal(
      await postFrom(server, address, { query: NORMAL_QUERY }, guess),
      429,
      'RATE_LIMITED',
    );
    await server.stillServes();
  });

  // Needs Redis: defined only in the services ('postgres') project, where CI provides it.
  if (onPostgres) {
    it('shares an address limit between two instances through Redis', async () => {
      const redisUrl = process.env.TEST_REDIS_URL;
      if (!redisUrl) throw new Error('TEST_REDIS_URL must name the Redis to test against');
      const a = await start({ security: { rateLimitPerAddress: 2 }, redisUrl });
      const b = await start({ security: { rateLimitPerAddress: 2 }, redisUrl });
      // Until its Redis connection is up an instance counts in memory (the insurance limiter):
      // wait until a third request from a new address, two answered by different instances,
      // is refused (in memory each would have counted 1 and 2), then check on yet another.
      await expect
        .poll(async () => {
          const probe = randomLoopback();
          await postFrom(a, probe, { query: NORMAL_QUERY });
          await postFrom(b, probe, { query: NORMAL_QUERY });
          return (await postFrom(a, probe, { query: NORMAL_QUERY })).status;
        })
        .toBe(429);
      const address = randomLoopback();
      expect((await postFrom(a, address, { query: NORMAL_QUERY })).status).toBe(200);
      expect((await postFrom(b, address, { query: NORMAL_QUERY })).status).toBe(200);
      expectRefusal(await postFrom(a, address, { query: NORMAL_QUERY }), 429, 'RATE_LIMITED');
      expectRefusal(await postFrom(b, address, { query: NORMAL_QUERY }), 429, 'RATE_LIMITED');
    });
  }
});

describe('tokens', () => {
  it('refuses an expired token with 401, never as anonymous', async () => {
    const server = await start();
    const token = await tokenFor(db.prisma, {
      name: 'old',
      role: 'ADMIN',
      expiresAt: new Date(Date.now() + 60_000),
    });
    const prefix = token.split('_')[1];
    await db.prisma.apiToken.update({ where: { prefix }, data: { expiresAt: new Date(0) } });
    const response = await server.post(
      { query: NORMAL_QUERY },
      { authorization: `Bearer ${token}` },
    );
    expectRefusal(response, 401, 'UNAUTHENTICATED');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    await server.stillServes();
  });

  it('refuses a revoked token with 401', async () => {
    const server = await start();
    const token = await tokenFor(db.prisma, { name: 'revoked', role: 'ADMIN' });
    const prefix = token.split('_')[1];
    await db.prisma.apiToken.update({ where: { prefix }, data: { revokedAt: new Date() } });
    expectRefusal(
      await server.post({ query: NORMAL_QUERY }, { authorization: `Bearer ${token}` }),
      401,
      'UNAUTHENTICATED',
    );
    await server.stillServes();
  });

  it('refuses a token with a valid prefix and a forged secret', async () => {
    const server = await start();
    const token = await tokenFor(db.prisma, { name: 'real', role: 'ADMIN' });
    const forged = `${token.slice(0, -4)}AAAA`;
    expectRefusal(
      await server.post({ query: NORMAL_QUERY }, { authorization: `Bearer ${forged}` }),
      401,
      'UNAUTHENTICATED',
    );
    await server.stillServes();
  });
});

const SUBSCRIPTION = 'subscription { planChanged { __typename } }';

function openStream(server: HostileServer, signal: AbortSignal) {
  return fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: SUBSCRIPTION }),
    signal,
  });
}

describe('subscription and connection floods', () => {
  it('refuses a client more open event streams than its cap', async () => {
    const server = await start({ http: { maxConnectionsPerClient: 3 } });
    const abort = new AbortController();
    const streams = await Promise.all([1, 2, 3].map(() => openStream(server, abort.signal)));
    expect(streams.map((s) => s.status)).toEqual([200, 200, 200]);
    const refused = await openStream(server, abort.signal);
    expect(refused.status).toBe(429);
    // JSON, or one SSE event under Accept: text/event-stream.
    expect(await refused.text()).toContain('"code":"TOO_MANY_CONNECTIONS"');
    await server.stillServes();
    abort.abort();
    // Once the server has seen the streams close, the client may open new ones.
    const again = new AbortController();
    await expect
      .poll(async () => (await openStream(server, again.signal)).status, { timeout: 5000 })
      .toBe(200);
    again.abort();
  });

  it('refuses a WebSocket over the per-client cap at the upgrade, with 429', async () => {
    const server = await start({ http: { maxConnectionsPerClient: 2 } });
    const url = `${server.url.replace('http', 'ws')}/graphql`;
    const open = (): Promise<WebSocket> =>
      new Promise((done, fail) => {
        const socket = new WebSocket(url, 'graphql-transport-ws');
        socket.once('open', () => done(socket));
        socket.once('unexpected-response', (_req, res) => fail(new Error(`${res.statusCode}`)));
        socket.once('error', fail);
      });
    const sockets = [await open(), await open()];
    await expect(open()).rejects.toThrow('429');
    await server.stillServes();
    for (const socket of sockets) socket.close();
    // Once the server has seen them close, a socket opens again.
    const reopened = await vi.waitFor(() => open(), { timeout: 5000, interval: 20 });
    reopened.close();
  });

  it('refuses more subscriptions on one WebSocket than its cap, with TOO_MANY_SUBSCRIPTIONS', async () => {
    const server = await start({ http: { maxSubscriptionsPerConnection: 2 } });
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    const disposers: (() => void)[] = [];
    const errors: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      disposers.push(
        client.subscribe(
          { query: SUBSCRIPTION },
          { next: () => {}, error: (error) => errors.push(error), complete: () => {} },
        ),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(errors).toHaveLength(1);
    expect((errors[0] as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe(
      'TOO_MANY_SUBSCRIPTIONS',
    );
    for (const dispose of disposers) dispose();
    await client.dispose();
    await server.stillServes();
  });
});

describe('slow clients', () => {
  it('cuts off a client that never finishes its headers (slowloris) with 408', async () => {
    const server = await start({ http: { headersTimeoutMs: 500, requestTimeoutMs: 1000 } });
    const started = Date.now();
    const answer = await new Promise<string>((done) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write('POST /graphql HTTP/1.1\r\nHost: x\r\n');
        // ...and then one header line a while, never the blank line.
        const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk;
        });
        socket.on('close', () => {
          clearInterval(drip);
          done(text);
        });
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5000);
    await server.stillServes();
  });

  it('cuts off a client that sends its body too slowly with 408', async () => {
    const server = await start({ http: { headersTimeoutMs: 500, requestTimeoutMs: 1000 } });
    const answer = await new Promise<string>((done) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":',
        );
        const drip = setInterval(() => socket.write(' '), 200);
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk;
        });
        socket.on('close', () => {
          clearInterval(drip);
          done(text);
        });
      });
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    await server.stillServes();
  });

  it('answers an operation that runs past the execution timeout with EXECUTION_TIMEOUT', async () => {
    // A database that answers every statement 100 ms late (PGlite itself never yields).
    const slowPrisma = db.prisma.$extends({
      query: {
        async $allOperations({ args, query }) {
          await new Promise((r) => setTimeout(r, 100));
          return query(args);
        },
      },
    }) as unknown as typeof db.prisma;
    const server = await start({
      db: { ...db, prisma: slowPrisma },
      security: { executionTimeoutMs: 50 },
    });
    const started = Date.now();
    const response = await server.post({ query: '{ plans { totalCount } }' });
    expectRefusal(response, 503, 'EXECUTION_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(100 + 1000);
    const normal = await start();
    await normal.stillServes();
  });
});
