// The proposal's normative part (docs/open-data-schema.md) is the Table Schemas the packages
// publish: the document cannot drift from the code.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { withNormativeSection } from '@hoshin/server/testing';
import { describe, expect, it } from 'vitest';

describe('docs/open-data-schema.md', () => {
  it('holds the Table Schemas the packages publish (run `pnpm docs:open-data-schema`)', async () => {
    const path = resolve(import.meta.dirname, '../../docs/open-data-schema.md');
    const committed = await readFile(path, 'utf8');
    expect(committed).toBe(withNormativeSection(committed));
  });
});
