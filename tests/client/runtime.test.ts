// The client runtime against a scripted fetch: what it sends, when it retries, how it fails.
// Imports the built package's runtime-only entry, as an integrator would.
import {
  createClient,
  type FetchFunction,
  HoshinRequestError,
  operationInfo,
  type TypedDocument,
} from '@hoshin/client/core';
import { describe, expect, test } from 'vitest';
import { backoffDelay } from '../../packages/client/src/runtime/retry.ts';

const url = 'http://hoshin.test/graphql';
const Query = {
  toString: () => 'query FiscalYear($year: Int!) { fiscalYear(year: $year) { label } }',
} as TypedDocument<{ fiscalYear: { label: string } }, { year: number }>;
const Mutation = {
  toString: () => 'mutation PublishPlan($id: ID!) { publishPlan(input: { id: $id }) { id } }',
} as TypedDocument<{ publishPlan: { id: string } }, { id: string }>;
const fast = { baseMs: 1, maxMs: 5 };

interface Call {
  url: string;
  init: RequestInit;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** A fetch that answers from a script, one entry per call (the last one repeats). */
function scriptedFetch(...script: Array<Response | Error | 'hang'>) {
  const calls: Call[] = [];
  const fetch: FetchFunction = (callUrl, init) => {
    calls.push({
      url: callUrl,
      init,
      body: JSON.parse(String(init.body)),
      headers: init.headers as Record<string, string>,
    });
    const step = script[Math.min(calls.length, script.length) - 1];
    if (step === 'hang') {
      return new Promise((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      );
    }
    return step instanceof Error
      ? Promise.reject(step)
      : Promise.resolve(step?.clone() as Response);
  };
  return { fetch, calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
const ok = json({ data: { fiscalYear: { label: '平成24年度' } } });
const unavailable = new Response('upstream restarting', { status: 503 });

describe('what a request sends', () => {
  test('a POST of the query, its operation name and variables as JSON', async () => {
    const { fetch, calls } = scriptedFetch(ok);
    const data = await createClient({ url, fetch }).request(Query, { year: 2012 });
    expect(data).toEqual({ fiscalYear: { label: '平成24年度' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(url);
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.body).toEqual({
      query: Query.toString(),
      operationName: 'FiscalYear',
      variables: { year: 2012 },
    });
    expect(calls[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    });
  });

  test('the token as a bearer header, read before each attempt when it is a function', async () => {
    const { fetch, calls } = scriptedFetch(unavailable, ok);
    let n = 0;
    const client = createClient({ url, fetch, token: async () => `t${++n}`, backoff: fast });
    await client.request(Query, { year: 2012 });
    expect(calls.map((c) => c.headers.authorization)).toEqual(['Bearer t1', 'Bearer t2']);
  });

  test("per-request headers override the client's, which override the defaults", async () => {
    const { fetch, calls } = scriptedFetch(ok);
    const client = createClient({
      url,
      fetch,
      token: 'secret',
      headers: { 'x-app': 'portal', 'x-trace': 'client' },
    });
    await client.request(Query, { year: 2012 }, { headers: { 'x-trace': 'request' } });
    expect(calls[0]?.headers).toMatchObject({
      authorization: 'Bearer secret',
      'x-app': 'portal',
      'x-trace': 'request',
    });
  });

  test('with persistedDocuments, a document that carries a hash is sent by its hash alone', async () => {
    const { fetch, calls } = scriptedFetch(ok);
    const Persisted = Object.assign(Object.create(Query), { __meta__: { hash: 'sha256:abc' } });
    await createClient({ url, fetch, persistedDocuments: true }).request(
      Persisted as typeof Query,
      { year: 2012 },
    );
    await createClient({ url, fetch, persistedDocuments: true }).request(Query, { year: 2012 });
    expect(calls[0]?.body).toEqual({
      documentId: 'sha256:abc',
      operationName: 'FiscalYear',
      variables: { year: 2012 },
    });
    expect(calls[1]?.body.query).toBe(Query.toString());
  });

  test('a DocumentNode (AST) is refused with a hint instead of being sent as "[object Object]"', async () => {
    const { fetch, calls } = scriptedFetch(ok);
    const Ast = { kind: 'Document', definitions: [] } as unknown as TypedDocument<
      unknown,
      Record<string, never>
    >;
    await expect(createClient({ url, fetch }).request(Ast)).rejects.toThrow(/documentMode/);
    expect(calls).toHaveLength(0);
  });

  test('a subscription is refused by request(): it goes through subscribe()', async () => {
    const { fetch, calls } = scriptedFetch(ok);
    const Subscription = { toString: () => 'subscription { planChanged { id } }' } as TypedDocument<
      unknown,
      Record<string, never>
    >;
    await expect(createClient({ url, fetch }).request(Subscription)).rejects.toThrow(TypeError);
    expect(calls).toHaveLength(0);
  });
});

describe('retries', () => {
  test('a query is retried after 503s with backoff, then succeeds', async () => {
    const { fetch, calls } = scriptedFetch(unavailable, unavailable, ok);
    const client = createClient({ url, fetch, retries: 2, backoff: fast });
    await expect(client.request(Query, { year: 2012 })).resolves.toBeDefined();
    expect(calls).toHaveLength(3);
  });

  test('a query gives up after `retries` retries with the last status', async () => {
    const { fetch, calls } = scriptedFetch(unavailable);
    const client = createClient({ url, fetch, retries: 3, backoff: fast });
    const error = await client.request(Query, { year: 2012 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HoshinRequestError);
    expect(error).toMatchObject({ kind: 'http', status: 503, attempts: 4, codes: [] });
    expect(calls).toHaveLength(4);
  });

  test('a query is retried after a network error', async () => {
    const { fetch, calls } = scriptedFetch(new TypeError('fetch failed'), ok);
    await createClient({ url, fetch, backoff: fast }).request(Query, { year: 2012 });
    expect(calls).toHaveLength(2);
  });

  test('a mutation is never retried: not on 503, not on a network error', async () => {
    for (const failure of [unavailable, new TypeError('fetch failed')]) {
      const { fetch, calls } = scriptedFetch(failure, json({ data: { publishPlan: { id: '1' } } }));
      const client = createClient({ url, fetch, retries: 5, backoff: fast });
      const error = await client.request(Mutation, { id: '1' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HoshinRequestError);
      expect((error as HoshinRequestError).attempts).toBe(1);
      expect(calls).toHaveLength(1);
    }
  });

  test('GraphQL errors are answers, not outages: never retried', async () => {
    const { fetch, calls } = scriptedFetch(
      json({
        data: null,
        errors: [{ message: 'bad year', extensions: { code: 'FISCAL_YEAR_OUT_OF_RANGE' } }],
      }),
    );
    const error = await createClient({ url, fetch, backoff: fast })
      .request(Query, { year: 3000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'graphql',
      status: 200,
      codes: ['FISCAL_YEAR_OUT_OF_RANGE'],
      message: '[FiscalYear] bad year',
    });
    expect(calls).toHaveLength(1);
  });

  test('backoff grows exponentially with full jitter, is capped, and honours Retry-After', () => {
    const top = () => 0.999_999;
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, { baseMs: 100, maxMs: 1000 }, 0, top))).toEqual([
      99, 199, 399, 799,
    ]);
    expect(backoffDelay(10, { baseMs: 100, maxMs: 1000 }, 0, top)).toBe(999);
    expect(backoffDelay(3, { baseMs: 100, maxMs: 1000 }, 0, () => 0)).toBe(0);
    expect(backoffDelay(0, { baseMs: 100, maxMs: 1000 }, 700, () => 0)).toBe(700);
    expect(backoffDelay(0, { baseMs: 100, maxMs: 1000 }, 60_000, () => 0)).toBe(1000);
  });
});

describe('timeouts and aborts', () => {
  test('an attempt with no response within timeoutMs fails as a timeout, and a query retries it', async () => {
    const { fetch, calls } = scriptedFetch('hang', ok);
    const client = createClient({ url, fetch, timeoutMs: 30, backoff: fast });
    await expect(client.request(Query, { year: 2012 })).resolves.toBeDefined();
    expect(calls).toHaveLength(2);

    const hanging = scriptedFetch('hang');
    const error = await createClient({
      url,
      fetch: hanging.fetch,
      timeoutMs: 20,
      retries: 1,
      backoff: fast,
    })
      .request(Query, { year: 2012 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout', status: undefined, attempts: 2 });
  });

  test("the caller's abort rejects with the signal's reason and is not retried", async () => {
    const { fetch, calls } = scriptedFetch('hang');
    const controller = new AbortController();
    const pending = createClient({ url, fetch, retries: 5 }).request(
      Query,
      { year: 2012 },
      { signal: controller.signal },
    );
    const reason = new Error('user navigated away');
    setTimeout(() => controller.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
    expect(calls).toHaveLength(1);
  });

  test('an already aborted signal sends nothing', async () => {
    const { fetch, calls } = scriptedFetch(ok);
    const signal = AbortSignal.abort(new Error('too late'));
    await expect(
      createClient({ url, fetch }).request(Query, { year: 2012 }, { signal }),
    ).rejects.toThrow('too late');
    expect(calls).toHaveLength(0);
  });

  test('an abort during the backoff wait stops the retries', async () => {
    const { fetch, calls } = scriptedFetch(unavailable);
    const controller = new AbortController();
    const client = createClient({ url, fetch, retries: 5, backoff: { baseMs: 10_000 } });
    const pending = client.request(Query, { year: 2012 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toHaveLength(1);
  });
});

describe('failed responses', () => {
  test('a non-JSON error page is an http error with its status', async () => {
    const { fetch } = scriptedFetch(new Response('<html>Bad gateway</html>', { status: 400 }));
    const error = await createClient({ url, fetch })
      .request(Query, { year: 2012 })
      .catch((e) => e);
    expect(error).toMatchObject({ kind: 'http', status: 400, attempts: 1 });
  });

  test('partial data travels with the GraphQL errors', async () => {
    const { fetch } = scriptedFetch(
      json({
        data: { fiscalYear: null },
        errors: [{ message: 'a', extensions: { code: 'X' } }, { message: 'b' }],
      }),
    );
    const error = await createClient({ url, fetch })
      .request(Query, { year: 2012 })
      .catch((e) => e);
    expect(error).toMatchObject({ kind: 'graphql', data: { fiscalYear: null }, codes: ['X'] });
    expect(error.message).toBe('[FiscalYear] a (and 1 more)');
    expect(error.hasCode('X')).toBe(true);
  });

  test('a 200 with neither data nor errors is a protocol error', async () => {
    const { fetch } = scriptedFetch(json({ hello: 'world' }));
    const error = await createClient({ url, fetch })
      .request(Query, { year: 2012 })
      .catch((e) => e);
    expect(error).toMatchObject({ kind: 'protocol', status: 200 });
  });
});

describe('reading the operation type from the text', () => {
  test.each([
    ['query Q { a }', { type: 'query', name: 'Q' }],
    ['{ a }', { type: 'query', name: undefined }],
    ['query($x: Int) { a }', { type: 'query', name: undefined }],
    [
      'mutation Publish($id: ID!) { publish(id: $id) { id } }',
      { type: 'mutation', name: 'Publish' },
    ],
    ['subscription S { changed { id } }', { type: 'subscription', name: 'S' }],
    ['fragment F on T { a } mutation M { m { ...F } }', { type: 'mutation', name: 'M' }],
    ['# query in a comment {\nmutation M { a(s: "}{ query") }', { type: 'mutation', name: 'M' }],
    ['fragment query on T @d(x: { a: 1 }) { b } mutation M { a }', { type: 'mutation', name: 'M' }],
    ['query Q($f: F = { a: "{" }) { a }', { type: 'query', name: 'Q' }],
    ['fragment F on T { a }', undefined],
  ])('%s', (text, expected) => {
    expect(operationInfo(text)).toEqual(expected);
  });
});

describe('subscribe() over a scripted event stream', () => {
  const Events = {
    toString: () =>
      'subscription Events($after: String) { planChanged(after: $after) { cursor id } }',
  } as TypedDocument<{ planChanged: { cursor: string; id: string } }, { after?: string | null }>;

  /** An SSE response whose body is `chunks`, then ends (without `complete` unless given). */
  const sse = (...chunks: string[]) =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
          controller.close();
        },
      }),
      { headers: { 'content-type': 'text/event-stream' } },
    );
  const next = (cursor: string, id = `教育${cursor}`) =>
    `event: next\ndata: ${JSON.stringify({ data: { planChanged: { cursor, id } } })}\n\n`;

  test('parses events split anywhere (mid-line, mid-character, CRLF), keep-alives ignored', async () => {
    const text = `:\n\n${next('1')}${next('2')}`.replaceAll('\n', '\r\n');
    const bytes = new TextEncoder().encode(`${text}event: complete\r\ndata:\r\n\r\n`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    const fetch: FetchFunction = async () =>
      new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    const seen = [];
    for await (const event of createClient({ url, fetch }).subscribe(Events, {}, { after: null }))
      seen.push(event);
    expect(seen).toEqual([
      { planChanged: { cursor: '1', id: '教育1' } },
      { planChanged: { cursor: '2', id: '教育2' } },
    ]);
  });

  test('SUBSCRIBER_TOO_SLOW: reconnects after the cursor the server names; a stream cut resumes after the last event', async () => {
    const slow = `event: next\ndata: ${JSON.stringify({
      errors: [{ message: 'too slow', extensions: { code: 'SUBSCRIBER_TOO_SLOW', cursor: '5' } }],
    })}\n\n`;
    const { fetch, calls } = scriptedFetch(
      sse(next('3'), slow),
      sse(next('6')), // ends without `complete`: a cut connection
      sse(next('7'), 'event: complete\ndata:\n\n'),
    );
    const client = createClient({ url, fetch, backoff: fast });
    const seen = [];
    for await (const event of client.subscribe(Events, {}, { after: '2' })) {
      seen.push(event.planChanged.cursor);
    }
    expect(seen).toEqual(['3', '6', '7']);
    expect(calls.map((c) => (c.body.variables as { after?: string }).after)).toEqual([
      '2',
      '5',
      '6',
    ]);
    expect(calls[0]?.headers.accept).toBe('text/event-stream');
  });

  test('5xx and network errors are retried up to `retries`; 4xx is not', async () => {
    const down = scriptedFetch(new Response('x', { status: 503 }), new Error('ECONNRESET'));
    const failing = createClient({ url, fetch: down.fetch, backoff: fast });
    const error = await failing
      .subscribe(Events, {}, { retries: 2 })
      .next()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network' });
    expect(down.calls).toHaveLength(3);

    const forbidden = scriptedFetch(new Response('no', { status: 403 }));
    const refused = await createClient({ url, fetch: forbidden.fetch, backoff: fast })
      .subscribe(Events)
      .next()
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'http', status: 403 });
    expect(forbidden.calls).toHaveLength(1);
  });

  test('a query is refused by subscribe()', () => {
    const { fetch } = scriptedFetch(ok);
    const client = createClient({ url, fetch });
    // @ts-expect-error a query has no cursor nor $after
    expect(() => client.subscribe(Query, { year: 2012 })).toThrow(TypeError);
  });
});
