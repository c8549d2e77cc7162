// The app's only contact with the API, through @hoshin/client's public API. Views read through
// `useQuery` and refetch when `revision` moves; the live layer moves it when an event arrives
// for the municipality or the connection comes back. Live updates travel over one WebSocket
// per tab (the SDK's multiplexed graphql-ws transport), so any number of tabs stay within the
// browser's six HTTP/1.1 connections per host; the connection state is the SDK's `onState`.
import {
  createClient,
  type HoshinClient,
  HoshinRequestError,
  type LiveOptions,
  type ConnectionState as StreamState,
} from '@hoshin/client';
import { webSocketTransport } from '@hoshin/client/ws';
import { LatestChangeCursorDocument } from './documents';
import { type Labels, loadLabels } from './queries';

export type ConnectionState = 'connecting' | 'live' | 'retrying' | 'offline';

/** What the page knows of the pasted token: none, accepted, or refused by the server. */
export type TokenState = 'none' | 'valid' | 'invalid';

export interface LiveEvent {
  stream: 'plan' | 'initiative' | 'evaluation';
  kind: string;
  id: string;
  at: string;
  cursor: string;
  /** What the event says about its record, for the live log: a name or a text. */
  summary: string;
  /** The plan's or evaluation's enum value (PublicationStatus, AchievementRating), if any. */
  value?: { enum: string; value: string };
  /** Null when the record was deleted or is no longer visible (it "left" the view). */
  visible: boolean;
}

/**
 * The GraphQL endpoint: always the page's own origin (`/graphql`). Served at /app by the
 * server that is the API; in development Vite proxies /graphql (HTTP and WebSocket) to the
 * server named by VITE_HOSHIN_URL (vite.config.ts).
 */
export function endpoint(): string {
  return new URL('/graphql', window.location.origin).toString();
}

function webSocketUrl(): string {
  const url = new URL(endpoint());
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Is this error the server saying the token is not (or no longer) valid? */
export function isTokenRefusal(error: unknown): boolean {
  return (
    error instanceof HoshinRequestError &&
    (error.status === 401 || error.codes.includes('UNAUTHENTICATED'))
  );
}

type Listener = () => void;

type Stream = LiveEvent['stream'];
const STREAMS: readonly Stream[] = ['plan', 'initiative', 'evaluation'];

export class HoshinData {
  /** The client views read with: the token's, or the public one once the token is refused. */
  client: HoshinClient;
  tokenState: TokenState;
  revision = 0;
  /** Moves on every change of anything below, for useSyncExternalStore. */
  tick = 0;
  state: ConnectionState = 'connecting';
  stateDetail = '';
  events: LiveEvent[] = [];
  /** The API's labels of its enums (loaded once). */
  labels: Labels | undefined;
  /** Each subscription's state as the SDK reports it. */
  private streams = new Map<Stream, StreamState['status']>();
  private everLive = false;
  private listeners = new Set<Listener>();
  private abort = new AbortController();
  private bumpTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly token: string | undefined,
    readonly municipality: string,
  ) {
    this.tokenState = token ? 'valid' : 'none';
    this.client = this.clientFor(token);
    window.addEventListener('online', this.onNetwork);
    window.addEventListener('offline', this.onNetwork);
    void this.follow();
    void this.loadLabels();
  }

  private async loadLabels() {
    for (let attempt = 0; attempt < 5 && !this.abort.signal.aborted; attempt++) {
      try {
        this.labels = await loadLabels(this.client, this.abort.signal);
        this.emit();
        return;
      } catch {
        await new Promise((done) => setTimeout(done, 1000));
      }
    }
  }

  private clientFor(token: string | undefined): HoshinClient {
    return createClient({
      url: endpoint(),
      ...(token ? { token } : {}),
      backoff: { baseMs: 250, maxMs: 2000 },
      subscriptionTransport: webSocketTransport({ url: webSocketUrl(), multiplex: true }),
    });
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

  /**
   * The server refused the token (wrong, revoked or expired): say so, and go on with the
   * public view rather than showing nothing.
   */
  tokenRefused(): void {
    if (this.tokenState === 'invalid' || !this.token) return;
    this.tokenState = 'invalid';
    this.abort.abort();
    this.abort = new AbortController();
    this.client = this.clientFor(undefined);
    this.streams.clear();
    this.everLive = false;
    this.updateState();
    this.refresh();
    void this.follow();
  }

  private emit() {
    this.tick++;
    for (const listener of this.listeners) listener();
  }

  private onNetwork = () => this.updateState();

  private streamState(stream: Stream, state: StreamState) {
    const wasLive = this.state === 'live';
    this.streams.set(stream, state.status);
    if (state.status === 'failed') {
      if (state.reason === 'unauthenticated' && this.tokenState === 'valid') {
        this.tokenRefused();
        return;
      }
      this.updateState(state.error.codes.join(',') || state.error.kind);
      return;
    }
    this.updateState();
    // Back after a drop: the streams replay what was missed, and a refetch covers the rest.
    if (this.state === 'live') {
      if (this.everLive && !wasLive) this.scheduleRefresh();
      this.everLive = true;
    }
  }

  private updateState(detail = this.stateDetail) {
    const states = STREAMS.map((stream) => this.streams.get(stream));
    const next: ConnectionState = !navigator.onLine
      ? 'offline'
      : states.includes('failed')
        ? 'offline'
        : states.every((state) => state === 'live')
          ? 'live'
          : this.everLive || states.includes('retrying')
            ? 'retrying'
            : 'connecting';
    const shownDetail = next === 'offline' ? detail : '';
    if (next !== this.state || shownDetail !== this.stateDetail) {
      this.state = next;
      this.stateDetail = shownDetail;
      this.emit();
    }
  }

  private scheduleRefresh() {
    clearTimeout(this.bumpTimer);
    this.bumpTimer = setTimeout(() => this.refresh(), 150);
  }

  /** The last name each record was shown with: a record that LEFT is named by it. */
  private names = new Map<string, string>();

  private record(event: LiveEvent) {
    if (event.visible && event.summary) this.names.set(event.id, event.summary);
    else event.summary = this.names.get(event.id) ?? '';
    this.events = [event, ...this.events].slice(0, 50);
    this.scheduleRefresh();
    this.emit();
  }

  /** Subscribes from the newest change at load time, so nothing after it is missed. */
  private async follow() {
    const { signal } = this.abort;
    const client = this.client;
    let after: string | null = null;
    for (;;) {
      try {
        after = (await client.request(LatestChangeCursorDocument, {}, { signal }))
          .latestChangeCursor;
        break;
      } catch (error) {
        if (signal.aborted) return;
        if (isTokenRefusal(error)) return this.tokenRefused();
        this.streams.set('plan', 'retrying');
        this.updateState();
        await new Promise((done) => setTimeout(done, 1000));
      }
    }
    const filter = { municipality: this.municipality };
    const options = (stream: Stream): LiveOptions => ({
      signal,
      after,
      onState: (state) => {
        if (!signal.aborted) this.streamState(stream, state);
      },
    });
    // A failure is reported through onState ('failed'); the loops only end there.
    const run = (stream: () => Promise<void>) => stream().catch(() => {});
    void run(async () => {
      for await (const e of client.planChanges(filter, options('plan'))) {
        this.record({
          stream: 'plan',
          kind: e.kind,
          id: e.id,
          at: e.at,
          cursor: e.cursor,
          visible: e.plan !== null,
          summary: e.plan ? `${e.plan.department.name} ${e.plan.fiscalYear.year}` : '',
          ...(e.plan ? { value: { enum: 'PublicationStatus', value: e.plan.status } } : {}),
        });
      }
    });
    void run(async () => {
      for await (const e of client.initiativeChanges(filter, options('initiative'))) {
        this.record({
          stream: 'initiative',
          kind: e.kind,
          id: e.id,
          at: e.at,
          cursor: e.cursor,
          visible: e.initiative !== null,
          summary: e.initiative ? e.initiative.text : '',
        });
      }
    });
    void run(async () => {
      for await (const e of client.evaluationChanges(filter, options('evaluation'))) {
        this.record({
          stream: 'evaluation',
          kind: e.kind,
          id: e.id,
          at: e.at,
          cursor: e.cursor,
          visible: e.evaluation !== null,
          summary: '',
          // A staged evaluation has no rating until a stage is completed.
          ...(e.evaluation?.rating
            ? { value: { enum: 'AchievementRating', value: e.evaluation.rating } }
            : {}),
        });
      }
    });
  }
}
