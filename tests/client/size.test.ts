// Size budgets of what an application ships, bundled for the browser by esbuild, minified and
// gzipped: the runtime alone (@hoshin/client/core, no generated document), and what one
// ready-made operation adds on top of it (its function and its document, nothing else: the
// operations are separate pure exports). Bundling for `platform: 'browser'` also proves the
// runtime imports nothing Node-only.
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { expect, test } from 'vitest';

// Measured 1828 B before subscribe(), 2954 B with it (+1.1 KB: fetch streaming, an SSE
// parser, reconnection with backoff and resume from the last cursor), 3901 B with the
// connection state and its typed failure reasons, the gapless start (the latestChangeCursor
// document) and persisted subscriptions with their fallback, 4083 B once SSE became one
// transport among others (graphql-ws is a separate entry, @hoshin/client/ws, not counted
// here). graphql-sse's client alone
// bundles to 3.4 KB gzipped and cannot resume (its retries resend the same variables), hence
// the small parser. Room for small growth, not for another transport or a polyfill.
const RUNTIME_BUDGET = 4300;
// What importing one ready-made operation may add beyond the runtime.
const OPERATION_BUDGET = 3500;

const root = resolve(import.meta.dirname, '../..');

/** Bundles an entry module given as source text; returns its minified and gzipped sizes. */
async function bundledSize(source: string): Promise<{ minified: number; gzipped: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: root, loader: 'js' },
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

const format = (name: string, size: { minified: number; gzipped: number }) =>
  `${name}: ${size.minified} B minified, ${size.gzipped} B gzipped`;

test(`the runtime is at most ${RUNTIME_BUDGET} bytes minified and gzipped`, async () => {
  const core = await bundledSize("export * from '@hoshin/client/core';");
  const everything = await bundledSize("export { createClient } from '@hoshin/client';");
  console.log(
    `${format('@hoshin/client/core', core)} (budget ${RUNTIME_BUDGET} B); ${format('createClient of @hoshin/client, every operation bound', everything)}`,
  );
  expect(core.gzipped).toBeLessThanOrEqual(RUNTIME_BUDGET);
  expect(core.gzipped).toBeGreaterThan(0);
});

test(`one ready-made operation adds less than ${OPERATION_BUDGET} bytes gzipped to the runtime`, async () => {
  const core = await bundledSize(
    "import { createClient } from '@hoshin/client/core'; export const client = createClient({ url: '/graphql' });",
  );
  const withOne = await bundledSize(
    "import { createClient } from '@hoshin/client/core'; import { departmentPlan } from '@hoshin/client';" +
      "export const client = createClient({ url: '/graphql' }); export const read = () => departmentPlan(client, { municipality: '132047', department: 'kyoiku', fiscalYear: 2012 });",
  );
  const withTwo = await bundledSize(
    "import { createClient } from '@hoshin/client/core'; import { departmentPlan, yearSummary } from '@hoshin/client';" +
      'export const client = createClient({ url: "/graphql" }); export { departmentPlan, yearSummary };',
  );
  const added = withOne.gzipped - core.gzipped;
  console.log(
    `${format('runtime', core)}; ${format('+ departmentPlan', withOne)} (adds ${added} B gzipped, budget ${OPERATION_BUDGET} B); ${format('+ departmentPlan + yearSummary', withTwo)}`,
  );
  expect(added).toBeGreaterThan(0);
  expect(added).toBeLessThan(OPERATION_BUDGET);
  // Tree-shaking works: a second operation adds its own document, not all of them.
  const all = await bundledSize("export { createClient } from '@hoshin/client';");
  expect(withTwo.gzipped).toBeLessThan(all.gzipped);
});

test('importing one document bundles that document and no other', async () => {
  const { build: run } = await import('esbuild');
  const result = await run({
    stdin: {
      contents: "export { DepartmentPlanDocument } from '@hoshin/client';",
      resolveDir: root,
      loader: 'js',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  expect(code).toContain('query DepartmentPlan(');
  expect(code).not.toContain('query YearSummary');
  expect(code).not.toContain('mutation ');
});
