// The API as a client sees it: the real HTTP server (createApp, as main.ts builds it) on a
// loopback port, over a fresh test database, called with fetch.
import { createApp } from '@hoshin/server/app';
import { createLogger } from '@hoshin/server/testing';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export interface TestApi {
  db: TestDatabase;
  /** POSTs one operation to /graphql and returns the HTTP status with the parsed body. */
  query<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphQLResponse<T>>;
  /** The same, with `Authorization: Bearer <token>`. */
  as(token: string): Pick<TestApi, 'query'>;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestApi(options: { seed?: boolean } = {}): Promise<TestApi> {
  const db = await createTestDatabase(options);
  // No webhook worker: its poll would show in the statements tests count (tests/webhooks
  // start their own apps with delivery on).
  const app = await createApp({
    db,
    log: createLogger('silent'),
    config: {
      webhooks: { deliver: false },
      // The server shares this process with the tests' PGlite, whose statements hold the event
      // loop: a test that writes for seconds between two requests would have fetch reuse a
      // socket whose keep-alive timer fires, once the loop is free, before the request is read
      // (ECONNRESET; seen at load 15). Keep-alive itself is tested on servers of their own.
      http: { keepAliveTimeoutMs: 120_000 },
    },
  });
  const base = await app.listen(0, '127.0.0.1');
  const fetch = (path: string, init?: RequestInit) => globalThis.fetch(`${base}${path}`, init);
  async function query(text: string, variables?: Record<string, unknown>, token?: string) {
    const response = await fetch('/graphql', {
      method: 'POST',
      // The GraphQL-over-HTTP media type: request errors come back as 4xx.
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query: text, variables }),
    });
    return { status: response.status, ...(await response.json()) };
  }
  return {
    db,
    fetch,
    query,
    as: (token) => ({ query: (text, variables) => query(text, variables, token) }),
    async close() {
      await app.close(1000);
      await db.close();
    },
  };
}

/** The codes of a response's errors, in order. */
export function errorCodes(response: GraphQLResponse): (string | undefined)[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}
