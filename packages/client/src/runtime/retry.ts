export interface BackoffOptions {
  /** Delay before the first retry, before jitter. Default 250 ms. */
  baseMs?: number;
  /** Cap on any one delay. Default 5000 ms. */
  maxMs?: number;
}

/**
 * Exponential backoff with full jitter: a uniformly random delay in [0, min(max, base * 2^n))
 * before retry n (0-based), so clients that failed together do not retry together. A server's
 * `Retry-After` (in seconds) is honoured as a lower bound, still capped at `maxMs`.
 */
export function backoffDelay(
  retry: number,
  { baseMs = 250, maxMs = 5000 }: BackoffOptions = {},
  retryAfterMs = 0,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retry);
  return Math.min(maxMs, Math.max(retryAfterMs, Math.floor(random() * ceiling)));
}

/** HTTP statuses worth retrying: the server or a proxy said "not now", not "no". */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 502 || status === 503 || status === 504;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
