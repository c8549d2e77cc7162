// Runs `prisma generate` (Prisma client + Pothos types) from a clean install.
// The Prisma CLI wants a schema-engine binary even though `generate` never runs it, and
// downloads one when none is configured. Where that download is impossible (offline CI),
// pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file lets generate proceed.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const env = { ...process.env };
// The Pothos generator (prisma-pothos-types) is a dependency of the server package.
env.PATH = [resolve(root, 'packages/server/node_modules/.bin'), env.PATH].join(delimiter);
env.PRISMA_SCHEMA_ENGINE_BINARY ??= prismaCli;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';

const result = spawnSync(process.execPath, [prismaCli, 'generate', '--no-hints'], {
  cwd: root,
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
