import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { printSortedSchema } from '../packages/server/src/graphql/sdl.ts';

describe('schema.graphql', () => {
  it('is the printed schema (run `pnpm schema:print` after changing a type)', async () => {
    const committed = await readFile(resolve(import.meta.dirname, '../schema.graphql'), 'utf8');
    expect(committed).toBe(printSortedSchema());
  });
});
