// The API with its open-data routes, wired as main.ts wires them (one request limiter for
// /graphql and /export), on a loopback port over a fresh seeded test database.
import type { AddressInfo } from 'node:net';
import { createRequestLimiter } from '../../packages/server/src/http/request-limits.ts';
import { closeGracefully, createHttpServer } from '../../packages/server/src/http/server.ts';
import { LiveUpdates } from '../../packages/server/src/live/live-updates.ts';
import { createLogger } from '../../packages/server/src/logger.ts';
import { createOpenDataHandler } from '../../packages/server/src/modules/open-data/open-data.http.ts';
import { createHoshinYoga } from '../../packages/server/src/yoga.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

export interface OpenDataApi {
  db: TestDatabase;
  base: string;
  fetch(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  graphql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  close(): Promise<void>;
}

export async function startOpenDataApi(
  options: { perAddress?: number; maxImportBytes?: number } = {},
): Promise<OpenDataApi> {
  const db = await createTestDatabase({ seed: true });
  const live = new LiveUpdates(db.prisma);
  const limiter = createRequestLimiter({
    perAddress: options.perAddress ?? 10_000,
    perToken: 10_000,
    windowSeconds: 60,
  });
  const yoga = createHoshinYoga({ db, live, requestLimiter: limiter });
  const openData = createOpenDataHandler({
    prisma: db.prisma,
    limiter,
    maxImportBytes: options.maxImportBytes,
  });
  const server = createHttpServer(yoga, createLogger('silent'), { front: openData });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fetch: OpenDataApi['fetch'] = (path, { token, ...init } = {}) =>
    globalThis.fetch(`${base}${path}`, {
      ...init,
      headers: { ...(init.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  return {
    db,
    base,
    fetch,
    async graphql(query, variables, token) {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
        token,
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data as any;
    },
    async close() {
      await closeGracefully(server, 1000);
      await live.close();
      await limiter.close();
      await db.close();
    },
  };
}
