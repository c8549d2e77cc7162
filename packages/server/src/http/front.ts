// What the node:http handler does before Yoga: GET /metrics (a few counters, Prometheus text
// format) and the anonymous read cache (response-cache.ts) when it is on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LiveUpdates } from '../live/live-updates.ts';
import type { ReadCache } from './response-cache.ts';

export type FrontHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export function createFrontHandler(options: {
  live: Pick<LiveUpdates, 'feed'>;
  readCache?: ReadCache;
}): FrontHandler {
  const { live, readCache } = options;
  return (req, res, next) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      const lines = [
        '# Open live-update subscriptions (SSE and WebSocket) on this instance.',
        `hoshin_live_subscribers ${live.feed.listenerCount}`,
      ];
      if (readCache) {
        lines.push(
          `hoshin_read_cache_entries ${readCache.size}`,
          `hoshin_read_cache_bytes ${readCache.sizeBytes}`,
          `hoshin_read_cache_hits_total ${readCache.hits}`,
          `hoshin_read_cache_misses_total ${readCache.misses}`,
          `hoshin_read_cache_invalidations_total ${readCache.invalidations}`,
        );
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(`${lines.join('\n')}\n`);
      return;
    }
    if (readCache) return readCache.handle(req, res, next);
    next();
  };
}
