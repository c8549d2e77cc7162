// Size budget of the runtime an application ships: @hoshin/client/core (no generated
// documents), bundled for the browser by esbuild, minified and gzipped. Bundling for
// `platform: 'browser'` also proves the runtime imports nothing Node-only.
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { expect, test } from 'vitest';

// Measured 1828 B before subscribe(), 2954 B with it (+1.1 KB: fetch streaming, an SSE
// parser, reconnection with backoff and resume from the last cursor). graphql-sse's client
// alone bundles to 3.4 KB gzipped and cannot resume (its retries resend the same variables),
// hence the small parser. Room for small growth, not for another transport or a polyfill.
const BUDGET_BYTES = 3200;

async function bundledSize(specifier: string): Promise<{ minified: number; gzipped: number }> {
  const entry = createRequire(import.meta.url).resolve(specifier);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

test(`the runtime is at most ${BUDGET_BYTES} bytes minified and gzipped`, async () => {
  const core = await bundledSize('@hoshin/client/core');
  const full = await bundledSize('@hoshin/client');
  console.log(
    `@hoshin/client/core: ${core.minified} B minified, ${core.gzipped} B gzipped (budget ${BUDGET_BYTES} B); ` +
      `@hoshin/client with its documents: ${full.minified} B minified, ${full.gzipped} B gzipped`,
  );
  expect(core.gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  expect(core.gzipped).toBeGreaterThan(0);
});
