// The GraphQL server as a value: createHoshinYoga() wires the schema to a database and the
// HTTP-level plugins. main.ts serves it over node:http; tests call yoga.fetch() directly.

import type { IncomingMessage } from 'node:http';
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { createYoga, maskError, useReadinessCheck } from 'graphql-yoga';
import { AuthenticationError, authenticate } from './auth/tokens.ts';
import type { Database } from './db/client.ts';
import type { Context } from './graphql/context.ts';
import { ErrorCode } from './graphql/errors.ts';
import { schema } from './graphql/schema.ts';
import { createRateLimits, type RateLimitOptions } from './http/rate-limits.ts';
import { LiveUpdates } from './live/live-updates.ts';
import type { Logger } from './logger.ts';
import {
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
} from './modules/change/domain-errors.ts';

function domainErrorCode(error: Error): string | undefined {
  if (error instanceof ForbiddenError) return ErrorCode.FORBIDDEN;
  if (error instanceof NotFoundError) return ErrorCode.NOT_FOUND;
  if (error instanceof ValidationError) return ErrorCode.BAD_USER_INPUT;
  if (error instanceof RateLimitedError) return ErrorCode.RATE_LIMITED;
  return undefined;
}

export interface YogaOptions {
  db: Database;
  /** GraphiQL at GET /graphql in a browser; on unless turned off. */
  graphiql?: boolean;
  /** Where Yoga reports unexpected errors (with their cause, which clients never see). */
  log?: Logger;
  rateLimits?: RateLimitOptions;
  /** Live updates; an in-process instance when absent. */
  live?: LiveUpdates;
}

export function createHoshinYoga({ db, graphiql = true, log, rateLimits, live }: YogaOptions) {
  const limits = createRateLimits(rateLimits);
  const liveUpdates = live ?? new LiveUpdates(db.prisma, { log });
  return createYoga<{ req?: IncomingMessage }, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql,
    landingPage: false,
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
      try {
        return {
          prisma: db.prisma,
          viewer: await authenticate(db.prisma, request.headers.get('authorization')),
          clientAddress: req?.socket.remoteAddress ?? 'local',
          limits,
          live: liveUpdates,
        };
      } catch (error) {
        if (!(error instanceof AuthenticationError)) throw error;
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
    plugins: [useReadinessCheck({ endpoint: '/health', check: () => db.ping() })],
  });
}

export type HoshinYoga = ReturnType<typeof createHoshinYoga>;
