// `pnpm bench:profile [scenario] [postgres|pglite]`: where hoshin's time goes. Starts the real
// server (main.ts) under `node --cpu-prof` on the prefecture data, drives one scenario with
// autocannon from the other core for a few seconds, stops it, and prints self time by package
// and the hottest functions. Writes bench/results/tmp/profile/*.cpuprofile (open it in Chrome
// DevTools or speedscope) and a summary beside it.

import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyPgliteDir, ensurePglite, ensurePostgres } from './data/load.ts';
import { freePort, jsonChannel, pinning, startNode, stop, waitReady } from './lib/processes.ts';
import { BENCH_SERVER_ENV } from './lib/server-env.ts';
import type { LoadCommand, LoadResult } from './load/worker.ts';
import { allScenarios } from './scenarios.ts';

const benchDir = import.meta.dirname;
const profileDir = join(benchDir, 'results/tmp/profile');
const [scenarioId = 'contract', database = 'postgres'] = process.argv.slice(2);
const scenario = allScenarios.find((s) => s.id === scenarioId);
if (!scenario) throw new Error(`unknown scenario ${scenarioId}`);
const seconds = Number(process.env.BENCH_PROFILE_SECONDS ?? 6);
const seed = Number(process.env.BENCH_SEED ?? 1);

async function databaseEnv(): Promise<Record<string, string>> {
  if (database === 'pglite') {
    await ensurePglite('prefecture', seed);
    return { DATABASE_URL: '', HOSHIN_DATA_DIR: await copyPgliteDir('prefecture', 'profile') };
  }
  return { DATABASE_URL: (await ensurePostgres('prefecture', seed)).url };
}

await rm(profileDir, { recursive: true, force: true });
const pin = pinning();
const port = await freePort();
const server = startNode({
  name: 'profile-server',
  script: join(benchDir, '../packages/server/src/main.ts'),
  core: pin.server,
  nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
  env: {
    ...BENCH_SERVER_ENV,
    ...(await databaseEnv()),
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOSHIN_SEED: 'false',
  },
  stdout: 'ignore',
});
const spawnedAt = performance.now();
let loadStartedAfterMs = 0;
const load = startNode({
  name: 'profile-load',
  script: join(benchDir, 'load/worker.ts'),
  core: pin.load,
});
let result: LoadResult | undefined;
try {
  await waitReady(server, `http://127.0.0.1:${port}/health`);
  const expected = await (
    await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: scenario.body,
    })
  ).text();
  const send = jsonChannel<LoadCommand, LoadResult>(load);
  const command = (id: number, durationSeconds: number): LoadCommand => ({
    id,
    url: `http://127.0.0.1:${port}/graphql`,
    body: scenario.body,
    expected,
    connections: Number(process.env.BENCH_PROFILE_CONNECTIONS ?? 10),
    durationSeconds,
    timeoutSeconds: 10,
  });
  await send(command(1, 2), 60_000);
  // Samples before this point (start-up, module loading, warm-up) are left out below.
  loadStartedAfterMs = performance.now() - spawnedAt;
  result = await send(command(2, seconds), (seconds + 60) * 1000);
} finally {
  await stop(load);
  await stop(server);
}

// ---------------------------------------------------------------------------------------------
// Aggregate the profile: self time per node, by package and by function.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const file = (await readdir(profileDir)).find((name) => name.endsWith('.cpuprofile'));
if (!file) throw new Error('no .cpuprofile written');
const profile = JSON.parse(await readFile(join(profileDir, file), 'utf8')) as Profile;
const selfMicros = new Map<number, number>();
let clock = 0;
profile.samples.forEach((nodeId, index) => {
  const delta = profile.timeDeltas[index] ?? 0;
  clock += delta;
  if (clock < loadStartedAfterMs * 1000) return;
  selfMicros.set(nodeId, (selfMicros.get(nodeId) ?? 0) + delta);
});
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

function bucket(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  const pnpm = url.match(/node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pnpm?.[1]) return pnpm[1];
  const plain = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (plain?.[1]) return plain[1];
  if (url.includes('/packages/server/generated/')) return 'hoshin generated Prisma client';
  if (url.includes('/packages/server/src/')) return 'hoshin src';
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/');
  return url;
}

const byBucket = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (!micros) continue;
  const { url, functionName, lineNumber } = node.callFrame;
  const name = bucket(url, functionName);
  byBucket.set(name, (byBucket.get(name) ?? 0) + micros);
  const fn = `${functionName || '(anonymous)'} ${name}${url ? `:${lineNumber + 1}` : ''}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
}
const top = (map: Map<string, number>, n: number) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, micros]) => `| ${name} | ${((100 * micros) / total).toFixed(1)} % |`);

const busy = total - (byBucket.get('(idle)') ?? 0);
const summary = [
  `# CPU profile of hoshin, ${scenario.id} on ${database} (prefecture data), c=10, ${seconds} s`,
  '',
  `Load: ${result ? `${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${result.non2xx + result.errors + result.timeouts + result.mismatches} bad responses` : 'n/a'}.`,
  `Server CPU busy ${((100 * busy) / total).toFixed(0)} % of the profiled time (the measured run only: start-up and warm-up samples are left out). Shares below are of all samples, idle included.`,
  '',
  '| self time by package | share |',
  '| --- | ---: |',
  ...top(byBucket, 25),
  '',
  '| hottest functions (self) | share |',
  '| --- | ---: |',
  ...top(byFunction, 30),
  '',
].join('\n');
await writeFile(join(profileDir, `summary-${scenario.id}-${database}.md`), summary);
console.log(summary);
