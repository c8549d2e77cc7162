// The open-data HTTP routes, handed to the HTTP server by the composition root (http/ knows
// no domain): GET /export/<entity>.<format>, GET /export/dictionary.<json|csv|html> and
// POST /import/<entity>. Same authentication and request rate limits as /graphql; errors
// in the GraphQL shape ({ errors: [{ message, extensions: { code } }] }).
import { createReadStream, createWriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { AuthenticationError, authenticate } from '../../auth/tokens.ts';
import type { Viewer } from '../../auth/viewer.ts';
import { defaultSecurity } from '../../config.ts';
import { ErrorCode } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { ENTITY_NAMES, type EntityName } from './columns.ts';
import { dictionaryCsv, dictionaryHtml, dictionaryJson } from './dictionary.ts';
import {
  type CsvEncoding,
  contentType,
  EXPORT_FORMATS,
  type ExportDatabase,
  type ExportFormat,
  type ExportScope,
  exportBatches,
  UnencodableError,
  writeExport,
} from './export.ts';
import { booleanOf } from './import.ts';
import { ImportFileError } from './read.ts';
import {
  assertMayImport,
  type ImportLimits,
  importLimitsOf,
  importUpload,
  tooLarge,
  UploadRefused,
  withTemporaryFile,
} from './upload.ts';

/** What the request limiter answers (http/request-limits.ts's Verdict, structurally). */
export interface AdmissionVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export interface OpenDataOptions {
  /** The database exports read (and Prisma, for tokens and imports). */
  db: ExportDatabase;
  log?: Logger;
  /** The request limiter /graphql uses, so exports count against the same budget. */
  limiter?: {
    byAddress(address: string): Promise<AdmissionVerdict>;
    byToken(tokenId: number | string): Promise<AdmissionVerdict>;
  };
  /** Largest accepted upload and most records (the GraphQL upload is held to the same). */
  importLimits?: ImportLimits;
}

export type OpenDataHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** More for `extensions` (e.g. the cells an export could not encode). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function sendError(res: ServerResponse, error: HttpError) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    ...error.headers,
  });
  res.end(
    JSON.stringify({
      errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }],
    }),
  );
}

const YEAR = /^\d{4}$/;

/** The API's filter, from the query string. */
export function parseScope(params: URLSearchParams): ExportScope {
  const scope: ExportScope = {};
  const municipality = params.get('municipality');
  if (municipality !== null) {
    if (!/^\d{6}$/.test(municipality)) {
      throw new HttpError(400, ErrorCode.BAD_USER_INPUT, 'municipality must be a six-digit code');
    }
    scope.municipality = municipality;
  }
  const year = params.get('fiscalYear');
  if (year !== null) {
    const n = Number(year);
    if (!YEAR.test(year) || n < 1886 || n > 2100) {
      throw new HttpError(
        400,
        ErrorCode.FISCAL_YEAR_OUT_OF_RANGE,
        'fiscalYear must be a year from 1886 to 2100',
      );
    }
    scope.fiscalYear = n;
  }
  const department = params.get('department');
  if (department !== null) {
    if (department.length === 0 || department.length > 64) {
      throw new HttpError(400, ErrorCode.BAD_USER_INPUT, 'department must be a department code');
    }
    scope.department = department;
  }
  return scope;
}

export function parseEncoding(value: string | null): CsvEncoding {
  if (value === null) return 'utf-8';
  const v = value.toLowerCase().replace(/[-_]/g, '');
  if (v === 'utf8') return 'utf-8';
  if (v === 'shiftjis' || v === 'sjis' || v === 'cp932' || v === 'windows31j') return 'cp932';
  throw new HttpError(400, ErrorCode.BAD_USER_INPUT, 'encoding must be utf-8 or shift_jis');
}

/** `dryRun`: absent is false, present without a value (`?dryRun`) is true. */
export function parseDryRun(value: string | null): boolean {
  if (value === null) return false;
  if (value === '') return true;
  const flag = booleanOf(value);
  if (flag === undefined) {
    throw new HttpError(
      400,
      ErrorCode.BAD_USER_INPUT,
      `dryRun must be true or false (or 1/0, yes/no, on/off), not "${value.slice(0, 20)}"`,
    );
  }
  return flag;
}

function entityOf(name: string | undefined): EntityName {
  if (!ENTITY_NAMES.includes(name as EntityName)) {
    throw new HttpError(
      404,
      ErrorCode.NOT_FOUND,
      `No such export: entities are ${ENTITY_NAMES.join(', ')}`,
    );
  }
  return name as EntityName;
}

function formatOf(name: string | undefined | null): ExportFormat {
  if (!EXPORT_FORMATS.includes(name as ExportFormat)) {
    throw new HttpError(
      400,
      ErrorCode.BAD_USER_INPUT,
      `format must be one of ${EXPORT_FORMATS.join(', ')}`,
    );
  }
  return name as ExportFormat;
}

export function createOpenDataHandler(options: OpenDataOptions): OpenDataHandler {
  const { db, log, limiter } = options;
  const { prisma } = db;
  const limits = options.importLimits ?? importLimitsOf(defaultSecurity());

  /** Authenticates and counts the request as /graphql does. */
  async function admit(req: IncomingMessage): Promise<Viewer> {
    const address = req.socket.remoteAddress ?? 'unknown';
    let viewer: Viewer;
    try {
      viewer = await authenticate(prisma, req.headers.authorization ?? null);
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      if (limiter) await check(limiter.byAddress(address));
      throw new HttpError(401, ErrorCode.UNAUTHENTICATED, error.message, {
        'www-authenticate': 'Bearer',
      });
    }
    if (limiter) {
      await check(
        viewer.kind === 'token' ? limiter.byToken(viewer.tokenId) : limiter.byAddress(address),
      );
    }
    return viewer;
  }

  async function check(pending: Promise<AdmissionVerdict>) {
    const verdict = await pending;
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

  async function serveExport(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    entity: EntityName,
    format: ExportFormat,
  ) {
    const scope = parseScope(url.searchParams);
    const encoding = format === 'csv' ? parseEncoding(url.searchParams.get('encoding')) : 'utf-8';
    const japaneseHeaders = url.searchParams.get('header') === 'ja';
    const viewer = await admit(req);
    const name = [entity, scope.municipality, scope.fiscalYear, scope.department]
      .filter((p) => p !== undefined)
      .join('-');
    const headers = {
      'content-type': contentType(format, encoding),
      'content-disposition': `attachment; filename="${name}${encoding === 'cp932' ? '-sjis' : ''}.${format}"`,
      // What the caller may see depends on the token: never shared by caches.
      'cache-control': 'private, no-store',
    };
    const options = { format, encoding, japaneseHeaders };
    const batches = exportBatches(db, viewer, entity, scope);
    if (encoding !== 'cp932') {
      res.writeHead(200, headers);
      await writeExport(res, entity, batches, options);
      return;
    }
    // Shift_JIS is written to a temporary file first: text it cannot hold is answered with
    // the list of cells (422), not with a file already half sent.
    await withTemporaryFile(async (file) => {
      try {
        await writeExport(createWriteStream(file), entity, batches, options);
      } catch (error) {
        if (!(error instanceof UnencodableError)) throw error;
        throw new HttpError(
          422,
          ErrorCode.UNENCODABLE_CHARACTERS,
          error.message,
          {},
          {
            count: error.count,
            cells: error.cells,
          },
        );
      }
      res.writeHead(200, headers);
      await pipeline(createReadStream(file), res);
    });
  }

  async function serveImport(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    entity: EntityName,
  ) {
    const viewer = await admit(req);
    // Who may write which row is the services' decision, per row, as for the mutations.
    assertMayImport(viewer);
    const format = formatOf(url.searchParams.get('format') ?? 'csv');
    const encoding = parseEncoding(url.searchParams.get('encoding'));
    const dryRun = parseDryRun(url.searchParams.get('dryRun'));
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.maxBytes) throw tooLarge(limits.maxBytes);
    const report = await importUpload({
      prisma,
      viewer,
      entity,
      body: req,
      format,
      encoding,
      dryRun,
      limits,
    });
    const rejected = !dryRun && !report.applied;
    res.writeHead(rejected ? 422 : 200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(
      JSON.stringify(
        rejected
          ? {
              errors: [
                {
                  message: `${report.counts.rejected} rows rejected: nothing was written`,
                  extensions: { code: ErrorCode.IMPORT_REJECTED },
                },
              ],
              report,
            }
          : { report },
      ),
    );
  }

  return (req, res, next) => {
    // Every request passes here: those for other paths without parsing their URL.
    if (!req.url?.startsWith('/export/') && !req.url?.startsWith('/import/')) {
      next();
      return;
    }
    const url = new URL(req.url, 'http://hoshin');
    const exportMatch = /^\/export\/([a-z-]+)\.([a-z]+)$/.exec(url.pathname);
    const importMatch = /^\/import\/([a-z-]+)$/.exec(url.pathname);
    if (!exportMatch && !importMatch) {
      next();
      return;
    }
    const work = async () => {
      if (exportMatch && req.method === 'GET') {
        const [, name, extension] = exportMatch;
        if (name === 'dictionary') {
          const body =
            extension === 'json'
              ? dictionaryJson()
              : extension === 'csv'
                ? dictionaryCsv()
                : extension === 'html'
                  ? dictionaryHtml()
                  : null;
          if (body === null)
            throw new HttpError(
              404,
              ErrorCode.NOT_FOUND,
              'The dictionary is dictionary.json, .csv or .html',
            );
          res.writeHead(200, {
            'content-type':
              extension === 'json'
                ? 'application/json; charset=utf-8'
                : extension === 'csv'
                  ? 'text/csv; charset=utf-8'
                  : 'text/html; charset=utf-8',
          });
          res.end(body);
          return;
        }
        await serveExport(req, res, url, entityOf(name), formatOf(extension));
        return;
      }
      if (importMatch && req.method === 'POST') {
        await serveImport(req, res, url, entityOf(importMatch[1]));
        return;
      }
      throw new HttpError(405, ErrorCode.BAD_USER_INPUT, 'Exports are GET, imports are POST', {
        allow: exportMatch ? 'GET' : 'POST',
      });
    };
    work().catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error);
      if (error instanceof UploadRefused) {
        const headers: Record<string, string> =
          error.status === 401 ? { 'www-authenticate': 'Bearer' } : {};
        return sendError(res, new HttpError(error.status, error.code, error.message, headers));
      }
      if (error instanceof ImportFileError) {
        const status =
          error.code === ErrorCode.TOO_MANY_ROWS || error.code === ErrorCode.SPREADSHEET_TOO_LARGE
            ? 413
            : 400;
        return sendError(res, new HttpError(status, error.code, error.message));
      }
      // A client that went away mid-download is not an error of ours.
      if ((error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      log?.error({ err: error }, 'open-data request failed');
      sendError(res, new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.'));
    });
  };
}
