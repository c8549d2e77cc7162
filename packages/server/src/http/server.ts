// Serves a Yoga instance over node:http: one log line per request, and a graceful close
// that lets requests in flight finish.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { defaultHttp, type HttpSettings } from '../config.ts';
import { ErrorCode } from '../errors.ts';
import { ConnectionCounter } from '../limits/connections.ts';
import type { Logger } from '../logger.ts';
import type { HoshinYoga } from '../yoga.ts';
import type { FrontHandler } from './front.ts';

/** Open event streams (SSE): they never finish on their own, so shutdown ends them. */
const eventStreams = new WeakMap<Server, Set<ServerResponse>>();

/** Open SSE streams and WebSockets per client address, shared with attachWebSocket. */
export const connectionCounters = new WeakMap<Server, ConnectionCounter>();

export interface HttpServerOptions {
  http?: Partial<HttpSettings>;
  /** Answers some requests before Yoga (the read cache); passes the rest on. */
  front?: FrontHandler;
}

export function createHttpServer(
  yoga: HoshinYoga,
  log: Logger,
  { http: settings = {}, front }: HttpServerOptions = {},
): Server {
  const http = { ...defaultHttp(), ...settings };
  const streams = new Set<ServerResponse>();
  const connections = new ConnectionCounter(http.maxConnectionsPerClient);
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
    if (req.headers.accept?.includes('text/event-stream')) {
      const address = req.socket.remoteAddress ?? 'unknown';
      if (!connections.acquire(address)) {
        res.writeHead(429, { 'content-type': 'application/json; charset=utf-8' });
        res.end(
          JSON.stringify({
            errors: [
              {
                message: `Too many open connections from this client (at most ${connections.max})`,
                extensions: { code: ErrorCode.TOO_MANY_CONNECTIONS },
              },
            ],
          }),
        );
        return;
      }
      streams.add(res);
      res.on('close', () => {
        streams.delete(res);
        connections.release(address);
      });
    }
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
          path: (req.url ?? '').split('?')[0],
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          completed: res.writableFinished,
        },
        'request',
      );
    });
    if (front) front(req, res, () => yoga(req, res));
    else yoga(req, res);
  }
  eventStreams.set(server, streams);
  connectionCounters.set(server, connections);
  return server;
}

/**
 * Stops accepting connections, ends event streams (their clients resume from their cursor,
 * on this instance once restarted or on another) and waits at most `timeoutMs` for the
 * requests in flight.
 */
export function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
  for (const stream of eventStreams.get(server) ?? []) stream.destroy();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
