// The cacheable URL of a public read: a persisted document over GET
// (`/graphql?documentId=…&variables=…`), which a CDN or the browser may keep (the server marks
// anonymous answers public with an ETag; docs/integrating.md "Caching behind a CDN").
import { documentHash, type TypedDocument } from './types.js';

/**
 * `endpoint?documentId=<hash>&variables=<json>` for one of the SDK's documents (or your own
 * with a persisted hash). Variables are written in a fixed key order, so equal variables make
 * the same URL, hence one cache entry. Throws for a document without a persisted hash.
 */
export function cacheableUrl<TResult, TVariables>(
  endpoint: string,
  document: TypedDocument<TResult, TVariables>,
  variables?: TVariables,
): string {
  const hash = documentHash(document);
  if (hash === undefined) throw new Error('this document has no persisted hash (documentId)');
  const url = new URL(endpoint, 'http://relative.invalid');
  url.searchParams.set('documentId', hash);
  if (variables !== undefined) url.searchParams.set('variables', JSON.stringify(sorted(variables)));
  return url.origin === 'http://relative.invalid' ? `${url.pathname}${url.search}` : url.toString();
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
  );
}
