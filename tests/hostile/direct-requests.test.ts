// JSON POSTs to /graphql reach Yoga without the Fetch adapter (http/direct-requests.ts). Two
// servers on one database, one with that path and one without (HOSHIN_DIRECT_REQUESTS=off),
// with the same small limits, must give every request the same status, the same headers (all
// but the per-response ones) and the same bytes: anonymous and token viewers, bad tokens, bad
// variables, documents over the cost, depth and alias limits, malformed bodies, persisted
// documents, CORS origins, CSRF, oversized bodies, every Accept, and the address and token rate
// limits as they run out. Each request goes to both servers in turn, so their counters agree.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { App } from '@hoshin/server/app';
import { createApp } from '@hoshin/server/app';
import { createLogger } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { tokenFor } from '../support/factories.ts';

const CURSOR_SECRET = 'direct-requests-test-secret-0123456789';
const LIMITS = {
  maxCost: 200,
  maxDepth: 8,
  maxAliases: 3,
  maxBodyBytes: 4096,
  rateLimitPerAddress: 60,
  rateLimitPerToken: 8,
  corsOrigins: ['https://allowed.example'],
};

let db: TestDatabase;
const servers: { direct: App; adapter: App; directUrl: string; adapterUrl: string } = {} as never;
let planning: string;

beforeAll(async () => {
  db = await createTestDatabase({ seed: true });
  const start = async (directRequests: boolean) => {
    const app = await createApp({
      db,
      log: createLogger('silent'),
      config: {
        directRequests,
        cursorSecret: CURSOR_SECRET,
        security: LIMITS,
        webhooks: { deliver: false },
      } as never,
    });
    return { app, url: await app.listen(0, '127.0.0.1') };
  };
  const direct = await start(true);
  const adapter = await start(false);
  Object.assign(servers, {
    direct: direct.app,
    adapter: adapter.app,
    directUrl: direct.url,
    adapterUrl: adapter.url,
  });
  planning = await tokenFor(db.prisma, { name: 'p', role: 'PLANNING', municipality: '132047' });
});
afterAll(async () => {
  await servers.direct?.close(1000);
  await servers.adapter?.close(1000);
  await db?.close();
});

/** Headers that belong to one response (or to the connection), never compared. */
const PER_RESPONSE = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);

interface Answer {
  status: number;
  headers: string[];
  body: string;
}

/** One raw request (node:http, so nothing is normalised on the way): status, headers, bytes. */
function send(
  base: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  const url = new URL(options.path ?? '/graphql', base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: options.method ?? 'POST', headers: options.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers: string[] = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) {
            const name = (res.rawHeaders[i] as string).toLowerCase();
            if (!PER_RESPONSE.has(name)) headers.push(`${name}: ${res.rawHeaders[i + 1]}`);
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: headers.sort(),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * The answer with the seconds until a rate-limit window resets masked: each server's window
 * began at its own first request, a moment apart.
 */
function seconds(answer: Answer): Answer {
  return {
    status: answer.status,
    headers: answer.headers.map((header) =>
      header.replace(/^(ratelimit-reset|retry-after): \d+$/, '$1: <s>'),
    ),
    body: answer.body
      .replace(/retry in \d+ s/g, 'retry in <s> s')
      .replace(/"retryAfterSeconds":\d+/g, '"retryAfterSeconds":"<s>"'),
  };
}

/** The same request to both servers; expects the same answer and returns it. */
async function same(
  options: Parameters<typeof send>[1] & { json?: unknown; token?: string },
): Promise<Answer & { json: any }> {
  const body = options.json === undefined ? options.body : JSON.stringify(options.json);
  const request = {
    ...options,
    body,
    headers: {
      'content-type': 'application/json',
      ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
  };
  const direct = await send(servers.directUrl, request);
  const adapter = await send(servers.adapterUrl, request);
  expect(seconds(direct)).toEqual(seconds(adapter));
  let json: unknown;
  try {
    json = JSON.parse(direct.body);
  } catch {}
  return { ...direct, json };
}

const CONTRACT = `query DepartmentPlan($year: Int!) { plan(municipality: "132047", department: "kyoiku", fiscalYear: $year) { department { code name } fiscalYear { year label } mission status initiatives(first: 5) { totalCount edges { cursor node { position text evaluation { rating } } } pageInfo { hasNextPage endCursor } } } }`;

const code = (answer: { json: any }) => answer.json?.errors?.[0]?.extensions?.code;

describe('direct requests answer as the adapter does', () => {
  it('answers the compiled contract query, anonymously and with a token, under every Accept', async () => {
    for (const accept of [
      undefined,
      '*/*',
      'application/json',
      'application/graphql-response+json',
      'application/graphql-response+json, application/json;q=0.9',
      'text/html',
    ]) {
      for (const token of [undefined, planning]) {
        const answer = await same({
          json: { query: CONTRACT, variables: { year: 2012 } },
          token,
          headers: accept ? { accept } : {},
        });
        if (accept !== 'text/html') {
          expect(answer.status).toBe(200);
          expect(answer.json.data.plan.initiatives.edges.length).toBeGreaterThan(0);
        }
      }
    }
    // Not found, an operation name, a query the compiled read declines.
    await same({ json: { query: CONTRACT, variables: { year: 1999 } } });
    await same({ json: { query: CONTRACT, variables: { year: 2012 }, operationName: 'Nope' } });
    await same({ json: { query: '{ municipality(code: "132047") { code name } }' } });
  });

  it('refuses bad tokens, bad variables and documents over the limits alike', async () => {
    const badToken = await same({
      json: { query: CONTRACT, variables: { year: 2012 } },
      token: 'hsn_nope',
    });
    expect(badToken.status).toBe(401);
    expect(code(await same({ json: { query: CONTRACT, variables: { year: 'x' } } }))).toBe(
      'BAD_USER_INPUT',
    );
    await same({ json: { query: CONTRACT } });
    const overCost = await same({
      json: { query: CONTRACT.replace('first: 5', 'first: 100'), variables: { year: 2012 } },
    });
    expect(code(overCost)).toBe('COST_LIMIT_EXCEEDED');
    const deep = await same({
      json: {
        query:
          '{ plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) { department { municipality { departments { municipality { departments { municipality { departments { code } } } } } } } } }',
      },
    });
    expect(code(deep)).toBe('DEPTH_LIMIT_EXCEEDED');
    const aliases = await same({
      json: {
        query:
          '{ a: fiscalYear(year: 2012) { label } b: fiscalYear(year: 2013) { label } c: fiscalYear(year: 2014) { label } d: fiscalYear(year: 2015) { label } }',
      },
    });
    expect(code(aliases)).toBe('ALIAS_LIMIT_EXCEEDED');
    await same({ json: { query: '{ nope }' } });
    await same({ json: { query: '{ plan(' } });
    await same({ json: { query: 'mutation { deleteMunicipality(id: "x") { __typename } }' } });
  });

  it('refuses malformed and oversized bodies, and cross-site forms, alike', async () => {
    expect((await same({ body: '{"query": ' })).status).toBe(400);
    await same({ body: '"just a string"' });
    await same({ body: 'null' });
    await same({ json: { query: 5 } });
    await same({ json: { query: CONTRACT, variables: [1] } });
    await same({ json: { query: CONTRACT, extensions: { persistedQuery: { sha256Hash: 'x' } } } });
    const large = await same({ json: { query: `{ __typename }${' '.repeat(5000)}` } });
    expect(large.status).toBe(413);
    // Content-Length says more than is sent: both wait for the rest, then time out or answer alike.
    await same({
      body: JSON.stringify({ query: '{ __typename }' }),
      headers: { 'content-type': 'text/plain' },
    });
    await same({
      json: { query: '{ __typename }' },
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    await same({ json: { query: '{ __typename }' }, path: '/graphql?x=1' });
  });

  it('answers persisted documents and CORS origins alike', async () => {
    const persisted = await same({
      json: {
        documentId: 'sha256:2d3427b46cbddfe931d61c1b4a55344ffd3b79bdb89043e5f04b3e23f1b120c5',
        variables: { municipality: '132047', department: 'kyoiku', fiscalYear: 2012, first: 3 },
      },
    });
    expect(persisted.status).toBe(200);
    await same({ json: { documentId: 'sha256:0000' } });
    for (const origin of ['https://allowed.example', 'https://evil.example']) {
      const answer = await same({
        json: { query: CONTRACT, variables: { year: 2012 } },
        headers: { origin },
      });
      // Never the other page's origin (Yoga names its allowed one instead).
      expect(answer.headers).toContain('access-control-allow-origin: https://allowed.example');
    }
  });

  it('keeps serving after a client leaves in the middle of its body', async () => {
    const { port } = new URL(servers.directUrl);
    for (let i = 0; i < 3; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":',
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
      });
    }
    expect((await same({ json: { query: '{ __typename }' } })).status).toBe(200);
  });
  it('counts tokens and addresses alike, up to the same 429s', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.rateLimitPerToken + 2; i++) {
      statuses.push(
        (await same({ json: { query: CONTRACT, variables: { year: 2012 } }, token: planning }))
          .status,
      );
    }
    expect(statuses.at(-1)).toBe(429);
    statuses.length = 0;
    for (let i = 0; i < LIMITS.rateLimitPerAddress + 2; i++) {
      statuses.push((await same({ json: { query: CONTRACT, variables: { year: 2012 } } })).status);
    }
    expect(statuses.at(-1)).toBe(429);
  });
});
