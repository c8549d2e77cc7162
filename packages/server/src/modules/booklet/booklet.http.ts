// The booklet's stable URLs, handed to the HTTP server by the composition root (http/ knows no
// domain):
//   GET /booklet/<municipality code>/<fiscal year>.html|.pdf             各部の運営方針と目標
//   GET /booklet/<municipality code>/<fiscal year>/white-paper.html|.pdf the white paper's
//       evaluation section on that year's goals (達成状況)
// Public material only (published plans and evaluations), so no token is needed; requests
// count against the same per-address budget as /graphql. Errors in the GraphQL shape.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '../../db/client.ts';
import { ErrorCode } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { isSupportedFiscalYear } from '../fiscal-year/fiscal-year.ts';
import type { AdmissionVerdict } from '../open-data/open-data.http.ts';
import { loadEvaluationSection, loadPlanPage } from './booklet.data.ts';
import { renderEvaluationSection, renderPlanPage } from './booklet.html.ts';
import { createPdfPrinter, type PdfPrinter, PdfUnavailableError } from './booklet.pdf.ts';

export interface BookletOptions {
  prisma: PrismaClient;
  log?: Logger;
  limiter?: { byAddress(address: string): Promise<AdmissionVerdict> };
  printer?: PdfPrinter;
}

export type BookletHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const ROUTE = /^\/booklet\/(\d{6})\/(\d{4})(\/white-paper)?\.(html|pdf)$/;

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

export function createBookletHandler(options: BookletOptions): BookletHandler {
  const { prisma, log, limiter } = options;
  const printer = options.printer ?? createPdfPrinter();

  async function handle(req: IncomingMessage, res: ServerResponse, match: RegExpExecArray) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, ErrorCode.BAD_USER_INPUT, 'The booklet is read with GET', {
        allow: 'GET, HEAD',
      });
      return;
    }
    if (limiter) {
      const verdict = await limiter.byAddress(req.socket.remoteAddress ?? 'unknown');
      if (!verdict.allowed) {
        sendError(
          res,
          429,
          ErrorCode.RATE_LIMITED,
          `Too many requests: try again in ${verdict.resetSeconds} s`,
          {
            'retry-after': String(verdict.resetSeconds),
          },
        );
        return;
      }
    }
    const [, code = '', yearText = '', whitePaper, format] = match;
    const year = Number(yearText);
    if (!isSupportedFiscalYear(year)) {
      sendError(
        res,
        400,
        ErrorCode.FISCAL_YEAR_OUT_OF_RANGE,
        'The fiscal year must be from 1886 to 2100',
      );
      return;
    }
    let html: string | null;
    if (whitePaper) {
      const section = await loadEvaluationSection(prisma, code, year);
      html = section && renderEvaluationSection(section);
    } else {
      const page = await loadPlanPage(prisma, code, year);
      html = page && renderPlanPage(page);
    }
    if (html === null) {
      sendError(
        res,
        404,
        ErrorCode.NOT_FOUND,
        whitePaper
          ? `No published white paper of municipality ${code} reports on fiscal year ${year}`
          : `No published plans of municipality ${code} for fiscal year ${year}`,
      );
      return;
    }
    const etag = `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}-${format}"`;
    const common = {
      etag,
      // Public material that changes when a plan is published again: short, revalidated.
      'cache-control': 'public, max-age=60, must-revalidate',
      'x-content-type-options': 'nosniff',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, common).end();
      return;
    }
    let body: Buffer;
    let type: string;
    if (format === 'pdf') {
      try {
        body = await printer.print(html);
      } catch (error) {
        if (!(error instanceof PdfUnavailableError)) throw error;
        log?.warn({ err: error }, 'booklet PDF could not be printed');
        sendError(
          res,
          503,
          ErrorCode.PDF_UNAVAILABLE,
          'The PDF cannot be printed on this server now; the HTML is available',
        );
        return;
      }
      type = 'application/pdf';
    } else {
      body = Buffer.from(html);
      type = 'text/html; charset=utf-8';
    }
    const name = `${code}-${year}${whitePaper ? '-white-paper' : ''}.${format}`;
    res.writeHead(200, {
      ...common,
      'content-type': type,
      'content-length': String(body.length),
      'content-disposition': `inline; filename="${name}"`,
      // The page has inline CSS only: no scripts, nothing fetched.
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return (req, res, next) => {
    const path = new URL(req.url ?? '/', 'http://booklet').pathname;
    const match = ROUTE.exec(path);
    if (!match) {
      if (path.startsWith('/booklet/')) {
        sendError(
          res,
          404,
          ErrorCode.NOT_FOUND,
          'Booklet URLs are /booklet/<municipality code>/<fiscal year>.html|.pdf and /booklet/<code>/<year>/white-paper.html|.pdf',
        );
        return;
      }
      next();
      return;
    }
    handle(req, res, match).catch((error: unknown) => {
      log?.error({ err: error }, 'booklet request failed');
      if (res.headersSent) res.destroy();
      else sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.');
    });
  };
}
