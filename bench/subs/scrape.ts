// The cost of one GET /metrics with N open live subscribers (issue: at 10,000 a scrape blocked
// the event loop for 50-100 ms). For each checkout given, alternated over rounds: a hoshin server
// of that checkout (embedded database in a fresh folder, seeded; pinned to the server core), N
// SSE subscriptions held open from this process, then `SCRAPES` scrapes 1.1 s apart: the CPU
// of the server's main thread (its event loop) during each scrape, and each scrape's wall time. With --collectors: this process alone, holding N sockets, times each
// process collector's get(), prom-client's defaults against hoshin's process registry.
//   pnpm tsx bench/subs/scrape.ts [--n 10000] [--rounds 3] [--scrapes 15] <checkout>...
//   pnpm tsx bench/subs/scrape.ts --collectors [--n 10000]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { freePort, pinning, startNode, stop, waitReady } from '../lib/processes.ts';
import { BENCH_SERVER_ENV } from '../lib/server-env.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    n: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    scrapes: { type: 'string', default: '15' },
    collectors: { type: 'boolean', default: false },
  },
});
const N = Number(values.n);
const ROUNDS = Number(values.rounds);
const SCRAPES = Number(values.scrapes);
const SUBSCRIPTION = 'subscription { planChanged(filter: { fiscalYear: 2012 }) { cursor kind } }';
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function inBatches(count: number, batch: number, open: () => Promise<void>) {
  for (let i = 0; i < count; i += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, count - i) }, open));
  }
}

async function collectors() {
  const server = net.createServer(() => {});
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address() as net.AddressInfo;
  const sockets: net.Socket[] = [];
  // Both ends live here: N/2 connections make N sockets (and file descriptors).
  await inBatches(N / 2, 500, () => {
    return new Promise<void>((done, fail) => {
      const socket = net.connect(address.port, '127.0.0.1', done).on('error', fail);
      sockets.push(socket);
    });
  });
  // prom-client is the server's dependency, not the bench's: taken from there.
  const promClient = createRequire(
    resolve(import.meta.dirname, '../../packages/server/package.json'),
  )('prom-client') as typeof import('../../packages/server/node_modules/prom-client/index.d.ts');
  const { collectDefaultMetrics, Registry } = promClient;
  const stock = new Registry();
  collectDefaultMetrics({ register: stock, prefix: 'hoshin_' });
  const { processMetrics } = await import('@hoshin/server/testing');
  const registries = { 'prom-client defaults': stock, 'hoshin (this checkout)': processMetrics() };
  const times = new Map<string, number[]>();
  const record = (key: string, ms: number) => times.set(key, [...(times.get(key) ?? []), ms]);
  const settle = () => new Promise((done) => setTimeout(done, 1100)); // past any 1 s memo
  for (let round = 0; round < 5; round++) {
    for (const [label, registry] of Object.entries(registries)) {
      await settle();
      let t = performance.now();
      await registry.metrics();
      record(`${label}\t(whole registry)`, performance.now() - t);
      await settle();
      for (const { name } of registry.getMetricsAsArray()) {
        t = performance.now();
        await registry.getSingleMetric(name)?.get();
        record(`${label}\t${name}`, performance.now() - t);
      }
    }
  }
  console.log(
    `${N} sockets in this process; load ${load()}; median ms of 5, collectors over 0.1 ms`,
  );
  for (const [key, ms] of times)
    if (median(ms) > 0.1) console.log(`${key}\t${median(ms).toFixed(2)}`);
  for (const socket of sockets) socket.destroy();
  server.close();
}

/**
 * CPU time of a process's main thread (ms, nanosecond precision: /proc/<pid>/schedstat): the
 * event loop's, which a scrape blocks; not the threads PGlite, GC or libuv's pool run on.
 */
function mainThreadCpuMs(pid: number | undefined): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

async function oneRun(checkout: string, core: number | undefined) {
  const dataDir = mkdtempSync(join(tmpdir(), 'hoshin-scrape-'));
  const port = await freePort();
  const child = startNode({
    name: 'scrape-server',
    script: join(resolve(checkout), 'packages/server/src/main.ts'),
    core,
    env: {
      ...BENCH_SERVER_ENV,
      HOST: '127.0.0.1',
      PORT: String(port),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOSHIN_DATA_DIR: dataDir,
      HOSHIN_SEED: 'true',
      REDIS_URL: '',
    },
    stdout: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const requests: http.ClientRequest[] = [];
  try {
    await waitReady(child, `${base}/health`, 120_000);
    await inBatches(N, 250, () => {
      return new Promise<void>((done, fail) => {
        const request = http.request(`${base}/graphql`, {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        });
        request.on('response', (response) => {
          response.on('data', () => {});
          if (response.statusCode === 200) done();
          else fail(new Error(`subscription answered ${response.statusCode}`));
        });
        request.on('error', fail);
        request.end(JSON.stringify({ query: SUBSCRIPTION }));
        requests.push(request);
      });
    });
    const scrape = async () => {
      const cpu = mainThreadCpuMs(child.pid);
      const t = performance.now();
      const text = await (await fetch(`${base}/metrics`)).text();
      return { ms: performance.now() - t, cpuMs: mainThreadCpuMs(child.pid) - cpu, text };
    };
    for (let i = 0; i < 50; i++) {
      const line = (await scrape()).text.match(/^hoshin_live_subscribers (\d+)/m);
      if (Number(line?.[1]) === N) break;
      await new Promise((done) => setTimeout(done, 200));
    }
    await scrape(); // warm
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < SCRAPES; i++) {
      // Apart as Prometheus's are (seconds), past the 1 s for which hoshin reuses one count of
      // the active handles: every scrape pays for its own.
      await new Promise((done) => setTimeout(done, 1100));
      const { ms, cpuMs } = await scrape();
      walls.push(ms);
      cpus.push(cpuMs);
    }
    const last = (await scrape()).text;
    return {
      cpuPerScrape: median(cpus),
      cpuMax: Math.max(...cpus),
      wallMedian: median(walls),
      wallMax: Math.max(...walls),
      fds: Number(last.match(/^hoshin_process_open_fds (\d+)/m)?.[1]),
      handles: Number(last.match(/^hoshin_nodejs_active_handles_total (\d+)/m)?.[1]),
    };
  } finally {
    for (const request of requests) request.destroy();
    agent.destroy();
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  if (values.collectors) return collectors();
  if (positionals.length === 0) throw new Error('name at least one checkout');
  const pin = pinning();
  console.log(`${N} SSE subscribers, ${SCRAPES} scrapes per run, ${ROUNDS} rounds; ${pin.note}`);
  const results = new Map<string, Awaited<ReturnType<typeof oneRun>>[]>();
  for (let round = 1; round <= ROUNDS; round++) {
    for (const checkout of positionals) {
      const before = load();
      const r = await oneRun(checkout, pin.server);
      results.set(checkout, [...(results.get(checkout) ?? []), r]);
      console.log(
        `round ${round} ${checkout}: event-loop CPU ${r.cpuPerScrape.toFixed(1)} ms/scrape (max ${r.cpuMax.toFixed(1)}), wall median ${r.wallMedian.toFixed(1)} ms (max ${r.wallMax.toFixed(1)}); open_fds ${r.fds}, active_handles_total ${r.handles}; load ${before} -> ${load()}`,
      );
    }
  }
  for (const [checkout, runs] of results) {
    console.log(
      `median ${checkout}: CPU ${median(runs.map((r) => r.cpuPerScrape)).toFixed(1)} ms/scrape, wall ${median(runs.map((r) => r.wallMedian)).toFixed(1)} ms`,
    );
  }
}

await main();
