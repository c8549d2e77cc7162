// The live-update machinery of one server instance: the pub/sub between instances and the
// change feed that tails the change records. Started on the first subscription.
import type { PrismaClient } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { ChangeFeed } from './change-feed.ts';
import { createChangePubSub } from './pubsub.ts';

export interface LiveOptions {
  /** Share change notifications with other instances through Redis. */
  redisUrl?: string;
  /** How often the feed reads new change records without being told to (ms). */
  pollMs?: number;
  /** Changes a subscriber may fall behind before it is closed. */
  maxBuffer?: number;
  log?: Logger;
}

export class LiveUpdates {
  readonly maxBuffer: number;
  private readonly channel;
  readonly feed: ChangeFeed;
  private started: Promise<void> | undefined;

  constructor(prisma: PrismaClient, options: LiveOptions = {}) {
    this.maxBuffer = options.maxBuffer ?? 1000;
    this.channel = createChangePubSub(options.redisUrl, options.log);
    this.feed = new ChangeFeed(prisma, this.channel.pubsub, {
      pollMs: options.pollMs ?? 2000,
      log: options.log,
    });
  }

  /** Starts the feed once; every subscription awaits this first. */
  ready(): Promise<void> {
    this.started ??= this.feed.start();
    return this.started;
  }

  async close(): Promise<void> {
    this.feed.stop();
    await this.channel.close();
  }
}
