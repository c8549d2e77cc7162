// Request rate limits per API token and per client address (rate-limiter-flexible), kept in
// Redis when REDIS_URL is set so every instance counts the same requests, in memory otherwise;
// and the Yoga plugin that applies them to /graphql and sets the RateLimit-* headers.
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import { ErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';

export interface RequestLimitOptions {
  perAddress: number;
  perToken: number;
  windowSeconds: number;
  redisUrl?: string;
  /** This deployment's key prefix on Redis (HOSHIN_REDIS_PREFIX); `hoshin:` by default. */
  redisPrefix?: string;
  log?: Logger;
}

export interface Verdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export interface RequestLimiter {
  /** Counts one request by a caller without a valid token. */
  byAddress(address: string): Promise<Verdict>;
  /** Counts one request by a token (its id, never the secret). */
  byToken(tokenId: number | string): Promise<Verdict>;
  /**
   * Another limit kept where these are (Redis when configured, shared by every instance of
   * the deployment; memory otherwise): `points` per `durationSeconds` per key.
   */
  custom(name: string, points: number, durationSeconds: number): (key: string) => Promise<Verdict>;
  close(): Promise<void>;
}

export function createRequestLimiter(options: RequestLimitOptions): RequestLimiter {
  let redis: Redis | undefined;
  const prefix = options.redisPrefix ?? 'hoshin:';
  function limiter(
    points: number,
    keyPrefix: string,
    duration = options.windowSeconds,
  ): RateLimiterAbstract {
    const memory = new RateLimiterMemory({ points, duration, keyPrefix });
    if (!options.redisUrl) return memory;
    // Loaded only now: about 50 ms of every start that the embedded default never uses.
    const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
    redis ??= new Redis(options.redisUrl, {
      // Fail fast instead of queueing while Redis is away: the memory limiter takes over.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: false,
    });
    redis.on('error', (error) => options.log?.warn({ err: error }, 'rate-limit redis error'));
    return new RateLimiterRedis({
      storeClient: redis,
      points,
      duration,
      // One prefix per deployment: two sharing a Redis never count each other's requests.
      keyPrefix: `${prefix}${keyPrefix}`,
      // While Redis is unreachable, each instance limits on its own rather than not at all.
      insuranceLimiter: memory,
    });
  }
  const address = limiter(options.perAddress, 'rl-address');
  const token = limiter(options.perToken, 'rl-token');

  async function consume(store: RateLimiterAbstract, key: string, limit: number) {
    try {
      const result = await store.consume(key);
      return verdict(true, limit, result);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return verdict(false, limit, rejection);
      throw rejection;
    }
  }
  return {
    byAddress: (key) => consume(address, key, options.perAddress),
    byToken: (key) => consume(token, String(key), options.perToken),
    custom(name, points, durationSeconds) {
      const store = limiter(points, `rl-${name}`, durationSeconds);
      return (key) => consume(store, key, points);
    },
    async close() {
      redis?.disconnect();
    },
  };
}

function verdict(allowed: boolean, limit: number, result: RateLimiterRes): Verdict {
  return {
    allowed,
    limit,
    remaining: Math.max(0, result.remainingPoints),
    resetSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)),
  };
}

/** The RateLimit-* fields of the IETF draft (draft-ietf-httpapi-ratelimit-headers-07). */
export function rateLimitHeaders(verdict: Verdict, windowSeconds: number): Record<string, string> {
  return {
    'RateLimit-Limit': String(verdict.limit),
    'RateLimit-Remaining': String(verdict.remaining),
    'RateLimit-Reset': String(verdict.resetSeconds),
    'RateLimit-Policy': `${verdict.limit};w=${windowSeconds}`,
    ...(verdict.allowed ? {} : { 'Retry-After': String(verdict.resetSeconds) }),
  };
}

export function rateLimitedError(verdict: Verdict, windowSeconds: number) {
  return new GraphQLError(
    `Too many requests: the limit is ${verdict.limit} per ${windowSeconds} s; retry in ${verdict.resetSeconds} s`,
    {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        retryAfterSeconds: verdict.resetSeconds,
        http: { status: 429, headers: rateLimitHeaders(verdict, windowSeconds) },
      },
    },
  );
}

/**
 * Applies the request limits to /graphql: callers without a token by address (before any
 * work), token holders by token (once the token is known: `limitToken`, from the context).
 */
export function useRequestRateLimits(limiter: RequestLimiter, windowSeconds: number) {
  // The rate-limit verdict of each request, for its response headers.
  const verdicts = new WeakMap<Request, Verdict>();
  async function limitedBy(request: Request, check: Promise<Verdict>) {
    const verdict = await check;
    verdicts.set(request, verdict);
    if (!verdict.allowed) throw rateLimitedError(verdict, windowSeconds);
  }
  const plugin: Plugin = {
    async onRequest({ request, url, serverContext, endResponse }) {
      // In-process calls (tests, yoga.fetch) have no client address to count.
      const req = (serverContext as { req?: IncomingMessage } | undefined)?.req;
      if (!req || url.pathname !== '/graphql' || request.method === 'OPTIONS') return;
      if (request.headers.has('authorization')) return; // counted per token
      const verdict = await limiter.byAddress(req.socket.remoteAddress ?? 'unknown');
      verdicts.set(request, verdict);
      if (verdict.allowed) return;
      const error = rateLimitedError(verdict, windowSeconds);
      endResponse(
        new Response(
          JSON.stringify({
            errors: [{ message: error.message, extensions: { code: error.extensions.code } }],
          }),
          {
            status: 429,
            headers: {
              'content-type': 'application/json; charset=utf-8',
              ...rateLimitHeaders(verdict, windowSeconds),
            },
          },
        ),
      );
    },
    onResponse({ request, response }) {
      const verdict = verdicts.get(request);
      if (!verdict) return;
      for (const [name, value] of Object.entries(rateLimitHeaders(verdict, windowSeconds))) {
        response.headers.set(name, value);
      }
    },
  };
  return {
    plugin,
    /** Counts a request of a token holder; throws RATE_LIMITED over the limit. */
    limitToken: (request: Request, tokenId: number) => limitedBy(request, limiter.byToken(tokenId)),
    /** Counts a request by address (a bad token counts against its address). */
    limitAddress: (request: Request, address: string) =>
      limitedBy(request, limiter.byAddress(address)),
  };
}
