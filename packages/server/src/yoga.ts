// The GraphQL server as a value: createHoshinYoga() wires the schema to a database, who is
// asking (auth), the limits and the error masking. app.ts serves it over node:http and WebSocket.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { createYoga, type GraphiQLOptions, maskError } from 'graphql-yoga';
import { useStreamAuthorization } from './auth/stream-authorization.ts';
import { TokenWatch } from './auth/token-watch.ts';
import { AuthenticationError, authenticate, presentsToken } from './auth/tokens.ts';
import { anonymous, type Viewer } from './auth/viewer.ts';
import { defaultSecurity, type SecuritySettings } from './config.ts';
import { type Database, isDatabaseUnavailable } from './db/client.ts';
import {
  clientErrorCode,
  databaseUnavailableError,
  domainErrorCode,
  ErrorCode,
  isClientGraphQLError,
} from './errors.ts';
import { useCompiledReads } from './graphql/compiled/plugin.ts';
import type { Context } from './graphql/context.ts';
import { CursorSealer, useSealedCursors } from './graphql/cursors.ts';
import { MULTIPART_ENVELOPE_BYTES, useBodySizeLimits } from './limits/body-size.ts';
import type { StreamGate } from './limits/connections.ts';
import { CSRF_HEADERS } from './limits/csrf.ts';
import { createRateLimits, type RateLimitOptions } from './limits/feedback-limit.ts';
import { limitPlugins } from './limits/plugins.ts';
import {
  createRequestLimiter,
  type RequestLimiter,
  useRequestRateLimits,
} from './limits/rate-limits.ts';
import { LiveUpdates } from './live/live-updates.ts';
import { useSharedEventExecution } from './live/shared-execution.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics/metrics.ts';
import { useMetrics } from './metrics/plugin.ts';
import { shareableEventFields } from './modules/change/change.subscriptions.ts';
import { importLimitsOf } from './modules/open-data/upload.ts';
import { compiledPlanListRead, compiledPlanRead } from './modules/plan/plan.compiled.ts';
import { visibilityClass } from './modules/visibility/visibility.policy.ts';
import { schema } from './schema.ts';

/** The page, rendered once per set of options; the 9 MB bundle is loaded on the first visit. */
const graphiqlPages = new Map<string, Promise<string>>();
function renderLocalGraphiQL(options: GraphiQLOptions): Promise<string> {
  const key = JSON.stringify(options);
  let page = graphiqlPages.get(key);
  if (!page) {
    page = import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) =>
      renderGraphiQL(options),
    );
    graphiqlPages.set(key, page);
  }
  return page;
}

/** Response headers cross-origin scripts may read (browsers hide all others). */
export const CORS_EXPOSED_HEADERS = [
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'ratelimit-policy',
  'x-request-id',
  // For revalidating a public read with If-None-Match (http/public-cache.ts).
  'etag',
];
export interface YogaOptions {
  db: Database;
  /** GraphiQL at GET /graphql in a browser; on unless turned off. */
  graphiql?: boolean;
  /** Where Yoga reports unexpected errors (with their cause, which clients never see). */
  log?: Logger;
  rateLimits?: RateLimitOptions;
  /** Live updates; an in-process instance when absent. */
  live?: LiveUpdates;
  /** Limits and hardening; the development defaults of config.ts fill in what is absent. */
  security?: Partial<SecuritySettings>;
  /** Shares request rate limits between instances. */
  redisUrl?: string;
  /** The request limiter, when other routes (open-data exports) share its budget. */
  requestLimiter?: RequestLimiter;
  /** The key that seals connection cursors (app.ts chooses it); a random one when absent. */
  cursorKey?: Buffer;
  /** Counts and times every operation (GET /metrics). */
  metrics?: Metrics;
  /** Compiled reads (graphql/compiled/): on unless turned off (HOSHIN_COMPILED_READS). */
  compiledReads?: boolean;
  /** The tokens of open streams (auth/token-watch.ts); one of its own when absent. */
  tokenWatch?: TokenWatch;
  /** Which private ranges a webhook receiver may be in (HOSHIN_WEBHOOK_ALLOW_PRIVATE). */
  webhookAllowPrivate?: string[];
}

export function createHoshinYoga({
  db,
  graphiql,
  log,
  rateLimits,
  live,
  security: overrides,
  redisUrl,
  requestLimiter: givenLimiter,
  cursorKey,
  metrics,
  compiledReads = true,
  tokenWatch: givenWatch,
  webhookAllowPrivate = [],
}: YogaOptions) {
  const cursors = cursorKey ? new CursorSealer(cursorKey) : CursorSealer.random();
  const security = { ...defaultSecurity(), ...overrides };
  const importLimits = importLimitsOf(security);
  const liveUpdates = live ?? new LiveUpdates(db.prisma, { log });
  const tokenWatch =
    givenWatch ??
    new TokenWatch(db.prisma, { recheckMs: liveUpdates.feed.pollMs, live: liveUpdates, log });
  const requestLimiter =
    givenLimiter ??
    createRequestLimiter({
      perAddress: security.rateLimitPerAddress,
      perToken: security.rateLimitPerToken,
      windowSeconds: security.rateLimitWindowSeconds,
      redisUrl,
      log,
    });
  const limits = createRateLimits(rateLimits, requestLimiter);
  const requestRateLimits = useRequestRateLimits(requestLimiter, security.rateLimitWindowSeconds);
  const corsOrigins = security.corsOrigins;
  // Errors maskError turned into a coded answer, and how Yoga's "masked" report of each is
  // logged: a client's mistake at info without a stack (an anonymous client must not be able
  // to fill the log with stacks); the database outage was already logged at warn.
  const handled = new WeakMap<object, 'client' | 'logged'>();
  const logError = (first: unknown, rest: unknown[]) => {
    if (!log) return;
    const kind = typeof first === 'object' && first !== null ? handled.get(first) : undefined;
    if (kind === 'logged') return;
    if (kind === 'client' || isClientGraphQLError(first)) {
      const error = first as GraphQLError;
      log.info(
        { code: clientErrorCode(error), error: error.message.slice(0, 300) },
        'client error',
      );
      return;
    }
    log.error({ err: first, args: rest }, 'yoga error');
  };
  const yoga = createYoga<
    {
      req?: IncomingMessage;
      res?: ServerResponse;
      /** Set by http/websocket.ts for operations arriving over a WebSocket. */
      transport?: 'websocket';
      /** Set by http/server.ts: the stream cap (limits/connections.ts). */
      streamGate?: StreamGate;
    },
    Context
  >({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: graphiql ?? security.graphiql,
    // GraphiQL from the package's own bundle, inlined in the page: Yoga's default loads it from
    // a public CDN and stays at "Loading…" offline or behind a strict proxy.
    renderGraphiQL: renderLocalGraphiQL,
    landingPage: false,
    // limits/body-size.ts: operations to maxBodyBytes, multipart uploads to the import limit.
    maxRequestBodySize: false,
    batching: false,
    // The SDK sends `documentId` (a persisted document's hash) instead of `query`.
    extraParamNames: ['documentId'],
    // '*' (the development default) answers `Access-Control-Allow-Origin: *` without
    // credentials: any page may call with a bearer token, none rides on cookies. Browsers may
    // read the headers the SDK and rate-limited callers need (Retry-After, RateLimit-*) and
    // the id to quote in a bug report.
    cors:
      corsOrigins.length === 0
        ? false
        : {
            origin: corsOrigins,
            allowedHeaders: ['authorization', 'content-type', 'if-none-match', ...CSRF_HEADERS],
            exposedHeaders: CORS_EXPOSED_HEADERS,
            methods: ['GET', 'POST'],
            credentials: false,
          },
    logging: log
      ? {
          // Yoga says debug several times per request: nothing is made for a level that is off.
          debug: (...args) => {
            if (log.isLevelEnabled('debug')) log.debug({ args }, 'yoga');
          },
          info: (...args) => log.info({ args }, 'yoga'),
          warn: (...args) => log.warn({ args }, 'yoga'),
          error: (...args) => logError(args[0], args.slice(1)),
        }
      : false,
    // Liveness only; /health (http/front.ts) also checks the database.
    healthCheckEndpoint: '/live',
    context: ({ request, req, transport }) => {
      const clientAddress = req?.socket.remoteAddress ?? 'local';
      const contextOf = (viewer: Viewer): Context => ({
        prisma: db.prisma,
        viewer,
        clientAddress,
        limits,
        live: liveUpdates,
        cursors,
        importLimits,
        webhookAllowPrivate,
      });
      const authorization = request.headers.get('authorization');
      // Without a token over HTTP (counted by address in onRequest already) the context is
      // made at once: authenticate() would answer anonymous, a promise later.
      if (!presentsToken(authorization) && transport !== 'websocket') return contextOf(anonymous);
      return (async () => {
        try {
          const viewer = await authenticate(db.prisma, authorization);
          // Token holders are counted by token; callers without one by address: over HTTP
          // before Yoga parses anything (onRequest), over a WebSocket here, once per operation.
          if (viewer.kind === 'token') {
            await requestRateLimits.limitToken(request, viewer.tokenId);
          } else if (transport === 'websocket' && req) {
            await requestRateLimits.limitAddress(request, clientAddress);
          }
          return contextOf(viewer);
        } catch (error) {
          if (!(error instanceof AuthenticationError)) throw error;
          // Guessed tokens count against the address, so guessing is rate limited too.
          if (req) await requestRateLimits.limitAddress(request, clientAddress);
          // A bad token is refused outright; it never falls back to anonymous access.
          throw new GraphQLError(error.message, {
            extensions: {
              code: ErrorCode.UNAUTHENTICATED,
              http: { status: 401, headers: { 'www-authenticate': 'Bearer' } },
            },
          });
        }
      })();
    },
    maskedErrors: {
      maskError(error, message, isDev) {
        // Pothos reports bad connection arguments (an invalid cursor, say) with a plain
        // message: give it the code every client-input error carries.
        const original = error instanceof GraphQLError ? error.originalError : undefined;
        if (original instanceof PothosValidationError && error instanceof GraphQLError) {
          const code = /cursor/i.test(original.message)
            ? ErrorCode.INVALID_CURSOR
            : /^Argument "(first|last)" must be a non-negative/.test(original.message)
              ? ErrorCode.PAGE_SIZE_OUT_OF_RANGE
              : ErrorCode.BAD_USER_INPUT;
          handled.set(error, 'client');
          return new GraphQLError(original.message, {
            nodes: error.nodes,
            path: error.path,
            extensions: { code },
          });
        }
        // Domain errors raised outside a typed result (e.g. a read the caller may not make).
        const known = original ? domainErrorCode(original) : undefined;
        if (known && error instanceof GraphQLError && original) {
          handled.set(error, 'client');
          return new GraphQLError(original.message, {
            nodes: error.nodes,
            path: error.path,
            extensions: { code: known },
          });
        }
        // The database did not answer (stopped, unreachable, stalled past the connection
        // timeout): a 503 the client can retry, never an anonymous 200 "Unexpected error.".
        if (isDatabaseUnavailable(error)) {
          log?.warn({ err: original ?? error }, 'database unavailable');
          if (typeof error === 'object' && error !== null) handled.set(error, 'logged');
          return databaseUnavailableError();
        }
        return maskError(error, message, isDev);
      },
    },
    plugins: [
      ...(metrics ? [useMetrics(metrics)] : []),
      requestRateLimits.plugin,
      // Before the limits: admission's execution timeout wraps the compiled reads too.
      ...(compiledReads
        ? [
            useCompiledReads({
              roots: [compiledPlanRead(db), compiledPlanListRead(db)],
              isUnavailable: isDatabaseUnavailable,
              onOutcome: metrics && ((outcome) => metrics.recordCompiledRead(outcome)),
            }),
          ]
        : []),
      ...limitPlugins(security),
      useBodySizeLimits({
        body: security.maxBodyBytes,
        multipart: security.maxImportBytes + MULTIPART_ENVELOPE_BYTES,
      }),
      useSealedCursors(),
      // Each live event executed once per (document, variables, visibility class).
      useSharedEventExecution(liveUpdates.sharedExecution, {
        classOf: (context) => visibilityClass((context as Context).viewer),
        shareable: shareableEventFields(schema),
      }),
      // A stream lasts only as long as its token may be used.
      useStreamAuthorization(tokenWatch),
    ],
  });
  tokenWatches.set(yoga, tokenWatch);
  return yoga;
}

const tokenWatches = new WeakMap<object, TokenWatch>();

/** The watch over the tokens of this Yoga's open streams (the WebSocket server shares it). */
export function tokenWatchOf(yoga: HoshinYoga): TokenWatch | undefined {
  return tokenWatches.get(yoga);
}

export type HoshinYoga = ReturnType<typeof createHoshinYoga>;
