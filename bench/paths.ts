// Every path at national scale, in the same `pnpm bench` run as the ladder: the benches of
// the import, the embedded import beside the contract query, the export, national search,
// prepared statements under 100,000 distinct queries and the embedded cold start. Each is its
// own script (its own `pnpm bench:*` command, its own results file); this module runs them one
// after the other, reads the figures each wrote and states each target of issue 30 once, with
// the command that measured it. A path that fails or runs out of time is reported as such.
// `pnpm bench:paths [id,id…]` runs them without the ladder (results/tmp/paths.md).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = import.meta.dirname;
const resultsDir = join(benchDir, 'results');
const logDir = join(resultsDir, 'tmp/logs');

export interface PathTarget {
  name: string;
  target: string;
  measured: string;
  met: boolean | null;
  /** The `pnpm` command that measured it, as a reader would type it. */
  command: string;
}

export interface PathRun {
  id: string;
  command: string;
  seconds: number;
  outcome: 'ok' | 'failed' | 'timed out' | 'skipped';
  detail?: string;
}

/** A results file, read as its bench wrote it (each target below checks what it reads). */
type Json = any;

interface PathBench {
  id: string;
  script: string;
  args: string[];
  /** Its results file (in bench/results), read after the run; it must be newer than the start. */
  results: string;
  timeoutSeconds: number;
  targets: (json: Json) => Omit<PathTarget, 'command'>[];
}

const num = (value: unknown, digits = 0) =>
  typeof value === 'number' && Number.isFinite(value)
    ? value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : 'n/a';
const atLeast = (value: unknown, floor: number) =>
  typeof value === 'number' && Number.isFinite(value) ? value >= floor : null;
const below = (value: unknown, ceiling: number) =>
  typeof value === 'number' && Number.isFinite(value) ? value < ceiling : null;

/**
 * Growth of a series of memory samples taken as the rows go by: the highest of its second half
 * over the highest of its first. Garbage collection moves RSS up and down by a third between
 * samples; memory that grows with the rows shows as a ratio above 1.
 */
function growth(samples: unknown): number | null {
  if (!Array.isArray(samples) || samples.length < 4) return null;
  const values = samples.map(Number);
  const half = Math.floor(values.length / 2);
  const first = Math.max(...values.slice(0, half));
  return first > 0 ? Math.max(...values.slice(half)) / first : null;
}
const FLAT = 1.1;

/** The common-word searches over every city (bench/search.ts). */
const NATIONAL_SEARCHES = ['search-year', 'search-two-words', 'search-all'];

export const PATH_BENCHES: PathBench[] = [
  {
    id: 'import',
    script: 'import.ts',
    args: ['national', '20000', '20000'],
    results: 'import-national.json',
    timeoutSeconds: 900,
    targets: (json) =>
      (
        [
          ['dry run, unchanged file', 'dry run, file unchanged'],
          ['dry run, every text edited', 'dry run, every text edited'],
          ['applied, every text edited', 'applied, every text edited'],
        ] as const
      ).map(([key, label]) => ({
        name: `import, national, ${label}: rows/s`,
        target: '>= 10,000',
        measured: num(json[key]?.rowsPerSecond),
        met: atLeast(json[key]?.rowsPerSecond, 10_000),
      })),
  },
  {
    id: 'import-embedded',
    script: 'import.ts',
    args: ['prefecture', '2000', '2000', '--embedded-only'],
    results: 'import-embedded.json',
    timeoutSeconds: 900,
    targets: (json) =>
      // The longest a contract query waited, from when it was due (every 20 ms) to its answer:
      // PGlite shares the thread, so a held connection shows here and not in a latency alone.
      Object.entries(json.embedded ?? {})
        .filter(([key]) => key.startsWith('during'))
        .map(([key, figures]) => {
          const waited = (figures as { maxFromDueMs?: number }).maxFromDueMs;
          return {
            name: `embedded (PGlite) import ${key.replace(/^during /, '')}: longest wait of the contract query, from due to answered (alone: ${num(json.embedded?.alone?.maxFromDueMs)} ms)`,
            target: '< 200 ms',
            measured: `${num(waited)} ms`,
            met: below(waited, 200),
          };
        }),
  },
  {
    id: 'export',
    script: 'open-data.ts',
    args: ['national', '--export-only'],
    results: 'export.json',
    timeoutSeconds: 1200,
    targets: (json) =>
      (['csv', 'jsonl'] as const).flatMap((format) => {
        const figures = json[`export initiatives ${format}`] ?? {};
        const grown = growth(figures.rssEvery200kRowsMiB);
        return [
          {
            name: `export, national, ${format}: rows/s`,
            target: '>= 50,000',
            measured: num(figures.rowsPerSecond),
            met: atLeast(figures.rowsPerSecond, 50_000),
          },
          {
            name: `export, national, ${format}: RSS, highest of the later samples (every 200,000 rows) over the earlier`,
            target: `<= ${FLAT}`,
            measured:
              grown == null
                ? 'n/a'
                : `${num(grown, 2)} (${(figures.rssEvery200kRowsMiB as number[]).join(', ')} MiB)`,
            met: grown == null ? null : grown <= FLAT,
          },
        ];
      }),
  },
  {
    id: 'search',
    script: 'search.ts',
    args: ['national'],
    results: 'search.json',
    timeoutSeconds: 900,
    targets: (json) => {
      const contract = json.figures?.contract?.median?.rps;
      return NATIONAL_SEARCHES.flatMap((id) => {
        const p50 = json.sequential?.[id]?.p50;
        const rps = json.figures?.[id]?.median?.rps;
        const ratio = typeof rps === 'number' && contract ? rps / contract : null;
        return [
          {
            name: `search, national, ${id}: p50 at one user`,
            target: '< 300 ms',
            measured: `${num(p50, 1)} ms`,
            met: below(p50, 300),
          },
          {
            name: `search, national, ${id}: c=10 req/s / contract query's`,
            target: '>= 0.3',
            measured: ratio == null ? 'n/a' : `${num(ratio, 2)} (${num(rps)} / ${num(contract)})`,
            met: atLeast(ratio, 0.3),
          },
        ];
      });
    },
  },
  {
    id: 'prepared',
    script: 'prepared.ts',
    args: ['100000'],
    results: 'prepared.json',
    timeoutSeconds: 600,
    targets: (json) => {
      // Flat: what the second half of the queries added, over where the first half left it.
      type Sample = { serverRssMiB: number; backendsRssAnonMiB: number };
      const samples = (json.samples ?? []) as Sample[];
      const half = samples[Math.floor(samples.length / 2)];
      const last = samples.at(-1);
      const growth = (pick: (s: Sample) => number) =>
        half && last && pick(half) > 0 ? (pick(last) - pick(half)) / pick(half) : null;
      const measures: [string, (s: Sample) => number][] = [
        ['server RSS', (s) => s.serverRssMiB],
        ['PostgreSQL backends RssAnon', (s) => s.backendsRssAnonMiB],
      ];
      return [
        {
          name: 'distinct queries answered (of 100,000), all compiled',
          target: '100,000',
          measured: `${num(json.sent)} (${num(json.compiled)} compiled)`,
          met: json.sent === 100_000 && json.compiled >= json.sent,
        },
        ...measures.map(([what, pick]) => {
          const value = growth(pick);
          return {
            name: `prepared statements: ${what} growth over the second 50,000 queries`,
            target: '<= 10 %',
            measured:
              value == null
                ? 'n/a'
                : `${num(value * 100, 1)} % (${last ? num(pick(last)) : 'n/a'} MiB at the end)`,
            met: value == null ? null : value <= 0.1,
          };
        }),
      ];
    },
  },
  {
    id: 'cold-start',
    script: 'cold-start.ts',
    args: [],
    results: 'cold-start.json',
    timeoutSeconds: 300,
    targets: (json) => [
      {
        name: 'embedded cold start, empty data folder: first answer (median of 3)',
        target: '< 2,000 ms',
        measured: `${num(json.summary?.empty?.firstAnswerMs)} ms`,
        met: below(json.summary?.empty?.firstAnswerMs, 2000),
      },
    ],
  },
];

function commandOf(bench: PathBench): string {
  const name = bench.script === 'open-data.ts' ? 'open-data' : bench.script.replace(/\.ts$/, '');
  return ['pnpm', `bench:${name}`, ...bench.args].join(' ');
}

function runScript(
  bench: PathBench,
  commit: string,
): Promise<{ code: number | null; timedOut: boolean }> {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `path-${bench.id}.log`));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(benchDir, bench.script), ...bench.args],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BENCH_COMMIT: commit } },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  }, bench.timeoutSeconds * 1000);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearTimeout(timer);
      log.end();
      resolve({ code, timedOut });
    });
  });
}

/** Runs every path bench (or those named in `only`) and states their targets. */
export async function runPathBenches(options: {
  say: (message: string) => void;
  /** The commit measured, taken before any bench wrote its results into the checkout. */
  commit: string;
  only?: string[];
}): Promise<{ runs: PathRun[]; targets: PathTarget[] }> {
  const runs: PathRun[] = [];
  const targets: PathTarget[] = [];
  for (const bench of PATH_BENCHES) {
    const command = commandOf(bench);
    if (options.only && !options.only.includes(bench.id)) {
      runs.push({ id: bench.id, command, seconds: 0, outcome: 'skipped' });
      continue;
    }
    options.say(`path ${bench.id}: ${command} (log: results/tmp/logs/path-${bench.id}.log)`);
    const started = Date.now();
    const { code, timedOut } = await runScript(bench, options.commit);
    const seconds = Math.round((Date.now() - started) / 1000);
    const file = join(resultsDir, bench.results);
    const fresh = existsSync(file) && (await stat(file)).mtimeMs >= started;
    const run: PathRun = {
      id: bench.id,
      command,
      seconds,
      outcome: timedOut ? 'timed out' : code === 0 && fresh ? 'ok' : 'failed',
    };
    if (run.outcome !== 'ok') {
      run.detail = timedOut
        ? `stopped after ${bench.timeoutSeconds} s`
        : `exit code ${code}${fresh ? '' : `, ${bench.results} not written`}`;
    }
    runs.push(run);
    options.say(`path ${bench.id}: ${run.outcome} in ${seconds} s`);
    if (!fresh) {
      targets.push({
        name: `${bench.id}: no figures`,
        target: '',
        measured: run.detail ?? '',
        met: false,
        command,
      });
      continue;
    }
    const json = JSON.parse(await readFile(file, 'utf8'));
    for (const target of bench.targets(json)) targets.push({ ...target, command });
  }
  return { runs, targets };
}

/** The other paths' targets, each with the command that measured it, then how each run went. */
export function pathLines(
  paths: { runs: PathRun[]; targets: PathTarget[] },
  commit: string | undefined,
): string[] {
  const lines = [
    `## Every path at national scale (commit ${commit ?? 'not recorded'}, same run)`,
    '',
    'Run one after the other once the ladder has stopped (bench/paths.ts); each bench writes its own results file in bench/results, read here.',
    '',
    '| target | wanted | measured | met | command |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const t of paths.targets) {
    lines.push(
      `| ${t.name} | ${t.target} | ${t.measured} | ${t.met == null ? 'n/a' : t.met ? 'yes' : 'no'} | \`${t.command}\` |`,
    );
  }
  lines.push('', '| path | command | outcome | s |', '| --- | --- | --- | ---: |');
  for (const run of paths.runs) {
    lines.push(
      `| ${run.id} | \`${run.command}\` | ${run.outcome}${run.detail ? ` (${run.detail})` : ''} | ${run.seconds} |`,
    );
  }
  lines.push('');
  return lines;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const say = (message: string) =>
    console.log(
      `[paths ${String(Math.round((Date.now() - started) / 1000)).padStart(4)}s] ${message}`,
    );
  const only = process.argv[2]?.split(',');
  const commit = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], {
    encoding: 'utf8',
  }).stdout.trim();
  const paths = await runPathBenches({ say, commit, only });
  const markdown = pathLines(paths, commit).join('\n');
  mkdirSync(join(resultsDir, 'tmp'), { recursive: true });
  await writeFile(join(resultsDir, 'tmp/paths.md'), markdown);
  console.log(`\n${markdown}`);
}
