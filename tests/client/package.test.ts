// The package as npm would ship it: its exports map resolves to built ESM with types, it is
// marked side-effect free, and its runtime code reaches for nothing Node-only.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { expect, test } from 'vitest';

const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve('@hoshin/client/package.json'));
const pkg = JSON.parse(await readFile(resolve(packageDir, 'package.json'), 'utf8'));

test('is ESM, side-effect free, and exports built code with declarations', async () => {
  expect(pkg).toMatchObject({ name: '@hoshin/client', type: 'module', sideEffects: false });
  for (const [subpath, target] of Object.entries(pkg.exports as Record<string, unknown>)) {
    const files = typeof target === 'string' ? [target] : Object.values(target as object);
    for (const file of files as string[]) {
      expect(file, subpath).toMatch(/^\.\/(dist\/|package\.json$)/);
      await expect(
        readFile(resolve(packageDir, file)),
        `${subpath} -> ${file}`,
      ).resolves.toBeDefined();
    }
  }
  const core = await import('@hoshin/client/core');
  expect(Object.keys(core).sort()).toEqual([
    'HoshinRequestError',
    'cacheableUrl',
    'createClient',
    'failureReason',
    'operationInfo',
  ]);
  const full = await import('@hoshin/client');
  const names = Object.keys(full);
  // Every operation's document, and its ready-made function under the operation's name.
  const documents = names.filter((name) => name.endsWith('Document')).sort();
  // Watch* documents are the snapshots of the watch helpers (client.watchPlans ...), not operations.
  const operations = documents
    .filter((name) => !name.startsWith('Watch'))
    .map((name) => name[0]?.toLowerCase() + name.slice(1, -8));
  expect(documents).toHaveLength(64);
  expect(names.sort()).toEqual(
    [
      ...documents,
      ...operations,
      'HoshinRequestError',
      'OpenDataError',
      'WEBHOOK_SIGNATURE_HEADER',
      'WebhookSignatureError',
      'cacheableUrl',
      'createClient',
      'exportData',
      'exportUrl',
      'failureReason',
      'importData',
      'operationInfo',
      'operations',
      'possibleTypes',
      'verifyWebhookSignature',
    ].sort(),
  );
});

test('ships the schema it was generated from', async () => {
  const shipped = await readFile(require.resolve('@hoshin/client/schema.graphql'), 'utf8');
  const current = await readFile(resolve(import.meta.dirname, '../../schema.graphql'), 'utf8');
  expect(shipped).toBe(current);
});

test('no built file imports a node: module or uses Node globals', async () => {
  const dist = resolve(packageDir, 'dist');
  const files = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith('.js'));
  expect(files.length).toBeGreaterThan(5);
  for (const file of files) {
    const code = await readFile(resolve(dist, file), 'utf8');
    expect(code, file).not.toMatch(/from ['"]node:|require\(|\bprocess\.|\bBuffer\b/);
  }
});
