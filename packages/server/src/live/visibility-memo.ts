// Many subscribers, one judgment: viewers of one visibility class (the public; or a role with
// its municipality and department) judge every record alike, so a record is judged once per
// class, not once per subscriber. The judgment is a pure function of the record (its recorded
// audiences) and the class, so an answer never goes stale; the memo only bounds its size.
// The answer is one event object per (record, class), the same object for every subscriber of
// the class: shared-execution.ts executes an event's selection once per object and group.
import type { ChangeRecord } from '../../generated/prisma/client.ts';
import type { ChangeFeed } from './change-feed.ts';

/** How one viewer experiences a change record; null: not at all. */
export type ViewerKind = 'ENTERED' | 'MODIFIED' | 'LEFT';

/** A change record as the viewers of one class experience it (one object per record and class). */
export interface ViewerEvent {
  record: ChangeRecord;
  kind: ViewerKind;
}

/** The viewer's judgment of a record, and the class of viewers who share it. */
export interface Judge {
  visibilityClass: string;
  judge(record: ChangeRecord): ViewerKind | null;
}

const MAX_ENTRIES = 10_000;

export class VisibilityMemo {
  private readonly answers = new Map<string, ViewerEvent | null>();
  /** Judgments actually made (for tests and diagnostics). */
  judgments = 0;

  judge(judge: Judge, record: ChangeRecord): ViewerKind | null {
    return this.event(judge, record)?.kind ?? null;
  }

  /** The event every viewer of the judge's class receives for this record, or null. */
  event(judge: Judge, record: ChangeRecord): ViewerEvent | null {
    const key = `${record.id}|${judge.visibilityClass}`;
    const known = this.answers.get(key);
    if (known !== undefined) return known;
    if (this.answers.size >= MAX_ENTRIES) this.answers.clear();
    this.judgments += 1;
    const kind = judge.judge(record);
    const answer = kind ? { record, kind } : null;
    this.answers.set(key, answer);
    return answer;
  }
}

const memos = new WeakMap<ChangeFeed, VisibilityMemo>();

/** The memo shared by every stream of one feed. */
export function visibilityMemo(feed: ChangeFeed): VisibilityMemo {
  let memo = memos.get(feed);
  if (!memo) {
    memo = new VisibilityMemo();
    memos.set(feed, memo);
  }
  return memo;
}
