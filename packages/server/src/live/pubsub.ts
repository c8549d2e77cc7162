// How instances tell each other "there are new change records": Yoga's pub/sub, in process by
// default, over Redis with REDIS_URL. The message carries no data: every instance reads the
// records themselves from the database, so Redis can lose a message (or be down) without
// losing an event; the feed's periodic poll covers the gap.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

export const CHANGES_TOPIC = 'hoshin:changes';

export type ChangePubSub = ReturnType<typeof createChangePubSub>['pubsub'];

/**
 * `onReconnect` runs whenever the Redis subscription is (re)established, so the caller can
 * read what was committed while notifications could not arrive.
 */
export function createChangePubSub(
  redisUrl: string | undefined,
  log?: Logger,
  onReconnect?: () => void,
) {
  if (!redisUrl) return { pubsub: createPubSub<{ [CHANGES_TOPIC]: [] }>(), close: async () => {} };

  const options = {
    // Fail fast while Redis is away instead of queueing: the poll catches up afterwards.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  };
  const publishClient = new Redis(redisUrl, options);
  // The subscriber queues its SUBSCRIBE until connected and resubscribes after a reconnect.
  const subscribeClient = new Redis(redisUrl, { ...options, enableOfflineQueue: true });
  for (const client of [publishClient, subscribeClient]) {
    client.on('error', (error) => log?.warn({ err: error.message }, 'redis unavailable'));
  }
  subscribeClient.on('ready', () => {
    log?.info('redis connected');
    onReconnect?.();
  });
  // The event target does not handle a failed PUBLISH; this wrapper does (and logs it).
  const safePublisher = {
    publish: (channel: string, message: string) =>
      publishClient.publish(channel, message).catch((error: Error) => {
        log?.warn({ err: error.message }, 'could not publish a change notification');
        return 0;
      }),
  } as unknown as Redis;
  const pubsub = createPubSub<{ [CHANGES_TOPIC]: [] }>({
    eventTarget: createRedisEventTarget({ publishClient: safePublisher, subscribeClient }),
  });
  return {
    pubsub,
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
