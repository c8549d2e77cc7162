// The transport: one function that sends a typed document over GraphQL-over-HTTP and returns
// its typed `data`. Only fetch, AbortController, setTimeout and JSON: runs in browsers, Node 20+,
// Deno, Bun and workers unchanged.
import { LatestChangeCursorDocument } from '../generated/documents.js';
import {
  type GraphQLErrorItem,
  type HoshinErrorKind,
  HoshinRequestError,
  refusesDocumentIds as refusesIds,
} from './errors.js';
import { operationInfo } from './operation.js';
import { type BackoffOptions, backoffDelay, isRetryableStatus, sleep } from './retry.js';
import { sseTransport } from './sse.js';
import { type SubscribeArgs, type SubscribeOptions, subscribeWith } from './subscribe.js';
import {
  documentHash,
  documentText,
  type FetchFunction,
  type PrintFunction,
  type Transport,
  type TypedDocument,
} from './types.js';

export type {
  FetchFunction,
  PrintFunction,
  ResultOf,
  TypedDocument,
  VariablesOf,
} from './types.js';

export type TokenSource =
  | string
  | (() => string | null | undefined | Promise<string | null | undefined>);

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  url: string | URL;
  /** Sent as `Authorization: Bearer <token>`; a function is called before every attempt. */
  token?: TokenSource;
  /** Defaults to the global fetch, looked up at call time. */
  fetch?: FetchFunction;
  /** Sent with every request. */
  headers?: Record<string, string>;
  /** Time allowed for each attempt, response body included. Default 30000; 0 disables. */
  timeoutMs?: number;
  /** Retries of a query after a network error, a timeout or 408/429/502/503/504. Default 2. */
  retries?: number;
  backoff?: BackoffOptions;
  /**
   * Send a persisted document's hash (`documentId`) instead of its text, for servers that
   * accept only known operations (queries, mutations and subscriptions alike). Documents
   * without a hash are still sent as text, and a server that does not run trusted documents
   * (it refuses the id) gets the text from then on.
   */
  persistedDocuments?: boolean;
  /**
   * graphql's `print`, for your own documents when they are ASTs without their source text
   * (graphql-codegen's default output). Not needed for this package's documents, for
   * graphql-tag's, or for documentMode 'string'.
   */
  print?: PrintFunction;
  /**
   * What carries subscriptions: SSE over fetch by default; `webSocketTransport()` from
   * `@hoshin/client/ws` for graphql-ws. Reconnection, resume and state are the same.
   */
  subscriptionTransport?: Transport;
}

export interface RequestOptions {
  /** Aborting rejects the request with the signal's reason and stops any retry. */
  signal?: AbortSignal;
  timeoutMs?: number;
  retries?: number;
  headers?: Record<string, string>;
}

/**
 * Variables are required exactly when the operation declares a required variable; the
 * options may follow either way.
 */
// biome-ignore lint/complexity/noBannedTypes: `{}` is exactly "an object with no required keys".
export type RequestArgs<TVariables> = {} extends TVariables
  ? [variables?: TVariables, options?: RequestOptions]
  : [variables: TVariables, options?: RequestOptions];

export interface Client {
  /** Sends a query or mutation; resolves with its `data` or rejects with HoshinRequestError. */
  request<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    // NoInfer: the types come from the document alone, so an undeclared variable is an
    // excess property instead of widening TVariables.
    ...args: RequestArgs<NoInfer<TVariables>>
  ): Promise<TResult>;
  /**
   * Opens a subscription over SSE: an async iterable of its events that reconnects after
   * network errors, 5xx and SUBSCRIBER_TOO_SLOW, resuming after the last event's cursor, so
   * every event is seen once. The document must select the event's `cursor` and declare
   * `$after: String` (passed as its field's `after`).
   */
  subscribe<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    ...args: SubscribeArgs<TResult, NoInfer<TVariables>>
  ): AsyncGenerator<TResult, void, undefined>;
}

type Outcome =
  | { ok: true; data: unknown }
  | { ok: false; error: HoshinRequestError; retryable: boolean; retryAfterMs: number };

export function createClient(options: ClientOptions): Client {
  const url = String(options.url);

  /** The headers of one attempt: the token is read anew each time (it may be refreshed). */
  async function headersFor(
    accept: string,
    opts: { headers?: Record<string, string> | undefined },
  ): Promise<Record<string, string>> {
    const token = typeof options.token === 'function' ? await options.token() : options.token;
    return {
      'content-type': 'application/json',
      accept,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...options.headers,
      ...opts.headers,
    };
  }

  async function attempt(
    body: string,
    operationName: string | undefined,
    attempts: number,
    opts: RequestOptions,
  ): Promise<Outcome> {
    const fail = (
      kind: HoshinErrorKind,
      message: string,
      extra: { status?: number; errors?: GraphQLErrorItem[]; data?: unknown; cause?: unknown },
      retryable: boolean,
      retryAfterMs = 0,
    ): Outcome => ({
      ok: false,
      error: new HoshinRequestError(operationName ? `[${operationName}] ${message}` : message, {
        kind,
        operationName,
        attempts,
        ...extra,
      }),
      retryable,
      retryAfterMs,
    });

    const headers = await headersFor('application/graphql-response+json, application/json', opts);

    const callerSignal = opts.signal;
    // An already aborted signal fires no 'abort' event: check it before sending.
    if (callerSignal?.aborted) throw callerSignal.reason;
    const controller = new AbortController();
    const onAbort = () => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timeoutMs = opts.timeoutMs ?? options.timeoutMs ?? 30_000;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : undefined;

    let response: Response;
    let text: string;
    try {
      const fetchFn = options.fetch ?? globalThis.fetch;
      response = await fetchFn(url, { method: 'POST', headers, body, signal: controller.signal });
      text = await response.text();
    } catch (cause) {
      if (callerSignal?.aborted) throw callerSignal.reason;
      return timedOut
        ? fail('timeout', `no response within ${timeoutMs} ms`, { cause }, true)
        : fail('network', `network error: ${String(cause)}`, { cause }, true);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    }

    const status = response.status;
    const retryable = isRetryableStatus(status);
    const retryAfterMs = Number(response.headers.get('retry-after')) * 1000 || 0;
    let payload: { data?: unknown; errors?: unknown } | undefined;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') payload = parsed;
    } catch {
      // Not JSON: a proxy's error page, say. Reported below by status.
    }
    const errors = Array.isArray(payload?.errors) ? (payload.errors as GraphQLErrorItem[]) : [];
    if (errors.length > 0) {
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
      return fail(
        'graphql',
        `${errors[0]?.message}${more}`,
        { status, errors, data: payload?.data },
        retryable,
        retryAfterMs,
      );
    }
    if (!response.ok) {
      return fail(
        'http',
        `HTTP ${status} ${response.statusText}`.trim(),
        { status },
        retryable,
        retryAfterMs,
      );
    }
    if (payload?.data == null) {
      return fail('protocol', 'response has neither data nor errors', { status }, false);
    }
    return { ok: true, data: payload.data };
  }

  const transport =
    options.subscriptionTransport ?? sseTransport(url, () => options.fetch ?? globalThis.fetch);
  /** Whether the server takes documentIds; learnt from its first refusal. */
  const ids = { accepted: true };

  function textOf(document: object): string {
    const text = documentText(document, options.print);
    if (text === undefined) {
      throw new TypeError(
        "this document is an AST without its source text: pass graphql's `print` to createClient({ print }), or generate documents with documentMode: 'string'",
      );
    }
    return text;
  }

  const client: Client = {
    async request<TResult, TVariables>(
      document: TypedDocument<TResult, TVariables>,
      ...[variables, opts = {}]: RequestArgs<TVariables>
    ): Promise<TResult> {
      const text = textOf(document);
      const info = operationInfo(text);
      if (info?.type === 'subscription') {
        throw new TypeError('a subscription is sent with subscribe(), not request()');
      }
      const hash = options.persistedDocuments ? documentHash(document) : undefined;
      const bodyOf = (sendId: boolean) =>
        JSON.stringify({
          ...(sendId ? { documentId: hash } : { query: text }),
          ...(info?.name ? { operationName: info.name } : {}),
          ...(variables ? { variables } : {}),
        });
      // Only a query is safe to send twice: a mutation that timed out may still have been
      // applied, so it is never retried (nor is a document whose type cannot be read).
      const retries = info?.type === 'query' ? (opts.retries ?? options.retries ?? 2) : 0;
      for (let n = 0; ; n++) {
        const sendId = hash !== undefined && ids.accepted;
        const outcome = await attempt(bodyOf(sendId), info?.name, n + 1, opts);
        if (outcome.ok) return outcome.data as TResult;
        if (sendId && refusesIds(outcome.error)) {
          // A server without trusted documents: nothing ran, so resending as text is safe.
          ids.accepted = false;
          n--;
          continue;
        }
        if (!outcome.retryable || n >= retries) throw outcome.error;
        await sleep(backoffDelay(n, options.backoff, outcome.retryAfterMs), opts.signal);
      }
    },

    subscribe<TResult, TVariables>(
      document: TypedDocument<TResult, TVariables>,
      ...args: SubscribeArgs<TResult, TVariables>
    ): AsyncGenerator<TResult, void, undefined> {
      const [variables, opts = {}] = args as [Record<string, unknown>?, SubscribeOptions?];
      const text = textOf(document);
      const info = operationInfo(text);
      if (info?.type !== 'subscription') {
        throw new TypeError('subscribe() takes a subscription; send queries with request()');
      }
      return subscribeWith<TResult>({
        transport,
        headers: (o) => headersFor('text/event-stream', o),
        query: text,
        documentId: options.persistedDocuments ? documentHash(document) : undefined,
        ids,
        operationName: info.name,
        latestCursor: async () =>
          (await client.request(LatestChangeCursorDocument, {}, { retries: 0, ...pick(opts) }))
            .latestChangeCursor,
        variables: variables ?? {},
        options: opts,
        timeoutMs: opts.timeoutMs ?? options.timeoutMs ?? 30_000,
        backoff: options.backoff,
      });
    },
  };
  return client;
}

/** The request options a subscription's own queries share with it. */
function pick(options: SubscribeOptions): RequestOptions {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  };
}
