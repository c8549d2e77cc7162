// The walls of the layout (README "Where things live"), checked by `pnpm lint:imports`:
// arrows run one way, main -> app -> {http, yoga, live, db}; yoga -> {schema, limits, auth,
// errors}; schema -> modules -> {graphql/builder, auth, db, live, errors}.
const server = '^packages/server/src/';
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'infrastructure-knows-no-domain',
      comment: 'live/, http/, db/, limits/, auth/ and the builder never import a domain module',
      severity: 'error',
      from: { path: `${server}(live|http|db|limits|auth)/|${server}graphql/builder\\.ts$` },
      to: { path: `${server}modules/` },
    },
    {
      name: 'modules-below-the-schema',
      comment: 'modules are composed by schema.ts; they never import the server above them',
      severity: 'error',
      from: { path: `${server}modules/` },
      to: { path: `${server}(app|main|yoga|schema|cli|testing)\\.ts$|${server}http/` },
    },
    {
      name: 'nothing-imports-main',
      severity: 'error',
      from: {},
      to: { path: `${server}main\\.ts$` },
    },
    {
      name: 'server-never-imports-testing',
      severity: 'error',
      from: { path: server, pathNot: `${server}testing\\.ts$` },
      to: { path: `${server}testing\\.ts$` },
    },
    {
      name: 'client-never-imports-server',
      severity: 'error',
      from: { path: '^packages/client/' },
      to: { path: '^packages/server/' },
    },
    {
      name: 'tests-and-bench-use-package-exports',
      comment: 'import @hoshin/server/app or @hoshin/server/testing, never a file under src/',
      severity: 'error',
      from: { path: '^(tests|bench)/' },
      to: {
        path: `${server}`,
        pathNot: `${server}(app|testing)\\.ts$`,
      },
    },
    {
      name: 'nothing-imports-tests',
      severity: 'error',
      from: { pathNot: '^tests/' },
      to: { path: '^tests/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|generated)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default'] },
  },
};
