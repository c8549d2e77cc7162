// A model subscriber: one viewer (token or public) with one filter, as a dashboard would be.
// It reads a snapshot and its cursor (liveSnapshot), subscribes to the three change streams
// after that cursor (SSE or graphql-ws), applies every event to its copy, and resumes each
// stream from its last cursor after a restart. It never throws from a stream callback: what
// goes wrong is collected in `problems` and checked at the end (so fast-check can shrink).
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  type ChangeSeen,
  ENTITY_KINDS,
  type EntityKind,
  type LiveEvent,
  type LiveFilter,
  normalise,
  SNAPSHOT,
  type State,
  SUBSCRIPTIONS,
  stateOf,
} from './documents.ts';
import type { ModelServer } from './server.ts';

export type Transport = 'sse' | 'ws';

export interface Snapshot {
  cursor: string;
  state: State;
}

/** Reads what `token` sees under `filter`, with the cursor it corresponds to. */
export async function readSnapshot(
  server: ModelServer,
  token: string | null,
  filter: LiveFilter,
): Promise<Snapshot> {
  const data = await server.graphql(
    SNAPSHOT,
    { filter, initiativeFilter: filter },
    token ?? undefined,
  );
  return { cursor: data.liveSnapshot.cursor, state: stateOf(data.liveSnapshot.query) };
}

interface Stream {
  close(): void;
}

function openSse(
  server: ModelServer,
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
  onPayload: (payload: any) => void,
  onEnd: (reason: string) => void,
): Stream {
  const abort = new AbortController();
  (async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      signal: abort.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    if (response.status !== 200) throw new Error(`SSE refused: ${response.status}`);
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      buffer += chunk.value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event === 'next' && data) onPayload(JSON.parse(data));
        end = buffer.indexOf('\n\n');
      }
    }
    onEnd('ended');
  })().catch((error: Error) => onEnd(String(error?.message ?? error)));
  return { close: () => abort.abort() };
}

function openWs(
  server: ModelServer,
  query: string,
  variables: Record<string, unknown>,
  token: string | null,
  onPayload: (payload: any) => void,
  onEnd: (reason: string) => void,
): Stream {
  const client = createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  const dispose = client.subscribe(
    { query, variables },
    {
      next: onPayload,
      error: (error) => onEnd(`error ${JSON.stringify(error)}`),
      complete: () => onEnd('complete'),
    },
  );
  return {
    close() {
      dispose();
      void client.dispose();
    },
  };
}

export class Subscriber {
  readonly events: Record<EntityKind, LiveEvent[]> = { plan: [], initiative: [], evaluation: [] };
  readonly problems: string[] = [];
  readonly state: State;
  readonly startCursor: string;
  private readonly last: Record<EntityKind, string>;
  private streams: Stream[] = [];
  private server: ModelServer | undefined;
  /** Streams of earlier connections end late (a restart): only the current ones count. */
  private generation = 0;
  private expectingEnd = false;
  /**
   * Set when its token was revoked: the newest change committed before the revocation. Its
   * streams must then end (an UNAUTHENTICATED error, or a refusal for one that opened late)
   * having delivered nothing committed after it.
   */
  revokedAfter: bigint | undefined;
  /** How each stream ended after the revocation. */
  readonly ended: Partial<Record<EntityKind, string>> = {};

  constructor(
    readonly name: string,
    readonly viewer: string,
    readonly token: string | null,
    readonly filter: LiveFilter,
    readonly transport: Transport,
    snapshot: Snapshot,
  ) {
    this.state = snapshot.state;
    this.startCursor = snapshot.cursor;
    this.last = { plan: snapshot.cursor, initiative: snapshot.cursor, evaluation: snapshot.cursor };
  }

  /** Opens the three streams, each after the last cursor it applied. */
  connect(server: ModelServer) {
    this.expectingEnd = false;
    this.generation += 1;
    this.server = server;
    this.streams = ENTITY_KINDS.map((kind) => this.open(kind));
  }

  /** One stream, after the last cursor of its kind; its end is a problem unless expected. */
  private open(kind: EntityKind): Stream {
    const generation = this.generation;
    const opened = { replaced: false };
    const open = this.transport === 'sse' ? openSse : openWs;
    const stream = open(
      this.server as ModelServer,
      SUBSCRIPTIONS[kind].query,
      { filter: this.filter, after: this.last[kind] },
      this.token,
      (payload) => this.receive(kind, payload, opened),
      (reason) => {
        if (opened.replaced || generation !== this.generation) return;
        if (this.revokedAfter !== undefined) this.ended[kind] ??= reason;
        else if (!this.expectingEnd) this.problems.push(`${kind} stream ended: ${reason}`);
      },
    );
    return stream;
  }

  /** Its token was revoked after the change at `cursor`: its streams must end. */
  revoke(cursor: string) {
    this.revokedAfter = BigInt(cursor);
  }

  /** Waits until every stream of a revoked subscriber ended. */
  async ends(timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (ENTITY_KINDS.some((kind) => this.ended[kind] === undefined)) {
      if (Date.now() > deadline) {
        const open = ENTITY_KINDS.filter((kind) => this.ended[kind] === undefined);
        throw new Error(`${this.name}: token revoked, but ${open.join(', ')} stream(s) go on`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Before the server goes away: its streams end, and that is expected. */
  expectEnd() {
    this.expectingEnd = true;
    this.generation += 1;
  }

  disconnect() {
    this.expectingEnd = true;
    for (const stream of this.streams) stream.close();
    this.streams = [];
  }

  private receive(kind: EntityKind, payload: any, opened: { replaced: boolean }) {
    if (this.ended[kind] !== undefined) {
      this.problems.push(`${kind} stream: ${JSON.stringify(payload)} after its end`);
      return;
    }
    const slow = payload.errors?.[0]?.extensions;
    if (slow?.code === 'UNAUTHENTICATED' && this.revokedAfter !== undefined) {
      this.ended[kind] = 'UNAUTHENTICATED';
      return;
    }
    if (slow?.code === 'SUBSCRIBER_TOO_SLOW' && !opened.replaced) {
      // Documented: a subscriber that fell too far behind resumes from the cursor it is given,
      // as the SDK does. Anything else (a gap, a repeat) is still caught by the checks.
      if (slow.cursor !== this.last[kind]) {
        this.problems.push(`${kind} told to resume at ${slow.cursor}, applied ${this.last[kind]}`);
      }
      opened.replaced = true;
      const index = ENTITY_KINDS.indexOf(kind);
      this.streams[index]?.close();
      this.streams[index] = this.open(kind);
      return;
    }
    if (payload.errors) {
      this.problems.push(`${kind} stream error: ${JSON.stringify(payload.errors)}`);
      return;
    }
    const raw = payload.data[SUBSCRIPTIONS[kind].field];
    const event: LiveEvent = {
      cursor: raw.cursor,
      kind: raw.kind,
      id: raw.id,
      at: raw.at,
      change: raw.change as ChangeSeen,
      state: raw[kind] ? normalise(kind, raw[kind]) : null,
    };
    this.events[kind].push(event);
    if (this.revokedAfter !== undefined && BigInt(event.cursor) > this.revokedAfter) {
      this.problems.push(`${kind} event ${event.cursor}: committed after the token's revocation`);
    }
    if (BigInt(event.cursor) <= BigInt(this.last[kind])) {
      this.problems.push(`${kind} event ${event.cursor} not after ${this.last[kind]} (duplicate?)`);
      return;
    }
    this.last[kind] = event.cursor;
    const held = this.state[kind];
    const where = `${kind} ${event.kind} ${event.id} at cursor ${event.cursor}`;
    // Leaving, the viewer sees no value after the change; entering, none before it.
    const shown = event.change.changes;
    if (event.kind === 'LEFT' && shown.some((entry) => entry.after !== null)) {
      this.problems.push(`${where}: LEFT shows values after it: ${JSON.stringify(shown)}`);
    }
    if (event.kind === 'ENTERED' && shown.some((entry) => entry.before !== null)) {
      this.problems.push(`${where}: ENTERED shows values before it: ${JSON.stringify(shown)}`);
    }
    if (event.kind === 'LEFT') {
      if (event.state !== null) this.problems.push(`${where}: LEFT carries a state`);
      if (!held.delete(event.id)) this.problems.push(`${where}: LEFT an entity not held`);
      return;
    }
    if (!event.state || event.state.id !== event.id) {
      this.problems.push(`${where}: no state, or the state of another entity`);
      return;
    }
    if (event.kind === 'ENTERED' && held.has(event.id)) {
      this.problems.push(`${where}: ENTERED but already held`);
    }
    if (event.kind === 'MODIFIED' && !held.has(event.id)) {
      this.problems.push(`${where}: MODIFIED but not held`);
    }
    held.set(event.id, event.state);
  }

  /** Waits until each stream applied an event at or after the cursor given for it. */
  async reach(wanted: Partial<Record<EntityKind, string>>, timeoutMs = 45_000) {
    const deadline = Date.now() + timeoutMs;
    for (const kind of ENTITY_KINDS) {
      const cursor = wanted[kind];
      if (cursor === undefined) continue;
      while (BigInt(this.last[kind]) < BigInt(cursor)) {
        if (Date.now() > deadline) {
          throw new Error(
            `${this.name}: ${kind} stream stopped at ${this.last[kind]}, expected ${cursor}; problems: ${this.problems.join('; ')}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  }
}
