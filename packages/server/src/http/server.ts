// Serves a Yoga instance over node:http: one log line per request, and a graceful close
// that lets requests in flight finish.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Logger } from '../logger.ts';
import type { HoshinYoga } from '../yoga.ts';

export function createHttpServer(yoga: HoshinYoga, log: Logger): Server {
  return createServer((req, res) => {
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
    yoga(req, res);
  });
}

/** Stops accepting connections and waits (at most `timeoutMs`) for requests in flight. */
export function closeGracefully(server: Server, timeoutMs: number): Promise<void> {
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
