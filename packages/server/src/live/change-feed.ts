// Tails the change records (the transactional outbox): whenever a write commits here, another
// instance says so through the pub/sub, or the poll timer fires, it reads every record after
// the last one it saw and hands them, in order, to its listeners. Writes commit change-record
// ids in increasing order (see writeWithHistory), so reading "id > last" never skips one.

import type { ChangeRecord } from '../../generated/prisma/client.ts';
import type { PrismaClient } from '../db/client.ts';
import { committedWrites } from '../db/history.ts';
import type { Logger } from '../logger.ts';
import type { ChangePubSub } from './pubsub.ts';

export type ChangeListener = (records: ChangeRecord[]) => void;

const BATCH = 500;

export class ChangeFeed {
  private last = 0n;
  private readonly listeners = new Set<ChangeListener>();
  /** Listeners of the server itself (the read cache): told of every record, never counted. */
  private readonly watchers = new Set<ChangeListener>();
  private reading: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;
  /** Awaited before new records are handed out (see gate). */
  private readonly gates = new Set<() => Promise<void>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly pubsub: ChangePubSub,
    private readonly options: { pollMs: number; log?: Logger; topic: string },
  ) {}

  /** How often it reads without being told to (ms). */
  get pollMs(): number {
    return this.options.pollMs;
  }

  /** The id of the newest record handed to listeners. */
  get head(): bigint {
    return this.last;
  }

  async start(): Promise<void> {
    const newest = await this.prisma.changeRecord.findFirst({
      orderBy: { id: 'desc' },
      select: { id: true },
    });
    this.last = newest?.id ?? 0n;
    this.started = true;
    committedWrites.on('committed', this.onLocalCommit);
    const stream = this.pubsub.subscribe(this.options.topic);
    this.unsubscribe = () => void stream.return?.();
    void (async () => {
      for await (const _ of stream) this.wake();
    })().catch((error) => this.options.log?.warn({ err: error }, 'change notifications stopped'));
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    committedWrites.off('committed', this.onLocalCommit);
    clearInterval(this.timer);
    this.unsubscribe?.();
  }

  /**
   * Runs `check` after reading new records and before handing them to anyone: whatever it ends
   * (a stream whose token was revoked: auth/token-watch.ts) receives none of them. When it
   * rejects, the records are read again at the next wake-up. Returns the removal.
   */
  gate(check: () => Promise<void>): () => void {
    this.gates.add(check);
    return () => this.gates.delete(check);
  }

  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Like subscribe, for the server's own use: not counted as a subscriber. */
  watch(listener: ChangeListener): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** Open subscriptions (streams) listening to this feed: 0 once every client has left. */
  get listenerCount(): number {
    return this.listeners.size;
  }

  private readonly onLocalCommit = () => void this.wake();

  /** Reads what is new; a wake-up during a read makes it read once more afterwards. */
  wake(): Promise<void> {
    if (!this.started || this.stopped) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        await this.readNew();
      } while (this.again && !this.stopped);
    })()
      .catch((error) => this.options.log?.warn({ err: error }, 'could not read change records'))
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const records = await this.prisma.changeRecord.findMany({
        where: { id: { gt: this.last } },
        orderBy: { id: 'asc' },
        take: BATCH,
      });
      if (records.length === 0) return;
      for (const check of this.gates) await check();
      this.last = records[records.length - 1]?.id ?? this.last;
      for (const watcher of this.watchers) watcher(records);
      for (const listener of this.listeners) listener(records);
      if (records.length < BATCH) return;
    }
  }
}
