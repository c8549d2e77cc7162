// The anonymous read cache answers without Yoga, and still every cached answer is counted
// against the rate limit and CSRF-checked exactly like an uncached one.
import { request as httpRequest } from 'node:http';
import { defaultSecurity } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  const server = await startHostileServer({ db, readCache: true, ...options });
  servers.push(server);
  return server;
}

const randomLoopback = () =>
  `127.${1 + Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

function send(
  server: HostileServer,
  localAddress: string,
  method: 'GET' | 'POST',
  headers: Record<string, string> = {},
): Promise<Answer> {
  const path = method === 'GET' ? `/graphql?query=${encodeURIComponent(NORMAL_QUERY)}` : '/graphql';
  return new Promise((done, fail) => {
    const req = httpRequest(
      `${server.url}${path}`,
      {
        method,
        localAddress,
        headers: {
          accept: 'application/json',
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {}
          done({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      },
    );
    req.on('error', fail);
    req.end(method === 'POST' ? JSON.stringify({ query: NORMAL_QUERY }) : undefined);
  });
}

/** Sends until the answer comes from the cache (it arms once the change feed runs). */
async function untilCached(
  server: HostileServer,
  address: string,
  method: 'GET' | 'POST',
  headers: Record<string, string> = {},
) {
  for (let i = 0; i < 50; i++) {
    const answer = await send(server, address, method, headers);
    expect(answer.status).toBe(200);
    if (answer.headers['x-hoshin-cache'] === 'HIT') return i + 1;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the read cache never answered');
}

describe('answers from the read cache', () => {
  it('count against the rate limit like any other: over the limit is refused', async () => {
    const server = await start({ security: { rateLimitPerAddress: 1000 } });
    // Fill the cache from one address...
    await untilCached(server, randomLoopback(), 'POST');
    // ...then spend another address's whole budget on cached answers only.
    const limited = await start({ security: { rateLimitPerAddress: 3 } });
    await untilCached(limited, randomLoopback(), 'POST');
    const address = randomLoopback();
    const remaining: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await send(limited, address, 'POST');
      expect(answer.status).toBe(200);
      expect(answer.headers['x-hoshin-cache']).toBe('HIT');
      remaining.push(answer.headers['ratelimit-remaining']);
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await send(limited, address, 'POST');
    expectRefusal(refused, 429, 'RATE_LIMITED');
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.headers['x-hoshin-cache']).toBeUndefined();
    // Another client is still served, from the cache.
    const other = await send(limited, randomLoopback(), 'POST');
    expect(other.status).toBe(200);
    expect(other.headers['x-hoshin-cache']).toBe('HIT');
    await server.stillServes();
  });

  it('a cross-site GET without the CSRF header is refused even when its answer is cached', async () => {
    const server = await start({
      security: { ...defaultSecurity('production'), rateLimitPerAddress: 1000 },
    });
    const csrf = { 'x-hoshin-csrf': '1' };
    await untilCached(server, randomLoopback(), 'GET', csrf);
    const refused = await send(server, randomLoopback(), 'GET');
    expectRefusal(refused, 403, 'CSRF_HEADER_REQUIRED');
    expect(refused.headers['x-hoshin-cache']).toBeUndefined();
    // With the header, the cached answer is served.
    const served = await send(server, randomLoopback(), 'GET', csrf);
    expect(served.status).toBe(200);
    expect(served.headers['x-hoshin-cache']).toBe('HIT');
    expect(served.body.data.fiscalYear.label).toBe('平成24年度');
    await server.stillServes();
  });
});
