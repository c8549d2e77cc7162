// The API with its open-data routes as main.ts builds it (createApp: one request limiter for
// /graphql, /export and /import), on a loopback port over a fresh seeded test database.
import { createApp } from '@hoshin/server/app';
import { createLogger } from '@hoshin/server/testing';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

export interface OpenDataApi {
  db: TestDatabase;
  base: string;
  fetch(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  graphql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  close(): Promise<void>;
}

export async function startOpenDataApi(
  options: {
    perAddress?: number;
    /** Import limits (POST /import and importFile alike). */
    maxImportBytes?: number;
    maxImportRows?: number;
  } = {},
): Promise<OpenDataApi> {
  const db = await createTestDatabase({ seed: true });
  const app = await createApp({
    db,
    log: createLogger('silent'),
    config: {
      security: {
        rateLimitPerAddress: options.perAddress ?? 10_000,
        rateLimitPerToken: 10_000,
        ...(options.maxImportBytes !== undefined ? { maxImportBytes: options.maxImportBytes } : {}),
        ...(options.maxImportRows !== undefined ? { maxImportRows: options.maxImportRows } : {}),
      },
    },
  });
  const base = await app.listen(0, '127.0.0.1');
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
      await app.close(1000);
      await db.close();
    },
  };
}
