import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { printSortedSchema } from '@hoshin/server/testing';
import { describe, expect, it } from 'vitest';

describe('schema.graphql', () => {
  it('is the printed schema (run `pnpm schema:print` after changing a type)', async () => {
    const committed = await readFile(resolve(import.meta.dirname, '../schema.graphql'), 'utf8');
    expect(committed).toBe(printSortedSchema());
  });
});
