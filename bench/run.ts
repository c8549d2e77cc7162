// `pnpm bench`: builds the benchmark databases, starts every rung of the ladder as its own
// process, drives each with autocannon from another process, and writes
// bench/results/latest.{md,json}. Bounded: every run has a fixed duration and the whole
// benchmark stops starting runs when its time budget is spent. BENCH_QUICK=1: a smoke run.

import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import {
  createHoshinYoga,
  cursorKeyFromSecret,
  type DatabaseTarget,
  openDatabase,
} from '@hoshin/server/testing';
import pg from 'pg';
import {
  adminDatabaseUrl,
  type BuildReport,
  copyPgliteDir,
  ensurePglite,
  ensurePostgres,
} from './data/load.ts';
import { expectedRowCounts, SIZES, type SizeName } from './data/sizes.ts';
import { freePort, jsonChannel, pinning, startNode, stop, waitReady } from './lib/processes.ts';
import {
  type BenchResults,
  deriveSummary,
  embedInReadme,
  renderMarkdown,
  type ScenarioResult,
} from './lib/report.ts';
import { BENCH_CURSOR_SECRET, BENCH_SERVER_ENV } from './lib/server-env.ts';
import { settle } from './lib/settle.ts';
import { type Figure, judge, type RunRecord, summarise } from './lib/stats.ts';
import type { LoadCommand, LoadResult } from './load/worker.ts';
import { runPathBenches } from './paths.ts';
import { allScenarios, contractScenario, listScenarios, type Scenario } from './scenarios.ts';
import {
  runSubscriptionBench,
  SUBSCRIPTION,
  type SubscriptionScenario,
  type SubscriptionSettings,
} from './subs/run.ts';

const benchDir = import.meta.dirname;
const repoRoot = resolve(benchDir, '..');
const resultsDir = join(benchDir, 'results');
const tmpDir = join(resultsDir, 'tmp');

const quick = process.env.BENCH_QUICK === '1';
const seed = Number(process.env.BENCH_SEED ?? 1);
const rebuild = process.env.BENCH_REBUILD === '1';
const settings = {
  quick,
  seed,
  runs: 3,
  warmupSeconds: quick ? 0.5 : 1,
  listWarmupSeconds: quick ? 0.5 : 0.5,
  contractSeconds: quick ? 1 : 3,
  listSeconds: quick ? 1 : 2,
  connections: quick ? [10] : [10, 50],
  /** Lists at c=10 only: their c=50 runs cost a minute and a half and said nothing new. */
  listConnections: [10],
  timeoutSeconds: 10,
  /** Stop starting runs after this many seconds (the whole command must stay under 10 min). */
  budgetSeconds: Number(process.env.BENCH_BUDGET_SECONDS ?? (quick ? 270 : 555)),
  ladderSize: 'prefecture' as SizeName,
  scaleSizes: (quick
    ? ['mitaka', 'prefecture']
    : ['mitaka', 'prefecture', 'national']) as SizeName[],
};

const started = performance.now();
// Taken before anything runs: the path benches write their results files into the checkout.
const commit = commitOfCheckout();
const elapsed = () => (performance.now() - started) / 1000;
const say = (message: string) =>
  console.log(`[bench ${elapsed().toFixed(0).padStart(3)}s] ${message}`);

// ---------------------------------------------------------------------------------------------
// 1. Data

say(`data: seed ${seed}${rebuild ? ', rebuilding' : ''}`);
const builds: BuildReport[] = [];
const pgUrls = {} as Record<SizeName, string>;
for (const size of new Set<SizeName>([settings.ladderSize, ...settings.scaleSizes])) {
  const built = await ensurePostgres(size, seed, { rebuild });
  builds.push(built);
  pgUrls[size] = built.url;
  say(
    `  ${built.where}: ${built.reused ? 'reused' : `generated in ${built.seconds.toFixed(1)} s`}`,
  );
}
const pgliteBuild = await ensurePglite(settings.ladderSize, seed, { rebuild });
builds.push(pgliteBuild);
say(
  `  ${pgliteBuild.where}: ${pgliteBuild.reused ? 'reused' : `generated in ${pgliteBuild.seconds.toFixed(1)} s`}`,
);

// ---------------------------------------------------------------------------------------------
// 2. Expected answers and SQL statements per request, in process (yoga.fetch, db.onQuery)

interface InProcess {
  answers: Record<string, string>;
  statements: Record<string, number>;
}

async function answerInProcess(target: DatabaseTarget, scenarios: Scenario[]): Promise<InProcess> {
  const db = await openDatabase(target);
  // As the benchmarked processes run (BENCH_SERVER_ENV): no cost report in the answers.
  // ... and with their cursor key: cursors are sealed, and every rung must answer the same bytes.
  const yoga = createHoshinYoga({
    db,
    graphiql: false,
    security: { reportCost: false },
    cursorKey: cursorKeyFromSecret(BENCH_CURSOR_SECRET),
  });
  const result: InProcess = { answers: {}, statements: {} };
  try {
    for (const scenario of scenarios) {
      const ask = async () => {
        const response = await yoga.fetch('http://yoga/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: scenario.body,
        });
        const text = await response.text();
        if (!response.ok || text.includes('"errors"')) {
          throw new Error(
            `${scenario.id}: hoshin answered ${response.status} ${text.slice(0, 300)}`,
          );
        }
        return text;
      };
      await ask(); // the first request of a kind connects and warms caches
      let statements = 0;
      const off = db.onQuery(() => {
        statements += 1;
      });
      result.answers[scenario.id] = await ask();
      off();
      result.statements[scenario.id] = statements;
    }
  } finally {
    await db.close();
  }
  return result;
}

say('expected answers and SQL statement counts (in process)');
const ladderPg = await answerInProcess({ url: pgUrls[settings.ladderSize] }, allScenarios);
const ladderPglite = await answerInProcess(
  { dataDir: await copyPgliteDir(settings.ladderSize, 'in-process') },
  allScenarios,
);
// The contract query at every size; at the largest, a list too (its cost grows with the number
// of plans in the filter, whatever the page size: see bench/README.md).
const scaleList = listScenarios.find((s) => s.listSize === 10) as Scenario;
const largestSize = settings.scaleSizes.at(-1) as SizeName;
const scaleScenarios = (size: SizeName) =>
  size === largestSize && size !== 'mitaka' ? [contractScenario, scaleList] : [contractScenario];
const scaleAnswers = {} as Record<SizeName, InProcess>;
for (const size of settings.scaleSizes) {
  scaleAnswers[size] =
    size === settings.ladderSize
      ? ladderPg
      : await answerInProcess({ url: pgUrls[size] }, scaleScenarios(size));
}
const samePglite = allScenarios.every((s) => ladderPglite.answers[s.id] === ladderPg.answers[s.id]);
await mkdir(tmpDir, { recursive: true });
const fixturesPath = join(tmpDir, 'fixtures.json');
await writeFile(fixturesPath, JSON.stringify(ladderPg.answers));

// ---------------------------------------------------------------------------------------------
// 3. The ladder's servers, each a process pinned to the server core

const pin = pinning();
say(pin.note);

// ---------------------------------------------------------------------------------------------
// 3a. Subscriptions (issue 6, item 5): before the ladder, in a budget of their own.

const liveSizes = quick ? [100, 1000] : [100, 1000, 10_000];
const liveScenarios: SubscriptionScenario[] = [
  ...liveSizes.map((subscribers) => ({ transport: 'sse' as const, subscribers, redis: false })),
  // The floor for the largest: the same clients and event bytes from a bare broadcaster.
  { transport: 'sse', subscribers: liveSizes.at(-1) ?? 100, redis: false, bare: true },
  ...liveSizes.map((subscribers) => ({ transport: 'ws' as const, subscribers, redis: false })),
  { transport: 'sse', subscribers: quick ? 100 : 1000, redis: true },
];
const liveSettings: SubscriptionSettings & { query: string } = {
  scenarios: liveScenarios,
  writes: quick ? 5 : 10,
  writeIntervalMs: 250,
  budgetSeconds: Number(process.env.BENCH_LIVE_BUDGET_SECONDS ?? (quick ? 150 : 300)),
  query: SUBSCRIPTION,
};
const liveChildren: ChildProcess[] = [];
say('subscriptions');
const live = await runSubscriptionBench({
  settings: liveSettings,
  pin,
  elapsed,
  say,
  children: liveChildren,
}).finally(() => Promise.all(liveChildren.map((child) => stop(child))));

interface Rung {
  id: string;
  label: string;
  scenarios: Scenario[];
  expected: Record<string, string>;
  script: string;
  env: Record<string, string>;
  readyPath: string;
  child?: ChildProcess;
  url?: string;
}

const mainScript = join(repoRoot, 'packages/server/src/main.ts');
const hoshinEnv = (database: Record<string, string>) => ({
  ...BENCH_SERVER_ENV,
  HOST: '127.0.0.1',
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  HOSHIN_SEED: 'false',
  HOSHIN_READ_CACHE: 'off',
  DATABASE_URL: '',
  ...database,
});

const rungs: Rung[] = [
  {
    id: 'R0',
    label: 'R0 node:http, precomputed bytes',
    scenarios: allScenarios,
    expected: ladderPg.answers,
    script: join(benchDir, 'servers/r0-static.ts'),
    env: { BENCH_FIXTURES: fixturesPath },
    readyPath: '/live',
  },
  {
    id: 'R1-pg',
    label: 'R1 raw pg, one json_agg statement',
    scenarios: allScenarios,
    expected: ladderPg.answers,
    script: join(benchDir, 'servers/r1-raw-sql.ts'),
    env: { BENCH_PG_URL: pgUrls[settings.ladderSize] },
    readyPath: '/live',
  },
  {
    id: 'R2',
    label: 'R2 Yoga, static resolvers',
    scenarios: allScenarios,
    expected: ladderPg.answers,
    script: join(benchDir, 'servers/r2-static-yoga.ts'),
    env: { BENCH_FIXTURES: fixturesPath },
    readyPath: '/live',
  },
  {
    id: 'R3-pg',
    label: 'R3 hoshin on PostgreSQL',
    scenarios: allScenarios,
    expected: ladderPg.answers,
    script: mainScript,
    env: hoshinEnv({ DATABASE_URL: pgUrls[settings.ladderSize] }),
    readyPath: '/health',
  },
  {
    id: 'R3c-pg',
    label: 'R3 hoshin on PostgreSQL, read cache on',
    scenarios: allScenarios,
    expected: ladderPg.answers,
    script: mainScript,
    env: hoshinEnv({ DATABASE_URL: pgUrls[settings.ladderSize], HOSHIN_READ_CACHE: 'on' }),
    readyPath: '/health',
  },
  {
    id: 'R1-pglite',
    label: 'R1 raw SQL on PGlite, in process',
    scenarios: [contractScenario],
    expected: ladderPglite.answers,
    script: join(benchDir, 'servers/r1-raw-sql.ts'),
    env: { BENCH_PGLITE_DIR: await copyPgliteDir(settings.ladderSize, 'r1') },
    readyPath: '/live',
  },
  {
    id: 'R3-pglite',
    label: 'R3 hoshin on PGlite',
    scenarios: [contractScenario],
    expected: ladderPglite.answers,
    script: mainScript,
    env: hoshinEnv({ HOSHIN_DATA_DIR: await copyPgliteDir(settings.ladderSize, 'r3') }),
    readyPath: '/health',
  },
  ...settings.scaleSizes
    .filter((size) => size !== settings.ladderSize)
    .map(
      (size): Rung => ({
        id: `R3-pg@${size}`,
        label: `R3 hoshin on PostgreSQL, ${size} data`,
        scenarios: scaleScenarios(size),
        expected: scaleAnswers[size].answers,
        script: mainScript,
        env: hoshinEnv({ DATABASE_URL: pgUrls[size] }),
        readyPath: '/health',
      }),
    ),
];

const children: ChildProcess[] = [];
async function stopAll() {
  await Promise.all(children.map((child) => stop(child)));
}
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

try {
  say('starting servers');
  for (const rung of rungs) {
    const port = await freePort();
    rung.child = startNode({
      name: rung.id.replace('@', '-'),
      script: rung.script,
      core: pin.server,
      env: { ...rung.env, PORT: String(port) },
      stdout: 'ignore',
    });
    children.push(rung.child);
    rung.url = `http://127.0.0.1:${port}/graphql`;
    await waitReady(rung.child, `http://127.0.0.1:${port}${rung.readyPath}`);
  }
  // Same request, same bytes: every rung must give the answer hoshin gives.
  for (const rung of rungs) {
    for (const scenario of rung.scenarios) {
      const response = await fetch(rung.url as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: scenario.body,
      });
      const text = await response.text();
      if (text !== rung.expected[scenario.id]) {
        const path = join(tmpDir, `mismatch-${rung.id}-${scenario.id}.json`);
        await writeFile(path, `${text}\n${rung.expected[scenario.id]}\n`);
        throw new Error(`${rung.id} ${scenario.id}: answer differs from hoshin's (see ${path})`);
      }
    }
  }
  say('every rung answers with the same bytes');

  // -------------------------------------------------------------------------------------------
  // 4. Load: per scenario and connection count, warm every rung, then rounds of one run per
  // rung (interleaved, so drift on a shared machine hits every rung alike).

  const load = startNode({
    name: 'load',
    script: join(benchDir, 'load/worker.ts'),
    core: pin.load,
  });
  children.push(load);
  const send = jsonChannel<LoadCommand, LoadResult & { failure?: string }>(load);
  // Watches PostgreSQL for queries still running after a run (see lib/settle.ts).
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  let nextId = 1;

  async function runOnce(rung: Rung, scenario: Scenario, connections: number, seconds: number) {
    const response = await send(
      {
        id: nextId++,
        url: rung.url as string,
        body: scenario.body,
        expected: rung.expected[scenario.id] as string,
        connections,
        durationSeconds: seconds,
        timeoutSeconds: settings.timeoutSeconds,
      },
      (seconds + settings.timeoutSeconds + 30) * 1000,
    );
    if (response.failure) throw new Error(`load generator: ${response.failure}`);
    const { id: _id, failure: _failure, ...result } = response;
    const settleMs = await settle(rung.child?.pid, admin);
    return { ...judge(result), settleMs };
  }

  const scenarioResults: ScenarioResult[] = [];
  for (const scenario of allScenarios) {
    const seconds = scenario === contractScenario ? settings.contractSeconds : settings.listSeconds;
    const scenarioRungs = rungs.filter((rung) => rung.scenarios.includes(scenario));
    const result: ScenarioResult = {
      id: scenario.id,
      title: scenario.title,
      listSize: scenario.listSize ?? null,
      statements: ladderPg.statements[scenario.id] ?? null,
      statementsPglite: ladderPglite.statements[scenario.id] ?? null,
      connections: {},
    };
    const scenarioConnections =
      scenario === contractScenario ? settings.connections : settings.listConnections;
    for (const connections of scenarioConnections) {
      const perRung = new Map<string, RunRecord[]>(scenarioRungs.map((r) => [r.id, []]));
      const skipped = new Set<string>();
      const fits = () => elapsed() + (seconds + 1) * scenarioRungs.length <= settings.budgetSeconds;
      if (!fits()) {
        for (const rung of scenarioRungs) skipped.add(rung.id);
      } else {
        say(`${scenario.id} c=${connections}: warm-up`);
        for (const rung of scenarioRungs) {
          const warmup =
            scenario === contractScenario ? settings.warmupSeconds : settings.listWarmupSeconds;
          await runOnce(rung, scenario, connections, warmup);
        }
        // Rounds until every rung has its valid runs; a few extra rounds make up for invalid
        // ones, and the budget is checked before each.
        for (let round = 0; round < settings.runs + 2; round++) {
          const due = scenarioRungs.filter(
            (rung) =>
              !skipped.has(rung.id) &&
              (perRung.get(rung.id) ?? []).filter((run) => run.valid).length < settings.runs,
          );
          if (due.length === 0) break;
          for (const rung of due) {
            if (elapsed() + seconds + 1 > settings.budgetSeconds) {
              skipped.add(rung.id);
              continue;
            }
            const record = await runOnce(rung, scenario, connections, seconds);
            perRung.get(rung.id)?.push(record);
            if (!record.valid) say(`  ${rung.id}: invalid run (${record.problem})`);
          }
        }
      }
      const figures: Record<string, Figure> = {};
      for (const rung of scenarioRungs) {
        const figure = summarise(perRung.get(rung.id) ?? [], settings.runs);
        if (skipped.has(rung.id) && !figure.median) figure.skipped = 'time budget spent';
        figures[rung.id] = figure;
      }
      result.connections[connections] = figures;
      say(
        `${scenario.id} c=${connections}: ${scenarioRungs
          .map((r) => `${r.id} ${figures[r.id]?.median?.rps.toFixed(0) ?? 'n/a'}/s`)
          .join(', ')}`,
      );
    }
    scenarioResults.push(result);
  }
  await admin.end();
  await stopAll();

  // -------------------------------------------------------------------------------------------
  // 5. Every other path (bench/paths.ts), one after the other on the quiet machine. A smoke run
  // skips them unless BENCH_PATHS names some (comma-separated ids, or "all").

  const wantedPaths = process.env.BENCH_PATHS ?? (quick ? '' : 'all');
  const paths =
    wantedPaths === ''
      ? undefined
      : await runPathBenches({
          say,
          commit,
          only: wantedPaths === 'all' ? undefined : wantedPaths.split(','),
        });

  // -------------------------------------------------------------------------------------------
  // 6. Results

  const postgresVersion = await (async () => {
    const client = new pg.Client({ connectionString: adminDatabaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      return rows[0]?.server_version ?? '?';
    } finally {
      await client.end();
    }
  })();

  const results: BenchResults = {
    generatedAt: new Date().toISOString(),
    commit,
    seconds: elapsed(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: availableParallelism(),
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      postgres: postgresVersion,
      pinning: pin.note,
    },
    settings,
    data: builds.map((build) => ({
      ...build,
      rows: expectedRowCounts(SIZES[build.size]),
    })),
    samePgliteAnswers: samePglite,
    rungs: rungs.map((rung) => ({ id: rung.id, label: rung.label })),
    scenarios: scenarioResults,
    scaleSizes: settings.scaleSizes,
    ladderSize: settings.ladderSize,
    subscriptions: { settings: liveSettings, results: live.results },
    paths,
  };
  results.summary = deriveSummary(results);
  // A smoke run must not replace the published results.
  const outDir = quick ? tmpDir : resultsDir;
  const name = quick ? 'quick' : 'latest';
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  const markdown = renderMarkdown(results);
  await writeFile(join(outDir, `${name}.md`), markdown);
  if (!quick) {
    const readmePath = join(benchDir, 'README.md');
    await writeFile(readmePath, embedInReadme(await readFile(readmePath, 'utf8'), markdown));
  }
  // The written files are committed: keep them as the repository's formatter wants them
  // (the path benches' results too, which each bench writes as JSON.stringify does).
  const biome = join(repoRoot, 'node_modules/.bin/biome');
  spawnSync(
    biome,
    [
      'format',
      '--write',
      ...(quick
        ? [join(outDir, `${name}.md`), join(outDir, `${name}.json`)]
        : [outDir, join(benchDir, 'README.md')]),
    ],
    { stdio: 'ignore' },
  );
  console.log(`\n${markdown}`);
  say(`wrote ${join(outDir, name)}.md and .json`);
} finally {
  await stopAll();
}

/** The commit the run measured, marked "+changes" when the work tree differed from it. */
function commitOfCheckout(): string {
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short=12', 'HEAD') || 'unknown';
  return git('status', '--porcelain', '--untracked-files=no') ? `${head}+changes` : head;
}
