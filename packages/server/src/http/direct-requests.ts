// Operations POSTed as JSON to /graphql, handed to Yoga without the Fetch adapter's per-request
// machinery: the adapter builds a Request with an AbortController and a body stream (and
// listeners on the response) for every request, and the body-size limit pipes that stream
// through a TransformStream; at the contract query that was about a third of the server's time
// (bench/profiles). Here the body is read from node:http in one piece and Yoga gets a plain
// request with the same method, URL, headers and text. Everything else is Yoga's own, unchanged:
// `yoga.handleRequest` runs every plugin hook in order (rate limits, CSRF, body size, persisted
// documents, document limits, auth in the context, admission, compiled reads, masking, metrics,
// the rate-limit and CORS headers), and the adapter's own writer sends the Response. So limits
// and auth are not restated here: this file only decides which requests a plain request can
// stand for, and passes every other request on untouched.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleErrorFromRequestHandler, sendNodeResponse } from '@whatwg-node/server';
import type { HoshinYoga } from '../yoga.ts';

export type DirectHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  serverContext: Record<string, unknown>,
  next: () => void,
) => void;

/**
 * A request as Yoga's plugins read it: method, URL, headers, the body as text or JSON (read
 * before Yoga runs, so `body` is null and the body-size limit checks Content-Length alone, which
 * node:http holds the body to), and an abort signal made only if something asks for one.
 */
class DirectRequest {
  readonly method = 'POST';
  readonly body = null;
  readonly bodyUsed = false;
  private json_: unknown;
  private controller: AbortController | undefined;

  constructor(
    readonly url: string,
    readonly headers: Headers,
    private readonly text_: string,
    private readonly res: ServerResponse,
    /**
     * The URL parsed, which the adapter's `handleRequest` hands to every onRequest hook in place
     * of parsing `url` again per request (the rate limits and graphql-sse's mode check read its
     * pathname and search). Shared by the requests to the same URL: read only. Undefined when
     * it does not parse (a strange Host): the adapter then parses it where it always did.
     */
    readonly parsedUrl: URL | undefined,
  ) {}

  text(): Promise<string> {
    return Promise.resolve(this.text_);
  }

  /** As the Fetch ponyfill's Body.json: its error message names the text too. */
  json(): Promise<unknown> {
    if (this.json_ !== undefined) return Promise.resolve(this.json_);
    try {
      this.json_ = JSON.parse(this.text_);
      return Promise.resolve(this.json_);
    } catch (error) {
      if (error instanceof SyntaxError) error.message += `, "${this.text_}" is not valid JSON`;
      return Promise.reject(error);
    }
  }

  /** Aborted when the response closes before it is finished, as the adapter's signal is. */
  get signal(): AbortSignal {
    if (!this.controller) {
      const controller = new AbortController();
      this.controller = controller;
      const res = this.res;
      const abort = () => {
        if (!controller.signal.aborted) controller.abort(res.errored ?? undefined);
      };
      if (res.closed && !res.writableFinished) abort();
      res.once('close', abort);
      res.once('finish', () => res.removeListener('close', abort));
    }
    return this.controller.signal;
  }
}

/** Accept values whose answer is one JSON body (streams need the adapter's signal and writer). */
function wantsStream(accept: string | undefined): boolean {
  return accept !== undefined && /text\/event-stream|multipart\/mixed/i.test(accept);
}

/**
 * Takes JSON POSTs to /graphql of at most `maxBodyBytes` (declared by Content-Length) and
 * answers them through Yoga as above; hands every other request to `next` untouched.
 */
export function createDirectRequests(
  yoga: HoshinYoga,
  { maxBodyBytes }: { maxBodyBytes: number },
): DirectHandler {
  const { Headers, Response, URL } = yoga.fetchAPI;
  // Read once: each read through the adapter's proxy binds a new function.
  const handleRequest = yoga.handleRequest;
  // Parsed URLs by text: one per Host the clients use, so a handful; bounded all the same.
  const urls = new Map<string, URL>();
  const parsed = (text: string): URL | undefined => {
    let url = urls.get(text);
    if (!url) {
      try {
        url = new URL(text, 'http://localhost');
      } catch {
        return undefined;
      }
      if (urls.size >= 64) urls.clear();
      urls.set(text, url);
    }
    return url;
  };
  return (req, res, serverContext, next) => {
    const headers = req.headers;
    const length = Number(headers['content-length']);
    if (
      req.method !== 'POST' ||
      req.url !== '/graphql' ||
      headers.host === undefined ||
      !headers['content-type']?.toLowerCase().includes('application/json') ||
      // A larger body goes to Yoga, which refuses it before reading it.
      !/^\d+$/.test(headers['content-length'] ?? '') ||
      length > maxBodyBytes ||
      wantsStream(headers.accept)
    ) {
      next();
      return;
    }
    const answer = (body: Buffer) => {
      const url = `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${headers.host}${req.url}`;
      const request = new DirectRequest(
        url,
        new Headers(headers as Record<string, string>),
        body.toString('utf-8'),
        res,
        parsed(url),
      );
      Promise.resolve()
        .then(() => handleRequest(request as unknown as Request, { req, res, ...serverContext }))
        .catch((error) => handleErrorFromRequestHandler(error, Response))
        .then((response) => sendNodeResponse(response, res, req, true))
        .catch((error: Error) =>
          console.error(`Unexpected error while handling request: ${error.message || error}`),
        );
    };
    // The read cache (response-cache.ts) may have read the body already.
    const read = (req as IncomingMessage & { body?: unknown }).body;
    if (Buffer.isBuffer(read)) {
      answer(read);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () =>
      answer(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
  };
}
