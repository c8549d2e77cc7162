// How long the embedded default takes to its first answer: what `pnpm start` runs, `node
// scripts/start.mjs` (the esbuild bundle of the server, rebuilt first if a source changed; the
// bench makes sure it is current before the first timed run, as `pnpm install` does), with no
// configuration but a data folder (HOSHIN_DATA_DIR, a temporary one) and a port, timed from
// spawning the process to the first successful answer of the contract query
// (bench/scenarios.ts). A checkout without scripts/start.mjs (before the bundle) is started
// the way its `pnpm start` did: `node --import tsx packages/server/src/main.ts`. /health is not used: it answers as soon as the
// server listens, and the contract query also needs the seed loaded.
//
// Two cases, interleaved, BENCH_COLD_RUNS (default 3) of each: an EMPTY data folder (PGlite
// creates the cluster, migrations, seed) and the same folder again once the first process has
// stopped (EXISTING). Per run: wall time, the server's CPU time at that moment (user + system,
// with its child processes: on a shared machine steadier than wall time) and the phases from
// the server's own log lines. Writes bench/results/cold-start.{md,json} with the commit and
// the load average (results/tmp/ with BENCH_COLD_OUT=tmp).
//
// `--base DIR`: also starts the server of another checkout DIR (the "before": `git worktree add
// --detach DIR <commit>`, `pnpm install` there), alternating run by run with this one, so both
// see the same load; results/tmp/cold-start-compare.{md,json}. Each checkout is started with
// its own command (above), shown in the results.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, stop } from './lib/processes.ts';
import { CONTRACT_ARGS, contractScenario } from './scenarios.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const baseIndex = process.argv.indexOf('--base');
const baseDir = baseIndex > 0 ? resolve(process.argv[baseIndex + 1] ?? '') : undefined;
/** The checkouts measured: this one, and the base one when comparing. */
const checkouts = [
  ...(baseDir ? [{ label: 'base', dir: baseDir }] : []),
  { label: baseDir ? 'this' : 'hoshin', dir: repoRoot },
].map((checkout) => ({ ...checkout, args: startArgs(checkout.dir) }));

/** What the checkout's `pnpm start` runs, as node's arguments (relative to the checkout). */
function startArgs(dir: string): string[] {
  return existsSync(join(dir, 'scripts/start.mjs'))
    ? ['scripts/start.mjs']
    : ['--import', 'tsx', 'packages/server/src/main.ts'];
}
const runs = Number(process.env.BENCH_COLD_RUNS ?? 3);
const port = Number(process.env.BENCH_COLD_PORT ?? 0) || (await freePort());
const outDir = join(
  repoRoot,
  'bench/results',
  process.env.BENCH_COLD_OUT === 'tmp' || baseDir ? 'tmp' : '',
);
const outName = baseDir ? 'cold-start-compare' : 'cold-start';
const TIMEOUT_MS = 180_000;
/** A folder for one CPU profile per server process (node --cpu-prof), when set. */
const profileDir = process.env.BENCH_COLD_PROFILE
  ? resolve(process.env.BENCH_COLD_PROFILE)
  : undefined;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

type Case = 'empty' | 'existing';

interface Run {
  checkout: string;
  case: Case;
  run: number;
  /** Spawn to the first complete answer of the contract query. */
  firstAnswerMs: number;
  /** The server's CPU (user + system, children included) at that moment; null off Linux. */
  cpuMs: number | null;
  /**
   * How long the server's main thread was runnable but waiting for a core until then
   * (/proc/PID/schedstat); null off Linux. The first answer less this is about what a machine
   * with a core free for it would show: other processes' load delays the main thread here.
   */
  waitMs: number | null;
  /** Spawn to each phase's log line (ms), from the server's JSON log. */
  phases: Record<string, number>;
  loadBefore: number[];
}

/** Log messages that mark a phase, by the name shown in the results. */
const PHASES: [name: string, match: (msg: string) => boolean][] = [
  ['opening', (msg) => msg === 'opening database'],
  ['migrated', (msg) => msg === 'migrations applied' || msg === 'schema up to date'],
  ['seeded', (msg) => msg === 'seed data loaded' || msg === 'seed present'],
  ['listening', (msg) => msg.startsWith('hoshin serving')],
];

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime, stime, cutime, cstime: fields 14-17, i.e. 11-14 after the command name.
  return fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0);
}

/** Run-queue wait of the process's main thread (ms), or null where /proc has no schedstat. */
function mainThreadWaitMs(pid: number): number | null {
  try {
    const [, waitNs] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
    return Math.round(Number(waitNs) / 1e6);
  } catch {
    return null;
  }
}

/** CPU ms of the process and its living children (tsx's esbuild service). */
function cpuMsOfTree(pid: number): number | null {
  try {
    let ticks = cpuTicks(pid);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) {
        try {
          ticks += cpuTicks(Number(child));
        } catch {}
      }
    }
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

async function contractAnswered(): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: contractScenario.body,
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return false;
    const body = (await response.json()) as {
      data?: { plan?: { department?: { code?: string } } | null };
    };
    return body.data?.plan?.department?.code === CONTRACT_ARGS.department;
  } catch {
    return false;
  }
}

async function startOnce(
  checkout: (typeof checkouts)[number],
  dataDir: string,
  kind: Case,
  run: number,
): Promise<Run> {
  // No configuration: nothing of the caller's hoshin settings or database.
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('HOSHIN_') || key === 'DATABASE_URL') continue;
    if (key === 'NODE_ENV' || key === 'PORT' || key === 'HOST') continue;
    env[key] = value;
  }
  Object.assign(env, { HOSHIN_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' });
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  const started = performance.now();
  const startedEpoch = Date.now();
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, ...checkout.args], {
    cwd: checkout.dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const phases: Record<string, number> = {};
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  if (child.stdout) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; time?: number };
        for (const [name, match] of PHASES) {
          if (entry.msg && entry.time && !(name in phases) && match(entry.msg)) {
            phases[name] = entry.time - startedEpoch;
          }
        }
      } catch {}
    });
  }
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`server exited (${child.exitCode}): ${stderr.join('').slice(-2000)}`);
      }
      if (performance.now() - started > TIMEOUT_MS) throw new Error('no answer in 180 s');
      if (await contractAnswered()) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const firstAnswerMs = Math.round(performance.now() - started);
    const cpuMs = child.pid === undefined ? null : cpuMsOfTree(child.pid);
    const waitMs = child.pid === undefined ? null : mainThreadWaitMs(child.pid);
    return {
      checkout: checkout.label,
      case: kind,
      run,
      firstAnswerMs,
      cpuMs,
      waitMs,
      phases,
      loadBefore,
    };
  } finally {
    await stop(child);
  }
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function commitOfCheckout(dir: string): string {
  const git = (...args: string[]) =>
    spawnSync('git', args, { cwd: dir, encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short=12', 'HEAD') || 'unknown';
  return git('status', '--porcelain', '--untracked-files=no') ? `${head}+changes` : head;
}

const say = (message: string) => console.error(`[cold-start] ${message}`);
// As after `pnpm install` (postinstall): the bundle is current before the first timed start.
for (const checkout of checkouts) {
  if (checkout.args[0] !== 'scripts/start.mjs') continue;
  const built = spawnSync(process.execPath, ['scripts/start.mjs', '--build'], {
    cwd: checkout.dir,
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error(`${checkout.dir}: scripts/start.mjs --build failed`);
}
const scratch = await mkdtemp(join(tmpdir(), 'hoshin-cold-start-'));
const results: Run[] = [];
const loadStart = loadavg();
try {
  for (let run = 1; run <= runs; run++) {
    // Alternate which checkout goes first, so neither always follows the other.
    const order = run % 2 ? checkouts : [...checkouts].reverse();
    for (const checkout of order) {
      const dataDir = join(scratch, `data-${checkout.label}-${run}`);
      for (const kind of ['empty', 'existing'] as const) {
        const result = await startOnce(checkout, dataDir, kind, run);
        results.push(result);
        say(
          `${checkout.label} ${kind} #${run}: ${result.firstAnswerMs} ms (cpu ${result.cpuMs ?? '?'} ms, main thread waited ${result.waitMs ?? '?'} ms) phases ${JSON.stringify(result.phases)} load ${result.loadBefore.join(' ')}`,
        );
      }
      await rm(dataDir, { recursive: true, force: true });
    }
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
const loadEnd = loadavg();

const cases = checkouts.flatMap((checkout) =>
  (['empty', 'existing'] as const).map((kind) => ({ checkout: checkout.label, kind })),
);
const caseName = (c: { checkout: string; kind: Case }) =>
  checkouts.length > 1 ? `${c.checkout} ${c.kind}` : c.kind;
const summary = Object.fromEntries(
  cases.map((c) => {
    const kind = caseName(c);
    const of = results.filter((r) => r.case === c.kind && r.checkout === c.checkout);
    const phaseNames = PHASES.map(([name]) => name);
    return [
      kind,
      {
        firstAnswerMs: median(of.map((r) => r.firstAnswerMs)),
        cpuMs: median(of.flatMap((r) => (r.cpuMs === null ? [] : [r.cpuMs]))),
        waitMs: median(of.flatMap((r) => (r.waitMs === null ? [] : [r.waitMs]))),
        // Each run's first answer less its main thread's wait, then the median.
        unwaitedMs: median(
          of.flatMap((r) => (r.waitMs === null ? [] : [r.firstAnswerMs - r.waitMs])),
        ),
        phases: Object.fromEntries(
          phaseNames.map((name) => [
            name,
            median(of.flatMap((r) => (r.phases[name] === undefined ? [] : [r.phases[name]]))),
          ]),
        ),
      },
    ];
  }),
);

const report = {
  // Under `pnpm bench`, the commit it measured (the benches before this one wrote results files).
  commit: process.env.BENCH_COMMIT ?? commitOfCheckout(repoRoot),
  ...(baseDir ? { base: { dir: baseDir, commit: commitOfCheckout(baseDir) } } : {}),
  generatedAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverageStart: loadStart.map((x) => Math.round(x * 100) / 100).join(' '),
    loadAverageEnd: loadEnd.map((x) => Math.round(x * 100) / 100).join(' '),
  },
  settings: {
    runs,
    command: `node ${checkouts.at(-1)?.args.join(' ')}`,
    ...(baseDir ? { baseCommand: `node ${checkouts[0]?.args.join(' ')}` } : {}),
  },
  summary,
  runs: results,
};

const fmt = (value: number | null | undefined) =>
  value === null || value === undefined ? '–' : `${Math.round(value).toLocaleString('en')}`;
const lines = [
  '# Embedded cold start (`pnpm bench:cold-start`)',
  '',
  `Commit \`${report.commit}\`${report.base ? ` against base \`${report.base.commit}\` (${report.base.dir}), alternating run by run` : ''}, ${report.generatedAt}, ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.machine.node}.`,
  `Load average (1, 5, 15 min) at the start ${report.machine.loadAverageStart}, at the end ${report.machine.loadAverageEnd} (the machine is shared: wall times grow with the load, CPU times much less).`,
  '',
  `Spawn of \`${report.settings.command}\`${report.settings.baseCommand ? ` (base: \`${report.settings.baseCommand}\`)` : ''} (no configuration but a temporary HOSHIN_DATA_DIR and a port) to the first complete answer of the contract query; medians of ${runs} runs, ms. Phases: spawn to the server's log line. Main thread waited: how long the server's main thread was runnable but had no core (other processes' load), and the first answer less that (each run's, then the median).`,
  '',
  '| data folder | first answer | server CPU | main thread waited | first answer less that | opening database | migrated | seeded | listening |',
  '| ----------- | -----------: | ---------: | -----------------: | ---------------------: | ---------------: | -------: | -----: | --------: |',
  ...cases.map((c) => {
    const kind = caseName(c);
    const s = summary[kind] as {
      firstAnswerMs: number | null;
      cpuMs: number | null;
      waitMs: number | null;
      unwaitedMs: number | null;
      phases: Record<string, number | null>;
    };
    return `| ${kind} | ${fmt(s.firstAnswerMs)} | ${fmt(s.cpuMs)} | ${fmt(s.waitMs)} | ${fmt(s.unwaitedMs)} | ${fmt(s.phases.opening)} | ${fmt(s.phases.migrated)} | ${fmt(s.phases.seeded)} | ${fmt(s.phases.listening)} |`;
  }),
  '',
  'Every run (ms; load average before it):',
  '',
  '| data folder | run | first answer | server CPU | main thread waited | load |',
  '| ----------- | --: | -----------: | ---------: | -----------------: | ---- |',
  ...results.map(
    (r) =>
      `| ${caseName({ checkout: r.checkout, kind: r.case })} | ${r.run} | ${fmt(r.firstAnswerMs)} | ${fmt(r.cpuMs)} | ${fmt(r.waitMs)} | ${r.loadBefore.join(' ')} |`,
  ),
  '',
];
const markdown = lines.join('\n');
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, `${outName}.json`), `${JSON.stringify(report, null, 2)}\n`);
await writeFile(join(outDir, `${outName}.md`), markdown);
spawnSync(
  join(repoRoot, 'node_modules/.bin/biome'),
  ['format', '--write', join(outDir, `${outName}.md`), join(outDir, `${outName}.json`)],
  { stdio: 'ignore' },
);
console.log(markdown);
say(`wrote ${join(outDir, outName)}.md and .json`);
