// A real hoshin server for the client's tests: Yoga over node:http on a free loopback port,
// backed by a test database (in-memory PGlite from the migrated template) seeded with the
// Mitaka FY2012 data.
// `failNext` makes the next requests answer with a status before Yoga sees them, as a proxy
// in front of a restarting server would.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHoshinYoga } from '@hoshin/server/testing';
import { createTestDatabase } from '../../support/database.ts';

export interface TestServer {
  url: string;
  /** Bodies of the GraphQL requests received, in order (those failed on purpose included). */
  readonly requests: { body: string; headers: Record<string, string | string[] | undefined> }[];
  /** The next `count` requests are answered with `status` and no GraphQL body. */
  failNext(count: number, status: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const db = await createTestDatabase({ seed: true });
  const yoga = createHoshinYoga({ db, graphiql: false });
  const requests: TestServer['requests'] = [];
  let failures: { count: number; status: number; headers: Record<string, string> } | undefined;

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    requests.push({ body, headers: req.headers });
    if (failures && failures.count > 0) {
      failures.count--;
      res.writeHead(failures.status, { 'content-type': 'text/plain', ...failures.headers });
      res.end('temporarily unavailable');
      return;
    }
    const response = await yoga.fetch(`http://localhost${req.url}`, {
      method: req.method ?? 'GET',
      headers: Object.entries(req.headers).flatMap(([name, value]) =>
        value === undefined ? [] : [[name, String(value)] as [string, string]],
      ),
      ...(body ? { body } : {}),
    });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    failNext(count, status, headers = {}) {
      failures = { count, status, headers };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
}
