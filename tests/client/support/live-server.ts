// A real hoshin server with live updates, for the client's subscription tests: Yoga over
// node:http with a LiveUpdates instance, on a fixed loopback port it can be restarted on.
// Responses are streamed (SSE included), so the test can cut a subscriber's connection
// (`dropStreams`) or take the whole HTTP server down and up again (`restart`) while the
// database and the change log live on, as they would across a real server's restart.
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  attachWebSocket,
  createHoshinYoga,
  LiveUpdates,
  revokeToken,
} from '@hoshin/server/testing';
import { createTestDatabase } from '../../support/database.ts';
import { tokenFor } from '../../support/factories.ts';

export interface LiveServer {
  url: string;
  /** The same endpoint for graphql-ws (ws://...). */
  wsUrl: string;
  /** A token of Mitaka's planning section (sees drafts, may write). */
  planningToken: string;
  /** A token of Mitaka's admin (edits departments). */
  adminToken: string;
  /** Issues a token of Mitaka's planning section; returns its secret. */
  issueToken(name: string): Promise<string>;
  /** Revokes a token as `hoshin token revoke` does. */
  revokeToken(token: string): Promise<void>;
  /** Calls Yoga without HTTP: a client with it writes even while the HTTP server is down. */
  direct: (url: string, init: RequestInit) => Promise<Response>;
  /**
   * How many subscriptions have started listening for changes so far (over any transport): a
   * write after this count grows reaches the new subscriber, so tests await it instead of
   * sleeping.
   */
  subscriptionsStarted(): number;
  /** Subscription requests (Accept: text/event-stream) received, with their bodies. */
  readonly streams: { body: string; authorization: string | undefined }[];
  /** The next `count` subscription requests are answered with `status` before Yoga. */
  failNextStreams(count: number, status: number): void;
  /** Destroys the sockets of every open event stream, as a dropped connection would. */
  dropStreams(): number;
  /**
   * Closes the HTTP server (open streams cut), runs `whileDown` (writes made during the outage),
   * stays down `downMs` more, and listens again on the same port.
   */
  restart(downMs?: number, whileDown?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

export interface LiveServerOptions {
  /** Changes a subscriber may fall behind before the server closes it. */
  maxBuffer?: number;
}

export async function startLiveServer(options: LiveServerOptions = {}): Promise<LiveServer> {
  const db = await createTestDatabase({ seed: true });
  // A long poll: events must come from the commit notification, not a timer.
  const live = new LiveUpdates(db.prisma, { pollMs: 60_000, maxBuffer: options.maxBuffer });
  // Every subscription (SSE or WebSocket) listens to the change feed from the point it
  // subscribes; count those moments.
  let subscriptionsStarted = 0;
  const subscribe = live.feed.subscribe.bind(live.feed);
  live.feed.subscribe = (listener) => {
    subscriptionsStarted += 1;
    return subscribe(listener);
  };
  // Without persisted documents, as servers before 1.1: the SDK's fallback to text is tested.
  const yoga = createHoshinYoga({
    db,
    graphiql: false,
    live,
    security: { persistedDocuments: false },
  });
  const planningToken = await tokenFor(db.prisma, {
    name: 'client tests',
    role: 'PLANNING',
    municipality: '132047',
  });
  const adminToken = await tokenFor(db.prisma, {
    name: 'client tests admin',
    role: 'ADMIN',
    municipality: '132047',
  });
  const streams: LiveServer['streams'] = [];
  const open = new Set<ServerResponse>();
  let failures = { count: 0, status: 503 };

  let webSocket: ReturnType<typeof attachWebSocket> | undefined;
  function listener(server: Server) {
    // graphql-ws on the same port and path, as the real server serves it.
    webSocket = attachWebSocket(server, yoga);
    server.on('request', async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const isStream = req.headers.accept?.includes('text/event-stream') ?? false;
      if (isStream) {
        streams.push({ body, authorization: req.headers.authorization });
        if (failures.count > 0) {
          failures.count--;
          res.writeHead(failures.status, { 'content-type': 'text/plain' });
          res.end('temporarily unavailable');
          return;
        }
        open.add(res);
      }
      const abort = new AbortController();
      res.on('close', () => {
        open.delete(res);
        abort.abort();
      });
      try {
        const response = await yoga.fetch(`http://localhost${req.url}`, {
          method: req.method ?? 'GET',
          headers: Object.entries(req.headers).flatMap(([name, value]) =>
            value === undefined ? [] : [[name, String(value)] as [string, string]],
          ),
          signal: abort.signal,
          ...(body ? { body } : {}),
        });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.flushHeaders();
        const reader = response.body?.getReader();
        for (;;) {
          const chunk = await reader?.read();
          if (!chunk || chunk.done || res.destroyed) break;
          res.write(chunk.value);
        }
        res.end();
      } catch {
        res.destroy();
      }
    });
  }

  let server = createServer();
  listener(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  async function stop() {
    // Upgraded sockets are not the HTTP server's connections any more: cut them too.
    for (const socket of webSocket?.wss.clients ?? []) socket.terminate();
    await webSocket?.close();
    for (const res of open) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return {
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    planningToken,
    adminToken,
    issueToken: (name) => tokenFor(db.prisma, { name, role: 'PLANNING', municipality: '132047' }),
    revokeToken: (token) => revokeToken(db.prisma, token.split('_')[1] ?? ''),
    direct: async (url, init) => yoga.fetch(url, init),
    subscriptionsStarted: () => subscriptionsStarted,
    streams,
    failNextStreams(count, status) {
      failures = { count, status };
    },
    dropStreams() {
      const count = open.size;
      for (const res of open) res.socket?.destroy();
      return count;
    },
    async restart(downMs = 0, whileDown) {
      await stop();
      await whileDown?.();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      server = createServer();
      listener(server);
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    async close() {
      await stop();
      await live.close();
      await db.close();
    },
  };
}
