// Writes the schema's SDL to schema.graphql at the repository root: the contract reviewers
// read and the client SDK is generated from. Written only when it changed; with --check,
// exits 1 instead when the committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { printSortedSchema } from '../graphql/sdl.ts';

const path = resolve(import.meta.dirname, '../../../../schema.graphql');
const sdl = printSortedSchema();
const current = await readFile(path, 'utf8').catch(() => '');

if (current === sdl) {
  console.log('schema.graphql is up to date');
} else if (process.argv.includes('--check')) {
  console.error('schema.graphql is stale: run `pnpm schema:print` and commit it');
  process.exit(1);
} else {
  await writeFile(path, sdl);
  console.log('wrote schema.graphql');
}
