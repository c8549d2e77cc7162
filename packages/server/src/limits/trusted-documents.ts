// Trusted documents: with HOSHIN_TRUSTED_DOCUMENTS only the operations of a persisted-documents
// manifest run (the SDK's, by default), sent by hash.
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

export function useTrustedDocuments(documents: Map<string, string>): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: false,
    extractPersistedOperationId(params) {
      const body = params as typeof params & { documentId?: unknown };
      if (typeof body.documentId === 'string') return body.documentId;
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
      keyNotFound: {
        message: 'Send a documentId (the hash of a trusted document)',
        extensions: { code: ErrorCode.PERSISTED_DOCUMENT_REQUIRED, http: { status: 400 } },
      },
      notFound: {
        message: 'No trusted document has this documentId',
        extensions: { code: ErrorCode.PERSISTED_DOCUMENT_NOT_FOUND, http: { status: 400 } },
      },
    },
  });
}
