// The GraphQL server as a value: createHoshinYoga() wires the schema to a database, who is
// asking (auth), the limits and the error masking. app.ts serves it over node:http and WebSocket.

import type { IncomingMessage } from 'node:http';
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, useReadinessCheck } from 'graphql-yoga';
import { AuthenticationError, authenticate } from './auth/tokens.ts';
import { defaultSecurity, type SecuritySettings } from './config.ts';
import type { Database } from './db/client.ts';
import { domainErrorCode, ErrorCode } from './errors.ts';
import type { Context } from './graphql/context.ts';
import { CSRF_HEADERS } from './limits/csrf.ts';
import { createRateLimits, type RateLimitOptions } from './limits/feedback-limit.ts';
import { limitPlugins } from './limits/plugins.ts';
import {
  createRequestLimiter,
  type RequestLimiter,
  useRequestRateLimits,
} from './limits/rate-limits.ts';
import { LiveUpdates } from './live/live-updates.ts';
import type { Logger } from './logger.ts';
import { schema } from './schema.ts';

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
}: YogaOptions) {
  const security = { ...defaultSecurity(), ...overrides };
  const limits = createRateLimits(rateLimits);
  const liveUpdates = live ?? new LiveUpdates(db.prisma, { log });
  const requestLimiter =
    givenLimiter ??
    createRequestLimiter({
      perAddress: security.rateLimitPerAddress,
      perToken: security.rateLimitPerToken,
      windowSeconds: security.rateLimitWindowSeconds,
      redisUrl,
      log,
    });
  const requestRateLimits = useRequestRateLimits(requestLimiter, security.rateLimitWindowSeconds);
  const corsOrigins = security.corsOrigins;
  return createYoga<{ req?: IncomingMessage }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: graphiql ?? security.graphiql,
    landingPage: false,
    maxRequestBodySize: security.maxBodyBytes,
    batching: false,
    // The SDK sends `documentId` (a persisted document's hash) instead of `query`.
    extraParamNames: ['documentId'],
    cors:
      corsOrigins === '*'
        ? undefined
        : corsOrigins.length === 0
          ? false
          : {
              origin: corsOrigins,
              allowedHeaders: ['authorization', 'content-type', ...CSRF_HEADERS],
              methods: ['GET', 'POST'],
              credentials: false,
            },
    logging: log
      ? {
          debug: (...args) => log.debug({ args }, 'yoga'),
          info: (...args) => log.info({ args }, 'yoga'),
          warn: (...args) => log.warn({ args }, 'yoga'),
          error: (...args) => log.error({ err: args[0], args: args.slice(1) }, 'yoga error'),
        }
      : false,
    // Liveness only; /health below also checks the database.
    healthCheckEndpoint: '/live',
    context: async ({ request, req }) => {
      const clientAddress = req?.socket.remoteAddress ?? 'local';
      try {
        const viewer = await authenticate(db.prisma, request.headers.get('authorization'));
        // Token holders are counted by token; callers without one by address (onRequest).
        if (viewer.kind === 'token') {
          await requestRateLimits.limitToken(request, viewer.tokenId);
        }
        return { prisma: db.prisma, viewer, clientAddress, limits, live: liveUpdates };
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
    },
    maskedErrors: {
      maskError(error, message, isDev) {
        // Pothos reports bad connection arguments (an invalid cursor, say) with a plain
        // message: give it the code every client-input error carries.
        const original = error instanceof GraphQLError ? error.originalError : undefined;
        if (original instanceof PothosValidationError && error instanceof GraphQLError) {
          const code = /cursor/i.test(original.message)
            ? ErrorCode.INVALID_CURSOR
            : ErrorCode.BAD_USER_INPUT;
          return new GraphQLError(original.message, {
            nodes: error.nodes,
            path: error.path,
            extensions: { code },
          });
        }
        // Domain errors raised outside a typed result (e.g. a read the caller may not make).
        const known = original ? domainErrorCode(original) : undefined;
        if (known && error instanceof GraphQLError && original) {
          return new GraphQLError(original.message, {
            nodes: error.nodes,
            path: error.path,
            extensions: { code: known },
          });
        }
        return maskError(error, message, isDev);
      },
    },
    plugins: [
      useReadinessCheck({ endpoint: '/health', check: () => db.ping() }),
      requestRateLimits.plugin,
      ...limitPlugins(security),
    ],
  });
}

export type HoshinYoga = ReturnType<typeof createHoshinYoga>;
