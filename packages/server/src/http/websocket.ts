// GraphQL over WebSocket (the graphql-ws protocol) on the same /graphql endpoint, executed
// through the same Yoga pipeline (plugins, context, auth) as HTTP and SSE. The token travels
// in the connection params: { authorization: "Bearer hsn_..." }.
import type { Server } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import type { Context } from 'graphql-ws';
import { type Extra, useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { defaultHttp, defaultSecurity } from '../config.ts';
import { ErrorCode } from '../errors.ts';
import { ConnectionCounter } from '../limits/connections.ts';
import type { HoshinYoga } from '../yoga.ts';
import { connectionCounters } from './server.ts';

/** Pings every 12 s keep idle connections (and proxies) alive and detect dead peers. */
const KEEP_ALIVE_MS = 12_000;

type EnvelopedRoot = {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
};

/** graphql-ws's close code for a refused connection_init; 4401 tells the client why. */
const UNAUTHORIZED = 4401;
const TOO_MANY_REQUESTS = 4429;

export interface WebSocketOptions {
  maxSubscriptionsPerConnection?: number;
  /** The largest message accepted; a larger one closes the socket with 1009 (ws's maxPayload). */
  maxMessageBytes?: number;
}

/** A refusal as graphql-ws sends it: one error for that operation only. */
function asOperationErrors(error: unknown): GraphQLError[] {
  if (error instanceof GraphQLError) {
    // The HTTP status and headers mean nothing on a socket.
    const { http: _http, ...extensions } = error.extensions;
    return [new GraphQLError(error.message, { nodes: error.nodes, extensions })];
  }
  throw error;
}

export function attachWebSocket(
  server: Server,
  yoga: HoshinYoga,
  {
    maxSubscriptionsPerConnection = defaultHttp().maxSubscriptionsPerConnection,
    maxMessageBytes = defaultSecurity().maxBodyBytes,
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

  /** Yoga's pipeline for one message: the same plugins, context and limits as HTTP. */
  function envelop(ctx: Context<Record<string, unknown>, Extra>, params: unknown) {
    const authorization = ctx.connectionParams?.authorization;
    const request = new Request('http://websocket/graphql', {
      headers: typeof authorization === 'string' ? { authorization } : {},
    });
    return yoga.getEnveloped({
      ...ctx,
      request,
      req: ctx.extra.request,
      socket: ctx.extra.socket,
      transport: 'websocket',
      params,
    });
  }

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
          await envelop(ctx, {}).contextFactory();
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
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
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
        try {
          const { schema, execute, subscribe, contextFactory, parse, validate } = envelop(
            ctx,
            params,
          );
          const args = {
            schema,
            operationName: params.operationName,
            document: parse(params.query),
            variableValues: params.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
          };
          const errors = validate(args.schema, args.document);
          if (errors.length > 0) {
            return errors.map((error: GraphQLError) => asOperationErrors(error)[0] as GraphQLError);
          }
          return args;
        } catch (error) {
          // A refusal (limits, rate limit, a syntax error) ends this operation, not the socket.
          return asOperationErrors(error);
        }
      },
    },
    wss,
    KEEP_ALIVE_MS,
  );
  return {
    wss,
    async close() {
      await disposable.dispose();
      wss.close();
    },
  };
}
