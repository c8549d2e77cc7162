// `pnpm bench:open-data [size] [importRows]`: open-data export and import rates on a benchmark
// database (PostgreSQL, built by bench/data like the other scenarios), with the process's
// peak memory. Export: every initiative the public may read, as CSV and JSON Lines, to a sink
// that discards the bytes (the destination's speed is not ours). Import: a dry run of the
// first `importRows` exported initiatives (every row is matched, compared and, as a dry run,
// rolled back: the same work as applying an unchanged file). Prints JSON on stdout. Exports are
// measured against PostgreSQL's own COPY of the same rows in the same run, and written to
// bench/results/export.{md,json}; --export-only skips the import.

import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type Cell,
  exportBatches,
  openDatabase,
  runImport,
  type Viewer,
  writeExport,
} from '@hoshin/server/testing';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
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

// The baseline for exports: PostgreSQL writing the same rows (every initiative of a published
// plan, the same columns, by id) with COPY … TO STDOUT, read through pg to a sink like ours.
const BASELINE_ROWS = `SELECT m.code AS municipality, d.code AS department, p."fiscalYear", i.position, i.text,
    i."isAdministrativeReform", array_to_json(i.footnotes) AS footnotes, array_to_json(i.citations) AS citations
  FROM "Initiative" i JOIN "DepartmentPlan" p ON p.id = i."planId"
  JOIN "Department" d ON d.id = p."departmentId" JOIN "Municipality" m ON m.id = d."municipalityId"
  WHERE p.status = 'PUBLISHED' ORDER BY i.id`;
const BASELINE_COPY = {
  csv: `COPY (${BASELINE_ROWS}) TO STDOUT WITH (FORMAT csv, HEADER)`,
  jsonl: `COPY (SELECT row_to_json(r) FROM (${BASELINE_ROWS}) r) TO STDOUT`,
};

async function baseline(format: 'csv' | 'jsonl') {
  const client = new pg.Client({ connectionString: built.url });
  await client.connect();
  try {
    const out = sink();
    let lines = 0;
    const run = await measured(() =>
      pipeline(
        client.query(copyTo(BASELINE_COPY[format])),
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
            done(null, chunk);
          },
        }),
        out.stream,
      ),
    );
    // Text cells hold no line break in the generated data: one line per row (and the header).
    const rows = format === 'csv' ? lines - 1 : lines;
    return {
      rows,
      seconds: Math.round(run.seconds * 10) / 10,
      rowsPerSecond: Math.round(rows / run.seconds),
      megabytes: Math.round(out.bytes() / 2 ** 20),
    };
  } finally {
    await client.end();
  }
}

const results: Record<string, unknown> = { size, database: built.where };
const viewer: Viewer = { kind: 'anonymous' };
const loadBefore = loadavg()
  .map((n) => n.toFixed(1))
  .join(' ');
const exportRows: string[] = [];
// --import-only: skip the exports (about 7 minutes each at national size on a busy machine).
const formats = process.argv.includes('--import-only') ? [] : (['csv', 'jsonl'] as const);
for (const format of formats) {
  const count = { rows: 0, rssMiB: [] as number[] };
  const out = sink();
  const run = await measured(() =>
    writeExport(
      out.stream,
      'initiatives',
      counted(exportBatches(db, viewer, 'initiatives', {}), count),
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
  const copy = await baseline(format);
  results[`baseline COPY ${format}`] = copy;
  console.error(`COPY ${format}`, copy);
  const mine = results[`export initiatives ${format}`] as { rowsPerSecond: number };
  exportRows.push(
    `| ${format} | ${count.rows} | ${mine.rowsPerSecond} | ${copy.rows} | ${copy.rowsPerSecond} | ${(mine.rowsPerSecond / copy.rowsPerSecond).toFixed(2)} | ${run.startRssMiB} | ${run.peakRssMiB} | ${count.rssMiB.join(', ')} |`,
  );
}
if (exportRows.length > 0) {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const markdown = `# Open-data export at ${size} scale (every initiative the public may read)

Generated ${new Date().toISOString()} at commit ${commit} by \`pnpm bench:open-data ${process.argv.slice(2).join(' ')}\` (load average before the run: ${loadBefore}).
hoshin's export (one statement through a cursor, the columns' cells, CSV or JSON Lines, to a sink) against PostgreSQL
writing the same rows with \`COPY (SELECT …) TO STDOUT\` through pg (pg-copy-streams) to the same kind of sink.
Resident set size: before, peak (sampled every 50 ms) and every 200,000 rows (flat means bounded memory).

| format | rows | rows/s | COPY rows | COPY rows/s | vs COPY | RSS before MiB | peak RSS MiB | RSS every 200k rows MiB |
| ------ | ---: | -----: | --------: | ----------: | ------: | -------------: | -----------: | ----------------------- |
${exportRows.join('\n')}
`;
  const outDir = join(import.meta.dirname, 'results');
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'export.md'), markdown);
  await writeFile(
    join(outDir, 'export.json'),
    `${JSON.stringify({ generatedAt: new Date().toISOString(), commit, loadBefore, ...results }, null, 2)}\n`,
  );
  console.error(markdown);
}
if (process.argv.includes('--export-only')) {
  await db.close();
  console.log(JSON.stringify(results, null, 2));
  process.exit(0);
}

// The import file: the first `importRows` initiatives as exported (UTF-8 CSV).
const dir = await mkdtemp(join(tmpdir(), 'hoshin-bench-open-data-'));
try {
  const file = join(dir, 'initiatives.csv');
  async function* firstRows() {
    let left = importRows;
    for await (const batch of exportBatches(db, viewer, 'initiatives', {})) {
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
