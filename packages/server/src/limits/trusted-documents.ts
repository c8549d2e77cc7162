// Persisted documents: the operations of a manifest (the SDK's, by default), sent by hash as
// `documentId` (also over GET, the cacheable URL: http/public-cache.ts). With
// HOSHIN_TRUSTED_DOCUMENTS they are the only operations that run (trusted documents).
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

/** The manifest the client SDK writes: { "sha256:<hex>": "<document>" }. */
export function loadTrustedDocuments(path: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  const documents = new Map<string, string>();
  for (const [key, document] of Object.entries(manifest)) {
    documents.set(key, document);
    // Also by the bare hash, as Apollo's persistedQuery extension sends it.
    documents.set(key.replace(/^sha256:/, ''), document);
  }
  return documents;
}

export function useTrustedDocuments(
  documents: Map<string, string>,
  { only = true }: { only?: boolean } = {},
): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: !only,
    extractPersistedOperationId(params, request) {
      const body = params as typeof params & { documentId?: unknown };
      if (typeof body.documentId === 'string') return body.documentId;
      // Yoga's GET parser keeps only query, variables, operationName and extensions: the
      // cacheable URL (/graphql?documentId=…&variables=…) names its document here.
      if (request.method === 'GET' && body.query === undefined) {
        const fromUrl = new URL(request.url).searchParams.get('documentId');
        if (fromUrl !== null) return fromUrl;
      }
      const persisted = (params.extensions?.persistedQuery ?? null) as {
        sha256Hash?: unknown;
      } | null;
      return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : null;
    },
    getPersistedOperation: (key) => documents.get(key) ?? null,
    customErrors: {
      persistedQueryOnly: {
        message: 'This server runs only the trusted documents of the hoshin SDK: send a documentId',
        extensions: { code: ErrorCode.PERSISTED_DOCUMENT_REQUIRED, http: { status: 400 } },
      },
      // Neither a query nor a documentId: with trusted documents only, ask for the id; beside
      // query text, it is the malformed request it always was.
      keyNotFound: only
        ? {
            message: 'Send a documentId (the hash of a trusted document)',
            extensions: { code: ErrorCode.PERSISTED_DOCUMENT_REQUIRED, http: { status: 400 } },
          }
        : {
            message: 'Send a query (or the documentId of a persisted document)',
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          },
      notFound: {
        message: 'No trusted document has this documentId',
        extensions: { code: ErrorCode.PERSISTED_DOCUMENT_NOT_FOUND, http: { status: 400 } },
      },
    },
  });
}
