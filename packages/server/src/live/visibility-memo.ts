// Many subscribers, one question: "may a viewer like this see the record of this event?" is
// the same query for every subscriber of one visibility class (the public; or a role with its
// municipality and department), so it is asked once per event and class, not once per
// subscriber (10,000 public subscribers would otherwise send 10,000 count queries per event).
// An answer holds only while the feed has read nothing newer: a later change (a plan
// unpublished, say) may change it, so the memo starts over whenever the feed's head moves.
import type { ChangeRecord } from '../generated/prisma/client.ts';
import type { ChangeFeed } from './change-feed.ts';

/**
 * How a stream decides what its subscriber may see, supplied by the module that opens it
 * (live/ knows no domain rule): `key` names the visibility class, the same for every
 * subscriber whose answers are the same.
 */
export interface StreamVisibility {
  key: string;
  isVisible(record: ChangeRecord): Promise<boolean>;
}

const MAX_ENTRIES = 10_000;

export class VisibilityMemo {
  private head = -1n;
  private readonly answers = new Map<string, Promise<boolean>>();
  /** Queries actually sent (for tests and diagnostics). */
  queries = 0;

  constructor(private readonly feed: Pick<ChangeFeed, 'head'>) {}

  isVisible(record: ChangeRecord, visibility: StreamVisibility): Promise<boolean> {
    if (this.feed.head !== this.head || this.answers.size >= MAX_ENTRIES) {
      this.head = this.feed.head;
      this.answers.clear();
    }
    const key = `${record.id}|${visibility.key}`;
    let answer = this.answers.get(key);
    if (!answer) {
      this.queries += 1;
      answer = visibility.isVisible(record);
      this.answers.set(key, answer);
      // A failed query is not remembered: the next subscriber asks again.
      answer.catch(() => {
        if (this.answers.get(key) === answer) this.answers.delete(key);
      });
    }
    return answer;
  }
}

const memos = new WeakMap<ChangeFeed, VisibilityMemo>();

/** The memo shared by every stream of one feed. */
export function visibilityMemo(feed: ChangeFeed): VisibilityMemo {
  let memo = memos.get(feed);
  if (!memo) {
    memo = new VisibilityMemo(feed);
    memos.set(feed, memo);
  }
  return memo;
}
