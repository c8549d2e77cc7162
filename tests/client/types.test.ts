// Runs the TypeScript compiler over the type tests and the README examples, both written
// against the *built* package's declarations, as an integrator's compiler would see them.
import { resolve } from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

function compile(files: string[]): string[] {
  const configPath = resolve(root, 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  // The strictest flags in common use, as an integrator's project may set them.
  const program = ts.createProgram(files, {
    ...options,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file
      ? `${d.file.fileName.slice(root.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}`
      : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

const examples = [
  'first-query',
  'own-document',
  'writes',
  'live-plans',
  'errors',
  'retries-and-timeouts',
  'other-clients',
  'live-state',
  'webhooks',
  'cacheable-read',
].map((name) => resolve(root, `packages/client/examples/${name}.ts`));

test('a wrong field or variable is a compile error; inference needs no casts; the README examples compile', () => {
  expect(compile([resolve(import.meta.dirname, 'types/inference.ts'), ...examples])).toEqual([]);
}, 60_000);

test('the checker is not vacuous: a missing variable and a wrong field are reported', () => {
  const diagnostics = compile([resolve(import.meta.dirname, 'types/fails-to-compile.ts')]);
  expect(diagnostics).toHaveLength(2);
  expect(diagnostics[0]).toMatch(/fails-to-compile\.ts:8 .*'fiscalYear' is missing/s);
  expect(diagnostics[1]).toMatch(/fails-to-compile\.ts:10 Property 'nope' does not exist/);
}, 60_000);
