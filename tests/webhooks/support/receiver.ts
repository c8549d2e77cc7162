// A webhook receiver for tests: records every request (path, headers, raw body, the status it
// answered) and answers what `answer` decides per request. Listens on loopback: the servers
// under test allow 127.0.0.0/8 by configuration.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  /** The body's `id` and `type` (evt_<cursor>, plan.entered...). */
  id: string;
  type: string;
}

export interface Receiver {
  url(path: string): string;
  /** Decides each answer's status (default 204); may return a redirect's Location too. */
  answer: (path: string, count: number) => number | { status: number; location: string };
  received: Received[];
  /** The requests to `path` answered 2xx, in arrival order. */
  accepted(path: string): Received[];
  /** Most requests to one path in progress at once. */
  maxInFlight: Map<string, number>;
  /** Resolves with the first request (past or future) that matches. */
  waitFor(match: (r: Received) => boolean, timeoutMs?: number): Promise<Received>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const waiters = new Set<() => void>();
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const counts = new Map<string, number>();
  const receiver: Receiver = {
    url: (path) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    answer: () => 204,
    received,
    accepted: (path) => received.filter((r) => r.path === path && r.status < 300),
    maxInFlight,
    waitFor(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = received.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`no matching delivery within ${timeoutMs} ms (${received.length} received)`),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
    maxInFlight.set(path, Math.max(maxInFlight.get(path) ?? 0, inFlight.get(path) ?? 0));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const count = (counts.get(path) ?? 0) + 1;
    counts.set(path, count);
    const decided = receiver.answer(path, count);
    const { status, location } =
      typeof decided === 'number' ? { status: decided, location: undefined } : decided;
    let parsed: { id?: string; type?: string } = {};
    try {
      parsed = JSON.parse(body);
    } catch {}
    received.push({
      path,
      headers: req.headers,
      body,
      status,
      id: parsed.id ?? '',
      type: parsed.type ?? '',
    });
    res.writeHead(status, location ? { location } : {}).end();
    inFlight.set(path, (inFlight.get(path) ?? 1) - 1);
    for (const waiter of [...waiters]) waiter();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return receiver;
}
