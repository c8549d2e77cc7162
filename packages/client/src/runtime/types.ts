// Types shared by the transport (client.ts) and the subscription loop (subscribe.ts), in a
// file of their own so neither imports the other.

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
