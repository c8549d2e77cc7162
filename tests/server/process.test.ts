import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSeededTemplate } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  logsSettled,
  PROCESS_TIMEOUT_MS,
  runServer,
  runServerToExit,
  type ServerProcess,
} from '../support/process.ts';

let dataDir: string;
let server: ServerProcess;

const contractQuery = `{ plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) {
  department { name } fiscalYear { label } initiatives(first: 20) { totalCount edges { node { text } } } } }`;

async function post(url: string, query: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hoshin-process-'));
  // As after `pnpm install`: the seeded template a new data folder starts from.
  await buildSeededTemplate();
  // The first start copies the template and seeds: slow on a loaded machine.
  server = await runServer({ HOSHIN_DATA_DIR: dataDir }, { startTimeoutMs: 170_000 });
}, 180_000);
afterAll(async () => {
  if (server.child.exitCode === null) await server.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('the server process on the embedded default', () => {
  it('starts a new folder from the seeded template (the Mitaka seed already in it) and serves the contract query', async () => {
    expect(server.logs.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        'new data folder: copied the seeded template',
        'schema up to date',
        'seed present',
      ]),
    );
    const { status, body } = await post(server.url, contractQuery);
    expect(status).toBe(200);
    expect(body.data.plan.department.name).toBe('教育部');
    expect(body.data.plan.fiscalYear.label).toBe('平成24年度');
    expect(body.data.plan.initiatives.totalCount).toBe(3);
  });

  it('reports health and serves GraphiQL to a browser', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/live`)).status).toBe(200);
    const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/renderYogaGraphiQL/);
    // Works with no network: the bundle is in the page, nothing is fetched from another host.
    expect(html.match(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\/[^"'\s>]+/g) ?? []).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|esm\.sh/);
    expect(html).toContain('YogaGraphiQL');
  });

  it('writes one log line per request, without the query string', async () => {
    await logsSettled(server); // earlier requests' lines have arrived
    const before = server.logs.length;
    await fetch(
      `${server.url}/graphql?query=${encodeURIComponent('{ fiscalYear(year: 2012) { label } }')}`,
    );
    // A second line for it would arrive before the marker's.
    const marker = await logsSettled(server);
    const lines = server.logs.slice(before).filter((l) => l.msg === 'request' && l.path !== marker);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ method: 'GET', path: '/graphql', status: 200 });
    expect(JSON.stringify(lines[0])).not.toContain('fiscalYear');
  });

  it(
    'stops cleanly on SIGTERM and starts again on the same data without reseeding',
    async () => {
      // Log lines are written asynchronously: the ones of requests answered just before the
      // signal must all reach the output before the process exits.
      const before = server.logs.length;
      await Promise.all(
        Array.from({ length: 100 }, () => fetch(`${server.url}/live`).then((r) => r.text())),
      );
      expect(await server.stop('SIGTERM')).toBe(0);
      const requests = server.logs.slice(before).filter((l) => l.msg === 'request');
      expect(requests.filter((l) => l.path === '/live')).toHaveLength(100);
      expect(server.logs.at(-1)?.msg).toBe('stopped');

      server = await runServer({ HOSHIN_DATA_DIR: dataDir });
      expect(server.logs.map((l) => l.msg)).toContain('schema up to date');
      expect(server.logs.map((l) => l.msg)).not.toContain('seed data loaded');
      const { body } = await post(
        server.url,
        '{ plans(filter: { fiscalYear: 2012 }) { totalCount } }',
      );
      expect(body.data.plans.totalCount).toBe(8);
    },
    PROCESS_TIMEOUT_MS,
  );
});

describe('configuration errors stop the server before it starts', () => {
  it('names the bad variable', async () => {
    const { code, output } = await runServerToExit({ PORT: 'eighty' });
    expect(code).toBe(2);
    expect(output).toContain('PORT must be an integer from 0 to 65535, got "eighty"');
  });

  it('never echoes a database URL, which may hold a password', async () => {
    const { code, output } = await runServerToExit({ DATABASE_URL: 'mysql://user:hunter2@db/x' });
    expect(code).toBe(2);
    expect(output).toContain('DATABASE_URL must start with postgres://');
    expect(output).not.toContain('hunter2');
  });
});
