// What every request must pass even when the read cache (http/response-cache.ts) answers it
// without Yoga: the CSRF check and the per-address rate limit, counted and answered exactly as
// Yoga's plugins (csrf.ts, rate-limits.ts) do for an uncached request. A cached answer is
// only ever one for a caller without Authorization, so it counts against the address.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../errors.ts';
import { CSRF_HEADERS, csrfRefusalMessage, isPreflighted, isPublicPersistedGet } from './csrf.ts';
import { type RequestLimiter, rateLimitedError, rateLimitHeaders } from './rate-limits.ts';

/** Resolves true when the request may be answered; otherwise it has written the refusal. */
export type CacheAdmission = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export function cacheAdmission(options: {
  csrfPrevention: boolean;
  limiter: RequestLimiter;
  windowSeconds: number;
}): CacheAdmission {
  const { csrfPrevention, limiter, windowSeconds } = options;
  return async (req, res) => {
    const verdict = await limiter.byAddress(req.socket.remoteAddress ?? 'unknown');
    const headers = rateLimitHeaders(verdict, windowSeconds);
    if (!verdict.allowed) {
      refuse(
        res,
        429,
        headers,
        rateLimitedError(verdict, windowSeconds).message,
        ErrorCode.RATE_LIMITED,
      );
      return false;
    }
    if (
      csrfPrevention &&
      !isPublicPersistedGet(req.method, req.url ?? '', req.headers.authorization !== undefined) &&
      !isPreflighted(req.headers['content-type']) &&
      !CSRF_HEADERS.some((name) => req.headers[name] !== undefined)
    ) {
      refuse(res, 403, headers, csrfRefusalMessage, ErrorCode.CSRF_HEADER_REQUIRED);
      return false;
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    return true;
  };
}

function refuse(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  message: string,
  code: ErrorCode,
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
