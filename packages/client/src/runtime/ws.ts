// `@hoshin/client/ws`: subscriptions over graphql-ws (the WebSocket protocol hoshin serves on
// the same path), as a transport for createClient({ subscriptionTransport }). Reconnection,
// resume from the last cursor, state and error reporting stay the client's, with graphql-ws's
// own retries off. By default each connection attempt is one graphql-ws connection;
// `multiplex: true` carries every subscription of the transport over one socket (a browser tab
// with several live views then holds one connection, not one per view).
// Needs the `graphql-ws` package (an optional peer dependency); in Node < 22 also a WebSocket
// implementation such as `ws`.
import { type Client, createClient } from 'graphql-ws';
import type { GraphQLErrorItem } from './errors.js';
import type { Payload, Transport, TransportRequest } from './types.js';

export interface WebSocketTransportOptions {
  /** e.g. ws://localhost:4000/graphql (wss:// behind TLS). */
  url: string;
  /** A WebSocket class where there is no global one (Node < 22: `ws`). */
  webSocketImpl?: unknown;
  /** Ping interval; a pong or any message counts as a sign of life. Default 10000 ms. */
  keepAliveMs?: number;
  /**
   * Carry all of this transport's subscriptions over one WebSocket (graphql-ws multiplexes
   * them by id). The socket opens with the first subscription and closes shortly after the
   * last; when it drops, every subscription on it reconnects and resumes on a new one.
   * Subscriptions with another token get a socket of their own. Default false.
   */
  multiplex?: boolean;
}

export function webSocketTransport(options: WebSocketTransportOptions): Transport {
  return options.multiplex ? multiplexed(options) : perSubscription(options);
}

/** The close codes hoshin's server uses for a bad token, as the code HTTP would carry. */
function refusalOf(cause: unknown): 'UNAUTHENTICATED' | 'FORBIDDEN' | null {
  const close = cause as { code?: unknown } | null;
  return close?.code === 4401 ? 'UNAUTHENTICATED' : close?.code === 4403 ? 'FORBIDDEN' : null;
}

/** graphql-ws's error for one subscription: its GraphQL errors (a refusal) or a lost socket. */
function failure(request: TransportRequest, cause: unknown): unknown {
  if (Array.isArray(cause)) {
    const errors = cause as GraphQLErrorItem[];
    return request.fail('graphql', errors[0]?.message ?? 'refused', { errors });
  }
  // The server closes with 4401/4403 when the token in the connection params is bad: a
  // refusal that will not heal by retrying.
  const refused = refusalOf(cause);
  if (refused) {
    const reason = (cause as { reason?: unknown }).reason;
    const message = typeof reason === 'string' && reason ? reason : refused;
    return request.fail('graphql', message, {
      errors: [{ message, extensions: { code: refused } }],
    });
  }
  return cause;
}

/** What graphql-ws is asked to subscribe to: by id when the client sends persisted documents. */
function payloadOf(request: TransportRequest) {
  return {
    // graphql-ws wants a query string: an empty one when the document goes by id, as over
    // HTTP (a server with trusted documents holds WebSockets to them too).
    query: request.documentId ? '' : request.query,
    ...(request.documentId ? { documentId: request.documentId } : {}),
    variables: request.variables,
    ...(request.operationName ? { operationName: request.operationName } : {}),
  };
}

function perSubscription(options: WebSocketTransportOptions): Transport {
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
    const events = client.iterate(payloadOf(request));
    try {
      for (;;) {
        let next: IteratorResult<{ data?: unknown; errors?: unknown }>;
        try {
          next = await events.next();
        } catch (cause) {
          throw failure(request, cause);
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

/**
 * One graphql-ws client per token, shared by the transport's subscriptions. Each subscription
 * is a graphql-ws `subscribe` with its own queue; ending it (abort, break) completes only it.
 */
function multiplexed(options: WebSocketTransportOptions): Transport {
  const keepAlive = options.keepAliveMs ?? 10_000;
  interface Socket {
    client: Client;
    connected: boolean;
    lastMessage: number;
    onOpen: Set<() => void>;
    onActivity: Set<() => void>;
    onClosed: Set<(event: unknown) => void>;
  }
  const sockets = new Map<string, Socket>();
  const socketFor = (authorization: string | undefined): Socket => {
    const key = authorization ?? '';
    const existing = sockets.get(key);
    if (existing) return existing;
    const socket: Socket = {
      connected: false,
      lastMessage: Date.now(),
      onOpen: new Set(),
      onActivity: new Set(),
      onClosed: new Set(),
      client: createClient({
        url: options.url,
        ...(options.webSocketImpl ? { webSocketImpl: options.webSocketImpl } : {}),
        lazy: true,
        lazyCloseTimeout: 1_000,
        retryAttempts: 0,
        keepAlive,
        connectionParams: authorization ? { authorization } : {},
        on: {
          connected: () => {
            socket.connected = true;
            socket.lastMessage = Date.now();
            for (const open of socket.onOpen) open();
          },
          // Every subscription on a lost socket ends here and reconnects through the client's
          // loop, resuming after its own last cursor (graphql-ws would otherwise resubscribe
          // some closes itself, with the variables of the first subscribe: a replay).
          closed: (event) => {
            socket.connected = false;
            for (const close of socket.onClosed) close(event);
          },
          pong: () => activity(socket),
          message: () => activity(socket),
        },
      }),
    };
    sockets.set(key, socket);
    return socket;
  };
  const activity = (socket: Socket) => {
    socket.lastMessage = Date.now();
    for (const active of socket.onActivity) active();
  };

  return async function* ws(request) {
    const socket = socketFor(request.headers.authorization);
    const queue: Payload[] = [];
    let ended: { error: unknown } | { complete: true } | undefined;
    let wake = () => {};
    const opened = () => request.onOpen();
    const closed = (error: unknown) => {
      ended ??= { error };
      wake();
    };
    socket.onOpen.add(opened);
    socket.onActivity.add(request.onActivity);
    socket.onClosed.add(closed);
    const unsubscribe = socket.client.subscribe(payloadOf(request), {
      next: (value) => {
        queue.push(value as Payload);
        wake();
      },
      error: (error) => {
        ended = { error };
        wake();
      },
      complete: () => {
        ended ??= { complete: true };
        wake();
      },
    });
    // Already connected: the subscription is carried at once.
    if (socket.connected) request.onOpen();
    const onAbort = () => {
      // Aborted after a silence longer than two pings: the socket itself is likely dead (a
      // half-open TCP connection), so end it for every subscription; they reconnect.
      if (Date.now() - socket.lastMessage > 2 * keepAlive) socket.client.terminate();
      ended ??= { complete: true };
      wake();
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const value = queue.shift();
        if (value) {
          yield value;
          continue;
        }
        if (ended) {
          if ('error' in ended) throw failure(request, ended.error);
          // Completed by the server (true) or ended here by an abort (the loop decides).
          return !request.signal.aborted;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    } finally {
      request.signal.removeEventListener('abort', onAbort);
      socket.onOpen.delete(opened);
      socket.onActivity.delete(request.onActivity);
      socket.onClosed.delete(closed);
      unsubscribe();
    }
  };
}
