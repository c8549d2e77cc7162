// The live-update machinery of one server instance: the pub/sub between instances and the
// change feed that tails the change records. Started on the first subscription.
import type { PrismaClient } from '../db/client.ts';
import { committedWrites } from '../db/history.ts';
import type { Logger } from '../logger.ts';
import { ChangeFeed } from './change-feed.ts';
import { createChangePubSub, DEFAULT_REDIS_PREFIX, noticeTopic } from './pubsub.ts';
import { SharedExecution } from './shared-execution.ts';

export interface LiveOptions {
  /** Share change notifications with other instances through Redis. */
  redisUrl?: string;
  /** This deployment's key prefix and channel namespace on Redis (HOSHIN_REDIS_PREFIX). */
  redisPrefix?: string;
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
  /** Events executed once per group of subscribers (shared-execution.ts). */
  readonly sharedExecution = new SharedExecution();
  private started: Promise<void> | undefined;
  private readonly log: Logger | undefined;
  private readonly prefix: string;

  constructor(prisma: PrismaClient, options: LiveOptions = {}) {
    this.maxBuffer = options.maxBuffer ?? 1000;
    this.log = options.log;
    this.prefix = options.redisPrefix ?? DEFAULT_REDIS_PREFIX;
    // After a Redis outage, read what other instances committed meanwhile.
    this.channel = createChangePubSub(
      options.redisUrl,
      options.log,
      () => void this.feed?.wake(),
      this.prefix,
    );
    this.feed = new ChangeFeed(prisma, this.channel.pubsub, {
      pollMs: options.pollMs ?? 2000,
      log: options.log,
      topic: this.channel.topic,
    });
    // Every instance announces its commits, whether or not it has subscribers of its own.
    if (options.redisUrl) committedWrites.on('committed', this.announce);
  }

  private readonly announce = () => this.channel.pubsub.publish(this.channel.topic);

  /**
   * Tells every instance (this one included) that `name` changed, through the same channel as
   * the change notifications. Carries no data and may be lost: listeners also poll.
   */
  notify(name: string): void {
    this.channel.pubsub.publish(this.noticeTopic(name));
  }

  /** Calls `listener` at each notify(name), from any instance. Returns the unsubscribe. */
  onNotice(name: string, listener: () => void): () => void {
    const stream = this.channel.pubsub.subscribe(this.noticeTopic(name));
    void (async () => {
      for await (const _ of stream) listener();
    })().catch((error) => this.log?.warn({ err: error }, `${name} notices stopped`));
    return () => void stream.return?.();
  }

  private noticeTopic(name: string) {
    return noticeTopic(this.prefix, name);
  }

  /** Starts the feed once; every subscription awaits this first. */
  ready(): Promise<void> {
    this.started ??= this.feed.start();
    return this.started;
  }

  async close(): Promise<void> {
    committedWrites.off('committed', this.announce);
    this.feed.stop();
    await this.channel.close();
  }
}
