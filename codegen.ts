// graphql-codegen: schema.graphql (the server's printed contract) -> the typed client SDK.
// `pnpm codegen` writes it; tests/client/codegen.test.ts regenerates into a temp folder and
// fails when the committed output is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';

const typesConfig = {
  // Enums as string unions: no runtime objects, nothing to tree-shake.
  enumsAsTypes: true,
  useTypeImports: true,
  scalars: {
    DateTime: { input: 'string', output: 'string' },
    LocalDate: { input: 'string', output: 'string' },
    SafeInt: { input: 'number', output: 'number' },
    JSON: { input: 'unknown', output: 'unknown' },
    // A multipart upload's file (importFile): a Blob (a File in a browser).
    File: { input: 'Blob', output: 'never' },
  },
  // Scalars not listed above are an error, not a silent `any`.
  strictScalars: true,
} as const;

const sdkDocuments = ['packages/client/src/operations/**/*.graphql'];
const plugin = (name: string) => `./packages/client/scripts/${name}.mjs`;

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
      // The SDK's own operations: their result and variables types, with the enums and
      // inputs they use (typescript-operations 6 writes those itself)...
      [`${out.sdk}graphql.ts`]: {
        documents: sdkDocuments,
        plugins: ['typescript-operations'],
        config: typesConfig,
      },
      // ...their documents: TypedDocumentNode ASTs (what urql, Apollo Client and
      // graphql-request take) that also carry their text and persisted-document hash, one
      // export per operation...
      [`${out.sdk}documents.ts`]: {
        documents: sdkDocuments,
        plugins: [{ [plugin('codegen-documents')]: { output: 'documents' } }],
      },
      // ...and the persisted-documents manifest (hash -> text): exactly the documents the SDK
      // sends, so a server can allow only those.
      [`${out.sdk}persisted-documents.json`]: {
        documents: sdkDocuments,
        plugins: [{ [plugin('codegen-documents')]: { output: 'manifest' } }],
      },
      // Which object types each union and interface covers (a result's error types, every
      // `Node`): Apollo Client's InMemoryCache needs it (`possibleTypes`) to match a fragment on
      // an interface or union, or it drops the fragment's fields ("Data might be lost").
      [`${out.sdk}possible-types.ts`]: {
        plugins: ['fragment-matcher'],
        config: { apolloClientVersion: 3, useExplicitTyping: true },
      },
      // The server's error codes as a union type (read from its source, never imported).
      [`${out.sdk}error-codes.ts`]: {
        plugins: [plugin('codegen-error-codes')],
      },
      // The README's examples write their own documents as an integrator would: the client
      // preset's defaults (TypedDocumentNode), sent through the SDK's `request`.
      [out.examples]: {
        documents: ['packages/client/examples/**/*.ts', '!packages/client/examples/generated/**'],
        preset: 'client',
        presetConfig: { fragmentMasking: false },
        config: { ...typesConfig, emitLegacyCommonJSImports: false },
      },
    },
  };
}

export default codegenConfig();
