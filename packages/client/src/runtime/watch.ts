// watch(): a local collection that stays equal to what a query for the same filter would
// return now. It reads a snapshot and the cursor it corresponds to (liveSnapshot: one request,
// a page at a time), then subscribes after that cursor and applies each event: ENTERED and
// MODIFIED put the entity's state (events carry the whole state as of the change), LEFT
// removes it. subscribe() reconnects and resumes after the last event it delivered, so nothing
// is missed or applied twice across reconnects.
//
// Applying is idempotent on purpose: a later snapshot page may already hold a change that is
// also replayed after the first page's cursor; replaying it in order ends in the same state.
import type { Client, TypedDocument } from './client.js';
import type { SubscribeOptions } from './subscribe.js';

export type WatchEventKind = 'ENTERED' | 'MODIFIED' | 'LEFT';

/** One applied event, as `onChange` receives it. */
export interface WatchChange<TItem> {
  kind: WatchEventKind;
  /** Global ID of the entity. */
  id: string;
  /** Its state now (ENTERED, MODIFIED); null when it LEFT. */
  item: TItem | null;
  /** The event's cursor: the collection is exact as of it. */
  cursor: string;
}

/** How one entity type is watched: its snapshot query and its subscription. */
export interface WatchSource<TSnapshot, TEvent, TItem, TFilter> {
  snapshot: TypedDocument<TSnapshot, { filter?: TFilter | null; page?: string | null }>;
  /** The page's cursor and items, and where the next page starts. */
  page(data: TSnapshot): {
    cursor: string;
    items: TItem[];
    next: string | null | undefined;
  };
  subscription: TypedDocument<TEvent, { filter?: TFilter | null; after?: string | null }>;
  event(data: TEvent): { cursor: string; kind: WatchEventKind; id: string; item: TItem | null };
}

export interface WatchOptions<TItem>
  extends Pick<SubscribeOptions, 'signal' | 'idleTimeoutMs' | 'retries' | 'headers'> {
  /** Called after each event is applied (not for the snapshot: see `ready`). */
  onChange?: (change: WatchChange<TItem>, watch: Watch<TItem>) => void;
}

export interface Watch<TItem> {
  /** The current items by global ID (read-only; replaced in place as events arrive). */
  readonly items: ReadonlyMap<string, TItem>;
  /** The cursor the collection is exact as of: the snapshot's, then each event's. */
  readonly cursor: string | undefined;
  /** Resolves once the snapshot is read and the subscription is open. */
  readonly ready: Promise<void>;
  /**
   * Resolves when the watch is closed (`close()` or the signal); rejects when it failed for
   * good (a refused query or subscription: bad filter, revoked token).
   */
  readonly done: Promise<void>;
  /** The items as an array, in the order they arrived. */
  list(): TItem[];
  close(): void;
}

/** Watches `source` for `filter`: snapshot, then events, resuming across reconnects. */
export function watch<TSnapshot, TEvent, TItem extends { id: string }, TFilter>(
  client: Pick<Client, 'request' | 'subscribe'>,
  source: WatchSource<TSnapshot, TEvent, TItem, TFilter>,
  filter: TFilter | null | undefined,
  options: WatchOptions<TItem> = {},
): Watch<TItem> {
  const items = new Map<string, TItem>();
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let cursor: string | undefined;
  let markReady: () => void = () => {};
  let failReady: (error: unknown) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });

  const self: Watch<TItem> = {
    items,
    get cursor() {
      return cursor;
    },
    ready,
    done: run(),
    list: () => [...items.values()],
    close: () => stop.abort(),
  };
  // Both reject when the watch fails: whoever awaits them sees it, nobody else has to.
  ready.catch(() => {});
  self.done.catch(() => {});
  return self;

  async function run(): Promise<void> {
    try {
      let page: string | null | undefined;
      do {
        const data = await client.request(source.snapshot, { filter, page }, {
          signal: stop.signal,
          headers: options.headers,
        } as never);
        const read = source.page(data);
        // The first page's cursor: every change after it comes as an event.
        cursor ??= read.cursor;
        for (const item of read.items) items.set(item.id, item);
        page = read.next;
      } while (page && !stop.signal.aborted);
      if (stop.signal.aborted) return;
      const subscribeOptions: SubscribeOptions = {
        after: cursor,
        signal: stop.signal,
        idleTimeoutMs: options.idleTimeoutMs,
        retries: options.retries,
        headers: options.headers,
      };
      // The source's subscription declares $filter and $after and selects the cursor.
      const subscribe = client.subscribe as unknown as (
        this: typeof client,
        document: unknown,
        variables: unknown,
        options: SubscribeOptions,
      ) => AsyncGenerator<TEvent, void>;
      const events = subscribe.call(client, source.subscription, { filter }, subscribeOptions);
      markReady();
      for await (const data of events) {
        const event = source.event(data);
        if (event.kind === 'LEFT' || !event.item) items.delete(event.id);
        else items.set(event.id, event.item);
        cursor = event.cursor;
        options.onChange?.({ ...event, item: event.kind === 'LEFT' ? null : event.item }, self);
      }
    } catch (error) {
      if (stop.signal.aborted) return;
      failReady(error);
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      markReady();
    }
  }
}
