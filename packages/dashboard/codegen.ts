// The dashboard's own documents, typed as any integrator's would be: the client preset run on
// the schema @hoshin/client ships. `pnpm --filter @hoshin/dashboard codegen` rewrites src/generated/.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../../schema.graphql',
  documents: ['src/**/*.ts', 'src/**/*.tsx', '!src/generated/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
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
        strictScalars: true,
      },
    },
  },
};
export default config;
