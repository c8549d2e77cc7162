// Hostile HTTP requests: malformed bodies, wrong content types and methods, cross-site request
// forgery attempts, oversized bodies, CORS. Each is refused and the next request is served.
import { request as httpRequest } from 'node:http';
import { defaultSecurity } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefusal, type HostileServer, startHostileServer } from './support.ts';

let server: HostileServer;
let production: HostileServer;

beforeAll(async () => {
  server = await startHostileServer();
  production = await startHostileServer({
    db: server.db,
    security: { ...defaultSecurity('production'), corsOrigins: ['https://city.example.jp'] },
  });
});
afterAll(async () => {
  await production?.close();
  await server?.close();
});

async function send(target: HostileServer, init: RequestInit & { path?: string }) {
  const response = await fetch(`${target.url}${init.path ?? '/graphql'}`, init);
  const text = await response.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, body };
}

const MUTATION =
  'mutation { createMunicipality(input: { code: "990099", name: "x", prefecture: "y" }) { __typename } }';

describe('malformed requests', () => {
  it('refuses malformed JSON without echoing the parser message', async () => {
    const response = await server.post('{"query": "{ __typename }"');
    expectRefusal(response, 400, 'BAD_REQUEST');
    expect(JSON.stringify(response.body)).not.toMatch(/originalError|position/);
    await server.stillServes();
  });

  it('refuses a JSON body that is not an object', async () => {
    expectRefusal(await server.post('"just a string"'), 400, 'BAD_REQUEST');
    await server.stillServes();
  });

  it('refuses a request without a query', async () => {
    expectRefusal(await server.post({ variables: {} }), 400, 'BAD_REQUEST');
    await server.stillServes();
  });

  it('refuses a query that is not a string', async () => {
    expectRefusal(await server.post({ query: { evil: true } }), 400, 'BAD_REQUEST');
    await server.stillServes();
  });

  it('refuses unknown top-level parameters', async () => {
    expectRefusal(await server.post({ query: '{ __typename }', debug: true }), 400, 'BAD_REQUEST');
    await server.stillServes();
  });

  it('refuses a batch of operations (batching is off)', async () => {
    const batch = Array.from({ length: 50 }, () => ({ query: '{ __typename }' }));
    expectRefusal(await server.post(batch), 400, 'BAD_REQUEST');
    await server.stillServes();
  });

  it('refuses a content type it does not speak', async () => {
    const response = await send(server, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<query>{ __typename }</query>',
    });
    expect(response.status).toBe(415);
    await server.stillServes();
  });

  it('refuses a method other than GET and POST', async () => {
    const response = await send(server, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toMatch(/GET, POST/);
    await server.stillServes();
  });

  it('refuses a mutation sent with GET', async () => {
    const response = await send(server, {
      path: `/graphql?query=${encodeURIComponent(MUTATION)}`,
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(response.status).toBe(405);
    expect(response.body.errors).toHaveLength(1);
    await server.stillServes();
  });
});

describe('body size', () => {
  it('refuses a body over the limit by its Content-Length, with 413', async () => {
    const response = await server.post({ query: `# ${'x'.repeat(200_000)}\n{ __typename }` });
    expectRefusal(response, 413, 'REQUEST_ENTITY_TOO_LARGE');
    await server.stillServes();
  });

  it('refuses a chunked body over the limit while it streams, with 413', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((done, fail) => {
      const req = httpRequest(
        `${server.url}/graphql`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', fail);
      // No Content-Length: Node sends it chunked, in 64 KiB writes.
      req.write('{"query": "# ');
      for (let i = 0; i < 4; i++) req.write('x'.repeat(64 * 1024));
      req.end('\\n{ __typename }"}');
    });
    expect(status).toBe(413);
    expect(JSON.parse(body).errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    await server.stillServes();
  });
});

describe('cross-site request forgery (production profile)', () => {
  it('refuses a form-encoded mutation, as a hostile page would post it', async () => {
    const response = await send(production, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: MUTATION }).toString(),
    });
    expectRefusal(response, 403, 'CSRF_HEADER_REQUIRED');
    await production.stillServes();
  });

  it('refuses a multipart form post', async () => {
    const form = new FormData();
    form.set('operations', JSON.stringify({ query: MUTATION }));
    form.set('map', '{}');
    const response = await send(production, { method: 'POST', body: form });
    expectRefusal(response, 403, 'CSRF_HEADER_REQUIRED');
    await production.stillServes();
  });

  it('refuses a text/plain post', async () => {
    const response = await send(production, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expectRefusal(response, 403, 'CSRF_HEADER_REQUIRED');
    await production.stillServes();
  });

  it('refuses a GET query without the CSRF header (an <img> or <script> could send it)', async () => {
    const path = `/graphql?query=${encodeURIComponent('{ __typename }')}`;
    expectRefusal(await send(production, { path }), 403, 'CSRF_HEADER_REQUIRED');
    const allowed = await send(production, { path, headers: { 'x-hoshin-csrf': '1' } });
    expect(allowed.status).toBe(200);
    expect(allowed.body.data).toEqual({ __typename: 'Query' });
  });
});

describe('CORS and GraphiQL (production profile)', () => {
  it('does not allow an origin outside the allowlist', async () => {
    const preflight = await send(production, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    // With a one-origin allowlist the header names that origin, which the browser compares.
    expect(preflight.headers.get('access-control-allow-origin')).not.toMatch(/evil|\*/);
    await production.stillServes();
  });

  it('allows an origin on the allowlist', async () => {
    const preflight = await send(production, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://city.example.jp',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://city.example.jp');
  });

  it('serves no GraphiQL page', async () => {
    const page = await send(production, { headers: { accept: 'text/html' } });
    expect(String(page.body)).not.toMatch(/graphiql/i);
  });
});
