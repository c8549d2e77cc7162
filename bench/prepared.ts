// `pnpm bench:prepared [N] [--base DIR]`: memory under N distinct queries (default 100,000).
// One hoshin process (main.ts as deployed: NODE_ENV=production, PostgreSQL, the prefecture
// database) receives N different contract-like queries, each compiled to a different SQL text
// (the order of the plan's and the initiatives' fields differs, so their columns do), 10 at a
// time from this process. Every query must be answered by the compiled read (GET /metrics) and
// equal, key order aside, the answer of the same fields in a fixed order. At intervals it
// samples the server's VmRSS and the private memory (RssAnon, /proc/<pid>/status) of the
// PostgreSQL backends of the server's database. Flat means the prepared statements each
// connection keeps are bounded (db/client.ts). `--base DIR` runs another checkout's server
// instead (the before of a change). Bounded in time: BENCH_PREPARED_SECONDS (default 420), then
// it stops where it is (counted from the first query). Writes bench/results/prepared.{md,json}
// (with --base: results/tmp/prepared-<time>.json); prints a table.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { adminDatabaseUrl, ensurePostgres } from './data/load.ts';
import { freePort, pinning, startNode, stop, waitReady } from './lib/processes.ts';
import { BENCH_SERVER_ENV } from './lib/server-env.ts';
import { CONTRACT_ARGS } from './scenarios.ts';

const args = process.argv.slice(2);
const baseIndex = args.indexOf('--base');
const baseDir = baseIndex >= 0 ? resolve(args[baseIndex + 1] ?? '') : undefined;
const total = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--base') ?? 100_000);
const budgetSeconds = Number(process.env.BENCH_PREPARED_SECONDS ?? 420);
const connections = 10;
const samples = 20;

const benchDir = import.meta.dirname;
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const say = (message: string) =>
  console.error(`[bench:prepared ${elapsed().toFixed(0)}s] ${message}`);

// Fields whose order changes the statement's text (their columns are numbered in the order
// asked; the plan's id and status, and the initiative's position, are always asked first).
const PLAN_FIELDS = [
  'budgetYen',
  'mission',
  'policy',
  'staffCount',
  'version',
  'createdAt',
  'updatedAt',
  'publishedAt',
];
const INITIATIVE_FIELDS = ['id', 'text', 'isAdministrativeReform', 'version'];

/** The k-th permutation of `items` (factorial number system): 0 ≤ k < items.length!. */
function permutation<T>(items: readonly T[], k: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  for (let n = pool.length; n > 0; n--) {
    let f = 1;
    for (let i = 2; i < n; i++) f *= i;
    const index = Math.floor(k / f);
    k %= f;
    out.push(...pool.splice(index, 1));
  }
  return out;
}
const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const planOrders = factorial(PLAN_FIELDS.length);
if (total > planOrders * factorial(INITIATIVE_FIELDS.length)) throw new Error('N too large');

function query(k: number): string {
  const plan = permutation(PLAN_FIELDS, k % planOrders);
  const initiative = permutation(INITIATIVE_FIELDS, Math.floor(k / planOrders));
  return `{ plan(municipality: "${CONTRACT_ARGS.municipality}", department: "${CONTRACT_ARGS.department}", fiscalYear: ${CONTRACT_ARGS.fiscalYear}) { ${plan.join(' ')} status initiatives(first: 5) { edges { node { position ${initiative.join(' ')} evaluation { rating } } } } } }`;
}

/** The answer with every object's keys sorted: the same fields in any order compare equal. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

function status(pid: number, field: 'VmRSS' | 'RssAnon'): number {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1];
    return kib ? Number(kib) / 1024 : Number.NaN;
  } catch {
    return Number.NaN; // a backend that just ended
  }
}

const built = await ensurePostgres('prefecture', Number(process.env.BENCH_SEED ?? 1), {});
say(`${built.where}: ${built.reused ? 'reused' : `generated in ${built.seconds.toFixed(0)} s`}`);
const database = new URL(built.url).pathname.slice(1);
const checkout = baseDir ?? resolve(benchDir, '..');
const loadBefore = loadavg()
  .map((n) => n.toFixed(1))
  .join(' ');
const pin = pinning();
const port = await freePort();
const server = startNode({
  name: 'prepared-R3',
  script: join(checkout, 'packages/server/src/main.ts'),
  core: pin.server,
  stdout: 'ignore',
  env: {
    ...BENCH_SERVER_ENV,
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOSHIN_SEED: 'false',
    HOSHIN_READ_CACHE: 'off',
    DATABASE_URL: built.url,
  },
});
const admin = new pg.Client({ connectionString: adminDatabaseUrl() });

interface Sample {
  queries: number;
  seconds: number;
  serverRssMiB: number;
  backends: number;
  backendsRssAnonMiB: number;
}
const taken: Sample[] = [];
let sent = 0;
let resets = 0;
let compiled = Number.NaN;
try {
  const base = `http://127.0.0.1:${port}`;
  await waitReady(server, `${base}/health`);
  await admin.connect();
  const post = (text: string) =>
    fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: text }),
    });
  const ask = async (text: string) => {
    let response: Response;
    try {
      response = await post(text);
    } catch (error) {
      // A kept-alive socket the server closed as the request left (ECONNRESET): once more,
      // counted in the results.
      if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
      resets += 1;
      response = await post(text);
    }
    const body = await response.text();
    if (!response.ok || body.includes('"errors"')) {
      throw new Error(`${response.status} ${body.slice(0, 300)}`);
    }
    return JSON.stringify(canonical(JSON.parse(body)));
  };
  const compiledCount = async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    const line = text
      .split('\n')
      .find(
        (l) => l.startsWith('hoshin_compiled_reads_total{') && l.includes('outcome="compiled"'),
      );
    return Number(line?.split(' ').at(-1) ?? 0);
  };
  const expected = await ask(query(0));
  const sample = async () => {
    const { rows } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database],
    );
    const rss = rows.map((row) => status(row.pid, 'RssAnon')).filter(Number.isFinite);
    const one: Sample = {
      queries: sent,
      seconds: Number(elapsed().toFixed(1)),
      serverRssMiB: Number(status(server.pid as number, 'VmRSS').toFixed(1)),
      backends: rows.length,
      backendsRssAnonMiB: Number(rss.reduce((a, b) => a + b, 0).toFixed(1)),
    };
    taken.push(one);
    say(
      `${one.queries} queries: server ${one.serverRssMiB} MiB, ${one.backends} backends ${one.backendsRssAnonMiB} MiB (RssAnon)`,
    );
  };
  const compiledBefore = await compiledCount();
  await sample();
  let next = 1;
  const deadline = elapsed() + budgetSeconds;
  // Samples every 1/samples of the queries or of the time budget, whichever comes first.
  let nextQueries = total / samples;
  let nextSeconds = elapsed() + budgetSeconds / samples;
  const worker = async () => {
    while (next < total + 1 && elapsed() < deadline) {
      const k = next++;
      const answer = await ask(query(k % total));
      if (answer !== expected) throw new Error(`query ${k}: a different answer`);
      sent += 1;
      if (sent >= nextQueries || elapsed() >= nextSeconds) {
        nextQueries = sent + total / samples;
        nextSeconds = elapsed() + budgetSeconds / samples;
        await sample();
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await sample();
  compiled = (await compiledCount()) - compiledBefore;
  if (compiled < sent) throw new Error(`only ${compiled} of ${sent} queries were compiled reads`);
} finally {
  await admin.end().catch(() => {});
  await stop(server);
}

const first = taken[0] as Sample;
const last = taken.at(-1) as Sample;
const table = `| queries | s | server VmRSS MiB | backends | backends RssAnon MiB |
| ------: | -: | ---------------: | -------: | -------------------: |
${taken.map((s) => `| ${s.queries} | ${s.seconds} | ${s.serverRssMiB} | ${s.backends} | ${s.backendsRssAnonMiB} |`).join('\n')}`;
const markdown = `# ${sent.toLocaleString('en')} distinct queries (of ${total.toLocaleString('en')} asked), hoshin of ${checkout}

${sent < total ? `Stopped by the ${budgetSeconds} s budget. ` : ''}c=${connections} from the bench process; ${pin.note}; load average before: ${loadBefore}, after: ${loadavg()
  .map((n) => n.toFixed(1))
  .join(' ')}. Compiled reads: ${compiled}. Requests sent again after a connection reset: ${resets}.

${table}

Server: ${first.serverRssMiB} → ${last.serverRssMiB} MiB; backends: ${first.backendsRssAnonMiB} → ${last.backendsRssAnonMiB} MiB.
`;
// This checkout's run is the published one (bench/results/prepared.{md,json}, read by `pnpm
// bench`); another checkout's (--base) goes to results/tmp.
const outDir = join(benchDir, baseDir ? 'results/tmp' : 'results');
const outName = baseDir ? `prepared-${new Date().toISOString().replace(/[:.]/g, '-')}` : 'prepared';
await mkdir(outDir, { recursive: true });
await writeFile(
  join(outDir, `${outName}.json`),
  `${JSON.stringify({ checkout, total, sent, compiled, resets, budgetSeconds, loadBefore, samples: taken }, null, 2)}\n`,
);
if (!baseDir) await writeFile(join(outDir, `${outName}.md`), markdown);
console.log(markdown);
