// The public open-data site a portal harvests and a citizen follows, at stable URLs:
//   /open-data/<code>/                      landing page of all years (the field dictionary)
//   /open-data/<code>/<year>/               landing page of one fiscal year
//   .../datapackage.json  .../dcat.jsonld  .../ckan.json        the dataset described
//   .../<entity>[-readable].<csv|xlsx|json|jsonl>               its files
//   /open-data/<code>/catalog.jsonld        DCAT catalogue of every dataset of the municipality
//   /open-data/<code>[/<year>][/departments/<dept>]/feed.atom   publications, conditional GET
// Everything here is what the public sees (no token is read: responses may be shared by
// caches); requests count against the per-address budget of /graphql.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { anonymous } from '../../auth/viewer.ts';
import type { OpenDataLicence } from '../../config.ts';
import { ErrorCode } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { MAX_FISCAL_YEAR, MIN_FISCAL_YEAR } from '../fiscal-year/fiscal-year.ts';
import {
  ckanPackage,
  type DatasetFacts,
  dataPackage,
  datasetFacts,
  dcatCatalogue,
  dcatDataset,
  parseResourceName,
} from './catalogue.ts';
import {
  contentType,
  EXPORT_FORMATS,
  type ExportDatabase,
  type ExportFormat,
  exportBatches,
  writeExport,
} from './export.ts';
import { publicationFeed } from './feeds.ts';
import { landingHtml } from './landing.ts';
import type { AdmissionVerdict } from './open-data.http.ts';
import { HttpError, sendError } from './open-data.http.ts';
import { loadNameBook, readableColumns, readableRows } from './readable.ts';

export interface PortalOptions {
  /** The database exports read (and Prisma, for the rest). */
  db: ExportDatabase;
  log?: Logger;
  limiter?: { byAddress(address: string): Promise<AdmissionVerdict> };
  licence: OpenDataLicence;
  /** Absolute base URL; undefined: the request's Host (http). */
  publicUrl: string | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const FEED =
  /^\/open-data\/(\d{6})(?:\/(\d{4}))?(?:\/departments\/([A-Za-z0-9_-]{1,64}))?\/feed\.atom$/;
const DATASET = /^\/open-data\/(\d{6})(?:\/(\d{4}))?\/([a-z0-9.-]{0,64})$/;
/** A Host header this server can name itself by (no user info, path or odd characters). */
const HOST = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

const PUBLIC_CACHE = 'public, max-age=300';

export function createPortalHandler(options: PortalOptions): Handler {
  const { db, log, limiter, licence } = options;
  const { prisma } = db;

  function baseOf(req: IncomingMessage): string {
    if (options.publicUrl) return options.publicUrl;
    const host = req.headers.host ?? '';
    if (!HOST.test(host)) throw new HttpError(400, ErrorCode.BAD_USER_INPUT, 'Bad Host header');
    return `http://${host}`;
  }

  function yearOf(text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    const year = Number(text);
    if (year < MIN_FISCAL_YEAR || year > MAX_FISCAL_YEAR) {
      throw new HttpError(404, ErrorCode.NOT_FOUND, 'No such fiscal year');
    }
    return year;
  }

  async function facts(req: IncomingMessage, code: string, year: number | undefined) {
    const found = await datasetFacts(prisma, code, year, licence, baseOf(req));
    if (!found) {
      throw new HttpError(
        404,
        ErrorCode.NOT_FOUND,
        'No public data for this municipality and year',
      );
    }
    return found;
  }

  function sendJson(res: ServerResponse, body: unknown, type = 'application/json') {
    res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': PUBLIC_CACHE });
    res.end(`${JSON.stringify(body, null, 2)}\n`);
  }

  async function serveFile(
    res: ServerResponse,
    dataset: DatasetFacts,
    resource: string,
    format: ExportFormat,
  ) {
    const parsed = parseResourceName(resource);
    if (!parsed) throw new HttpError(404, ErrorCode.NOT_FOUND, 'No such resource');
    const { entity, variant } = parsed;
    const scope = {
      municipality: dataset.code,
      ...(dataset.year !== undefined ? { fiscalYear: dataset.year } : {}),
    };
    const machine = exportBatches(db, anonymous, entity, scope);
    // Data packages' CSV carries no byte-order mark (Frictionless readers take it for a header).
    const common = { format, bom: false };
    res.writeHead(200, {
      'content-type': contentType(format),
      'cache-control': PUBLIC_CACHE,
      'content-disposition': `inline; filename="${dataset.code}${dataset.year !== undefined ? `-${dataset.year}` : ''}-${resource}.${format}"`,
    });
    if (variant === 'machine') {
      await writeExport(res, entity, machine, common);
      return;
    }
    const names = await loadNameBook(prisma, scope);
    const columns = readableColumns(entity);
    async function* readable() {
      for await (const batch of machine) yield readableRows(entity, batch, names);
    }
    await writeExport(res, entity, readable(), {
      ...common,
      layout: {
        header: columns.map((c) => c.name),
        keys: columns.map((c) => c.name),
        dates: columns.flatMap((c, i) => (c.type === 'date' ? [i] : [])),
      },
    });
  }

  async function serveFeed(req: IncomingMessage, res: ServerResponse, match: RegExpExecArray) {
    const [, municipality = '', yearText, department] = match;
    const year = yearOf(yearText);
    const feed = await publicationFeed(
      prisma,
      {
        municipality,
        ...(year !== undefined ? { year } : {}),
        ...(department !== undefined ? { department } : {}),
      },
      baseOf(req),
    );
    if (!feed) throw new HttpError(404, ErrorCode.NOT_FOUND, 'No such municipality or department');
    const headers = {
      etag: feed.etag,
      'last-modified': feed.lastModified.toUTCString(),
      'cache-control': 'public, max-age=60',
    };
    // RFC 9110 13.2.2: If-None-Match decides when present; else If-Modified-Since.
    const noneMatch = req.headers['if-none-match'];
    const modifiedSince = req.headers['if-modified-since'];
    const unchanged =
      noneMatch !== undefined
        ? noneMatch
            .split(',')
            .map((tag) => tag.trim().replace(/^W\//, ''))
            .some((tag) => tag === feed.etag || tag === '*')
        : modifiedSince !== undefined &&
          Math.floor(feed.lastModified.getTime() / 1000) * 1000 <= Date.parse(modifiedSince);
    if (unchanged) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': 'application/atom+xml; charset=utf-8' });
    res.end(feed.xml);
  }

  async function serveDataset(req: IncomingMessage, res: ServerResponse, match: RegExpExecArray) {
    const [, code = '', yearText, name = ''] = match;
    const year = yearOf(yearText);
    if (name === 'catalog.jsonld' && year === undefined) {
      const all = await facts(req, code, undefined);
      const yearly = (
        await Promise.all(all.years.map((y) => datasetFacts(prisma, code, y, licence, all.base)))
      ).filter((f): f is DatasetFacts => f !== null);
      return sendJson(res, dcatCatalogue(all, yearly), 'application/ld+json');
    }
    const dataset = await facts(req, code, year);
    if (name === '' || name === 'index.html') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': PUBLIC_CACHE,
      });
      res.end(landingHtml(dataset));
      return;
    }
    if (name === 'datapackage.json') return sendJson(res, dataPackage(dataset));
    if (name === 'ckan.json') return sendJson(res, ckanPackage(dataset));
    if (name === 'dcat.jsonld') {
      const { '@context': context } = dcatCatalogue(dataset, []);
      return sendJson(res, { '@context': context, ...dcatDataset(dataset) }, 'application/ld+json');
    }
    const file = /^([a-z-]+)\.([a-z]+)$/.exec(name);
    const format = file?.[2] as ExportFormat | undefined;
    if (!file?.[1] || !format || !EXPORT_FORMATS.includes(format)) {
      throw new HttpError(404, ErrorCode.NOT_FOUND, 'No such open-data document');
    }
    await serveFile(res, dataset, file[1], format);
  }

  return (req, res, next) => {
    if (!req.url?.startsWith('/open-data/')) {
      next();
      return;
    }
    const path = req.url.split('?')[0] ?? '';
    const feed = FEED.exec(path);
    const dataset = feed ? null : DATASET.exec(path);
    if (!feed && !dataset) {
      next();
      return;
    }
    const work = async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        throw new HttpError(405, ErrorCode.BAD_USER_INPUT, 'Open data is read with GET', {
          allow: 'GET, HEAD',
        });
      }
      if (limiter) {
        const verdict = await limiter.byAddress(req.socket.remoteAddress ?? 'unknown');
        if (!verdict.allowed) {
          throw new HttpError(
            429,
            ErrorCode.RATE_LIMITED,
            `Too many requests: try again in ${verdict.resetSeconds} s`,
            {
              'retry-after': String(verdict.resetSeconds),
            },
          );
        }
      }
      if (feed) await serveFeed(req, res, feed);
      else if (dataset) await serveDataset(req, res, dataset);
    };
    work().catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error);
      if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      log?.error({ err: error }, 'open-data portal request failed');
      sendError(res, new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.'));
    });
  };
}
