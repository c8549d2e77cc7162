// Serves a Yoga instance over node:http: one log line per request, and a graceful close
// that lets requests in flight finish.
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger.ts';
import type { HoshinYoga } from '../yoga.ts';
import type { FrontHandler } from './front.ts';

/** Open event streams (SSE): they never finish on their own, so shutdown ends them. */
const eventStreams = new WeakMap<Server, Set<ServerResponse>>();

export function createHttpServer(yoga: HoshinYoga, log: Logger, front?: FrontHandler): Server {
  const streams = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    if (req.headers.accept?.includes('text/event-stream')) {
      streams.add(res);
      res.on('close', () => streams.delete(res));
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
  });
  eventStreams.set(server, streams);
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
