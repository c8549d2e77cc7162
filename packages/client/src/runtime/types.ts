// Types shared by the transport (client.ts), the subscription loop (subscribe.ts) and the
// subscription transports (sse.ts, ws.ts), in a file of their own so none imports another.
import type { GraphQLErrorItem, HoshinErrorKind, HoshinRequestError } from './errors.js';

/**
 * A document that carries its result and variables types: a TypedDocumentNode (what
 * graphql-codegen's client preset makes by default, and this package's documents) or a
 * TypedDocumentString (documentMode 'string'). Structurally the `DocumentTypeDecoration` of
 * @graphql-typed-document-node/core, so either is accepted without a cast.
 */
export interface TypedDocument<TResult, TVariables> {
  /** Phantom member carrying the types; never set at run time. */
  __apiType?: (variables: TVariables) => TResult;
}

export type ResultOf<T> = T extends TypedDocument<infer R, infer _V> ? R : never;
export type VariablesOf<T> = T extends TypedDocument<infer _R, infer V> ? V : never;

/** The fetch the client calls; the global one unless given. */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** A GraphQL response or subscription event, as received. */
export interface Payload {
  data?: unknown;
  errors?: unknown;
}

export const parsePayload = (text: string | undefined): Payload | undefined => {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return value && typeof value === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
};

export const errorsOf = (payload: Payload | undefined): GraphQLErrorItem[] =>
  Array.isArray(payload?.errors) ? payload.errors : [];

/** What one connection attempt of a subscription sends, and how it reports back. */
export interface TransportRequest {
  /** The document's text (a WebSocket always sends it). */
  query: string;
  /** Set when the persisted document's hash is to be sent instead of the text. */
  documentId: string | undefined;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /** Authorization and the caller's headers. */
  headers: Record<string, string>;
  /** Aborted to close the connection. */
  signal: AbortSignal;
  /** The server accepted the subscription: the connection is live. */
  onOpen(): void;
  /** Any sign of life (an event, a keep-alive): resets the idle timer. */
  onActivity(): void;
  /** Makes the error a refusal is thrown as. */
  fail(kind: HoshinErrorKind, message: string, extra?: FailExtra): HoshinRequestError;
}

export interface FailExtra {
  status?: number;
  errors?: GraphQLErrorItem[];
  data?: unknown;
  cause?: unknown;
  retryAfterMs?: number;
}

/**
 * One connection of a subscription: yields the server's payloads; returns true when the
 * server completed the subscription, false when the connection ended before that. Throws a
 * HoshinRequestError (made with `fail`) for a refusal, anything else for a lost connection.
 * The subscription loop around it reconnects, resumes from the last cursor and reports state.
 */
export type Transport = (request: TransportRequest) => AsyncGenerator<Payload, boolean, undefined>;

/** Prints a graphql-js AST (graphql's own `print`); only needed for ASTs without their text. */
export type PrintFunction = (document: never) => string;

interface DocumentShape {
  kind?: unknown;
  loc?: { source?: { body?: unknown } };
  __meta__?: { hash?: unknown };
}

/**
 * The GraphQL text of a document: a TypedDocumentString's own text, or an AST's source
 * (`loc.source.body`, which this package's documents and graphql-tag's carry), or the AST
 * printed by `print` when given. Returns undefined for an AST with neither.
 */
export function documentText(document: object, print?: PrintFunction): string | undefined {
  const shape = document as DocumentShape;
  if (shape.kind !== 'Document') return String(document);
  const body = shape.loc?.source?.body;
  if (typeof body === 'string') return body;
  return print?.(document as never);
}

/** The persisted-document hash the codegen embedded, if any. */
export function documentHash(document: object): string | undefined {
  const hash = (document as DocumentShape).__meta__?.hash;
  return typeof hash === 'string' ? hash : undefined;
}
