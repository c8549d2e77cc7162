// What the node:http handler does before Yoga: GET /health (readiness: does the database
// answer), GET /metrics (Prometheus text format, guarded: metrics/metrics.ts says who may read
// it) and the anonymous read cache (response-cache.ts) when it is on. /health is answered here
// rather than by Yoga's readiness plugin, which matched every request's URL against a pattern.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveUpdates } from '../live/live-updates.ts';
import { type Metrics, metricsAccess } from '../metrics/metrics.ts';
import type { PublicCache } from './public-cache.ts';
import type { ReadCache } from './response-cache.ts';

export type FrontHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export function createFrontHandler(options: {
  live: Pick<LiveUpdates, 'feed'>;
  readCache?: ReadCache;
  /** HTTP caching headers and 304s for public reads (public-cache.ts), before the read cache. */
  publicCache?: PublicCache;
  /** The app's figures; without them /metrics has only the subscriber count. */
  metrics?: Metrics;
  /** Bearer token /metrics requires; without one it answers loopback callers only. */
  metricsToken?: string;
  /** The readiness check of GET /health: true when the database answers. */
  ready?: () => Promise<boolean>;
}): FrontHandler {
  const { live, readCache, publicCache, metrics, metricsToken, ready } = options;
  const cached: FrontHandler = (req, res, next) =>
    readCache ? readCache.handle(req, res, next) : next();
  return (req, res, next) => {
    const path = req.url?.split('?', 1)[0];
    if (ready && path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      ready().then(
        (ok) => res.writeHead(ok ? 200 : 503).end(),
        () => res.writeHead(503).end(),
      );
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      const access = metricsAccess(req, metricsToken);
      if (access !== 'allowed') {
        res.writeHead(access === 'unauthenticated' ? 401 : 403, {
          'content-type': 'text/plain; charset=utf-8',
          ...(access === 'unauthenticated' ? { 'www-authenticate': 'Bearer' } : {}),
        });
        res.end(
          access === 'unauthenticated'
            ? 'metrics need the bearer token of HOSHIN_METRICS_TOKEN\n'
            : 'metrics answer only this machine; set HOSHIN_METRICS_TOKEN to read them from elsewhere\n',
        );
        return;
      }
      if (metrics) {
        metrics.text().then(
          (text) => {
            res.writeHead(200, { 'content-type': metrics.contentType });
            res.end(text);
          },
          () => {
            res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
            res.end('metrics could not be collected\n');
          },
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(`hoshin_live_subscribers ${live.feed.listenerCount}\n`);
      return;
    }
    if (publicCache) return publicCache.handle(req, res, () => cached(req, res, next));
    cached(req, res, next);
  };
}
