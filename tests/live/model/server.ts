// One hoshin server for the model test (createApp, as main.ts builds it: SSE and graphql-ws on
// a loopback port) over a database that outlives it, so the test can restart the server midway.
// The only file of the model test that reaches into the server package.
import { createApp } from '@hoshin/server/app';
import { createLogger } from '@hoshin/server/testing';
import type { TestDatabase } from '../../support/database.ts';

export { createTestDatabase, onPostgres, type TestDatabase } from '../../support/database.ts';
export { factories, tokenFor } from '../../support/factories.ts';

export interface ModelServer {
  url: string;
  wsUrl: string;
  graphql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  close(): Promise<void>;
}

// Many subscribers from one address and many requests per run: limits are not under test.
const UNLIMITED = {
  rateLimitPerAddress: 1_000_000,
  rateLimitPerToken: 1_000_000,
  maxCost: 1_000_000,
  maxListItems: 10_000,
};

export async function startModelServer(db: TestDatabase): Promise<ModelServer> {
  const app = await createApp({
    db,
    log: createLogger('silent'),
    config: {
      // A long poll: events come from the commit notification (and the restart's catch-up).
      livePollMs: 60_000,
      security: UNLIMITED,
      http: { maxConnectionsPerClient: 10_000, maxSubscriptionsPerConnection: 10 },
    },
  });
  const base = await app.listen(0, '127.0.0.1');
  const port = Number(new URL(base).port);
  const url = `${base}/graphql`;
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    async graphql(query, variables, token) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    async close() {
      await app.close(1000);
    },
  };
}
