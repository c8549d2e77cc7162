import type { ErrorCode } from '../generated/error-codes.js';

export type { ErrorCode };

/** What went wrong, from the caller's point of view. */
export type HoshinErrorKind =
  /** fetch itself failed: DNS, connection refused or reset, CORS, offline. */
  | 'network'
  /** No complete response within `timeoutMs`. */
  | 'timeout'
  /** A non-2xx response without GraphQL errors in its body. */
  | 'http'
  /** The server answered with GraphQL `errors` (validation or execution). */
  | 'graphql'
  /** The response was not a GraphQL response (not JSON, or neither `data` nor `errors`). */
  | 'protocol';

/** A GraphQL error as the server formats it (the GraphQL over HTTP response shape). */
export interface GraphQLErrorItem {
  message: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface HoshinRequestErrorInit {
  kind: HoshinErrorKind;
  operationName?: string | undefined;
  status?: number | undefined;
  errors?: readonly GraphQLErrorItem[] | undefined;
  data?: unknown;
  attempts: number;
  cause?: unknown;
  /** The server's Retry-After, in ms (0 when none). */
  retryAfterMs?: number | undefined;
}

/**
 * The one error a request rejects with, for transport and GraphQL errors alike. A caller's own
 * abort is not one: the request rejects with the signal's reason, as fetch does.
 */
export class HoshinRequestError extends Error {
  override readonly name = 'HoshinRequestError';
  readonly kind: HoshinErrorKind;
  /** The operation's name, when the document has one. */
  readonly operationName: string | undefined;
  /** HTTP status of the last response; undefined when none arrived (network, timeout). */
  readonly status: number | undefined;
  /** The GraphQL errors of the last response; empty for transport errors. */
  readonly errors: readonly GraphQLErrorItem[];
  /** The distinct `extensions.code`s of `errors`, e.g. ["DEPARTMENT_NOT_FOUND"]. */
  readonly codes: readonly ErrorCode[];
  /** Partial `data` sent alongside `errors`, if any. */
  readonly data: unknown;
  /** How many HTTP requests were made, retries included. */
  readonly attempts: number;
  /** The server's Retry-After, in ms (0 when none; browsers see it when CORS exposes it). */
  readonly retryAfterMs: number;

  constructor(message: string, init: HoshinRequestErrorInit) {
    super(message, { cause: init.cause });
    this.kind = init.kind;
    this.operationName = init.operationName;
    this.status = init.status;
    this.errors = init.errors ?? [];
    this.codes = [
      ...new Set(
        this.errors.flatMap((e) => (e.extensions?.code ? [e.extensions.code as ErrorCode] : [])),
      ),
    ];
    this.data = init.data;
    this.attempts = init.attempts;
    this.retryAfterMs = init.retryAfterMs ?? 0;
  }

  /** True when any GraphQL error carries `code` in its extensions. */
  hasCode(code: ErrorCode): boolean {
    return this.codes.includes(code);
  }
}

/**
 * Whether a refusal says the server does not take documentIds (it runs without trusted
 * documents, so it asks for the query text: graphql-yoga's BAD_REQUEST "Must provide query
 * string"): not a token refusal, nor an id unknown to a server that does take them. Nothing
 * ran, so resending the text is safe.
 */
export function refusesDocumentIds(error: HoshinRequestError): boolean {
  const { status, codes } = error;
  if (status === 401 || status === 403) return false;
  if (codes.some((code) => code.startsWith('PERSISTED_DOCUMENT'))) return false;
  return codes.includes('BAD_REQUEST') || (status !== undefined && status >= 400 && status < 500);
}
