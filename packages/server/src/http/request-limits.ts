// Request rate limits per API token and per client address (rate-limiter-flexible), kept in
// Redis when REDIS_URL is set so every instance counts the same requests, in memory otherwise.
// Also the per-client count of open streaming connections (SSE and WebSocket).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { Logger } from '../logger.ts';

export const RATE_LIMITED = 'RATE_LIMITED';
export const TOO_MANY_CONNECTIONS = 'TOO_MANY_CONNECTIONS';
export const TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS';

export interface RequestLimitOptions {
  perAddress: number;
  perToken: number;
  windowSeconds: number;
  redisUrl?: string;
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
  close(): Promise<void>;
}

export function createRequestLimiter(options: RequestLimitOptions): RequestLimiter {
  let redis: Redis | undefined;
  function limiter(points: number, keyPrefix: string): RateLimiterAbstract {
    const memory = new RateLimiterMemory({ points, duration: options.windowSeconds, keyPrefix });
    if (!options.redisUrl) return memory;
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
      duration: options.windowSeconds,
      keyPrefix: `hoshin:${keyPrefix}`,
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
        code: RATE_LIMITED,
        retryAfterSeconds: verdict.resetSeconds,
        http: { status: 429, headers: rateLimitHeaders(verdict, windowSeconds) },
      },
    },
  );
}

/** Open long-lived connections per client address (SSE streams and WebSockets together). */
export class ConnectionCounter {
  readonly #open = new Map<string, number>();
  constructor(readonly max: number) {}

  /** Takes a slot, or answers false when the client already holds `max`. */
  acquire(address: string): boolean {
    const open = this.#open.get(address) ?? 0;
    if (open >= this.max) return false;
    this.#open.set(address, open + 1);
    return true;
  }

  release(address: string) {
    const open = (this.#open.get(address) ?? 1) - 1;
    if (open <= 0) this.#open.delete(address);
    else this.#open.set(address, open);
  }
}

/**
 * The open streams of one HTTP server (SSE however it was asked for): counted per client address
 * against the connection cap, and ended all at once at shutdown.
 */
export class StreamGate {
  readonly #open = new Set<ServerResponse>();
  #closed = false;
  constructor(readonly connections: ConnectionCounter) {}

  /** Takes a slot for this response until it closes, or answers false when over the cap. */
  open(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.#closed) return false;
    const address = req.socket.remoteAddress ?? 'unknown';
    if (!this.connections.acquire(address)) return false;
    this.#open.add(res);
    res.once('close', () => {
      this.#open.delete(res);
      this.connections.release(address);
    });
    return true;
  }

  /** Ends every open stream and refuses new ones (shutdown). */
  endAll() {
    this.#closed = true;
    for (const res of this.#open) res.destroy();
  }
}

export function tooManyConnectionsError(max: number) {
  return new GraphQLError(`Too many open connections from this client (at most ${max})`, {
    extensions: { code: TOO_MANY_CONNECTIONS, http: { status: 429 } },
  });
}
