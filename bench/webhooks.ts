// Webhook delivery latency: a server (createApp, embedded PGlite in a temporary folder, or
// PostgreSQL with BENCH_DATABASE_URL) with one public webhook endpoint on a loopback receiver,
// and BENCH_WEBHOOK_RUNS (default 50) edits of a published plan, one at a time. Per edit:
// - write: the updatePlan request's round trip (the baseline, measured in the same run);
// - delivery: from sending the write to the receiver holding the signed delivery;
// - after commit: delivery minus write, the time the outbox and the worker add.
// The worker's poll is set to a minute, so the figures show the path a write takes on the
// instance that made it (woken by the commit), not a poll. Writes bench/results/webhooks.{md,json}
// (webhooks-postgres.* on PostgreSQL: give it an empty database, it migrates and seeds it).
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApp } from '@hoshin/server/app';
import { createLogger, issueToken } from '@hoshin/server/testing';

const runs = Number(process.env.BENCH_WEBHOOK_RUNS ?? 50);
const databaseUrl = process.env.BENCH_DATABASE_URL;
const dataDir = await mkdtemp(join(tmpdir(), 'hoshin-bench-webhooks-'));

const arrivals: ((at: number) => void)[] = [];
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const at = performance.now();
    res.writeHead(204).end();
    arrivals.shift()?.(at);
  });
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const app = await createApp({
  log: createLogger('silent'),
  config: {
    dataDir,
    databaseUrl,
    seedOnStart: true,
    webhooks: { allowPrivate: ['127.0.0.0/8'], pollMs: 60_000 },
  },
});
const url = `${await app.listen(0, '127.0.0.1')}/graphql`;
const { token } = await issueToken(app.db.prisma, {
  name: 'bench',
  role: 'PLANNING',
  municipality: '132047',
});

async function call(query: string, variables: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown };
  if (!body.data) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

await call(
  `mutation ($input: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $input) { __typename } }`,
  { input: { url: receiverUrl, events: ['PLAN'], filter: { municipality: '132047' } } },
);
const created = await call(
  `mutation { createPlan(input: { municipality: "132047", department: "kyoiku", fiscalYear: 2040 }) { ... on CreatePlanSuccess { plan { id version } } } }`,
  {},
);
let plan = created.createPlan.plan as { id: string; version: number };
const arrived = () => new Promise<number>((done) => arrivals.push(done));
let next = arrived();
const published = await call(
  `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { ... on PublishPlanSuccess { plan { id version } } } }`,
  { input: { id: plan.id, expectedVersion: plan.version } },
);
plan = published.publishPlan.plan;
await next; // warm-up: the first delivery (rendering's first run, the first connection)

const writes: number[] = [];
const deliveries: number[] = [];
for (let i = 0; i < runs; i++) {
  next = arrived();
  const start = performance.now();
  const result = await call(
    `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { ... on UpdatePlanSuccess { plan { id version } } } }`,
    { input: { id: plan.id, expectedVersion: plan.version, mission: `bench ${i}` } },
  );
  const written = performance.now();
  plan = result.updatePlan.plan;
  const at = await next;
  writes.push(written - start);
  deliveries.push(at - start);
}
await app.close(1000);
receiver.close();
await rm(dataDir, { recursive: true, force: true });

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const afterCommit = deliveries.map((d, i) => d - (writes[i] ?? 0));
const row = (name: string, values: number[]) => ({
  name,
  p50: Number(quantile(values, 0.5).toFixed(1)),
  p95: Number(quantile(values, 0.95).toFixed(1)),
  max: Number(Math.max(...values).toFixed(1)),
});
const figures = [
  row('write (updatePlan round trip, baseline)', writes),
  row('delivery (write sent -> receiver has it)', deliveries),
  row('after commit (delivery - write)', afterCommit),
];
const ratio = Number((quantile(deliveries, 0.5) / quantile(writes, 0.5)).toFixed(2));
const results = {
  generatedAt: new Date().toISOString(),
  database: databaseUrl ? 'postgres' : 'pglite',
  runs,
  loadAverage: loadavg().map((l) => Number(l.toFixed(1))),
  figures,
  deliveryToWriteRatioP50: ratio,
};
const markdown = [
  `# Webhook delivery latency (${results.database}, ${runs} edits one at a time)`,
  '',
  `Generated ${results.generatedAt} by \`pnpm bench:webhooks\` (load average: ${results.loadAverage.join(' ')}).`,
  '',
  '| ms | p50 | p95 | max |',
  '| --- | ---: | ---: | ---: |',
  ...figures.map((f) => `| ${f.name} | ${f.p50} | ${f.p95} | ${f.max} |`),
  '',
  `Delivery p50 / write p50: **${ratio}** (the delivery includes the write).`,
  '',
].join('\n');
const outDir = resolve(import.meta.dirname, 'results');
const outName = databaseUrl ? 'webhooks-postgres' : 'webhooks';
await writeFile(join(outDir, `${outName}.json`), `${JSON.stringify(results, null, 2)}\n`);
await writeFile(join(outDir, `${outName}.md`), markdown);
console.log(markdown);
