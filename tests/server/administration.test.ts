// Token administration while the server runs, through the real CLI and a real server process:
// a token issued from the CLI works on the next request, a revoked one is refused on the next.
// Embedded: the CLI hands the command to the server that holds the data folder. PostgreSQL (the
// postgres project): the CLI writes the database, the server reads tokens per request.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, openSse, openWebSocket } from '../live/support/streams.ts';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/database.ts';
import { untilLiveSubscribers } from '../support/metrics.ts';
import { runServer, type ServerProcess } from '../support/process.ts';

const root = resolve(import.meta.dirname, '../..');
let dataDir: string;
let db: TestDatabase | undefined;
let server: ServerProcess;
let env: Record<string, string>;

function hoshin(...args: string[]) {
  const child = spawn(process.execPath, ['scripts/start.mjs', '--run', 'cli', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  return new Promise<{ code: number | null; out: string; err: string }>((done) =>
    child.on('exit', (code) => done({ code, out, err })),
  );
}

async function statusWith(token: string) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  return response.status;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hoshin-admin-'));
  if (onPostgres) {
    db = await createTestDatabase({ seed: false });
    env = { DATABASE_URL: db.url as string, HOSHIN_SEED: 'false' };
  } else {
    env = { HOSHIN_DATA_DIR: dataDir, DATABASE_URL: '', HOSHIN_SEED: 'false' };
  }
  server = await runServer(env, { startTimeoutMs: 170_000 });
}, 180_000);
afterAll(async () => {
  if (server && server.child.exitCode === null) await server.stop('SIGKILL');
  await db?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe(`hoshin token with the server running (${onPostgres ? 'PostgreSQL' : 'embedded'})`, {
  timeout: 120_000,
}, () => {
  it('issues a token that works on the next request, and revokes it for the next one', async () => {
    const issued = await hoshin('token', 'issue', '--role', 'ADMIN', '--name', 'operator');
    expect(issued.code).toBe(0);
    const token = issued.out.trim().split('\n').at(-1) ?? '';
    expect(token).toMatch(/^hsn_\w{12}_[\w-]{43}$/);
    expect(await statusWith(token)).toBe(200);

    const prefix = token.slice(4, 16);
    const listed = await hoshin('token', 'list');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(prefix);
    expect(listed.out).toContain('active');

    expect(await hoshin('token', 'revoke', prefix)).toMatchObject({
      code: 0,
      out: `Revoked ${prefix}.\n`,
    });
    expect(await statusWith(token)).toBe(401);
    expect((await hoshin('token', 'list')).out).toContain('revoked');
    // Refusals keep their message and exit code across the channel.
    expect(await hoshin('token', 'revoke', prefix)).toMatchObject({
      code: 2,
      err: `hoshin: No ApiToken ${prefix}\n`,
    });
    // The server is still the one process on the folder, and still serving.
    expect(server.child.exitCode).toBeNull();
    // Log lines leave the server in batches (up to 100 ms later): wait for the last one.
    await expect
      .poll(() => server.logs.filter((line) => line.msg === 'admin command').length)
      .toBe(onPostgres ? 0 : 5);
  });

  it("ends the revoked token's open SSE stream and WebSocket within 5 s, with UNAUTHENTICATED", async () => {
    const issued = await hoshin('token', 'issue', '--role', 'ADMIN', '--name', 'streaming');
    const token = issued.out.trim().split('\n').at(-1) ?? '';
    const query = 'subscription { planChanged { cursor } }';
    const sse = await openSse(server.url, query, token);
    const ws = await openWebSocket(server.url, query, token);
    // The socket's operation starts after its acknowledgement: both are held once registered.
    await untilLiveSubscribers(server.url, 2);
    const revokedAt = Date.now();
    expect((await hoshin('token', 'revoke', token.slice(4, 16))).code).toBe(0);
    const end = (m: { type: string }) => m.type === 'complete' || m.type === 'close';
    await Promise.all([sse.until(end, 5000), ws.until(end, 5000)]);
    console.info(
      `${onPostgres ? 'PostgreSQL' : 'embedded'}: streams ended ${Date.now() - revokedAt} ms after \`hoshin token revoke\` began (the CLI's own start included)`,
    );
    expect(sse.messages.map((m) => m.type)).toEqual(['next', 'complete']);
    expect(errorCode(sse.messages[0] as never)).toBe('UNAUTHENTICATED');
    expect(ws.messages.find((m) => m.type === 'close')?.payload.code).toBe(4401);
  });
});
