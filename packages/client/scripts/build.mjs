// Builds dist/: ESM + .d.ts by tsc, then the files the exports map names beside the code
// (the persisted-documents manifest and the schema the SDK was generated from).
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

rmSync(resolve(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', resolve(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
copyFileSync(
  resolve(root, 'src/generated/persisted-documents.json'),
  resolve(root, 'dist/persisted-documents.json'),
);
copyFileSync(resolve(root, '../../schema.graphql'), resolve(root, 'dist/schema.graphql'));
