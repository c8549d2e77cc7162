// The open-data files through the SDK (@hoshin/client as built) and the command line (a real
// `hoshin` process on its own embedded database), and export requests counted by the same
// rate limit as /graphql.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exportData, exportUrl, importData, OpenDataError } from '@hoshin/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../support/factories.ts';
import { type OpenDataApi, startOpenDataApi } from './support.ts';

let api: OpenDataApi;
let planning: string;
let dir: string;

beforeAll(async () => {
  api = await startOpenDataApi({ perAddress: 40 });
  planning = await tokenFor(api.db.prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: '132047',
  });
  dir = await mkdtemp(join(tmpdir(), 'hoshin-open-data-'));
}, 180_000); // a migrated, seeded database: slow on a busy machine

afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the SDK', () => {
  it('builds export URLs beside the GraphQL endpoint, downloads and imports', async () => {
    const url = `${api.base}/graphql`;
    expect(
      exportUrl(url, {
        entity: 'initiatives',
        format: 'csv',
        municipality: '132047',
        fiscalYear: 2012,
        encoding: 'shift_jis',
      }),
    ).toBe(
      `${api.base}/export/initiatives.csv?municipality=132047&fiscalYear=2012&encoding=shift_jis`,
    );
    const response = await exportData(
      { url },
      { entity: 'initiatives', format: 'jsonl', municipality: '132047', fiscalYear: 2012 },
    );
    const file = await response.text();
    expect(file.trim().split('\n')).toHaveLength(24);
    const report = await importData(
      { url, token: planning },
      { entity: 'initiatives', format: 'jsonl', body: file, dryRun: true },
    );
    expect(report.counts).toEqual({ created: 0, updated: 0, unchanged: 24, rejected: 0 });
    const wrong = file.replace('"132047"', '"132040"');
    const refused = await importData(
      { url, token: planning },
      { entity: 'initiatives', format: 'jsonl', body: wrong },
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenDataError);
    expect(refused).toMatchObject({ status: 422, code: 'IMPORT_REJECTED' });
    expect((refused as OpenDataError).report?.rows[0]).toMatchObject({
      row: 1,
      outcome: 'rejected',
      issues: [{ field: 'municipality', code: 'CHECK_DIGIT' }],
    });
  });
});

describe('rate limits', () => {
  it('export requests count against the per-address limit /graphql uses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 45; i += 1) {
      const response = await api.fetch('/export/departments.json?municipality=132047');
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toContain(429);
    const graphql = await api.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(graphql.status).toBe(429);
  });
});

describe('hoshin export / import', () => {
  const root = resolve(import.meta.dirname, '../..');
  function hoshin(...args: string[]) {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'packages/server/src/cli.ts', ...args],
      {
        cwd: root,
        env: { ...process.env, HOSHIN_DATA_DIR: join(dir, 'db'), DATABASE_URL: '' },
        encoding: 'utf8',
      },
    );
    return { code: result.status, out: result.stdout, err: result.stderr };
  }

  it('exports a file that imports as a no-op, and reports an edited row', {
    timeout: 240_000,
  }, async () => {
    const file = join(dir, 'initiatives.csv');
    const exported = hoshin(
      'export',
      'initiatives',
      '--municipality',
      '132047',
      '--fiscal-year',
      '2012',
      '--out',
      file,
    );
    expect(exported.code, exported.err).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    await writeFile(file, text.replace('地域防災計画を改定します。', '地域防災計画を改定します!'));
    const dry = hoshin('import', 'initiatives', file, '--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toContain('row 5: updated 132047/somu/2012/1: text');
    expect(dry.out).toContain('Dry run: 0 created, 1 updated, 23 unchanged, 0 rejected.');
    expect(dry.err).toContain('24 rows');
  });
});
