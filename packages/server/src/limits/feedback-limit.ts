// The feedback limit: submissions per client address, kept in process memory (one instance).
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimits } from '../graphql/context.ts';

export interface RateLimitOptions {
  /** Feedback submissions allowed per client address per 10 minutes. */
  feedbackPer10Minutes?: number;
}

export function createRateLimits({ feedbackPer10Minutes = 5 }: RateLimitOptions = {}): RateLimits {
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
