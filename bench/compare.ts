// `pnpm bench:compare [--base DIR] [--rounds N] [--seconds S] [--ignore-cursors] [scenario@size ...]`: the quick
// before/after of one change. R1 (the database's ceiling), hoshin from another checkout (DIR,
// the "before"; a `git worktree add --detach DIR <commit>` with its own `pnpm install`) and
// hoshin from this checkout (the "after"), each a process pinned to the server core, driven in
// interleaved rounds by the same load generator on the other core, on the same databases.
// Prints medians and the ratios R3/R1 of the same run, with the load average before and after,
// and writes bench/results/tmp/compare-<time>.json. Scenarios: contract@prefecture (default),
// contract@national, list-10@prefecture, list-10@national, ... (c=10; `contract50@...` for c=50).
// --ignore-cursors: the answers must agree but for their (opaque) cursors, for a change that
// changed what a cursor holds.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { adminDatabaseUrl, ensurePostgres } from './data/load.ts';
import type { SizeName } from './data/sizes.ts';
import { freePort, jsonChannel, pinning, startNode, stop, waitReady } from './lib/processes.ts';
import { BENCH_SERVER_ENV } from './lib/server-env.ts';
import { settle } from './lib/settle.ts';
import { judge, median, type RunRecord, summarise } from './lib/stats.ts';
import type { LoadCommand, LoadResult } from './load/worker.ts';
import { allScenarios } from './scenarios.ts';

const benchDir = import.meta.dirname;
const repoRoot = resolve(benchDir, '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    base: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '3' },
    'ignore-cursors': { type: 'boolean', default: false },
  },
});
const withoutCursors = (answer: string) =>
  values['ignore-cursors']
    ? answer.replace(/"(cursor|startCursor|endCursor)":"[^"]*"/g, '"$1":""')
    : answer;
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const wanted = positionals.length ? positionals : ['contract@prefecture'];
const jobs = wanted.map((spec) => {
  const [name = 'contract', size = 'prefecture'] = spec.split('@');
  const connections = /50$/.test(name) ? 50 : 10;
  const id = name.replace(/50$/, '');
  const scenario = allScenarios.find((s) => s.id === id);
  if (!scenario) throw new Error(`unknown scenario ${spec}`);
  return { spec, scenario, size: size as SizeName, connections };
});

/** User + system CPU time of a process (ms), from /proc: robust to a shared machine's load. */
function cpuMs(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const load1 = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const commit = (dir: string) => {
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: dir, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short=12', 'HEAD') || 'unknown';
  return git('status', '--porcelain', '--untracked-files=no') ? `${head}+changes` : head;
};

const loadBefore = load1();
const urls = {} as Record<SizeName, string>;
for (const size of new Set(jobs.map((j) => j.size))) {
  urls[size] = (await ensurePostgres(size, 1, {})).url;
}
const pin = pinning();
interface Rung {
  id: string;
  script: string;
  env: Record<string, string>;
  cwd?: string;
}
const hoshin = (root: string, url: string): Record<string, string> => ({
  ...BENCH_SERVER_ENV,
  HOST: '127.0.0.1',
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  HOSHIN_SEED: 'false',
  HOSHIN_READ_CACHE: 'off',
  DATABASE_URL: url,
  HOSHIN_DATA_DIR: join(root, '.data/bench-compare-unused'),
});
const rungsFor = (size: SizeName): Rung[] => [
  {
    id: 'R1',
    script: join(benchDir, 'servers/r1-raw-sql.ts'),
    env: { BENCH_PG_URL: urls[size] },
  },
  ...(values.base
    ? [
        {
          id: 'R3-before',
          script: join(resolve(values.base), 'packages/server/src/main.ts'),
          env: hoshin(resolve(values.base), urls[size]),
        },
      ]
    : []),
  {
    id: 'R3-after',
    script: join(repoRoot, 'packages/server/src/main.ts'),
    env: hoshin(repoRoot, urls[size]),
  },
];

const load = startNode({
  name: 'compare-load',
  script: join(benchDir, 'load/worker.ts'),
  core: pin.load,
});
const send = jsonChannel<LoadCommand, LoadResult & { failure?: string }>(load);
const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
await admin.connect();
let nextId = 1;
const report: Record<string, unknown>[] = [];
try {
  for (const job of jobs) {
    const rungs = rungsFor(job.size);
    const started: { rung: Rung; url: string; child: ReturnType<typeof startNode> }[] = [];
    try {
      for (const rung of rungs) {
        const port = await freePort();
        const child = startNode({
          name: `compare-${rung.id}`,
          script: rung.script,
          core: pin.server,
          env: { ...rung.env, PORT: String(port) },
          stdout: 'ignore',
        });
        started.push({ rung, url: `http://127.0.0.1:${port}/graphql`, child });
        await waitReady(child, `http://127.0.0.1:${port}/${rung.id === 'R1' ? 'live' : 'health'}`);
      }
      const ask = async (url: string) =>
        (
          await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: job.scenario.body,
          })
        ).text();
      // Each rung's own answer is what its runs must return, byte for byte.
      const answers = new Map<string, string>();
      for (const s of started) answers.set(s.url, await ask(s.url));
      const expected = withoutCursors(answers.get(started.at(-1)?.url as string) as string);
      for (const s of started) {
        if (withoutCursors(answers.get(s.url) as string) !== expected)
          throw new Error(`${s.rung.id}: answer differs`);
      }
      const runOnce = async (url: string, pid: number | undefined, secs: number) => {
        const cpuBefore = cpuMs(pid);
        const response = await send(
          {
            id: nextId++,
            url,
            body: job.scenario.body,
            expected: answers.get(url) as string,
            connections: job.connections,
            durationSeconds: secs,
            timeoutSeconds: 10,
          },
          (secs + 40) * 1000,
        );
        if (response.failure) throw new Error(response.failure);
        const { id: _i, failure: _f, ...result } = response;
        await settle(pid, admin);
        return { ...judge(result), cpuMsPerRequest: (cpuMs(pid) - cpuBefore) / result.requests };
      };
      for (const s of started) await runOnce(s.url, s.child.pid, 1);
      const runs = new Map<string, (RunRecord & { cpuMsPerRequest: number })[]>(
        started.map((s) => [s.rung.id, []]),
      );
      for (let round = 0; round < rounds; round++) {
        for (const s of started)
          runs.get(s.rung.id)?.push(await runOnce(s.url, s.child.pid, seconds));
      }
      const figures = Object.fromEntries(
        started.map((s) => {
          const own = runs.get(s.rung.id) ?? [];
          const figure = summarise(own, rounds).median;
          const cpu = median(own.filter((r) => r.valid).map((r) => r.cpuMsPerRequest));
          return [s.rung.id, figure && { ...figure, cpuMsPerRequest: cpu }];
        }),
      );
      const r1 = figures.R1?.rps ?? Number.NaN;
      const line = started
        .map((s) => {
          const f = figures[s.rung.id];
          if (!f) return `${s.rung.id} invalid`;
          const ratio = s.rung.id === 'R1' ? '' : ` (R3/R1 ${(f.rps / r1).toFixed(3)})`;
          return `${s.rung.id} ${f.rps.toFixed(0)}/s p50 ${f.p50.toFixed(1)} p99 ${f.p99.toFixed(1)} ms, server CPU ${f.cpuMsPerRequest.toFixed(3)} ms/req${ratio}`;
        })
        .join('; ');
      console.log(`${job.spec} c=${job.connections}: ${line}`);
      report.push({ spec: job.spec, connections: job.connections, figures });
    } finally {
      await Promise.all(started.map((s) => stop(s.child)));
    }
  }
} finally {
  await admin.end();
  await stop(load);
}
const loadAfter = load1();
const out = {
  at: new Date().toISOString(),
  commit: commit(repoRoot),
  base: values.base ? commit(resolve(values.base)) : null,
  rounds,
  seconds,
  loadavg: { before: loadBefore, after: loadAfter },
  results: report,
};
console.log(
  `commit ${out.commit}${out.base ? `, before = ${out.base}` : ''}; load average before ${loadBefore}, after ${loadAfter}; medians of ${rounds} interleaved ${seconds} s runs`,
);
const dir = join(benchDir, 'results/tmp');
await mkdir(dir, { recursive: true });
await writeFile(
  join(dir, `compare-${out.at.replace(/[:.]/g, '-')}.json`),
  `${JSON.stringify(out, null, 2)}\n`,
);
