// `pnpm bench:open-data [size] [importRows]`: open-data export and import rates on a benchmark
// database (PostgreSQL, built by bench/data like the other scenarios), with the process's
// peak memory. Export: every initiative the public may read, as CSV and JSON Lines, to a sink
// that discards the bytes (the destination's speed is not ours). Import: a dry run of the
// first `importRows` exported initiatives (every row is matched, compared and, as a dry run,
// rolled back: the same work as applying an unchanged file). Prints JSON on stdout.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  type Cell,
  exportBatches,
  openDatabase,
  runImport,
  type Viewer,
  writeExport,
} from '@hoshin/server/testing';
import { ensurePostgres } from './data/load.ts';
import { isSizeName } from './data/sizes.ts';

const [size = 'national', rowsArgument = '50000'] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith('--'));
const importRows = Number(rowsArgument);
if (!isSizeName(size)) throw new Error(`unknown size "${size}"`);

const built = await ensurePostgres(size, Number(process.env.BENCH_SEED ?? 1), {});
const db = await openDatabase({ url: built.url });

/** Peak resident set size while `fn` runs, sampled every 50 ms. */
async function measured<T>(fn: () => Promise<T>) {
  global.gc?.();
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  }, 50);
  const started = performance.now();
  try {
    const result = await fn();
    return {
      result,
      seconds: (performance.now() - started) / 1000,
      startRssMiB: Math.round(startRss / 2 ** 20),
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      peakHeapMiB: Math.round(peakHeap / 2 ** 20),
    };
  } finally {
    clearInterval(timer);
  }
}

/** Counts rows, and notes the resident set size every 200,000: flat means constant memory. */
async function* counted(
  batches: AsyncIterable<Cell[][]>,
  count: { rows: number; rssMiB: number[] },
) {
  for await (const batch of batches) {
    const before = Math.floor(count.rows / 200_000);
    count.rows += batch.length;
    if (Math.floor(count.rows / 200_000) > before) {
      count.rssMiB.push(Math.round(process.memoryUsage().rss / 2 ** 20));
    }
    yield batch;
  }
}

function sink() {
  let bytes = 0;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  return { stream, bytes: () => bytes };
}

const results: Record<string, unknown> = { size, database: built.where };
const viewer: Viewer = { kind: 'anonymous' };
// --import-only: skip the exports (about 7 minutes each at national size on a busy machine).
const formats = process.argv.includes('--import-only') ? [] : (['csv', 'jsonl'] as const);
for (const format of formats) {
  const count = { rows: 0, rssMiB: [] as number[] };
  const out = sink();
  const run = await measured(() =>
    writeExport(
      out.stream,
      'initiatives',
      counted(exportBatches(db.prisma, viewer, 'initiatives', {}), count),
      { format },
    ),
  );
  results[`export initiatives ${format}`] = {
    rows: count.rows,
    seconds: Math.round(run.seconds * 10) / 10,
    rowsPerSecond: Math.round(count.rows / run.seconds),
    megabytes: Math.round(out.bytes() / 2 ** 20),
    startRssMiB: run.startRssMiB,
    peakRssMiB: run.peakRssMiB,
    peakHeapMiB: run.peakHeapMiB,
    rssEvery200kRowsMiB: count.rssMiB,
  };
  console.error(format, results[`export initiatives ${format}`]);
}

// The import file: the first `importRows` initiatives as exported (UTF-8 CSV).
const dir = await mkdtemp(join(tmpdir(), 'hoshin-bench-open-data-'));
try {
  const file = join(dir, 'initiatives.csv');
  async function* firstRows() {
    let left = importRows;
    for await (const batch of exportBatches(db.prisma, viewer, 'initiatives', {})) {
      yield batch.slice(0, left);
      left -= batch.length;
      if (left <= 0) return;
    }
  }
  await writeExport(createWriteStream(file), 'initiatives', firstRows(), { format: 'csv' });
  console.error(`import file of ${importRows} rows written`);
  const operator: Viewer = {
    kind: 'token',
    tokenId: 0,
    actor: 'bench',
    office: 'hoshin administration',
    role: 'ADMIN',
    municipalityId: null,
    departmentId: null,
  };
  const run = await measured(() =>
    runImport({
      prisma: db.prisma,
      viewer: operator,
      entity: 'initiatives',
      input: createReadStream(file),
      format: 'csv',
      dryRun: true,
    }),
  );
  const rows = Object.values(run.result.counts).reduce((a, b) => a + b, 0);
  results['import initiatives csv (dry run)'] = {
    rows,
    counts: run.result.counts,
    seconds: Math.round(run.seconds * 10) / 10,
    rowsPerSecond: Math.round(rows / run.seconds),
    startRssMiB: run.startRssMiB,
    peakRssMiB: run.peakRssMiB,
    peakHeapMiB: run.peakHeapMiB,
  };
  console.error('import', results['import initiatives csv (dry run)']);
} finally {
  await rm(dir, { recursive: true, force: true });
  await db.close();
}
console.log(JSON.stringify(results, null, 2));
