// Builds the dashboard (packages/dashboard/dist, served by the server at /app) after install:
// first @hoshin/client's dist, which the dashboard imports as any integrator would, then the
// Vite build. Skipped when the build is newer than every source it is made from.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const output = resolve(root, 'packages/dashboard/dist/index.html');
const sources = [
  'packages/dashboard/src',
  'packages/dashboard/index.html',
  'packages/client/src',
  'packages/dashboard/vite.config.ts',
  'pnpm-lock.yaml',
];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(resolve(path, name))));
}

const built = existsSync(output) ? statSync(output).mtimeMs : 0;
if (
  process.env.HOSHIN_FORCE_BUILD !== '1' &&
  built > Math.max(...sources.map((s) => newest(resolve(root, s))))
) {
  console.log('dashboard: up to date');
} else {
  // Node and the packages' own scripts only: this also runs outside pnpm (tests, CI steps).
  const node = (args, cwd) => execFileSync(process.execPath, args, { cwd, stdio: 'inherit' });
  node(['scripts/build.mjs'], resolve(root, 'packages/client'));
  const dashboard = resolve(root, 'packages/dashboard');
  // vite's exports map hides bin/; its package.json is exported and sits beside it.
  const vitePackage = createRequire(resolve(dashboard, 'package.json')).resolve(
    'vite/package.json',
  );
  const vite = resolve(dirname(vitePackage), 'bin/vite.js');
  node([vite, 'build', '--logLevel', 'warn'], dashboard);
}
