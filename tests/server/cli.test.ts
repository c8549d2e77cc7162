import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let dataDir: string;

function hoshin(...args: string[]) {
  const result = spawnSync(process.execPath, ['scripts/start.mjs', '--run', 'cli', ...args], {
    cwd: root,
    env: { ...process.env, HOSHIN_DATA_DIR: dataDir, DATABASE_URL: '' },
    encoding: 'utf8',
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hoshin-cli-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('hoshin token', () => {
  // Each run opens the embedded database and checks migrations: seconds, on a busy machine more.
  it('issues a token once, lists it without its secret, and revokes it', {
    timeout: 240_000,
  }, () => {
    const issued = hoshin(
      'token',
      'issue',
      '--role',
      'EDITOR',
      '--municipality',
      '132047',
      '--department',
      'kyoiku',
      '--name',
      '教育部',
      '--expires-in-days',
      '30',
    );
    expect(issued.code).toBe(0);
    const token = issued.out.trim().split('\n').at(-1) ?? '';
    expect(token).toMatch(/^hsn_\w{12}_[\w-]{43}$/);
    const prefix = token.slice(4, 16);
    expect(issued.out).toContain(`Issued EDITOR token ${prefix} "教育部", expires`);

    const listed = hoshin('token', 'list');
    expect(listed.out).toContain(prefix);
    expect(listed.out).toContain('active');
    expect(listed.out).not.toContain(token.slice(17));

    expect(hoshin('token', 'revoke', prefix)).toMatchObject({
      code: 0,
      out: `Revoked ${prefix}.\n`,
    });
    expect(hoshin('token', 'list').out).toContain('revoked');
    expect(hoshin('token', 'revoke', prefix)).toMatchObject({
      code: 2,
      err: `hoshin: No ApiToken ${prefix}\n`,
    });
  });

  it('explains what is wrong with a request', { timeout: 120_000 }, () => {
    const noDepartment = hoshin(
      'token',
      'issue',
      '--role',
      'EDITOR',
      '--municipality',
      '132047',
      '--name',
      'x',
    );
    expect(noDepartment).toMatchObject({
      code: 2,
      err: 'hoshin: department: EDITOR tokens, and only they, name a department\n',
    });
    const unknownCity = hoshin(
      'token',
      'issue',
      '--role',
      'PLANNING',
      '--municipality',
      '999999',
      '--name',
      'x',
    );
    expect(unknownCity).toMatchObject({ code: 2, err: 'hoshin: No Municipality 999999\n' });
    expect(hoshin('token', 'frobnicate').code).toBe(2);
  });
});
