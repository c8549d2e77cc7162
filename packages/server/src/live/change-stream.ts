// One subscriber's stream of change records: first the records after its cursor (replayed
// from the database), then live ones from the feed, with no gap and no duplicate at the seam.
// Each record is judged for the subscriber by the `judge` it is given (a pure function of the
// record's recorded audiences: live and replay judge alike), and delivered as the entity
// entering, modified within or leaving the subscriber's view, or not at all (a public
// subscriber never learns of a draft, not even its id). A subscriber that falls `maxBuffer` records behind is closed with
// SUBSCRIBER_TOO_SLOW and the cursor to resume from.
import { Repeater } from '@graphql-yoga/subscription';
import { GraphQLError } from 'graphql';
import type { PrismaClient } from '../db/client.ts';
import type { ChangeRecord } from '../generated/prisma/client.ts';
import type { ChangeFeed } from './change-feed.ts';
import { type Judge, type ViewerKind, visibilityMemo } from './visibility-memo.ts';

/** A change record as one subscriber experiences it. */
export interface ViewerEvent {
  record: ChangeRecord;
  kind: ViewerKind;
}

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

export function changeStream(
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
        stop(
          new GraphQLError(
            `The subscriber fell more than ${maxBuffer} changes behind; resume with after: "${delivered}"`,
            { extensions: { code: 'SUBSCRIBER_TOO_SLOW', cursor: delivered.toString() } },
          ),
        );
      }
      wake?.();
    });

    async function deliver(record: ChangeRecord) {
      if (record.id <= delivered) return; // already sent (replay and live overlap at the seam)
      const kind = memo.judge(judge, record);
      if (stopped) return;
      // Counted before the push: a value handed to the repeater reaches the client even if
      // the stream is closed while the client is still reading it.
      delivered = record.id;
      if (kind) await push({ record, kind });
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
          const page = await prisma.changeRecord.findMany({
            where: {
              id: { gt: delivered, lte: feed.head },
              entityType: { in: [...scope.entityTypes] },
              ...(scope.municipalityId !== undefined
                ? { municipalityId: scope.municipalityId }
                : {}),
              ...(scope.departmentId !== undefined ? { departmentId: scope.departmentId } : {}),
              ...(scope.fiscalYear !== undefined ? { fiscalYear: scope.fiscalYear } : {}),
            },
            orderBy: { id: 'asc' },
            take: REPLAY_PAGE,
          });
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
