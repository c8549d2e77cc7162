// The subscribers of the subscription benchmark: one process (pinned to the load core) holding
// many subscriptions, over SSE (plain http.request, one connection each) or graphql-ws (one
// WebSocket each). Commands arrive as JSON lines on stdin, answers leave on stdout.
// Every receipt is stamped with the shared wall clock (performance.timeOrigin + now), so the
// bench process can compare it with the moment each write's commit was acknowledged.
import http from 'node:http';
import { createInterface } from 'node:readline';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export type ClientsCommand =
  | {
      id: number;
      op: 'open';
      transport: 'sse' | 'ws';
      url: string;
      query: string;
      count: number;
      /** Connections opened at once. */
      batch: number;
      timeoutMs: number;
    }
  | {
      id: number;
      op: 'collect';
      /** Events every subscriber must receive. */
      events: number;
      /** When each write's commit was acknowledged to its writer / when it was sent. */
      committedAt: number[];
      sentAt: number[];
      timeoutMs: number;
    }
  | { id: number; op: 'close'; timeoutMs: number };

export interface ClientsAnswer {
  id: number;
  failure?: string;
  opened?: number;
  openSeconds?: number;
  delivered?: number;
  expected?: number;
  /** Subscribers whose k-th event was not the same event as everyone's k-th. */
  outOfOrder?: number;
  /** Streams that ended or failed before `close`. */
  broken?: number;
  latencyFromCommit?: { p50: number; p99: number; max: number };
  latencyFromSend?: { p50: number; p99: number; max: number };
  /** The data of the last SSE event received, as sent (the bare broadcaster repeats it). */
  sample?: string;
  closed?: number;
}

const now = () => performance.timeOrigin + performance.now();

interface Subscriber {
  /** Receipt time and cursor of each event, in order. */
  times: number[];
  cursors: string[];
  broken: boolean;
  close(): void;
}

let subscribers: Subscriber[] = [];
let sample: string | undefined;
const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });

function openSse(url: string, query: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const subscriber: Subscriber = {
      times: [],
      cursors: [],
      broken: false,
      close: () => request.destroy(),
    };
    const body = JSON.stringify({ query });
    const request = http.request(url, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        'content-length': Buffer.byteLength(body),
      },
    });
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        reject(new Error(`SSE subscription answered ${response.statusCode}`));
        response.resume();
        return;
      }
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk: string) => {
        const at = now();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith('event: next')) {
            const data = block.slice(block.indexOf('data: ') + 6);
            sample = data;
            const payload = JSON.parse(data) as { data?: Record<string, { cursor: string }> };
            const event = payload.data ? Object.values(payload.data)[0] : undefined;
            subscriber.times.push(at);
            subscriber.cursors.push(event?.cursor ?? '?');
          }
          end = buffer.indexOf('\n\n');
        }
      });
      response.on('close', () => {
        subscriber.broken = true;
      });
      resolve(subscriber);
    });
    request.on('error', (error) => {
      subscriber.broken = true;
      reject(error);
    });
    request.end(body);
  });
}

function openWs(url: string, query: string): Promise<Subscriber> {
  return new Promise((resolve, reject) => {
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      keepAlive: 0,
      on: {
        connected: () => resolve(subscriber),
        error: (error) => reject(error instanceof Error ? error : new Error(String(error))),
      },
    });
    const subscriber: Subscriber = {
      times: [],
      cursors: [],
      broken: false,
      close: () => void client.dispose(),
    };
    client.subscribe<Record<string, { cursor: string }>>(
      { query },
      {
        next: (value) => {
          const event = value.data ? Object.values(value.data)[0] : undefined;
          subscriber.times.push(now());
          subscriber.cursors.push(event?.cursor ?? '?');
        },
        error: () => {
          subscriber.broken = true;
        },
        complete: () => {
          subscriber.broken = true;
        },
      },
    );
  });
}

function percentiles(values: number[]) {
  if (values.length === 0) return { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function handle(command: ClientsCommand): Promise<ClientsAnswer> {
  if (command.op === 'open') {
    const started = performance.now();
    const open = command.transport === 'sse' ? openSse : openWs;
    const deadline = Date.now() + command.timeoutMs;
    for (let i = 0; i < command.count; i += command.batch) {
      if (Date.now() > deadline) throw new Error(`opened only ${subscribers.length} in time`);
      const size = Math.min(command.batch, command.count - i);
      const batch = await withTimeout(
        Promise.all(Array.from({ length: size }, () => open(command.url, command.query))),
        Math.max(1000, deadline - Date.now()),
        'opening subscribers',
      );
      subscribers.push(...batch);
    }
    return {
      id: command.id,
      opened: subscribers.length,
      openSeconds: (performance.now() - started) / 1000,
    };
  }
  if (command.op === 'collect') {
    const deadline = Date.now() + command.timeoutMs;
    const done = () => subscribers.every((s) => s.times.length >= command.events);
    while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // A little longer: an extra (unexpected) event would show as more than expected.
    await new Promise((r) => setTimeout(r, 200));
    const reference = subscribers.find((s) => s.cursors.length >= command.events)?.cursors ?? [];
    let delivered = 0;
    let outOfOrder = 0;
    const fromCommit: number[] = [];
    const fromSend: number[] = [];
    for (const subscriber of subscribers) {
      delivered += subscriber.times.length;
      if (subscriber.cursors.some((cursor, k) => cursor !== reference[k])) outOfOrder += 1;
      subscriber.times.forEach((at, k) => {
        const committed = command.committedAt[k];
        const sent = command.sentAt[k];
        if (committed !== undefined) fromCommit.push(at - committed);
        if (sent !== undefined) fromSend.push(at - sent);
      });
    }
    return {
      id: command.id,
      delivered,
      expected: subscribers.length * command.events,
      outOfOrder,
      broken: subscribers.filter((s) => s.broken).length,
      latencyFromCommit: percentiles(fromCommit),
      latencyFromSend: percentiles(fromSend),
      sample,
    };
  }
  const count = subscribers.length;
  for (const subscriber of subscribers) subscriber.close();
  subscribers = [];
  return { id: command.id, closed: count };
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as ClientsCommand;
  handle(command).then(
    (answer) => process.stdout.write(`${JSON.stringify(answer)}\n`),
    (error: Error) =>
      process.stdout.write(`${JSON.stringify({ id: command.id, failure: error.message })}\n`),
  );
});
