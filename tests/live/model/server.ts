// One hoshin server for the model test: node:http + Yoga (SSE) + graphql-ws on a loopback
// port, over a database that outlives it, so the test can restart the server midway.
// The only file of the model test that reaches into the server package.
import type { AddressInfo } from 'node:net';
import { closeGracefully, createHttpServer } from '../../../packages/server/src/http/server.ts';
import { attachWebSocket } from '../../../packages/server/src/http/websocket.ts';
import { LiveUpdates } from '../../../packages/server/src/live/live-updates.ts';
import { createLogger } from '../../../packages/server/src/logger.ts';
import { createHoshinYoga } from '../../../packages/server/src/yoga.ts';
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
  // A long poll: events come from the commit notification (and the restart's catch-up).
  const live = new LiveUpdates(db.prisma, { pollMs: 60_000 });
  const yoga = createHoshinYoga({ db, live, security: UNLIMITED });
  const server = createHttpServer(yoga, createLogger('silent'), {
    http: { maxConnectionsPerClient: 10_000 },
  });
  const websocket = attachWebSocket(server, yoga, { maxSubscriptionsPerConnection: 10 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}/graphql`;
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
      await websocket.close();
      await closeGracefully(server, 1000);
      await live.close();
    },
  };
}
