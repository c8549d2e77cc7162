// `@hoshin/client/ws`: subscriptions over graphql-ws (the WebSocket protocol hoshin serves on
// the same path), as a transport for createClient({ subscriptionTransport }). Reconnection,
// resume from the last cursor, state and error reporting stay the client's: each connection
// attempt is one graphql-ws connection with graphql-ws's own retries off.
// Needs the `graphql-ws` package (an optional peer dependency); in Node < 22 also a WebSocket
// implementation such as `ws`.
import { createClient } from 'graphql-ws';
import type { GraphQLErrorItem } from './errors.js';
import type { Transport } from './types.js';

export interface WebSocketTransportOptions {
  /** e.g. ws://localhost:4000/graphql (wss:// behind TLS). */
  url: string;
  /** A WebSocket class where there is no global one (Node < 22: `ws`). */
  webSocketImpl?: unknown;
  /** Ping interval; a pong or any message counts as a sign of life. Default 10000 ms. */
  keepAliveMs?: number;
}

export function webSocketTransport(options: WebSocketTransportOptions): Transport {
  return async function* ws(request) {
    const { authorization } = request.headers;
    const client = createClient({
      url: options.url,
      ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
      lazy: true,
      retryAttempts: 0,
      keepAlive: options.keepAliveMs ?? 10_000,
      // The token travels in the connection params, as hoshin's server reads it.
      connectionParams: authorization ? { authorization } : {},
      on: {
        connected: () => request.onOpen(),
        pong: () => request.onActivity(),
        message: () => request.onActivity(),
      },
    });
    const onAbort = () => void client.dispose();
    request.signal.addEventListener('abort', onAbort, { once: true });
    const events = client.iterate({
      // By id when the client sends persisted documents (graphql-ws wants a query string: an
      // empty one), as over HTTP: a server with trusted documents holds WebSockets to them too.
      query: request.documentId ? '' : request.query,
      ...(request.documentId ? { documentId: request.documentId } : {}),
      variables: request.variables,
      ...(request.operationName ? { operationName: request.operationName } : {}),
    });
    try {
      for (;;) {
        let next: IteratorResult<{ data?: unknown; errors?: unknown }>;
        try {
          next = await events.next();
        } catch (cause) {
          // graphql-ws rejects with the `error` message's GraphQL errors (a refusal) or with
          // the close event or an Error (a lost connection).
          if (Array.isArray(cause)) {
            const errors = cause as GraphQLErrorItem[];
            throw request.fail('graphql', errors[0]?.message ?? 'refused', { errors });
          }
          // The server closes with 4401/4403 when the token in the connection params is bad:
          // a refusal that will not heal by retrying, reported with the code HTTP would carry.
          const close = cause as { code?: unknown; reason?: unknown } | null;
          const refused =
            close?.code === 4401 ? 'UNAUTHENTICATED' : close?.code === 4403 ? 'FORBIDDEN' : null;
          if (refused) {
            const message =
              typeof close?.reason === 'string' && close.reason ? close.reason : refused;
            throw request.fail('graphql', message, {
              errors: [{ message, extensions: { code: refused } }],
            });
          }
          throw cause;
        }
        if (next.done) return true;
        yield next.value;
      }
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      await events.return?.();
      await client.dispose();
    }
  };
}
