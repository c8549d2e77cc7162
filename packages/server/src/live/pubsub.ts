// How instances tell each other "there are new change records": Yoga's pub/sub, in process by
// default, over Redis with REDIS_URL. The message carries no data: every instance reads the
// records themselves from the database, so Redis can lose a message (or be down) without
// losing an event; the feed's periodic poll covers the gap.
import { createRequire } from 'node:module';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/** The change notifications' channel, after the deployment's prefix (HOSHIN_REDIS_PREFIX). */
export const CHANGES_TOPIC = 'changes';

/** Key prefix and channel namespace of one deployment on a shared Redis. */
export const DEFAULT_REDIS_PREFIX = 'hoshin:';

/** The channel of one kind of notice (LiveUpdates.notify), after the deployment's prefix. */
export function noticeTopic(prefix: string, name: string): string {
  return `${prefix}${name}`;
}

/**
 * Publishes one notice on Redis from a process that serves nothing (the CLI): waits up to
 * `timeoutMs` for the connection, then gives up quietly (whoever listens also polls).
 * Answers whether it was sent.
 */
export async function publishNotice(
  redisUrl: string,
  prefix: string,
  name: string,
  timeoutMs = 2000,
): Promise<boolean> {
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: timeoutMs,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    // An empty message, as Yoga's Redis event target sends a publish without a payload.
    await client.publish(noticeTopic(prefix, name), '');
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

type Topics = Record<string, []>;
export type ChangePubSub = ReturnType<typeof createPubSub<Topics>>;

/**
 * `onReconnect` runs whenever the Redis subscription is (re)established, so the caller can
 * read what was committed while notifications could not arrive.
 */
export function createChangePubSub(
  redisUrl: string | undefined,
  log?: Logger,
  onReconnect?: () => void,
  prefix = DEFAULT_REDIS_PREFIX,
): { pubsub: ChangePubSub; topic: string; close: () => Promise<void> } {
  // Two deployments sharing a Redis never wake each other's feeds: each has its own channel.
  const topic = `${prefix}${CHANGES_TOPIC}`;
  if (!redisUrl) return { pubsub: createPubSub<Topics>(), topic, close: async () => {} };

  const options = {
    // Fail fast while Redis is away instead of queueing: the poll catches up afterwards.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  };
  // Loaded only now: about 50 ms of every start that the embedded default never uses.
  const { Redis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const publishClient = new Redis(redisUrl, options);
  // The subscriber queues its SUBSCRIBE until connected and resubscribes after a reconnect.
  // No ready check: its INFO on a connection already in subscriber mode (a SUBSCRIBE sent as
  // the connection came up) throws inside ioredis, uncaught, and ends the process.
  const subscribeClient = new Redis(redisUrl, {
    ...options,
    enableOfflineQueue: true,
    enableReadyCheck: false,
  });
  for (const client of [publishClient, subscribeClient]) {
    client.on('error', (error) => log?.warn({ err: error.message }, 'redis unavailable'));
  }
  // The event target subscribes and unsubscribes without awaiting. A SUBSCRIBE still queued
  // when Redis goes away is rejected after its retries (unhandled, it would end the process)
  // and ioredis only restores subscriptions that succeeded: the channels wanted are kept here
  // and asked for again on every (re)connect. On close an UNSUBSCRIBE would reject likewise.
  const wanted = new Set<string>();
  const subscribe = subscribeClient.subscribe.bind(subscribeClient);
  const unsubscribe = subscribeClient.unsubscribe.bind(subscribeClient);
  const subscribeWanted = (channels: string[]) =>
    subscribe(...channels).catch((error: Error) => {
      log?.warn({ err: error.message }, 'redis subscription pending until it reconnects');
      return 0;
    });
  subscribeClient.subscribe = ((...channels: string[]) => {
    for (const channel of channels) wanted.add(channel);
    return subscribeWanted(channels);
  }) as typeof subscribeClient.subscribe;
  subscribeClient.unsubscribe = ((...channels: string[]) => {
    for (const channel of channels) wanted.delete(channel);
    return unsubscribe(...channels).catch(() => 0);
  }) as typeof subscribeClient.unsubscribe;
  subscribeClient.on('ready', () => {
    log?.info('redis connected');
    if (wanted.size > 0) void subscribeWanted([...wanted]);
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
  const pubsub = createPubSub<Topics>({
    eventTarget: createRedisEventTarget({ publishClient: safePublisher, subscribeClient }),
  });
  return {
    pubsub,
    topic,
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
