// GraphQL over WebSocket (the graphql-ws protocol) on the same /graphql endpoint, executed
// through the same Yoga pipeline (plugins, context, auth) as HTTP and SSE. The token travels
// in the connection params: { authorization: "Bearer hsn_..." }.
import type { Server } from 'node:http';
import { type ExecutionArgs, GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { defaultHttp } from '../config.ts';
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

export function attachWebSocket(
  server: Server,
  yoga: HoshinYoga,
  { maxSubscriptionsPerConnection = defaultHttp().maxSubscriptionsPerConnection } = {},
) {
  // SSE streams and WebSockets share one count per client address.
  const connections =
    connectionCounters.get(server) ?? new ConnectionCounter(defaultHttp().maxConnectionsPerClient);
  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
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
  /** Subscription ids in flight per connection. */
  const active = new WeakMap<object, Set<string>>();
  const disposable = useServer(
    {
      onComplete: (ctx, id) => {
        active.get(ctx)?.delete(id);
      },
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, id, params) => {
        const ids = active.get(ctx) ?? new Set<string>();
        active.set(ctx, ids);
        if (ids.size >= maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(
              `At most ${maxSubscriptionsPerConnection} subscriptions at once on one connection`,
              { extensions: { code: ErrorCode.TOO_MANY_SUBSCRIPTIONS } },
            ),
          ];
        }
        const authorization = ctx.connectionParams?.authorization;
        const request = new Request('http://websocket/graphql', {
          headers: typeof authorization === 'string' ? { authorization } : {},
        });
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          request,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length > 0) return errors;
        ids.add(id);
        return args;
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
