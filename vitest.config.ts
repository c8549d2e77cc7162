import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (`main`) and ESM (`module`). Node loads graphql-yoga's import of it
    // as CJS, Vite would give the server's own imports the ESM copy: two GraphQLError classes,
    // and Yoga then masks every UserInputError as INTERNAL_SERVER_ERROR. One copy for both.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['tests/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    // Builds @hoshin/client once: the client's tests use the package as an integrator would.
    globalSetup: ['tests/client/support/build-client.ts'],
  },
});
