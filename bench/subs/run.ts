// The subscription benchmark (issue 6, item 5): N subscribers on one hoshin instance (a
// separate process, pinned to the server core, on PostgreSQL), over SSE and graphql-ws, then E
// writes (updatePlan by a PLANNING token) sent from this process. Per scenario: delivered /
// expected (must be exactly 1), publish-to-receipt p50/p99, the server's RSS growth per
// subscriber, and its open subscription count (GET /metrics, hoshin_live_subscribers) after
// every client has left (must be 0). Also two instances through Redis: subscribers on one,
// writes on the other. Every step has a time limit; a scenario that cannot finish in the
// remaining budget is reported as skipped.

import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { issueToken, openDatabase } from '@hoshin/server/testing';
import pg from 'pg';
import { adminDatabaseUrl, checkoutId } from '../data/load.ts';
import { cpuMs, freePort, jsonChannel, startNode, stop, waitReady } from '../lib/processes.ts';
import { BENCH_SERVER_ENV } from '../lib/server-env.ts';
import type { ClientsAnswer, ClientsCommand } from './clients.ts';

export interface SubscriptionScenario {
  transport: 'sse' | 'ws';
  subscribers: number;
  /** Subscribers on one instance, writes on another, through Redis. */
  redis: boolean;
  /**
   * The bare broadcaster (bare.ts) instead of hoshin: the same clients, writes and event bytes
   * (the last event hoshin sent over SSE), no GraphQL, database or visibility: the floor.
   */
  bare?: boolean;
}

export interface SubscriptionSettings {
  scenarios: SubscriptionScenario[];
  writes: number;
  writeIntervalMs: number;
  /** Stop starting scenarios after this many seconds of the whole benchmark. */
  budgetSeconds: number;
}

export interface SubscriptionResult extends SubscriptionScenario {
  skipped?: string;
  failure?: string;
  writes: number;
  delivered?: number;
  expected?: number;
  outOfOrder?: number;
  broken?: number;
  /** ms from the writer's acknowledged commit to receipt at each subscriber. */
  p50?: number;
  p99?: number;
  max?: number;
  /** ms from the moment the write was sent (includes the write's own round trip). */
  p99FromSend?: number;
  openSeconds?: number;
  rssBeforeMiB?: number;
  rssAfterMiB?: number;
  bytesPerSubscriber?: number;
  /** hoshin_live_subscribers while connected, and after every client left. */
  /**
   * CPU time (user + system, /proc) from the first write to the last receipt, per write: of the
   * subscribers' server and of the client process. On a shared machine steadier than latency,
   * and it tells whether the client, not the server, set the pace.
   */
  serverCpuMsPerWrite?: number;
  clientCpuMsPerWrite?: number;
  /** The machine's 1-minute load average when the writes started. */
  loadAverage?: number;
  activeWhileOpen?: number;
  activeAfterLeave?: number;
  secondsToZero?: number;
  valid?: boolean;
}

export const SUBSCRIPTION =
  'subscription { planChanged(filter: { fiscalYear: 2012 }) { cursor kind } }';
const UPDATE =
  'mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename ... on UpdatePlanSuccess { plan { version } } } }';
const PLAN =
  '{ plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) { id version } }';

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssBytes(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return Number(kb) * 1024;
}

async function metric(base: string, name: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
  const value = new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1];
  if (value === undefined) throw new Error(`${base}/metrics has no ${name}`);
  return Number(value);
}

async function waitForMetric(base: string, name: string, wanted: number, timeoutMs: number) {
  const started = performance.now();
  let value = await metric(base, name);
  while (value !== wanted && performance.now() - started < timeoutMs) {
    await sleep(100);
    value = await metric(base, name);
  }
  return { value, seconds: (performance.now() - started) / 1000 };
}

export async function runSubscriptionBench(options: {
  settings: SubscriptionSettings;
  pin: { server?: number; load?: number };
  elapsed: () => number;
  say: (message: string) => void;
  children: ChildProcess[];
}): Promise<{ database: string; results: SubscriptionResult[] }> {
  const { settings, pin, elapsed, say, children } = options;
  const repoRoot = resolve(import.meta.dirname, '../..');
  const mainScript = join(repoRoot, 'packages/server/src/main.ts');

  // A database of its own (the Mitaka seed), fresh every run: the writes change it.
  const name = `hoshin_bench_${checkoutId}_live`;
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  let nextId = 1;
  const startServer = async (label: string, env: Record<string, string>, profile = false) => {
    const port = await freePort();
    const profileDir = process.env.BENCH_LIVE_PROFILE;
    const child = startNode({
      name: `live-${label}`,
      script: mainScript,
      core: pin.server,
      nodeArgs:
        profile && profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : [],
      env: {
        ...BENCH_SERVER_ENV,
        HOST: '127.0.0.1',
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        HOSHIN_SEED: 'true',
        DATABASE_URL: databaseUrl,
        REDIS_URL: '',
        PORT: String(port),
        ...env,
      },
      stdout: 'ignore',
    });
    children.push(child);
    const base = `http://127.0.0.1:${port}`;
    await waitReady(child, `${base}/health`, 120_000);
    return { child, base };
  };

  // The first start migrates and seeds; then a PLANNING token for the writes.
  const first = await startServer('setup', {});
  const db = await openDatabase({ url: databaseUrl });
  const { token } = await issueToken(db.prisma, {
    role: 'PLANNING',
    municipality: '132047',
    name: 'bench',
  });
  await db.close();
  await stop(first.child);

  const graphql = async (base: string, query: string, variables?: unknown) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown };
    if (!response.ok || body.errors) throw new Error(`write failed: ${JSON.stringify(body)}`);
    return body.data;
  };

  const clients = startNode({
    name: 'live-clients',
    script: join(import.meta.dirname, 'clients.ts'),
    core: pin.load,
  });
  children.push(clients);
  const send = jsonChannel<ClientsCommand, ClientsAnswer>(clients);
  type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
  const ask = async (command: WithoutId<ClientsCommand>, timeoutMs: number) => {
    const answer = await send({ ...command, id: nextId++ } as ClientsCommand, timeoutMs);
    if (answer.failure) throw new Error(`subscribers: ${answer.failure}`);
    return answer;
  };

  /** E writes at a fixed pace; returns when each was sent and acknowledged. */
  async function writes(base: string, count: number, intervalMs: number) {
    const plan = (await graphql(base, PLAN)).plan as { id: string; version: number };
    let version = plan.version;
    const sentAt: number[] = [];
    const committedAt: number[] = [];
    const started = performance.now();
    for (let k = 0; k < count; k++) {
      const due = started + k * intervalMs;
      if (performance.now() < due) await sleep(due - performance.now());
      sentAt.push(now());
      const data = await graphql(base, UPDATE, {
        input: { id: plan.id, expectedVersion: version, mission: `ベンチマーク ${k}` },
      });
      committedAt.push(now());
      if (data.updatePlan.__typename !== 'UpdatePlanSuccess') {
        throw new Error(`updatePlan: ${JSON.stringify(data.updatePlan)}`);
      }
      version = data.updatePlan.plan.version;
    }
    return { sentAt, committedAt };
  }

  /** The data of hoshin's last SSE event, for the bare broadcaster to repeat. */
  let lastEvent: string | undefined;
  const startBare = async () => {
    const port = await freePort();
    const child = startNode({
      name: 'live-bare',
      script: join(import.meta.dirname, 'bare.ts'),
      core: pin.server,
      env: { HOST: '127.0.0.1', PORT: String(port), BARE_EVENT: lastEvent ?? '' },
      stdout: 'ignore',
    });
    children.push(child);
    const base = `http://127.0.0.1:${port}`;
    await waitReady(child, `${base}/health`, 30_000);
    return { child, base };
  };

  const results: SubscriptionResult[] = [];
  try {
    for (const scenario of settings.scenarios) {
      const label = `${scenario.bare ? 'bare ' : ''}${scenario.transport} x${scenario.subscribers}${scenario.redis ? ' redis' : ''}`;
      const result: SubscriptionResult = { ...scenario, writes: settings.writes };
      results.push(result);
      // Rough cost: opening ~1.5 ms per subscriber, the writes, 20 s of margin.
      const estimate =
        (scenario.subscribers * 1.5 + settings.writes * settings.writeIntervalMs) / 1000 + 20;
      if (elapsed() + estimate > settings.budgetSeconds) {
        result.skipped = 'time budget spent';
        say(`live ${label}: skipped (time budget)`);
        continue;
      }
      const redisEnv: Record<string, string> = scenario.redis
        ? { REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' }
        : {};
      const servers: ChildProcess[] = [];
      try {
        // BENCH_LIVE_PROFILE=<dir>: a CPU profile of the subscribers' instance (bench:live).
        const subscribed = scenario.bare
          ? await startBare()
          : await startServer(`${scenario.transport}-${scenario.subscribers}`, redisEnv, true);
        servers.push(subscribed.child);
        const writer = scenario.redis
          ? await startServer('writer', redisEnv).then((s) => {
              servers.push(s.child);
              return s;
            })
          : subscribed;

        // Warm-up: a few subscribers, one write, everyone leaves.
        await ask(
          {
            op: 'open',
            transport: scenario.transport,
            url: `${subscribed.base}/graphql`,
            query: SUBSCRIPTION,
            count: 10,
            batch: 10,
            timeoutMs: 20_000,
          },
          30_000,
        );
        await waitForMetric(subscribed.base, 'hoshin_live_subscribers', 10, 10_000);
        const warm = await writes(writer.base, 1, 0);
        await ask({ op: 'collect', events: 1, ...warm, timeoutMs: 10_000 }, 20_000);
        await ask({ op: 'close', timeoutMs: 10_000 }, 20_000);
        await waitForMetric(subscribed.base, 'hoshin_live_subscribers', 0, 10_000);
        await sleep(300);

        const rssBefore = rssBytes(subscribed.child.pid);
        const opened = await ask(
          {
            op: 'open',
            transport: scenario.transport,
            url: `${subscribed.base}/graphql`,
            query: SUBSCRIPTION,
            count: scenario.subscribers,
            batch: 250,
            timeoutMs: 90_000,
          },
          100_000,
        );
        result.openSeconds = opened.openSeconds;
        const active = await waitForMetric(
          subscribed.base,
          'hoshin_live_subscribers',
          scenario.subscribers,
          30_000,
        );
        result.activeWhileOpen = active.value;
        await sleep(500);
        const rssAfter = rssBytes(subscribed.child.pid);
        result.rssBeforeMiB = rssBefore / 2 ** 20;
        result.rssAfterMiB = rssAfter / 2 ** 20;
        result.bytesPerSubscriber = (rssAfter - rssBefore) / scenario.subscribers;

        result.loadAverage = loadavg()[0];
        const serverCpuBefore = cpuMs(subscribed.child.pid);
        const clientCpuBefore = cpuMs(clients.pid);
        const timing = await writes(writer.base, settings.writes, settings.writeIntervalMs);
        const collected = await ask(
          { op: 'collect', events: settings.writes, ...timing, timeoutMs: 60_000 },
          90_000,
        );
        result.serverCpuMsPerWrite =
          (cpuMs(subscribed.child.pid) - serverCpuBefore) / settings.writes;
        result.clientCpuMsPerWrite = (cpuMs(clients.pid) - clientCpuBefore) / settings.writes;
        result.delivered = collected.delivered;
        result.expected = collected.expected;
        result.outOfOrder = collected.outOfOrder;
        result.broken = collected.broken;
        result.p50 = collected.latencyFromCommit?.p50;
        result.p99 = collected.latencyFromCommit?.p99;
        result.max = collected.latencyFromCommit?.max;
        result.p99FromSend = collected.latencyFromSend?.p99;
        if (scenario.transport === 'sse' && !scenario.bare) lastEvent = collected.sample;

        await ask({ op: 'close', timeoutMs: 20_000 }, 30_000);
        const left = await waitForMetric(subscribed.base, 'hoshin_live_subscribers', 0, 20_000);
        result.activeAfterLeave = left.value;
        result.secondsToZero = left.seconds;
        result.valid =
          result.delivered === result.expected &&
          result.outOfOrder === 0 &&
          result.broken === 0 &&
          result.activeWhileOpen === scenario.subscribers &&
          result.activeAfterLeave === 0;
        say(
          `live ${label}: delivered ${result.delivered}/${result.expected}, p50 ${result.p50?.toFixed(1)} ms, p99 ${result.p99?.toFixed(1)} ms, server CPU ${result.serverCpuMsPerWrite?.toFixed(0)} ms/write, client CPU ${result.clientCpuMsPerWrite?.toFixed(0)} ms/write, load ${result.loadAverage?.toFixed(1)}, ${((result.bytesPerSubscriber ?? 0) / 1024).toFixed(1)} KiB/subscriber, open ${result.openSeconds?.toFixed(1)} s, after leaving ${result.activeAfterLeave}`,
        );
      } catch (error) {
        result.failure = (error as Error).message;
        result.valid = false;
        say(`live ${label}: failed: ${result.failure}`);
        await ask({ op: 'close', timeoutMs: 20_000 }, 30_000).catch(() => undefined);
      } finally {
        await Promise.all(servers.map((child) => stop(child)));
      }
    }
  } finally {
    await stop(clients);
  }
  return { database: name, results };
}
