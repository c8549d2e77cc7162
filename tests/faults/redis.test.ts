// Redis faults with a throwaway redis-server this test starts on a free port (the machine's
// Redis is shared and never stopped): rate limits keep working from memory while Redis is
// gone, and are shared again once it is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileServer, NORMAL_QUERY, startHostileServer } from '../hostile/support.ts';
import { type TestRedis, testRedis } from '../support/redis.ts';

let redis: TestRedis;
let server: HostileServer;

beforeAll(async () => {
  redis = await testRedis();
  await redis.start();
  server = await startHostileServer({
    redisUrl: redis.url,
    security: { rateLimitPerAddress: 1000 },
  });
  await new Promise((r) => setTimeout(r, 300)); // its Redis connection
});
afterAll(async () => {
  await server?.close();
  await redis.stop();
});

async function timedQuery() {
  const started = Date.now();
  const response = await server.post({ query: NORMAL_QUERY });
  return { ...response, ms: Date.now() - started };
}

describe('Redis faults', () => {
  it('keeps serving, still rate limited, while Redis is down, and uses Redis again once it is back', async () => {
    const before = await timedQuery();
    expect(before.status).toBe(200);
    expect(before.headers.get('ratelimit-remaining')).toBe('999');

    await redis.stop();
    const during = [];
    for (let i = 0; i < 5; i++) during.push(await timedQuery());
    expect(during.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(1000);
    // The in-memory insurance limiter still counts.
    expect(during.every((r) => r.headers.get('ratelimit-remaining') !== null)).toBe(true);

    await redis.start();
    const started = Date.now();
    for (;;) {
      const response = await timedQuery();
      expect(response.status).toBe(200);
      // A fresh Redis has no count yet: 999 remaining again means Redis is counting.
      if (response.headers.get('ratelimit-remaining') === '999') break;
      if (Date.now() - started > 15_000) throw new Error('rate limits did not return to Redis');
      await new Promise((r) => setTimeout(r, 200));
    }
    console.info(
      `Redis down: ${during.map((r) => r.ms).join('/')} ms per request; back in Redis after ${Date.now() - started} ms`,
    );
  }, 30_000);
});
