// Vitest global setup: builds packages/client/dist before any test file imports
// `@hoshin/client`, so the tests exercise the built package, never a stale one.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  const build = resolve(import.meta.dirname, '../../../packages/client/scripts/build.mjs');
  try {
    execFileSync(process.execPath, [build], { stdio: 'inherit' });
  } catch {
    throw new Error(
      'building @hoshin/client failed (tsc errors above); if an operation or schema.graphql changed, run `pnpm codegen`',
    );
  }
}
