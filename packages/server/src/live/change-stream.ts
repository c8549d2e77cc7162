// One subscriber's stream of change records: first the records after its cursor (replayed
// from the database), then live ones from the feed, with no gap and no duplicate at the seam.
// Each record is judged for the subscriber by the `judge` it is given (a pure function of the
// record's recorded audiences: live and replay judge alike), and delivered as the entity
// entering, modified within or leaving the subscriber's view, or not at all (a public
// subscriber never learns of a draft, not even its id). A subscriber that falls `maxBuffer` records behind is closed with
// SUBSCRIBER_TOO_SLOW and the cursor to resume from.
// Two ways to consume it, with the same records, seam and limits: iterated (an async iterator,
// as Yoga and graphql-ws do), or pushed (pushInto: shared-execution.ts's SSE writer), where the
// feed's own call judges each live record and writes it, with no promise per subscriber.
import { Repeater } from '@graphql-yoga/subscription';
import { GraphQLError } from 'graphql';
import type { ChangeRecord } from '../../generated/prisma/client.ts';
import type { PrismaClient } from '../db/client.ts';
import { ErrorCode } from '../errors.ts';
import type { ChangeFeed } from './change-feed.ts';
import { type Judge, type ViewerEvent, visibilityMemo } from './visibility-memo.ts';

export type { ViewerEvent };

export interface StreamScope {
  entityTypes: readonly string[];
  municipalityId?: number;
  departmentId?: number;
  fiscalYear?: number;
}

export interface StreamOptions {
  scope: StreamScope;
  /** Deliver records after this id; live only when absent. */
  after?: bigint;
  maxBuffer: number;
}

const REPLAY_PAGE = 200;

function inScope(record: ChangeRecord, scope: StreamScope): boolean {
  return (
    scope.entityTypes.includes(record.entityType) &&
    (scope.municipalityId === undefined || record.municipalityId === scope.municipalityId) &&
    (scope.departmentId === undefined || record.departmentId === scope.departmentId) &&
    (scope.fiscalYear === undefined || record.fiscalYear === scope.fiscalYear)
  );
}

/** Reads one page of the replay: records in scope after `after`, up to the feed's head. */
function replayPage(prisma: PrismaClient, feed: ChangeFeed, scope: StreamScope, after: bigint) {
  return prisma.changeRecord.findMany({
    where: {
      id: { gt: after, lte: feed.head },
      entityType: { in: [...scope.entityTypes] },
      ...(scope.municipalityId !== undefined ? { municipalityId: scope.municipalityId } : {}),
      ...(scope.departmentId !== undefined ? { departmentId: scope.departmentId } : {}),
      ...(scope.fiscalYear !== undefined ? { fiscalYear: scope.fiscalYear } : {}),
    },
    orderBy: { id: 'asc' },
    take: REPLAY_PAGE,
  });
}

function tooSlow(maxBuffer: number, delivered: bigint) {
  return new GraphQLError(
    `The subscriber fell more than ${maxBuffer} changes behind; resume with after: "${delivered}"`,
    { extensions: { code: ErrorCode.SUBSCRIBER_TOO_SLOW, cursor: delivered.toString() } },
  );
}

/**
 * Where a pushed stream writes: `write` takes an event and answers false when the subscriber's
 * connection is full (then records wait in the stream's queue, counted against maxBuffer, until
 * `resume` is called); `end` closes it, with the error that ended the stream if any.
 */
export interface EventSink {
  write(event: ViewerEvent): boolean;
  end(error?: unknown): void;
}

/** A pushed stream: `resume` after the sink was full, `stop` when the subscriber leaves. */
export interface PushedStream {
  resume(): void;
  stop(): void;
}

const PUSH = Symbol('push');

/** A change stream that can also be pushed (see pushInto), as long as nobody iterated it. */
export type ChangeStream = AsyncIterable<ViewerEvent> & {
  [PUSH]?: (sink: EventSink) => PushedStream;
};

/**
 * Starts the stream in push mode instead of iterating it: live records are judged and written
 * to the sink in the feed's own call, with no promise per subscriber and event. Answers
 * undefined when the stream cannot be pushed (not a change stream, or already iterated).
 */
export function pushInto(stream: unknown, sink: EventSink): PushedStream | undefined {
  const start = (stream as ChangeStream | null)?.[PUSH];
  return start ? start(sink) : undefined;
}

/** Can pushInto start this stream? */
export function isPushable(stream: unknown): boolean {
  return typeof (stream as ChangeStream | null)?.[PUSH] === 'function';
}

export function changeStream(
  feed: ChangeFeed,
  prisma: PrismaClient,
  judge: Judge,
  options: StreamOptions,
): ChangeStream {
  let iterated = false;
  let pushed = false;
  const pull = pullStream(feed, prisma, judge, options);
  return {
    [Symbol.asyncIterator]() {
      if (pushed) throw new Error('this change stream is pushed');
      iterated = true;
      return pull[Symbol.asyncIterator]();
    },
    [PUSH](sink: EventSink) {
      if (iterated || pushed) throw new Error('this change stream is already consumed');
      pushed = true;
      return pushStream(feed, prisma, judge, options, sink);
    },
  };
}

/** Push mode: the same records, judgments, seam and limits as pullStream below. */
function pushStream(
  feed: ChangeFeed,
  prisma: PrismaClient,
  judge: Judge,
  { scope, after, maxBuffer }: StreamOptions,
  sink: EventSink,
): PushedStream {
  const queue: ChangeRecord[] = [];
  let delivered = after ?? feed.head;
  const memo = visibilityMemo(feed);
  let replaying = after !== undefined;
  let full = false;
  let stopped = false;
  /** The replay, waiting for room in a full sink. */
  let waitForRoom: (() => void) | undefined;

  const finish = (error?: unknown) => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    waitForRoom?.();
    sink.end(error);
  };

  /** Writes one record's event (if the class sees it); false when the sink is now full. */
  const deliver = (record: ChangeRecord): boolean => {
    if (record.id <= delivered) return true; // already sent (replay and live overlap)
    const event = memo.event(judge, record);
    delivered = record.id;
    return event ? sink.write(event) : true;
  };

  /** Writes queued records until the queue is empty or the sink is full. */
  const drain = () => {
    while (!stopped && !full && !replaying && queue.length > 0) {
      const record = queue.shift() as ChangeRecord;
      if (!deliver(record)) full = true;
    }
  };

  const unsubscribe = feed.subscribe((records) => {
    if (stopped) return;
    for (const record of records) {
      if (!inScope(record, scope)) continue;
      if (!replaying && !full && queue.length === 0) {
        if (!deliver(record)) full = true;
      } else {
        queue.push(record);
      }
    }
    // Everything up to `delivered` has been written and reaches the client first.
    if (queue.length > maxBuffer) finish(tooSlow(maxBuffer, delivered));
  });

  if (replaying) {
    void (async () => {
      for (;;) {
        const page = await replayPage(prisma, feed, scope, delivered);
        for (const record of page) {
          if (stopped) return;
          if (!deliver(record) && !stopped) {
            full = true;
            await new Promise<void>((resolve) => {
              waitForRoom = resolve;
            });
          }
        }
        if (page.length < REPLAY_PAGE) break;
      }
      if (stopped) return;
      if (delivered < feed.head && queue.length === 0) delivered = feed.head;
      replaying = false;
      drain();
    })().catch((error) => finish(error));
  }

  return {
    resume() {
      if (!full) return;
      full = false;
      const waiting = waitForRoom;
      waitForRoom = undefined;
      if (waiting) waiting();
      else drain();
    },
    stop: () => finish(),
  };
}

function pullStream(
  feed: ChangeFeed,
  prisma: PrismaClient,
  judge: Judge,
  { scope, after, maxBuffer }: StreamOptions,
): AsyncIterable<ViewerEvent> {
  return new Repeater<ViewerEvent>(async (push, stop) => {
    // Live records wait here while the replay runs, and while the subscriber is busy.
    const queue: ChangeRecord[] = [];
    let delivered = after ?? feed.head;
    let wake: (() => void) | undefined;
    const memo = visibilityMemo(feed);

    let stopped = false;
    const unsubscribe = feed.subscribe((records) => {
      for (const record of records) if (inScope(record, scope)) queue.push(record);
      if (queue.length > maxBuffer && !stopped) {
        stopped = true;
        // Everything up to `delivered` has been handed over and will reach the client first.
        stop(tooSlow(maxBuffer, delivered));
      }
      wake?.();
    });

    async function deliver(record: ChangeRecord) {
      if (record.id <= delivered) return; // already sent (replay and live overlap at the seam)
      // One object per record and visibility class: subscribers of a class share its execution.
      const event = memo.event(judge, record);
      if (stopped) return;
      // Counted before the push: a value handed to the repeater reaches the client even if
      // the stream is closed while the client is still reading it.
      delivered = record.id;
      if (event) await push(event);
    }

    void stop.then(() => {
      stopped = true;
      unsubscribe();
      wake?.();
    });

    try {
      // Replay: everything after the cursor up to what the feed has already seen.
      if (after !== undefined) {
        for (;;) {
          const page = await replayPage(prisma, feed, scope, delivered);
          for (const record of page) {
            if (stopped) return;
            await deliver(record);
          }
          if (page.length < REPLAY_PAGE) break;
        }
        // Records between the last page and the feed's head that were out of scope.
        if (delivered < feed.head && queue.length === 0) delivered = feed.head;
      }
      // Live.
      while (!stopped) {
        const record = queue.shift();
        if (record) {
          await deliver(record);
        } else {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      }
    } finally {
      unsubscribe();
    }
  });
}
