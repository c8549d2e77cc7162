// pnpm lint:schema: schema.graphql against the last released schema (contract/released.graphql)
// and the declared breaking changes (contract/accepted-breaking.json); exits 1 on a breaking
// change that is not declared (scripts/contract.ts, docs/api-versioning.md).
//
//   tsx scripts/check-schema.ts [--schema file] [--released file] [--accepted file] [--today YYYY-MM-DD] [--verbose]
//
// Additive changes are counted, not listed, unless --verbose: every field added since the release
// would otherwise fill the CI log, and only the breaking and dangerous ones need a reader.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkContract } from './contract.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    schema: { type: 'string', default: resolve(root, 'schema.graphql') },
    released: { type: 'string', default: resolve(root, 'contract/released.graphql') },
    accepted: { type: 'string', default: resolve(root, 'contract/accepted-breaking.json') },
    today: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});

const releasedSdl = readFileSync(values.released, 'utf8');
const report = await checkContract(
  readFileSync(values.schema, 'utf8'),
  releasedSdl,
  JSON.parse(readFileSync(values.accepted, 'utf8')),
  values.today ? new Date(`${values.today}T00:00:00Z`) : new Date(),
);
const version = releasedSdl.split('\n', 1)[0]?.replace(/^#\s*/, '');
const additive = report.passed.filter((line) => line.startsWith('additive'));
for (const line of report.passed) {
  if (values.verbose || !line.startsWith('additive')) console.log(`  ${line}`);
}
if (!values.verbose && additive.length > 0) {
  console.log(`  additive: ${additive.length} change(s) (--verbose lists them)`);
}
if (report.failures.length > 0) {
  console.error(`schema.graphql breaks the released contract (${version}):`);
  for (const failure of report.failures) console.error(`  ${failure}`);
  console.error(
    'Deprecate instead (docs/api-versioning.md), or declare the change with a reason in contract/accepted-breaking.json.',
  );
  process.exit(1);
}
console.log(`schema.graphql keeps the released contract (${version}): ${report.changes} change(s)`);
