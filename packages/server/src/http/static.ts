// Serves a folder of built files under a path prefix (the dashboard at /app). Knows nothing of
// what the files are: the folder and the prefix come from the configuration. Files come from
// sirv (ETags, ranges, precompressed variants); hashed assets are cached for a year.
import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';
import type { FrontHandler } from './front.ts';

export interface StaticOptions {
  /** Folder to serve. */
  dir: string;
  /** URL prefix without a trailing slash, e.g. /app. */
  prefix: string;
}

export function createStaticHandler({ dir, prefix }: StaticOptions): FrontHandler {
  const files = sirv(dir, {
    dev: false,
    etag: true,
    // Unknown paths under the prefix get index.html (client-side routes).
    single: true,
    setHeaders(res, pathname) {
      res.setHeader(
        'cache-control',
        pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      res.setHeader('x-content-type-options', 'nosniff');
    },
  });
  return (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = req.url ?? '/';
    const [path = '/', query] = url.split('?', 2);
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return next();
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    if (path === prefix) {
      // Relative asset URLs need the trailing slash.
      res.writeHead(308, { location: `${prefix}/${query ? `?${query}` : ''}` });
      res.end();
      return;
    }
    req.url = path.slice(prefix.length) + (query ? `?${query}` : '');
    files(req, res, () => {
      req.url = url;
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
    });
  };
}

/** Runs handlers in order; each may answer or pass the request on. */
export function chainHandlers(...handlers: FrontHandler[]): FrontHandler {
  return (req, res, next) => {
    const run = (i: number): void => {
      const handler = handlers[i];
      if (handler) handler(req, res, () => run(i + 1));
      else next();
    };
    run(0);
  };
}
