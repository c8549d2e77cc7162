// How many server source files spell each plain field of the main entities (issue 25, "one
// description per field"): for every scalar field of the models below in prisma/schema.prisma,
// the files under packages/server/src (generated code excluded) that contain it as a word.
// Usage: node scripts/field-spellings.mjs [--files] [--json]
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const MODELS = [
  'Department',
  'DepartmentPlan',
  'Initiative',
  'Evaluation',
  'PlanYear',
  'Target',
  'TargetActual',
];
const root = new URL('..', import.meta.url).pathname;
const src = join(root, 'packages/server/src');
const prisma = readFileSync(join(root, 'prisma/schema.prisma'), 'utf8');
const scalars = new Set([
  'Int',
  'String',
  'Boolean',
  'BigInt',
  'Float',
  'DateTime',
  'Json',
  'Decimal',
]);
const enums = new Set([...prisma.matchAll(/^enum (\w+)/gm)].map((m) => m[1]));

function fieldsOf(model) {
  const body = prisma.match(new RegExp(`^model ${model} \\{([\\s\\S]*?)^\\}`, 'm'))?.[1] ?? '';
  return [...body.matchAll(/^\s+(\w+)\s+(\w+)(\[\])?\??/gm)]
    .filter((m) => scalars.has(m[2]) || enums.has(m[2]))
    .map((m) => m[1]);
}

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : files(path);
    return /\.(ts|tsx|mts)$/.test(entry.name) ? [path] : [];
  });
}
const sources = files(src).map((path) => ({
  path: relative(src, path),
  text: readFileSync(path, 'utf8'),
}));
const showFiles = process.argv.includes('--files');
const rows = [];
for (const model of MODELS) {
  for (const field of fieldsOf(model)) {
    const word = new RegExp(`\\b${field}\\b`);
    const spelt = sources.filter((s) => word.test(s.text)).map((s) => s.path);
    rows.push({ model, field, files: spelt.length, where: spelt });
  }
}
if (process.argv.includes('--json')) console.log(JSON.stringify(rows, null, 2));
else {
  for (const row of rows) {
    console.log(
      `${`${row.model}.${row.field}`.padEnd(48)} ${String(row.files).padStart(3)}${showFiles ? `  ${row.where.join(' ')}` : ''}`,
    );
  }
}
