// Shutdown that drops nothing, against the real process (main.ts): after SIGTERM every response
// says `Connection: close`, keep-alive clients under load lose no request they sent (a refused
// new connection is not a lost request: nothing was sent), and every stream, however it was
// opened, is ended so the process exits well within its grace period.

import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/database.ts';
import { runServer, type ServerProcess } from '../support/process.ts';
import { startHostileServer } from './support.ts';

const QUERY = JSON.stringify({ query: '{ fiscalYear(year: 2012) { label } }' });

let server: ServerProcess | undefined;
let db: TestDatabase | undefined;

afterAll(async () => {
  if (server?.child.exitCode === null) await server.stop('SIGKILL');
  await db?.close();
});

/**
 * On PostgreSQL the real process, stopped by SIGTERM. On PGlite (whose migrations take too long
 * to start a process per test file) the same server in process, stopped by the close() that
 * main.ts runs on SIGTERM.
 */
async function startServer(): Promise<{ url: string; stop(): Promise<number | null> }> {
  if (onPostgres) {
    db = await createTestDatabase();
    server = await runServer({
      HOSHIN_SEED: 'false',
      HOSHIN_PROFILE: 'production',
      // An address limit the load stays under.
      HOSHIN_RATE_LIMIT_PER_ADDRESS: '1000000',
      DATABASE_URL: db.url as string,
    });
    const running = server;
    return { url: running.url, stop: () => running.stop('SIGTERM') };
  }
  const app = await startHostileServer({ security: { rateLimitPerAddress: 1_000_000 } });
  return { url: app.url, stop: () => app.close(5000).then(() => 0) };
}

type Outcome =
  | { kind: 'answered'; headers: IncomingHttpHeaders }
  | { kind: 'refused' } // a new connection the server no longer accepts: nothing was sent
  | { kind: 'lost'; error: string; at: number }; // sent on an open connection and never answered

function post(url: string, agent: Agent): Promise<Outcome> {
  return new Promise((done) => {
    const req = httpRequest(
      `${url}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          const ok =
            res.statusCode === 200 && JSON.parse(text).data?.fiscalYear?.label === '平成24年度';
          done(
            ok
              ? { kind: 'answered', headers: res.headers }
              : { kind: 'lost', error: `${res.statusCode} ${text}`, at: Date.now() },
          );
        });
        res.on('error', (error) => done({ kind: 'lost', error: String(error), at: Date.now() }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      done(
        error.code === 'ECONNREFUSED'
          ? { kind: 'refused' }
          : { kind: 'lost', error: `${error.code} ${error.message}`, at: Date.now() },
      ),
    );
    req.end(QUERY);
  });
}

describe('shutdown under load', () => {
  it('loses no request on keep-alive connections and ends every stream', async () => {
    const { url, stop } = await startServer();
    // A subscription opened without Accept: text/event-stream still streams; it must not hold
    // the shutdown for the grace period.
    const abort = new AbortController();
    const stream = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: '*/*', 'x-hoshin-csrf': '1' },
      body: JSON.stringify({ query: 'subscription { planChanged { __typename } }' }),
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    const streamEnded = (async () => {
      const reader = stream.body?.getReader();
      try {
        while (!(await reader?.read())?.done) {}
      } catch {}
      return Date.now();
    })();

    const clients = 20;
    const outcomes: Outcome[][] = Array.from({ length: clients }, () => []);
    let signalledAt = 0;
    const loops = outcomes.map(async (mine) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline) {
        const outcome = await post(url, agent);
        mine.push(outcome);
        if (outcome.kind === 'refused') break;
      }
      agent.destroy();
    });
    // Every client holds an open keep-alive connection (accepted and answered once): a new
    // connection still in the kernel's accept queue when the listener closes is reset by TCP
    // itself, which no server can prevent.
    const warm = Date.now();
    while (outcomes.some((mine) => mine.length === 0) && Date.now() - warm < 30_000) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    signalledAt = Date.now();
    const exited = stop();
    await Promise.all(loops);
    const code = await exited;
    const exitMs = Date.now() - signalledAt;
    const streamEndMs = (await streamEnded) - signalledAt;

    const all = outcomes.flat();
    const lost = all.filter((o) => o.kind === 'lost');
    const answered = all.filter((o) => o.kind === 'answered');
    const closing = answered.filter(
      (o) => o.kind === 'answered' && o.headers.connection === 'close',
    );
    console.info(
      `SIGTERM under load (${clients} keep-alive clients): ${answered.length} answered, ${lost.length} lost, ` +
        `${all.filter((o) => o.kind === 'refused').length} new connections refused; ` +
        `stream ended ${streamEndMs} ms and process exited ${exitMs} ms after the signal`,
    );
    expect(lost.map((o) => (o.kind === 'lost' ? `${o.error} ${o.at - signalledAt}` : ''))).toEqual(
      [],
    );
    expect(code).toBe(0);
    // The last answer on each connection said it would close.
    expect(closing.length).toBeGreaterThanOrEqual(1);
    for (const mine of outcomes) {
      const last = mine.filter((o) => o.kind === 'answered').at(-1);
      if (last?.kind === 'answered') expect(last.headers.connection).toBe('close');
    }
    expect(streamEndMs).toBeLessThan(3000);
    expect(exitMs).toBeLessThan(8000);
  }, 120_000);
});
