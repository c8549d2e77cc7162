// The transport: one function that sends a typed document over GraphQL-over-HTTP and returns
// its typed `data`. Only fetch, AbortController, setTimeout and JSON: runs in browsers, Node 20+,
// Deno, Bun and workers unchanged.
import { type GraphQLErrorItem, type HoshinErrorKind, HoshinRequestError } from './errors.js';
import { operationInfo } from './operation.js';
import { type BackoffOptions, backoffDelay, isRetryableStatus, sleep } from './retry.js';
import { type SubscribeArgs, type SubscribeOptions, subscribeOverSse } from './subscribe.js';
import type { FetchFunction } from './types.js';

/**
 * A document that carries its result and variables types: what the generated `graphql()`
 * returns (a TypedDocumentString), from this package or from your own codegen against
 * hoshin's schema. Structurally the `DocumentTypeDecoration` of @graphql-typed-document-node.
 */
export interface TypedDocument<TResult, TVariables> {
  /** Phantom member carrying the types; never set at run time. */
  __apiType?: (variables: TVariables) => TResult;
  /** The document's GraphQL text. */
  toString(): string;
}

export type ResultOf<T> = T extends TypedDocument<infer R, infer _V> ? R : never;
export type VariablesOf<T> = T extends TypedDocument<infer _R, infer V> ? V : never;

export type { FetchFunction } from './types.js';

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
   * accept only known operations. Documents without a hash are still sent as text.
   */
  persistedDocuments?: boolean;
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

  return {
    async request<TResult, TVariables>(
      document: TypedDocument<TResult, TVariables>,
      ...[variables, opts = {}]: RequestArgs<TVariables>
    ): Promise<TResult> {
      if ((document as { kind?: unknown }).kind === 'Document') {
        // A graphql-js AST would be sent as "[object Object]": say what to do instead.
        throw new TypeError("pass a string document (codegen's documentMode: 'string')");
      }
      const text = document.toString();
      const info = operationInfo(text);
      if (info?.type === 'subscription') {
        throw new TypeError('a subscription is sent with subscribe(), not request()');
      }
      const hash = options.persistedDocuments
        ? (document as { __meta__?: { hash?: unknown } }).__meta__?.hash
        : undefined;
      const body = JSON.stringify({
        ...(typeof hash === 'string' ? { documentId: hash } : { query: text }),
        ...(info?.name ? { operationName: info.name } : {}),
        ...(variables ? { variables } : {}),
      });
      // Only a query is safe to send twice: a mutation that timed out may still have been
      // applied, so it is never retried (nor is a document whose type cannot be read).
      const retries = info?.type === 'query' ? (opts.retries ?? options.retries ?? 2) : 0;
      for (let n = 0; ; n++) {
        const outcome = await attempt(body, info?.name, n + 1, opts);
        if (outcome.ok) return outcome.data as TResult;
        if (!outcome.retryable || n >= retries) throw outcome.error;
        await sleep(backoffDelay(n, options.backoff, outcome.retryAfterMs), opts.signal);
      }
    },

    subscribe<TResult, TVariables>(
      document: TypedDocument<TResult, TVariables>,
      ...args: SubscribeArgs<TResult, TVariables>
    ): AsyncGenerator<TResult, void, undefined> {
      const [variables, opts = {}] = args as [Record<string, unknown>?, SubscribeOptions?];
      const text = document.toString();
      const info = operationInfo(text);
      if (info?.type !== 'subscription') {
        throw new TypeError('subscribe() takes a subscription; send queries with request()');
      }
      return subscribeOverSse<TResult>({
        url,
        fetch: () => options.fetch ?? globalThis.fetch,
        headers: (o) => headersFor('text/event-stream', o),
        query: text,
        operationName: info.name,
        variables: variables ?? {},
        options: opts,
        timeoutMs: opts.timeoutMs ?? options.timeoutMs ?? 30_000,
        backoff: options.backoff,
      });
    },
  };
}
