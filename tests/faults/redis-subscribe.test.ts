// The change channel's SUBSCRIBE sent while Redis is away: ioredis rejects it after its
// retries, and the event target that sent it does not wait for the answer. That rejection must
// not reach the process (unhandled, it ends it), and the subscription must still come about
// once Redis is there: a CI run lost its process this way when Redis stopped right after start.

import { createChangePubSub, type Logger } from '@hoshin/server/testing';
import { afterAll, expect, test } from 'vitest';
import { testRedis } from '../support/redis.ts';

const redis = await testRedis();
afterAll(() => redis.stop());

test('a SUBSCRIBE refused while Redis is down is not unhandled, and is made once Redis is up', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  let refused: () => void = () => {};
  const subscriptionRefused = new Promise<void>((done) => {
    refused = done;
  });
  const log = {
    info() {},
    warn(_fields: unknown, message: string) {
      if (message.startsWith('redis subscription pending')) refused();
    },
  } as unknown as Logger;
  // Redis is not running yet.
  const channel = createChangePubSub(redis.url, log);
  try {
    const events = channel.pubsub.subscribe(channel.topic)[Symbol.asyncIterator]();
    const received = events.next();
    await subscriptionRefused;
    await new Promise((r) => setImmediate(r));
    expect(unhandled).toEqual([]);

    await redis.start();
    let arrived = false;
    void received.then(() => {
      arrived = true;
    });
    const started = Date.now();
    while (!arrived) {
      if (Date.now() - started > 15_000) throw new Error('no notice arrived after Redis came up');
      channel.pubsub.publish(channel.topic);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(unhandled).toEqual([]);
    await events.return?.();
  } finally {
    process.off('unhandledRejection', onUnhandled);
    await channel.close();
  }
}, 30_000);
