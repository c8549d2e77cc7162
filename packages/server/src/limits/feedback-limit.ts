// The feedback limit: submissions per client address, counted where the request limits are
// (rate-limits.ts): in Redis when REDIS_URL is set, so every instance of a deployment shares
// it; in this process's memory otherwise.
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimits } from '../graphql/context.ts';
import type { RequestLimiter } from './rate-limits.ts';

export interface RateLimitOptions {
  /** Feedback submissions allowed per client address per 10 minutes. */
  feedbackPer10Minutes?: number;
}

export function createRateLimits(
  { feedbackPer10Minutes = 5 }: RateLimitOptions = {},
  shared?: RequestLimiter,
): RateLimits {
  if (shared) {
    const feedback = shared.custom('feedback', feedbackPer10Minutes, 600);
    return {
      async feedback(key) {
        const verdict = await feedback(key);
        return verdict.allowed ? 0 : verdict.resetSeconds;
      },
    };
  }
  const feedback = new RateLimiterMemory({ points: feedbackPer10Minutes, duration: 600 });
  return {
    async feedback(key) {
      try {
        await feedback.consume(key);
        return 0;
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return Math.ceil(rejection.msBeforeNext / 1000);
        throw rejection;
      }
    },
  };
}
