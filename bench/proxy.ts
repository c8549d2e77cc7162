// `pnpm bench:proxy [reads] [readsPerPublish]`: public reads through Varnish
// (deploy/varnish/hoshin.vcl) in front of hoshin on the embedded Mitaka data. Citizens read the
// cacheable plan(...) URLs (the SDK's persisted DepartmentPlan over GET), the popular ones more
// often (Zipf, s = 1); every `readsPerPublish` reads a planning token changes a published
// plan's mission, whose purge reaches Varnish by surrogate key. Reports the proxy hit ratio
// (from Varnish's X-Cache), how long after a write's answer the proxy served the new text
// (write -> purge -> fresh), and the read latency through the proxy against the same reads
// straight to the server, in this run.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '@hoshin/server/app';
import { createLogger, issueToken } from '@hoshin/server/testing';
import { freePort, startVarnish } from '../deploy/varnish/varnish.ts';

const [reads = 2000, readsPerPublish = 200] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'))
  .map(Number);
const CONCURRENCY = 8;

const manifest = JSON.parse(
  readFileSync(
    resolve(import.meta.dirname, '../packages/client/src/generated/persisted-documents.json'),
    'utf8',
  ),
) as Record<string, string>;
const documentId = Object.entries(manifest).find(([, text]) =>
  text.startsWith('query DepartmentPlan('),
)?.[0];
if (!documentId) throw new Error('no DepartmentPlan document in the SDK manifest');

const dataDir = await mkdtemp(join(tmpdir(), 'hoshin-bench-proxy-'));
const varnishPort = await freePort();
const app = await createApp({
  log: createLogger('silent'),
  config: {
    dataDir,
    seedOnStart: true,
    security: { rateLimitPerAddress: 1_000_000 },
    publicCache: { purgeUrl: `http://127.0.0.1:${varnishPort}/` },
  },
});
const base = await app.listen(0, '127.0.0.1');
const varnish = await startVarnish(Number(new URL(base).port), varnishPort);
await app.publicChanges.ready;

try {
  const prisma = app.db.prisma;
  const plans = await prisma.departmentPlan.findMany({
    where: { status: 'PUBLISHED', department: { municipality: { code: '132047' } } },
    select: { id: true, fiscalYear: true, department: { select: { code: true } } },
    orderBy: [{ fiscalYear: 'desc' }, { departmentId: 'asc' }],
  });
  const paths = plans.map(
    (plan) =>
      `/graphql?documentId=${encodeURIComponent(documentId)}&variables=${encodeURIComponent(
        JSON.stringify({
          municipality: '132047',
          department: plan.department.code,
          fiscalYear: plan.fiscalYear,
        }),
      )}`,
  );
  // Zipf weights: the k-th most read plan is read 1/k as often as the first.
  const weights = paths.map((_, k) => 1 / (k + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  let seed = 1;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const pick = () => {
    let r = random() * total;
    for (let k = 0; k < weights.length; k++) {
      r -= weights[k] ?? 0;
      if (r <= 0) return k;
    }
    return weights.length - 1;
  };
  const sequence = Array.from({ length: reads }, pick);
  const { token } = await issueToken(prisma, {
    name: 'bench',
    role: 'PLANNING',
    municipality: '132047',
  });

  async function readAll(origin: string) {
    let hits = 0;
    let misses = 0;
    const latencies: number[] = [];
    let next = 0;
    const freshness: number[] = [];
    async function worker() {
      for (;;) {
        const i = next++;
        if (i >= sequence.length) return;
        if (origin === varnish.url && i > 0 && i % readsPerPublish === 0) {
          freshness.push(await publishAndWatch(sequence[i] ?? 0));
        }
        const started = performance.now();
        const response = await fetch(`${origin}${paths[sequence[i] ?? 0]}`);
        await response.arrayBuffer();
        latencies.push(performance.now() - started);
        if (response.headers.get('x-cache') === 'HIT') hits += 1;
        else misses += 1;
      }
    }
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    return { hits, misses, latencies, seconds: (performance.now() - started) / 1000, freshness };
  }

  let edits = 0;
  /** Changes plan k's mission; ms from the write's answer until the proxy serves it. */
  async function publishAndWatch(k: number): Promise<number> {
    const plan = plans[k];
    if (!plan) return 0;
    const current = await prisma.departmentPlan.findUniqueOrThrow({ where: { id: plan.id } });
    edits += 1;
    const mission = `${(current.mission ?? '').replace(/（改\d+）$/, '')}（改${edits}）`;
    const id = Buffer.from(`DepartmentPlan:${plan.id}`).toString('base64');
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: 'mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }',
        variables: { input: { id, expectedVersion: current.version, mission } },
      }),
    });
    await response.arrayBuffer();
    const written = performance.now();
    for (;;) {
      const read = await fetch(`${varnish.url}${paths[k]}`);
      const body = (await read.json()) as { data?: { plan?: { mission?: string } } };
      if (body.data?.plan?.mission === mission) return performance.now() - written;
      await new Promise((done) => setTimeout(done, 5));
    }
  }

  const percentile = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  };
  const direct = await readAll(base);
  const proxied = await readAll(varnish.url);
  const ratio = proxied.hits / (proxied.hits + proxied.misses);
  const round = (n: number) => Math.round(n * 100) / 100;
  const report = {
    plans: paths.length,
    reads,
    readsPerPublish,
    concurrency: CONCURRENCY,
    proxyHitRatio: Math.round(ratio * 10_000) / 10_000,
    proxyHits: proxied.hits,
    proxyMisses: proxied.misses,
    writes: proxied.freshness.length,
    writeToFreshMs: {
      p50: round(percentile(proxied.freshness, 50)),
      max: round(Math.max(0, ...proxied.freshness)),
    },
    readP50Ms: {
      direct: round(percentile(direct.latencies, 50)),
      proxy: round(percentile(proxied.latencies, 50)),
    },
    proxyOverDirectP50: round(percentile(proxied.latencies, 50) / percentile(direct.latencies, 50)),
    throughputRatio: round(direct.seconds / proxied.seconds),
    serverNotModified: app.publicCache.notModified,
  };
  console.log(JSON.stringify(report, null, 2));
} finally {
  await varnish.stop();
  await app.close(1000);
  await rm(dataDir, { recursive: true, force: true });
}
