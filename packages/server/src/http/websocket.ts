// GraphQL over WebSocket (the graphql-ws protocol) on the same /graphql endpoint. Each
// operation runs through Yoga's own pipeline for parameters (yoga.getResultForParams), as an
// HTTP request's do: the same plugins in the same order, so trusted documents, document limits,
// admission, rate limits, auth and masking hold alike on every transport; graphql-ws only
// carries the results. The token travels in the connection params:
// { authorization: "Bearer hsn_..." }; a socket whose token is revoked or expires is closed
// with 4401 (auth/token-watch.ts). A shareable live subscription is not iterated here: the
// change feed writes its messages to the socket (live/shared-execution.ts), with the same
// limits, visibility and end as over SSE.
import type { Server } from 'node:http';
import { type ExecutionResult, GraphQLError, type GraphQLSchema, parse } from 'graphql';
import type { Context } from 'graphql-ws';
import { type Extra, useServer } from 'graphql-ws/use/ws';
import { isAsyncIterable } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { TokenWatch } from '../auth/token-watch.ts';
import type { Viewer } from '../auth/viewer.ts';
import { defaultHttp, defaultSecurity } from '../config.ts';
import { ErrorCode } from '../errors.ts';
import { ConnectionCounter } from '../limits/connections.ts';
import { pushOverWebSocket } from '../live/shared-execution.ts';
import { type HoshinYoga, tokenWatchOf } from '../yoga.ts';
import { connectionCounters } from './server.ts';

/** Pings every 12 s keep idle connections (and proxies) alive and detect dead peers. */
const KEEP_ALIVE_MS = 12_000;

/** graphql-ws's close code for a refused connection_init; 4401 tells the client why. */
const UNAUTHORIZED = 4401;
const TOO_MANY_REQUESTS = 4429;

/**
 * What graphql-ws is handed once Yoga has run the operation: a document only so that it can
 * tell an operation is there, and the result itself, returned by execute() below.
 */
const ALREADY_RUN = parse('{ __typename }');
type Ran = { result: ExecutionResult | AsyncIterable<ExecutionResult> };

export interface WebSocketOptions {
  maxSubscriptionsPerConnection?: number;
  /** The largest message accepted; a larger one closes the socket with 1009 (ws's maxPayload). */
  maxMessageBytes?: number;
  /** The tokens of open sockets (a revoked one closes its socket): Yoga's by default. */
  tokenWatch?: TokenWatch;
}

/** Extensions that mean something over HTTP only (a status, Yoga's own marks). */
function withoutHttp(error: GraphQLError): GraphQLError {
  const { http: _http, unexpected: _unexpected, ...extensions } = error.extensions;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    path: error.path,
    extensions,
  });
}

/** A refusal as graphql-ws sends it: one `error` message for that operation only. */
function asOperationErrors(error: unknown): GraphQLError[] {
  if (error instanceof GraphQLError) return [withoutHttp(error)];
  throw error;
}

export function attachWebSocket(
  server: Server,
  yoga: HoshinYoga,
  {
    maxSubscriptionsPerConnection = defaultHttp().maxSubscriptionsPerConnection,
    maxMessageBytes = defaultSecurity().maxBodyBytes,
    tokenWatch = tokenWatchOf(yoga),
  }: WebSocketOptions = {},
) {
  // SSE streams and WebSockets share one count per client address.
  const connections =
    connectionCounters.get(server) ?? new ConnectionCounter(defaultHttp().maxConnectionsPerClient);
  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: maxMessageBytes,
    // A client over its cap is refused at the upgrade, before any WebSocket exists.
    verifyClient: ({ req }, accept) => {
      const address = req.socket.remoteAddress ?? 'unknown';
      if (!connections.acquire(address)) {
        accept(false, 429, 'Too many open connections from this client');
        return;
      }
      req.socket.once('close', () => connections.release(address));
      accept(true);
    },
  });

  /** The request an operation of this socket is, for Yoga: its token as a header. */
  function requestOf(ctx: Context<Record<string, unknown>, Extra>) {
    const authorization = ctx.connectionParams?.authorization;
    return new Request('http://websocket/graphql', {
      headers: typeof authorization === 'string' ? { authorization } : {},
    });
  }
  /** Yoga's server context for one operation (a new object each: Yoga adds to it). */
  const serverContext = (ctx: Context<Record<string, unknown>, Extra>) => ({
    req: ctx.extra.request,
    transport: 'websocket' as const,
  });

  let schema: GraphQLSchema | undefined;
  const disposable = useServer(
    {
      // A bad token in connectionParams is refused once, at connection_init, with the
      // protocol's own close code and the reason; its operations never run.
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization;
        if (authorization === undefined || authorization === null) return true;
        if (typeof authorization !== 'string') {
          ctx.extra.socket.close(UNAUTHORIZED, 'authorization must be "Bearer <hoshin API token>"');
          return false;
        }
        try {
          const request = requestOf(ctx);
          const context = (await yoga
            .getEnveloped({ ...serverContext(ctx), request })
            .contextFactory()) as { viewer?: Viewer };
          holdToken(ctx, context.viewer);
          return true;
        } catch (error) {
          const code = error instanceof GraphQLError ? error.extensions.code : undefined;
          if (code === ErrorCode.UNAUTHENTICATED) {
            ctx.extra.socket.close(UNAUTHORIZED, (error as Error).message.slice(0, 120));
            return false;
          }
          if (code === ErrorCode.RATE_LIMITED) {
            ctx.extra.socket.close(TOO_MANY_REQUESTS, (error as Error).message.slice(0, 120));
            return false;
          }
          throw error;
        }
      },
      execute: (args) => (args.rootValue as Ran).result as never,
      subscribe: (args) => (args.rootValue as Ran).result as never,
      onSubscribe: async (ctx, id, params) => {
        // graphql-ws registers the operation (this one included) before calling this hook and
        // forgets it when it ends, by the client's `complete` too: counted synchronously, so
        // messages arriving back to back cannot race past the cap.
        if (Object.keys(ctx.subscriptions).length > maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(
              `At most ${maxSubscriptionsPerConnection} subscriptions at once on one connection`,
              { extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS } },
            ),
          ];
        }
        // graphql-ws insists on a query string: an empty one is a document sent by id alone,
        // as an HTTP body without `query` (the same answers follow, with or without trusted
        // documents).
        const { query, ...rest } = params;
        const yogaParams = query === '' ? rest : params;
        let result: ExecutionResult | AsyncIterable<ExecutionResult>;
        const request = requestOf(ctx);
        try {
          result = (await yoga.getResultForParams(
            { params: yogaParams as never, request },
            serverContext(ctx) as never,
          )) as typeof result;
        } catch (error) {
          // Refused while reading the parameters (trusted documents, sizes).
          return asOperationErrors(error);
        }
        // Refused before it ran (parse, validation, limits, auth): no `data` at all, as the
        // GraphQL spec's request errors. Sent as graphql-ws's `error` for this operation only.
        if (!isAsyncIterable(result) && !('data' in result) && result.errors?.length) {
          return result.errors.map(withoutHttp);
        }
        if (isAsyncIterable(result)) {
          // A shareable live subscription: written to the socket by the change feed itself,
          // one JSON text per group and event (live/shared-execution.ts).
          const { socket } = ctx.extra;
          result =
            pushOverWebSocket(request, result, {
              id,
              send: (text, sent) => socket.send(text, sent),
              bufferedAmount: () => socket.bufferedAmount,
            }) ?? result;
        }
        schema ??= yoga.getEnveloped().schema;
        return { schema: schema as GraphQLSchema, document: ALREADY_RUN, rootValue: { result } };
      },
      // Results go out as Yoga writes them over HTTP, without the HTTP-only extensions.
      onNext: (_ctx, _id, _params, _args, result) =>
        result.errors?.length ? { ...result, errors: result.errors.map(withoutHttp) } : undefined,
    },
    wss,
    KEEP_ALIVE_MS,
  );

  /** A socket opened with a token holds it: revoked or expired, the socket closes with 4401. */
  function holdToken(ctx: Context<Record<string, unknown>, Extra>, viewer: Viewer | undefined) {
    if (!tokenWatch || viewer?.kind !== 'token') return;
    const { socket } = ctx.extra;
    const hold = tokenWatch.hold(viewer.tokenId);
    hold.signal.addEventListener(
      'abort',
      () => socket.close(UNAUTHORIZED, String((hold.signal.reason as Error).message).slice(0, 120)),
      { once: true },
    );
    socket.once('close', hold.release);
  }

  return {
    wss,
    async close() {
      await disposable.dispose();
      wss.close();
    },
  };
}
