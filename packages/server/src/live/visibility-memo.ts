// Many subscribers, one judgment: viewers of one visibility class (the public; or a role with
// its municipality and department) judge every record alike, so a record is judged once per
// class, not once per subscriber. The judgment is a pure function of the record (its recorded
// audiences) and the class, so an answer never goes stale; the memo only bounds its size.
import type { ChangeRecord } from '../generated/prisma/client.ts';
import type { ChangeFeed } from './change-feed.ts';

/** How one viewer experiences a change record; null: not at all. */
export type ViewerKind = 'ENTERED' | 'MODIFIED' | 'LEFT';

/** The viewer's judgment of a record, and the class of viewers who share it. */
export interface Judge {
  visibilityClass: string;
  judge(record: ChangeRecord): ViewerKind | null;
}

const MAX_ENTRIES = 10_000;

export class VisibilityMemo {
  private readonly answers = new Map<string, ViewerKind | null>();
  /** Judgments actually made (for tests and diagnostics). */
  judgments = 0;

  judge(judge: Judge, record: ChangeRecord): ViewerKind | null {
    const key = `${record.id}|${judge.visibilityClass}`;
    if (this.answers.has(key)) return this.answers.get(key) ?? null;
    if (this.answers.size >= MAX_ENTRIES) this.answers.clear();
    this.judgments += 1;
    const answer = judge.judge(record);
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
