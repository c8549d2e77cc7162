// subscribe(): the loop around a subscription's connections, whatever carries them (SSE by
// default, graphql-ws when given): it starts from the latest cursor, reconnects with backoff
// after what can heal, resumes after the last event's cursor so every event arrives once,
// stops on what cannot heal, and reports each change of state.
import { type HoshinErrorKind, HoshinRequestError, refusesDocumentIds } from './errors.js';
import { type BackoffOptions, backoffDelay, isRetryableStatus, sleep } from './retry.js';
import { errorsOf, type FailExtra, type Transport } from './types.js';

/** Why a subscription gave up: errors that retrying will not heal, or retries used up. */
export type FailureReason =
  /** 401 / UNAUTHENTICATED: the token is missing, wrong or revoked. */
  | 'unauthenticated'
  /** 403 / FORBIDDEN: the token may not subscribe to this (a CORS refusal shows as 'network'). */
  | 'forbidden'
  /** The server refused the document or its variables (validation, an unknown cursor, 4xx). */
  | 'rejected'
  /** The server answered something that is not GraphQL over SSE. */
  | 'protocol'
  /** `retries` attempts in a row failed to connect. */
  | 'retries-exhausted';

/** Where a subscription stands; `onState` is called at each change. */
export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  /** Connected: events arrive as they commit. */
  | { status: 'live' }
  /** Lost or refused for now; the next attempt starts at `nextAttemptAt` (epoch ms). */
  | { status: 'retrying'; attempt: number; nextAttemptAt: number; error: HoshinRequestError }
  /** Ended for good: the iteration throws `error`. */
  | { status: 'failed'; reason: FailureReason; error: HoshinRequestError }
  /** Ended by the caller (signal, break) or by the server completing it. */
  | { status: 'closed' };

export interface SubscribeOptions {
  /** Aborting ends the iteration (no error) and closes the connection. */
  signal?: AbortSignal;
  /**
   * Start after this event cursor: missed events first, then live. When absent the client
   * first reads the server's `latestChangeCursor`, so nothing written after subscribe() was
   * called is missed even if the first connection fails; `null` means live only.
   */
  after?: string | null | undefined;
  headers?: Record<string, string>;
  /** Time allowed to connect (until the response headers). Default: the client's timeoutMs. */
  timeoutMs?: number;
  /**
   * Reconnect when nothing (no event, no keep-alive) arrived for this long; Yoga sends a
   * keep-alive every 12 s. Default 45000; 0 disables.
   */
  idleTimeoutMs?: number;
  /**
   * Attempts in a row that fail to connect before giving up (a connection that was live
   * resets the count, so a server restart does not use them up). Default: never give up on
   * errors that can heal; 401, 403 and refused documents end the subscription at once.
   */
  retries?: number;
  /** Called at each change of the connection's state. */
  onState?: (state: ConnectionState) => void;
  /** Called with every failed attempt's error, retried or not. */
  onError?: (error: HoshinRequestError) => void;
}

/** Why an error will not heal by retrying, or undefined when a retry may help. */
export function failureReason(error: HoshinRequestError): FailureReason | undefined {
  const { status, codes, kind } = error;
  if (status === 401 || codes.includes('UNAUTHENTICATED')) return 'unauthenticated';
  if (status === 403 || codes.includes('FORBIDDEN')) return 'forbidden';
  if (kind === 'protocol') return 'protocol';
  if (kind === 'network' || kind === 'timeout') return undefined;
  if (codes.includes('SUBSCRIBER_TOO_SLOW')) return undefined;
  if (status !== undefined && (status >= 500 || isRetryableStatus(status))) return undefined;
  return 'rejected';
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

export interface SubscriptionRequest {
  transport: Transport;
  headers: (options: SubscribeOptions) => Promise<Record<string, string>>;
  query: string;
  /** The persisted document's hash, sent instead of the text while the server takes it. */
  documentId: string | undefined;
  /** Whether the server takes documentIds: shared by the client, false after a refusal. */
  ids: { accepted: boolean };
  operationName: string | undefined;
  /** Reads the server's latest change cursor (for a start without a gap). */
  latestCursor: () => Promise<string | null>;
  variables: Record<string, unknown>;
  options: SubscribeOptions;
  timeoutMs: number;
  backoff: BackoffOptions | undefined;
}

export async function* subscribeWith<TResult>(
  request: SubscriptionRequest,
): AsyncGenerator<TResult, void, undefined> {
  const { options, operationName } = request;
  const signal = options.signal;
  const idleMs = options.idleTimeoutMs ?? 45_000;
  let state: ConnectionState['status'] | undefined;
  const report = (next: ConnectionState) => {
    state = next.status;
    options.onState?.(next);
  };
  const close = () => {
    if (state !== 'closed' && state !== 'failed') report({ status: 'closed' });
  };
  let after = options.after;
  // Attempts in a row that failed to connect; reset by a live connection.
  let failures = 0;
  let attempts = 0;

  try {
    for (;;) {
      if (signal?.aborted) return;
      attempts++;
      report({ status: 'connecting', attempt: attempts });
      const fail = (kind: HoshinErrorKind, message: string, extra: FailExtra = {}) =>
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
      // thrown inside the try is final unless it can heal (see failureReason).
      let retry: HoshinRequestError | undefined;
      const sendId = request.documentId !== undefined && request.ids.accepted;

      try {
        if (after === undefined) {
          // Before the first connection: the cursor of "now", so a connection that fails before
          // its first event still resumes from the moment subscribe() was called.
          after = await request.latestCursor();
        }
        arm(request.timeoutMs);
        const connection = request.transport({
          query: request.query,
          documentId: sendId ? request.documentId : undefined,
          operationName,
          variables: after == null ? request.variables : { ...request.variables, after },
          headers: await request.headers(options),
          signal: controller.signal,
          onOpen: () => {
            arm(idleMs);
            failures = 0;
            report({ status: 'live' });
          },
          onActivity: () => arm(idleMs),
          fail,
        });
        for (;;) {
          const next = await connection.next();
          if (next.done) {
            if (next.value) return; // the server completed the subscription
            retry = fail('network', 'the connection ended before the subscription completed');
            break;
          }
          const payload = next.value;
          const errors = errorsOf(payload);
          if (errors[0]) {
            const error = fail('graphql', errors[0].message, { errors, data: payload.data });
            const slow = errors.find((e) => e.extensions?.code === 'SUBSCRIBER_TOO_SLOW');
            if (!slow) throw error;
            // The server names the last event it handed over: resume right after it.
            const cursor = slow.extensions?.cursor;
            if (typeof cursor === 'string') after = cursor;
            retry = error;
            break;
          }
          const value = payload.data;
          if (!value || typeof value !== 'object') continue;
          const cursor = (Object.values(value)[0] as { cursor?: unknown } | null)?.cursor;
          if (typeof cursor === 'string') after = cursor;
          clearTimeout(timer); // a slow consumer is not an idle connection
          yield value as TResult;
          arm(idleMs);
        }
        await connection.return(false);
      } catch (cause) {
        if (signal?.aborted) return;
        if (cause instanceof HoshinRequestError) {
          if (sendId && refusesDocumentIds(cause)) {
            // A server without trusted documents does not know documentIds: send the text.
            request.ids.accepted = false;
            attempts--;
            continue;
          }
          if (failureReason(cause)) throw cause;
          retry = cause;
        } else {
          retry = timedOut
            ? fail('timeout', 'no response or keep-alive in time', { cause })
            : fail('network', `network error: ${String(cause)}`, { cause });
        }
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        // Closes the connection: also when the consumer stopped iterating (break, return).
        controller.abort();
      }

      retry ??= fail('network', 'the connection ended');
      options.onError?.(retry);
      if (failures >= (options.retries ?? Number.POSITIVE_INFINITY)) {
        report({ status: 'failed', reason: 'retries-exhausted', error: retry });
        throw retry;
      }
      const delay = backoffDelay(failures++, request.backoff, retry.retryAfterMs);
      report({
        status: 'retrying',
        attempt: attempts + 1,
        nextAttemptAt: Date.now() + delay,
        error: retry,
      });
      try {
        await sleep(delay, signal);
      } catch {
        return; // aborted while waiting
      }
    }
  } catch (error) {
    if (error instanceof HoshinRequestError && state !== 'failed') {
      options.onError?.(error);
      report({ status: 'failed', reason: failureReason(error) ?? 'protocol', error });
    }
    throw error;
  } finally {
    close();
  }
}
