// Writes the normative part of docs/open-data-schema.md (the Table Schemas and code lists, from
// the column definitions). Written only when it changed; with --check, exits 1 when stale.
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import '../schema.ts';
import { withNormativeSection } from '../modules/open-data/schema-doc.ts';

const path = resolve(import.meta.dirname, '../../../../docs/open-data-schema.md');
const current = await readFile(path, 'utf8');
const next = withNormativeSection(current);

if (current === next) {
  console.log('docs/open-data-schema.md is up to date');
} else if (process.argv.includes('--check')) {
  console.error(
    'docs/open-data-schema.md is stale: run `pnpm docs:open-data-schema` and commit it',
  );
  process.exit(1);
} else {
  await writeFile(path, next);
  console.log('wrote docs/open-data-schema.md');
}
