// One process per embedded data folder, through real processes: a second server refuses to
// start and names the holder, a crashed server's lock is taken over, and a SIGTERM to the
// README's `npx pnpm start` stops the server and frees the folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSeededTemplate } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServer, runServerToExit, type ServerProcess } from '../support/process.ts';

const root = resolve(import.meta.dirname, '../..');
let dataDir: string;
let server: ServerProcess | undefined;
const lockFile = () => join(dataDir, 'hoshin.lock');

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hoshin-one-writer-'));
  // As after `pnpm install`: both templates, the seeded one beside the migrated one.
  await buildSeededTemplate();
}, 180_000);
afterAll(async () => {
  if (server && server.child.exitCode === null) await server.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

// Each start opens PGlite (seconds; on a loaded machine tens of seconds).
describe('one writer per data folder', { timeout: 180_000 }, () => {
  it('a second server on the same folder exits with a message naming the first', async () => {
    // The first start creates the database and applies every migration.
    server = await runServer(
      { HOSHIN_DATA_DIR: dataDir, DATABASE_URL: '', HOSHIN_SEED: 'false' },
      { startTimeoutMs: 170_000 },
    );
    const pid = server.child.pid;
    expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toMatchObject({ pid, role: 'server' });
    // Not to be seeded (HOSHIN_SEED=false): the migrated template, never the seeded one.
    expect(server.logs.map((l) => l.msg)).toContain(
      'new data folder: copied the migrated template',
    );

    const second = await runServerToExit({
      HOSHIN_DATA_DIR: dataDir,
      DATABASE_URL: '',
      HOSHIN_SEED: 'false',
    });
    expect(second.code).toBe(1);
    expect(second.output).toContain(
      `hoshin: the data folder ${dataDir} is in use by a hoshin server (pid ${pid}`,
    );
    // The first one is unharmed.
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it('a lock left by a killed server is taken over, and a clean stop removes it', async () => {
    expect(await server?.stop('SIGKILL')).toBeNull();
    expect(existsSync(lockFile())).toBe(true); // nobody could remove it

    server = await runServer({ HOSHIN_DATA_DIR: dataDir, DATABASE_URL: '', HOSHIN_SEED: 'false' });
    expect(JSON.parse(await readFile(lockFile(), 'utf8')).pid).toBe(server.child.pid);
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(existsSync(lockFile())).toBe(false);
  });

  it('a lock naming a live process that is not its holder (a recycled pid) is stale', async () => {
    // This test runner's own pid is alive, but its start time differs from the one recorded.
    await writeFile(
      lockFile(),
      JSON.stringify({
        pid: process.pid,
        startTime: '1',
        host: hostname(),
        role: 'server',
        since: '2000-01-01T00:00:00.000Z',
      }),
    );
    server = await runServer({ HOSHIN_DATA_DIR: dataDir, DATABASE_URL: '', HOSHIN_SEED: 'false' });
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});

describe('npx pnpm start, as the README says', () => {
  it('stops the server when the top process gets SIGTERM, and frees the folder', {
    timeout: 180_000,
  }, async () => {
    const start = spawn('npx', ['pnpm', 'start'], {
      cwd: root,
      env: {
        ...process.env,
        HOSHIN_DATA_DIR: dataDir,
        DATABASE_URL: '',
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so cleanup can reach every layer
    });
    let output = '';
    start.stdout.on('data', (chunk) => {
      output += chunk;
    });
    try {
      await expect
        .poll(() => output.includes('hoshin serving'), { timeout: 150_000, interval: 250 })
        .toBe(true);
      const serverPid = JSON.parse(await readFile(lockFile(), 'utf8')).pid as number;
      expect(serverPid).not.toBe(start.pid);

      process.kill(start.pid as number, 'SIGTERM');
      await expect.poll(() => alive(serverPid), { timeout: 20_000, interval: 200 }).toBe(false);
      // Its last line may still be on its way through pnpm's pipe when its pid is gone.
      await expect
        .poll(() => output, { timeout: 10_000, interval: 100 })
        .toContain('"msg":"stopped"');
      expect(existsSync(lockFile())).toBe(false);
    } finally {
      try {
        process.kill(-(start.pid as number), 'SIGKILL');
      } catch {}
    }
  });
});

function alive(pid: number) {
  return spawnSync('kill', ['-0', String(pid)]).status === 0;
}
