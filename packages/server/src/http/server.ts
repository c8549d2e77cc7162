// Serves a Yoga instance over node:http: one log line per request, the stream gate in each
// request's server context, and a graceful close that drops no request.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { defaultHttp, type HttpSettings } from '../config.ts';
import { ConnectionCounter, StreamGate } from '../limits/connections.ts';
import type { Logger } from '../logger.ts';
import type { HoshinYoga } from '../yoga.ts';
import { createDirectRequests } from './direct-requests.ts';
import type { FrontHandler } from './front.ts';

/** Per server: its open streams and whether it is shutting down. */
const lifecycles = new WeakMap<Server, { gate: StreamGate; draining: boolean }>();

/** Open SSE streams and WebSockets per client address, shared with attachWebSocket. */
export const connectionCounters = new WeakMap<Server, ConnectionCounter>();

export interface HttpServerOptions {
  http?: Partial<HttpSettings>;
  /** Answers some requests before Yoga (the read cache); passes the rest on. */
  front?: FrontHandler;
  /** JSON POSTs to /graphql up to this size reach Yoga without the Fetch adapter. */
  direct?: { maxBodyBytes: number };
}

export function createHttpServer(
  yoga: HoshinYoga,
  log: Logger,
  { http: settings = {}, front, direct }: HttpServerOptions = {},
): Server {
  const http = { ...defaultHttp(), ...settings };
  const connections = new ConnectionCounter(http.maxConnectionsPerClient);
  const gate = new StreamGate(connections);
  const lifecycle = { gate, draining: false };
  const directly = direct && createDirectRequests(yoga, direct);
  const server = createServer(
    {
      // A client that sends its headers or body slowly (slowloris) is cut off with 408.
      headersTimeout: http.headersTimeoutMs,
      requestTimeout: http.requestTimeoutMs,
      keepAliveTimeout: http.keepAliveTimeoutMs,
      // Node checks the two timeouts above only this often (30 s by default).
      connectionsCheckingInterval: Math.min(1000, http.headersTimeoutMs),
    },
    (req, res) => handle(req, res),
  );
  function handle(req: IncomingMessage, res: ServerResponse) {
    closeWhenDone(req, res, lifecycle);
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    res.on('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info(
        {
          requestId,
          method: req.method,
          // Path only: query strings may carry variables.
          path: pathOf(req.url ?? ''),
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          completed: res.writableFinished,
        },
        'request',
      );
    });
    // The stream gate travels in the server context: Yoga's stream cap (limits) counts every
    // subscription it starts, however the client asked for it.
    const throughAdapter = () =>
      (yoga.requestListener as (...args: unknown[]) => void)(req, res, { streamGate: gate });
    const toYoga = directly
      ? () => directly(req, res, { streamGate: gate }, throughAdapter)
      : throughAdapter;
    if (front) front(req, res, toYoga);
    else toYoga();
  }
  lifecycles.set(server, lifecycle);
  connectionCounters.set(server, connections);
  return server;
}

/** A request's path without its query string, without splitting the rest. */
function pathOf(url: string): string {
  const question = url.indexOf('?');
  return question < 0 ? url : url.slice(0, question);
}

/**
 * Answers with `Connection: close` (Node then closes the socket once the response is sent) when
 * the server is shutting down, so a keep-alive client sends its next request elsewhere instead
 * of on a connection about to close; and when the request body was not read to its end (a 413
 * on a streamed body), whose unread rest would otherwise be taken as the next request.
 */
function closeWhenDone(
  req: IncomingMessage,
  res: ServerResponse,
  lifecycle: { draining: boolean },
) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (lifecycle.draining || !req.complete) this.setHeader('connection', 'close');
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
}

/**
 * Stops accepting connections and shuts down without dropping a request: every response from
 * now on says `Connection: close`; an idle keep-alive connection is left to its keep-alive
 * timeout (which Node announces in `Keep-Alive: timeout=N`, so clients stop reusing it in time)
 * rather than closed under a request that may be on its way; event streams are ended (their
 * clients resume from their cursor, on this instance once restarted or on another); everything
 * gets at most `timeoutMs`.
 */
export function closeGracefully(
  server: Server,
  timeoutMs: number,
  idleGraceMs = server.keepAliveTimeout,
): Promise<void> {
  const lifecycle = lifecycles.get(server);
  if (lifecycle) {
    lifecycle.draining = true;
    lifecycle.gate.endAll();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, timeoutMs);
    timer.unref();
    // Node's close() also closes idle keep-alive connections at once, racing a client that is
    // sending its next request on one: hold that back for the grace below.
    const closeIdle = server.closeIdleConnections;
    server.closeIdleConnections = () => {};
    server.close(() => {
      clearTimeout(timer);
      clearTimeout(idleTimer);
      resolve();
    });
    server.closeIdleConnections = closeIdle;
    const idleTimer = setTimeout(
      () => server.closeIdleConnections(),
      Math.min(idleGraceMs, timeoutMs),
    );
    idleTimer.unref();
  });
}
