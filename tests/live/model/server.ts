// One hoshin server for the model test (createApp, as main.ts builds it: SSE and graphql-ws on
// a loopback port) over a database that outlives it, so the test can restart the server midway.
// The only file of the model test that reaches into the server package.
import { createApp } from '@hoshin/server/app';
import { createLogger } from '@hoshin/server/testing';
import type { TestDatabase } from '../../support/database.ts';

export { revokeToken } from '@hoshin/server/testing';
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

/**
 * A write to land during a subscriber's replay: armed by the model, run once, right after the
 * next replay page (a change-record read bounded by the feed's head) is read and before the
 * stream sees it; the page is handed over once the write is committed and the change feed has
 * read it (so the write is both queued for the stream and within a later page's head).
 */
export const duringReplay: {
  /** Only a replay of this entity type (its stream's scope) sets it off... */
  entityType?: string;
  /** ...from this cursor (the joiner's), so that no other stream's replay takes it. */
  after?: bigint;
  /** Makes the write; answers the id of its (newest) change record. */
  write?: () => Promise<bigint>;
} = {};

/** The newest record id the change feed (any unbounded change-record read) has read. */
let feedRead = 0n;
let feedWaiters: { id: bigint; resolve: () => void }[] = [];

function withReplayHook(db: TestDatabase): TestDatabase {
  const { prisma } = db;
  const changeRecord = new Proxy(prisma.changeRecord, {
    get(target, property, receiver) {
      if (property !== 'findMany') return Reflect.get(target, property, receiver);
      return async (args: any) => {
        const rows: { id: bigint }[] = await target.findMany(args);
        const replayPage = args?.where?.id?.lte !== undefined;
        if (!replayPage && args?.where?.id?.gt !== undefined && rows.length > 0) {
          feedRead = (rows.at(-1) as { id: bigint }).id;
          const due = feedWaiters.filter((waiter) => waiter.id <= feedRead);
          feedWaiters = feedWaiters.filter((waiter) => waiter.id > feedRead);
          for (const waiter of due) waiter.resolve();
        }
        const ofType = (args?.where?.entityType?.in ?? []) as string[];
        const write =
          replayPage &&
          (!duringReplay.entityType || ofType.includes(duringReplay.entityType)) &&
          (duringReplay.after === undefined || args.where.id.gt === duringReplay.after)
            ? duringReplay.write
            : undefined;
        if (write) {
          duringReplay.write = undefined;
          const id = await write();
          if (feedRead < id)
            await new Promise<void>((resolve) => feedWaiters.push({ id, resolve }));
          // The feed hands records to its listeners right after its read returns.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return rows;
      };
    },
  });
  const hooked = new Proxy(prisma, {
    get: (target, property) =>
      property === 'changeRecord' ? changeRecord : Reflect.get(target, property),
  });
  return { ...db, prisma: hooked };
}

export async function startModelServer(db: TestDatabase): Promise<ModelServer> {
  const app = await createApp({
    db: withReplayHook(db),
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
