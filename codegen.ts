// graphql-codegen: schema.graphql (the server's printed contract) -> the typed client SDK.
// `pnpm codegen` writes it; tests/client/codegen.test.ts regenerates into a temp folder and
// fails when the committed output is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const clientConfig = {
  // Documents are typed strings (TypedDocumentString), not DocumentNode ASTs: sending one is
  // `JSON.stringify({ query })`, so the runtime needs no graphql-js (`print`, ~10 KB gzipped)
  // and nothing Node-only; the operation type (query or mutation, for retries) is read from
  // the text by a small scanner in the runtime.
  documentMode: 'string',
  // Enums as string unions: no runtime objects, nothing to tree-shake.
  enumsAsTypes: true,
  useTypeImports: true,
  // Imports end in .js, as Node's ESM resolution and `moduleResolution: NodeNext` require.
  emitLegacyCommonJSImports: false,
  scalars: {
    DateTime: { input: 'string', output: 'string' },
    LocalDate: { input: 'string', output: 'string' },
    SafeInt: { input: 'number', output: 'number' },
    JSON: { input: 'unknown', output: 'unknown' },
  },
  // Scalars not listed above are an error, not a silent `any`.
  strictScalars: true,
} as const;

/**
 * The codegen configuration, with its outputs under `out` (relative to the repository root
 * or absolute). The freshness test calls this with a temp folder.
 */
export function codegenConfig(
  out = { sdk: 'packages/client/src/generated/', examples: 'packages/client/examples/generated/' },
): CodegenConfig {
  return {
    schema: 'schema.graphql',
    ignoreNoDocuments: false,
    generates: {
      // The SDK's own operations; the persisted-documents manifest (hash -> text) lists
      // exactly the documents the SDK sends, so a server can allow only those.
      [out.sdk]: {
        documents: ['packages/client/src/operations/**/*.graphql'],
        preset: 'client',
        presetConfig: {
          fragmentMasking: false,
          persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
        },
        config: clientConfig,
      },
      // The README's examples write their own documents as an integrator would: with their
      // own generated graphql() function, sent through the SDK's `request`.
      [out.examples]: {
        documents: ['packages/client/examples/**/*.ts', '!packages/client/examples/generated/**'],
        preset: 'client',
        presetConfig: { fragmentMasking: false },
        config: clientConfig,
      },
    },
  };
}

export default codegenConfig();
