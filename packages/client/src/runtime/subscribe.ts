// subscribe(): GraphQL over Server-Sent Events in the "distinct connections" mode graphql-yoga
// serves (POST /graphql with `Accept: text/event-stream`; `event: next` / `event: complete`),
// read with fetch streaming and a small SSE parser. Only fetch, ReadableStream, TextDecoder and
// AbortController: the same in browsers and Node 20+.
//
// Why not graphql-sse's client (which does speak this mode and works against Yoga): its
// retries resend the same request body, so they cannot resume from the last cursor; used
// without them it would be 3.4 KB gzipped of transport for what is here about 1 KB.

import { type GraphQLErrorItem, type HoshinErrorKind, HoshinRequestError } from './errors.js';
import { type BackoffOptions, backoffDelay, isRetryableStatus, sleep } from './retry.js';
import type { FetchFunction } from './types.js';

export interface SubscribeOptions {
  /** Aborting ends the iteration (no error) and closes the connection. */
  signal?: AbortSignal;
  /** Start after this event cursor: missed events first, then live. Live only when absent. */
  after?: string | null;
  headers?: Record<string, string>;
  /** Time allowed to connect (until the response headers). Default: the client's timeoutMs. */
  timeoutMs?: number;
  /**
   * Reconnect when nothing (no event, no keep-alive) arrived for this long; Yoga sends a
   * keep-alive every 12 s. Default 45000; 0 disables.
   */
  idleTimeoutMs?: number;
  /** Reconnections in a row without an event before giving up. Default: never give up. */
  retries?: number;
}

/** An event selection that can be resumed: its one root field carries a `cursor`. */
type Resumable = { [field: string]: { cursor: string } };
type DeclaresAfter<V> = string extends keyof V ? false : 'after' extends keyof V ? true : false;

/**
 * subscribe()'s arguments after the document: its variables without `after` (given as an
 * option, then managed by the client), required when the subscription declares a required
 * one. A document that does not select `cursor` or declare `$after` is refused at compile time.
 */
export type SubscribeArgs<TResult, TVariables> = TResult extends Resumable
  ? DeclaresAfter<TVariables> extends true
    ? // biome-ignore lint/complexity/noBannedTypes: `{}` is exactly "an object with no required keys".
      {} extends Omit<TVariables, 'after'>
      ? [variables?: Omit<TVariables, 'after'>, options?: SubscribeOptions]
      : [variables: Omit<TVariables, 'after'>, options?: SubscribeOptions]
    : [error: 'subscribe() needs a subscription that declares $after: String']
  : [error: "subscribe() needs a subscription that selects its event's cursor"];

export interface SseRequest {
  url: string;
  fetch: () => FetchFunction;
  headers: (options: SubscribeOptions) => Promise<Record<string, string>>;
  query: string;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  options: SubscribeOptions;
  timeoutMs: number;
  backoff: BackoffOptions | undefined;
}

const parse = (text: string | undefined): { data?: unknown; errors?: unknown } | undefined => {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
};

const errorsOf = (payload: { errors?: unknown } | undefined): GraphQLErrorItem[] =>
  Array.isArray(payload?.errors) ? payload.errors : [];

export async function* subscribeOverSse<TResult>(
  request: SseRequest,
): AsyncGenerator<TResult, void, undefined> {
  const { options, operationName } = request;
  const signal = options.signal;
  const idleMs = options.idleTimeoutMs ?? 45_000;
  let after = options.after;
  // Attempts in a row that ended without an event; reset by every event.
  let failures = 0;
  let attempts = 0;

  for (;;) {
    if (signal?.aborted) return;
    attempts++;
    const fail = (
      kind: HoshinErrorKind,
      message: string,
      extra: { status?: number; errors?: GraphQLErrorItem[]; data?: unknown; cause?: unknown },
    ) =>
      new HoshinRequestError(operationName ? `[${operationName}] ${message}` : message, {
        kind,
        operationName,
        attempts,
        ...extra,
      });
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let timedOut = false;
    const arm = (ms: number) => {
      clearTimeout(timer);
      if (ms > 0)
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, ms);
    };
    // Set when this attempt ends in a way worth reconnecting after; a HoshinRequestError
    // thrown inside the try is final.
    let retry: HoshinRequestError | undefined;
    let retryAfterMs = 0;

    try {
      arm(request.timeoutMs);
      const response = await request.fetch()(request.url, {
        method: 'POST',
        headers: await request.headers(options),
        body: JSON.stringify({
          query: request.query,
          ...(operationName ? { operationName } : {}),
          variables: after == null ? request.variables : { ...request.variables, after },
        }),
        signal: controller.signal,
      });
      const status = response.status;
      if (
        !response.ok ||
        !response.body ||
        !response.headers.get('content-type')?.includes('text/event-stream')
      ) {
        // Refused (Yoga sends 401 as an event stream holding the errors), or not SSE at all.
        const text = await response.text();
        const errors = errorsOf(parse(text) ?? parse(/^data: ?(.*)$/m.exec(text)?.[1]));
        const error = errors[0]
          ? fail('graphql', errors[0].message, { status, errors })
          : response.ok
            ? fail('protocol', 'the response is not an event stream', { status })
            : fail('http', `HTTP ${status} ${response.statusText}`.trim(), { status });
        if (!(status >= 500 || isRetryableStatus(status))) throw error;
        retry = error;
        retryAfterMs = Number(response.headers.get('retry-after')) * 1000 || 0;
      } else {
        arm(idleMs);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        let event = '';
        let data: string[] = [];
        read: for (;;) {
          const chunk = await reader.read();
          if (chunk.done) break;
          arm(idleMs);
          buffer += decoder.decode(chunk.value, { stream: true });
          // A trailing \r stays in the buffer: it may be the first half of a \r\n.
          const lines = buffer.split(/\r\n|\n|\r(?!$)/);
          buffer = lines.pop() ?? '';
          for (const line of lines) {
            if (line) {
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
              if (field === 'event') event = value;
              else if (field === 'data') data.push(value);
              continue; // comments (":", Yoga's keep-alive) and other fields are ignored
            }
            const type = event;
            const text = data.join('\n');
            const dispatch = data.length > 0;
            event = '';
            data = [];
            if (!dispatch) continue;
            if (type === 'complete') return;
            if (type !== 'next' && type !== '') continue;
            const payload = parse(text);
            if (!payload) throw fail('protocol', 'an event is not JSON', { status });
            const errors = errorsOf(payload);
            if (errors[0]) {
              const error = fail('graphql', errors[0].message, {
                status,
                errors,
                data: payload.data,
              });
              const slow = errors.find((e) => e.extensions?.code === 'SUBSCRIBER_TOO_SLOW');
              if (!slow) throw error;
              // The server names the last event it handed over: resume right after it.
              const cursor = slow.extensions?.cursor;
              if (typeof cursor === 'string') after = cursor;
              retry = error;
              break read;
            }
            const value = payload.data;
            if (!value || typeof value !== 'object') continue;
            const cursor = (Object.values(value)[0] as { cursor?: unknown } | null)?.cursor;
            if (typeof cursor === 'string') after = cursor;
            failures = 0;
            clearTimeout(timer); // a slow consumer is not an idle connection
            yield value as TResult;
            arm(idleMs);
          }
        }
        retry ??= fail('network', 'the event stream ended before it completed', { status });
      }
    } catch (cause) {
      if (signal?.aborted) return;
      if (cause instanceof HoshinRequestError) throw cause;
      retry = timedOut
        ? fail('timeout', 'no response or keep-alive in time', { cause })
        : fail('network', `network error: ${String(cause)}`, { cause });
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Closes the connection: also when the consumer stopped iterating (break, return).
      controller.abort();
    }

    if (failures >= (options.retries ?? Number.POSITIVE_INFINITY)) throw retry;
    try {
      await sleep(backoffDelay(failures++, request.backoff, retryAfterMs), signal);
    } catch {
      return; // aborted while waiting
    }
  }
}
