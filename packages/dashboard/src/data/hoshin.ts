// The app's only contact with the API, through @hoshin/client. Views read through `useQuery`
// and refetch when `revision` moves; the live layer moves it when an event arrives for the
// municipality or a connection comes back. Swapping this for the SDK's `watch` helper and its
// connection-state callbacks (when they land) only changes this file.
import {
  createClient,
  type FetchFunction,
  type HoshinClient,
  HoshinRequestError,
} from '@hoshin/client';
import { LatestChangeCursorDocument } from './documents';

export type ConnectionState = 'connecting' | 'live' | 'retrying' | 'offline';

export interface LiveEvent {
  stream: 'plan' | 'initiative' | 'evaluation';
  kind: string;
  id: string;
  at: string;
  cursor: string;
  /** What the event says about its record, for the live log. */
  summary: string;
  /** Null when the record was deleted or is no longer visible (it "left" the view). */
  visible: boolean;
}

/** The GraphQL endpoint: same origin when served at /app, VITE_HOSHIN_URL in development. */
export function endpoint(): string {
  const configured = import.meta.env.VITE_HOSHIN_URL as string | undefined;
  return configured ?? new URL('/graphql', window.location.origin).toString();
}

type Listener = () => void;

/**
 * Counts the open event streams by wrapping fetch: a stream's response opening, ending or
 * failing is all the SDK's subscribe() exposes today (no connection-state callback yet).
 */
function trackingFetch(onOpen: () => void, onDrop: () => void): FetchFunction {
  return async (input, init) => {
    const accept = new Headers(init?.headers).get('accept') ?? '';
    if (!accept.includes('text/event-stream')) return fetch(input, init);
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      if (!init?.signal?.aborted) onDrop();
      throw error;
    }
    if (!response.ok || !response.body) {
      onDrop();
      return response;
    }
    onOpen();
    const reader = response.body.getReader();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      onDrop();
    };
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            end();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          end();
          controller.error(error);
        }
      },
      cancel(reason) {
        end();
        return reader.cancel(reason);
      },
    });
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

const STREAMS = 3;

export class HoshinData {
  readonly client: HoshinClient;
  revision = 0;
  /** Moves on every change of anything below, for useSyncExternalStore. */
  tick = 0;
  state: ConnectionState = 'connecting';
  stateDetail = '';
  events: LiveEvent[] = [];
  private open = 0;
  private everOpened = false;
  private listeners = new Set<Listener>();
  private abort = new AbortController();
  private bumpTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly token: string | undefined,
    readonly municipality: string,
  ) {
    this.client = createClient({
      url: endpoint(),
      ...(token ? { token } : {}),
      backoff: { baseMs: 250, maxMs: 2000 },
      fetch: trackingFetch(
        () => this.streamOpened(),
        () => this.streamDropped(),
      ),
    });
    window.addEventListener('online', this.onNetwork);
    window.addEventListener('offline', this.onNetwork);
    void this.follow();
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  close(): void {
    this.abort.abort();
    clearTimeout(this.bumpTimer);
    window.removeEventListener('online', this.onNetwork);
    window.removeEventListener('offline', this.onNetwork);
  }

  /** Refetch everything shown (after a write of our own, or an event). */
  refresh(): void {
    clearTimeout(this.bumpTimer);
    this.revision++;
    this.emit();
  }

  private emit() {
    this.tick++;
    for (const listener of this.listeners) listener();
  }

  private onNetwork = () => this.updateState();

  private streamOpened() {
    this.open++;
    const wasDown = this.everOpened && this.state !== 'live';
    this.everOpened = true;
    this.updateState();
    // Back after a drop: the streams replay what was missed, and a refetch covers the rest.
    if (wasDown && this.state === 'live') this.scheduleRefresh();
  }

  private streamDropped() {
    this.open = Math.max(0, this.open - 1);
    this.updateState();
  }

  private updateState(detail = '') {
    const next: ConnectionState = !navigator.onLine
      ? 'offline'
      : this.open >= STREAMS
        ? 'live'
        : this.everOpened || this.failedOnce
          ? 'retrying'
          : 'connecting';
    if (next !== this.state || detail !== this.stateDetail) {
      this.state = next;
      this.stateDetail = detail;
      this.emit();
    }
  }

  private failedOnce = false;

  private scheduleRefresh() {
    clearTimeout(this.bumpTimer);
    this.bumpTimer = setTimeout(() => this.refresh(), 150);
  }

  private record(event: LiveEvent) {
    this.events = [event, ...this.events].slice(0, 50);
    this.scheduleRefresh();
    this.emit();
  }

  /** Subscribes from the newest change at load time, so nothing after it is missed. */
  private async follow() {
    const { signal } = this.abort;
    let after: string | null = null;
    for (;;) {
      try {
        after = (await this.client.request(LatestChangeCursorDocument, {}, { signal }))
          .latestChangeCursor;
        break;
      } catch {
        if (signal.aborted) return;
        this.failedOnce = true;
        this.updateState();
        await new Promise((done) => setTimeout(done, 1000));
      }
    }
    const filter = { municipality: this.municipality };
    const options = { signal, after };
    const run = async (stream: () => Promise<void>) => {
      try {
        await stream();
      } catch (error) {
        if (signal.aborted) return;
        // subscribe() gave up: something retrying cannot fix (a revoked token, say).
        this.open = 0;
        this.state = 'offline';
        this.stateDetail =
          error instanceof HoshinRequestError ? `${error.codes.join(',') || error.kind}` : '';
        this.emit();
      }
    };
    void run(async () => {
      for await (const e of this.client.planChanges(filter, options)) {
        this.record({
          stream: 'plan',
          kind: e.kind,
          id: e.id,
          at: e.at,
          cursor: e.cursor,
          visible: e.plan !== null,
          summary: e.plan
            ? `${e.plan.department.name} ${e.plan.fiscalYear.year} ${e.plan.status}`
            : changedFields(e.change.changes),
        });
      }
    });
    void run(async () => {
      for await (const e of this.client.initiativeChanges(filter, options)) {
        this.record({
          stream: 'initiative',
          kind: e.kind,
          id: e.id,
          at: e.at,
          cursor: e.cursor,
          visible: e.initiative !== null,
          summary: e.initiative ? e.initiative.text : changedFields(e.change.changes),
        });
      }
    });
    void run(async () => {
      for await (const e of this.client.evaluationChanges(filter, options)) {
        this.record({
          stream: 'evaluation',
          kind: e.kind,
          id: e.id,
          at: e.at,
          cursor: e.cursor,
          visible: e.evaluation !== null,
          // A staged evaluation has no rating until a stage is completed.
          summary: e.evaluation ? (e.evaluation.rating ?? '—') : changedFields(e.change.changes),
        });
      }
    });
  }
}

function changedFields(changes: readonly { field: string }[]): string {
  return changes.map((c) => c.field).join(', ');
}
