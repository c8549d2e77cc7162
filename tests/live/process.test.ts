import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { PROCESS_TIMEOUT_MS, runServer, type ServerProcess } from '../support/process.ts';
import { type EventStream, subscribeSse } from '../support/sse.ts';

// The real server on its embedded database: SSE and WebSocket subscribers, a public one that
// must never see a draft, and a SIGKILL mid-stream.
let dataDir: string;
let server: ServerProcess;
let token = '';

const PLAN_EVENTS = `subscription ($after: String) {
  planChanged(filter: { municipality: "132047" }, after: $after) { cursor kind plan { status mission fiscalYear { year } } } }`;

async function post(query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as any).data;
}
async function createDraft(fiscalYear: number, mission: string) {
  const data = await post(
    `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { ... on CreatePlanSuccess { plan { id version } } } }`,
    { input: { municipality: '132047', department: 'kyoiku', fiscalYear, mission } },
  );
  return data.createPlan.plan as { id: string; version: number };
}
async function publish(plan: { id: string; version: number }) {
  await post(`mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }`, {
    input: { id: plan.id, expectedVersion: plan.version },
  });
}
const sse = (variables: Record<string, unknown> = {}, withToken = false) =>
  subscribeSse(
    fetch,
    `${server.url}/graphql`,
    PLAN_EVENTS,
    variables,
    withToken ? token : undefined,
  );

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'hoshin-live-'));
  server = await runServer({ HOSHIN_DATA_DIR: dataDir }); // migrates and seeds
  // PGlite is single-process: the CLI issues the token while the server is stopped.
  await server.stop();
  const issued = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'packages/server/src/cli.ts',
      'token',
      'issue',
      '--role',
      'PLANNING',
      '--municipality',
      '132047',
      '--name',
      'live',
    ],
    {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, HOSHIN_DATA_DIR: dataDir },
      encoding: 'utf8',
    },
  );
  token = issued.stdout.trim().split('\n').at(-1) ?? '';
  server = await runServer({ HOSHIN_DATA_DIR: dataDir });
}, 180_000);
afterAll(async () => {
  if (server.child.exitCode === null) await server.stop('SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('live updates from a real server process', () => {
  it('an SSE and a WebSocket subscriber receive a write; the public never sees the draft', async () => {
    const publicSse = await sse();
    const staffSse = await sse({}, true);
    const ws = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    const wsEvents: any[] = [];
    const wsDone = new Promise<void>((resolve, reject) => {
      ws.subscribe(
        { query: PLAN_EVENTS },
        { next: (e) => wsEvents.push(e), error: reject, complete: resolve },
      );
    });
    await new Promise((r) => setTimeout(r, 500)); // let both subscriptions register

    const plan = await createDraft(2013, '下書き');
    expect((await staffSse.next()).data.planChanged).toMatchObject({
      kind: 'ENTERED',
      plan: { status: 'DRAFT' },
    });
    await publish(plan);
    expect((await staffSse.next()).data.planChanged.plan.status).toBe('PUBLISHED');

    const seenByPublic = (await publicSse.next()).data.planChanged;
    expect(seenByPublic).toMatchObject({
      kind: 'ENTERED',
      plan: { status: 'PUBLISHED', mission: '下書き' },
    });
    expect(await publicSse.drain(500)).toEqual([]);

    for (let i = 0; i < 50 && wsEvents.length < 2; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(wsEvents.map((e) => e.data.planChanged.plan.status)).toEqual(['DRAFT', 'PUBLISHED']);
    await ws.dispose();
    await wsDone.catch(() => undefined);
    publicSse.close();
    staffSse.close();
  });

  it(
    'a server killed mid-stream and restarted: the subscriber resumes with its cursor and gets each missed event once',
    async () => {
      let stream: EventStream = await sse({}, true);
      await createDraft(2014, '一');
      const before = (await stream.next()).data.planChanged;

      await server.stop('SIGKILL');
      await stream.closed;
      server = await runServer({ HOSHIN_DATA_DIR: dataDir });
      // Written while the subscriber was away.
      await createDraft(2015, '二');
      await createDraft(2016, '三');

      stream = await sse({ after: before.cursor }, true);
      await createDraft(2017, '四');
      const years = [];
      for (let i = 0; i < 3; i++)
        years.push((await stream.next()).data.planChanged.plan.fiscalYear.year);
      expect(years).toEqual([2015, 2016, 2017]);
      expect(await stream.drain(500)).toEqual([]);
      stream.close();
    },
    PROCESS_TIMEOUT_MS,
  );
});
