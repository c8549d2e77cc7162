// `pnpm bench:import [size] [rows] [editedRows] [--embedded]`: import rates on a benchmark database, each
// against PostgreSQL doing the same reads or writes with one plain statement per 1,000 rows, in
// the same run. The file: the first `rows` initiatives as exported (JSON Lines), and the same
// with every text edited. Figures:
// - dry run of the unchanged file (every row matched and compared) vs. reading the same rows
//   by key with one SELECT per 1,000 keys;
// - dry run and applied import of the edited file (every row an updateInitiative, with its
//   change record) vs. one UPDATE per 1,000 rows (no change records), rolled back; the applied
//   import is then undone by importing the unchanged file, and the database put back as it was
//   (restore: the rows' versions and times, the change records of both imports deleted, the
//   dead rows vacuumed), so that every run, of any checkout, starts from the same database;
// - the statements each import ran (statementsPerRow, the commonest kinds and the slowest, with
//   their total milliseconds), counted by the database client's query listener (Database.onQuery);
// - --embedded: on PGlite (one connection), the contract query asked every 20 ms, alone and
//   while an import runs (a 2,000-row dry run; an applied import of `editedRows`, at most
//   2,000, texts edited): its latencies.
// Prints JSON on stdout; writes bench/results/import-<size>.json.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createHoshinYoga,
  createPGlite,
  cursorKeyFromSecret,
  type Database,
  exportBatches,
  openDatabase,
  type PrismaClient,
  runImport,
  type Viewer,
  writeExport,
} from '@hoshin/server/testing';
import { copyPgliteDir, ensurePglite, ensurePostgres, repoRoot } from './data/load.ts';
import { isSizeName, type SizeName } from './data/sizes.ts';
import { BENCH_CURSOR_SECRET } from './lib/server-env.ts';
import { contractScenario } from './scenarios.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const [size = 'prefecture', rowsArgument = '20000', editedArgument = '500'] = args;
const importRows = Number(rowsArgument);
const editedRows = Number(editedArgument);
if (!isSizeName(size)) throw new Error(`unknown size "${size}"`);
// --embedded-only: the PGlite figures alone.
const embeddedOnly = process.argv.includes('--embedded-only');
const embedded = embeddedOnly || process.argv.includes('--embedded');

const operator: Viewer = {
  kind: 'token',
  tokenId: 0,
  actor: 'bench',
  office: 'hoshin administration',
  role: 'ADMIN',
  municipalityId: null,
  departmentId: null,
};
const anonymous: Viewer = { kind: 'anonymous' };
const EDIT = '〔改〕';

type Row = Record<string, unknown>;

/** The first `rows` visible initiatives, as exported (JSON Lines), and as objects. */
async function exportedRows(db: Database, rows: number, file: string): Promise<Row[]> {
  async function* first() {
    let left = rows;
    for await (const batch of exportBatches(db, anonymous, 'initiatives', {})) {
      yield batch.slice(0, left);
      left -= batch.length;
      if (left <= 0) return;
    }
  }
  await writeExport(createWriteStream(file), 'initiatives', first(), { format: 'jsonl' });
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
}

async function writeLines(file: string, rows: Row[]) {
  await writeFile(file, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`);
}

const round = (n: number) => Math.round(n);

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await fn();
  return { result, seconds: (performance.now() - started) / 1000 };
}

/** A statement's kind: its text up to the first value list, without spacing. */
const kindOf = (sql: string) =>
  sql
    .replace(/\s+/g, ' ')
    .replace(/"public"\./g, '')
    .slice(0, 60);

/**
 * Imports a file. With `statementsOf`, the database statements it ran are counted (every
 * statement the client runs meanwhile: the bench runs nothing else) and the commonest named.
 */
async function importFile(
  db: Pick<Database, 'prisma' | 'onQuery'>,
  file: string,
  dryRun: boolean,
  { count = false } = {},
) {
  const kinds = new Map<string, number>();
  const millis = new Map<string, number>();
  const stop = count
    ? db.onQuery((sql, ms) => {
        kinds.set(kindOf(sql), (kinds.get(kindOf(sql)) ?? 0) + 1);
        millis.set(kindOf(sql), (millis.get(kindOf(sql)) ?? 0) + ms);
      })
    : undefined;
  const run = await timed(() =>
    runImport({
      prisma: db.prisma,
      viewer: operator,
      entity: 'initiatives',
      input: () => createReadStream(file),
      format: 'jsonl',
      dryRun,
    }),
  ).finally(() => stop?.());
  const rows = Object.values(run.result.counts).reduce((a, b) => a + b, 0);
  const statements = [...kinds.values()].reduce((a, b) => a + b, 0);
  return {
    rows,
    counts: run.result.counts,
    applied: run.result.applied,
    seconds: Math.round(run.seconds * 100) / 100,
    rowsPerSecond: round(rows / run.seconds),
    ...(count
      ? {
          statements,
          statementsPerRow: Math.round((statements / rows) * 100) / 100,
          commonest: Object.fromEntries([...kinds].sort((a, b) => b[1] - a[1]).slice(0, 8)),
          // The statements that took longest, with their total milliseconds.
          slowest: Object.fromEntries(
            [...millis]
              .sort((a, b) => b[1] - a[1])
              .slice(0, 6)
              .map(([kind, ms]) => [kind, round(ms)]),
          ),
        }
      : {}),
  };
}

const CHUNK = 1000;
const chunks = <T>(items: T[]) =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) =>
    items.slice(i * CHUNK, (i + 1) * CHUNK),
  );
const keyArrays = (rows: Row[]) => [
  rows.map((r) => String(r.municipality)),
  rows.map((r) => String(r.department)),
  rows.map((r) => Number(r.fiscalYear)),
  rows.map((r) => Number(r.position)),
];

/** PostgreSQL reading the same rows by their keys: one SELECT per 1,000. */
async function baselineRead(prisma: PrismaClient, rows: Row[]) {
  const run = await timed(async () => {
    let found = 0;
    for (const chunk of chunks(rows)) {
      const [m, d, y, n] = keyArrays(chunk);
      const result = await prisma.$queryRaw<unknown[]>`
        SELECT i.* FROM unnest(${m}::text[], ${d}::text[], ${y}::int[], ${n}::int[]) AS k(m, d, y, n)
        JOIN "Municipality" mu ON mu.code = k.m
        JOIN "Department" de ON de."municipalityId" = mu.id AND de.code = k.d
        JOIN "DepartmentPlan" p ON p."departmentId" = de.id AND p."fiscalYear" = k.y
        JOIN "Initiative" i ON i."planId" = p.id AND i.position = k.n`;
      found += result.length;
    }
    return found;
  });
  return { rows: run.result, seconds: run.seconds, rowsPerSecond: round(run.result / run.seconds) };
}

class RollBack extends Error {}

/**
 * What the applied import and its undoing change beyond the texts, read before them: the rows'
 * versions and times, the last change record. `restore` puts them back, deletes the change
 * records the imports left and vacuums the two tables (the test server runs no autovacuum:
 * without it every run would leave 40,000 dead rows and their index entries to the next).
 */
async function restorable(prisma: PrismaClient, rows: Row[]) {
  const saved: { id: number; version: number; updatedAt: Date }[] = [];
  for (const chunk of chunks(rows)) {
    const [m, d, y, n] = keyArrays(chunk);
    saved.push(
      ...(await prisma.$queryRaw<{ id: number; version: number; updatedAt: Date }[]>`
        SELECT i.id, i.version, i."updatedAt"
        FROM unnest(${m}::text[], ${d}::text[], ${y}::int[], ${n}::int[]) AS k(m, d, y, n)
        JOIN "Municipality" mu ON mu.code = k.m
        JOIN "Department" de ON de."municipalityId" = mu.id AND de.code = k.d
        JOIN "DepartmentPlan" p ON p."departmentId" = de.id AND p."fiscalYear" = k.y
        JOIN "Initiative" i ON i."planId" = p.id AND i.position = k.n`),
    );
  }
  const [newest] = await prisma.$queryRaw<{ last: bigint }[]>`
    SELECT coalesce(max(id), 0) AS last FROM "ChangeRecord"`;
  const last = newest?.last ?? 0n;
  return async function restore() {
    await prisma.$transaction([
      prisma.$executeRaw`
        UPDATE "Initiative" i SET version = k.v, "updatedAt" = k.t
        FROM unnest(${saved.map((r) => r.id)}::int[], ${saved.map((r) => r.version)}::int[],
          ${saved.map((r) => r.updatedAt)}::timestamptz[]) AS k(id, v, t)
        WHERE i.id = k.id`,
      prisma.$executeRaw`DELETE FROM "ChangeRecord" WHERE id > ${last}`,
    ]);
    await prisma.$executeRawUnsafe('VACUUM ANALYZE "Initiative", "ChangeRecord"');
    return { rows: saved.length, changeRecordsAfter: last.toString() };
  };
}

/** PostgreSQL updating the same rows' texts: one UPDATE per 1,000, in one transaction, undone. */
async function baselineWrite(prisma: PrismaClient, rows: Row[]) {
  let updated = 0;
  const run = await timed(async () => {
    try {
      await prisma.$transaction(
        async (tx) => {
          for (const chunk of chunks(rows)) {
            const [m, d, y, n] = keyArrays(chunk);
            const texts = chunk.map((r) => String(r.text));
            updated += await tx.$executeRaw`
              UPDATE "Initiative" i SET text = k.t, version = i.version + 1
              FROM unnest(${m}::text[], ${d}::text[], ${y}::int[], ${n}::int[], ${texts}::text[]) AS k(m, d, y, n, t)
              JOIN "Municipality" mu ON mu.code = k.m
              JOIN "Department" de ON de."municipalityId" = mu.id AND de.code = k.d
              JOIN "DepartmentPlan" p ON p."departmentId" = de.id AND p."fiscalYear" = k.y
              WHERE i."planId" = p.id AND i.position = k.n`;
          }
          throw new RollBack();
        },
        { timeout: 3_600_000, maxWait: 60_000 },
      );
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
    }
  });
  return { rows: updated, seconds: run.seconds, rowsPerSecond: round(updated / run.seconds) };
}

const results: Record<string, unknown> = {
  size,
  rows: importRows,
  editedRows,
  loadAverageAtStart: loadavg().map((n) => Math.round(n * 10) / 10),
};
const dir = await mkdtemp(join(tmpdir(), 'hoshin-bench-import-'));
try {
  const built = embeddedOnly
    ? undefined
    : await ensurePostgres(size, Number(process.env.BENCH_SEED ?? 1), {});
  const db = built && (await openDatabase({ url: built.url }));
  if (built && db) {
    results.database = built.where;
    const unchangedFile = join(dir, 'initiatives.jsonl');
    const editedFile = join(dir, 'initiatives-edited.jsonl');
    const rows = await exportedRows(db, importRows, unchangedFile);
    const edited = rows
      .slice(0, editedRows)
      .map((row) => ({ ...row, text: `${String(row.text)}${EDIT}` }));
    await writeLines(editedFile, edited);
    const unchangedOfEdited = join(dir, 'initiatives-unchanged-edited.jsonl');
    await writeLines(unchangedOfEdited, rows.slice(0, editedRows));
    console.error(`${rows.length} rows exported`);

    const dryUnchanged = await importFile(db, unchangedFile, true, { count: true });
    const readBaseline = await baselineRead(db.prisma, rows);
    results['dry run, unchanged file'] = {
      ...dryUnchanged,
      baseline: readBaseline,
      ratio: Math.round((dryUnchanged.rowsPerSecond / readBaseline.rowsPerSecond) * 1000) / 1000,
    };
    console.error(results['dry run, unchanged file']);

    const writeBaseline = await baselineWrite(db.prisma, edited);
    const dryEdited = await importFile(db, editedFile, true, { count: true });
    results['dry run, every text edited'] = {
      ...dryEdited,
      baseline: writeBaseline,
      ratio: Math.round((dryEdited.rowsPerSecond / writeBaseline.rowsPerSecond) * 1000) / 1000,
    };
    console.error(results['dry run, every text edited']);
    const restore = await restorable(db.prisma, edited);
    const applied = await importFile(db, editedFile, false, { count: true });
    const undone = await importFile(db, unchangedOfEdited, false);
    results['applied, every text edited'] = {
      ...applied,
      baseline: writeBaseline,
      ratio: Math.round((applied.rowsPerSecond / writeBaseline.rowsPerSecond) * 1000) / 1000,
      undone,
      restored: await restore(),
    };
    console.error(results['applied, every text edited']);
    await db.close();
  }

  if (embedded) results.embedded = await embeddedFigures();
  results.loadAverageAtEnd = loadavg().map((n) => Math.round(n * 10) / 10);
} finally {
  await rm(dir, { recursive: true, force: true });
}
const out = join(
  repoRoot,
  'bench/results',
  embeddedOnly ? 'import-embedded.json' : `import-${size}.json`,
);
await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));

/**
 * On PGlite (prefecture size): the contract query every 20 ms for 3 s alone, then while a
 * 2,000-row import runs (dry run of the unchanged file, then applied with every text edited).
 */
async function embeddedFigures() {
  const EMBEDDED: SizeName = 'prefecture';
  await ensurePglite(EMBEDDED, Number(process.env.BENCH_SEED ?? 1));
  const folder = await copyPgliteDir(EMBEDDED, 'import');
  const pglite = await createPGlite(folder);
  const db = await openDatabase({ pglite });
  const yoga = createHoshinYoga({
    db,
    graphiql: false,
    security: { reportCost: false },
    cursorKey: cursorKeyFromSecret(BENCH_CURSOR_SECRET),
  });
  const ask = async () => {
    const started = performance.now();
    const response = await yoga.fetch('http://yoga/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: contractScenario.body,
    });
    await response.text();
    return performance.now() - started;
  };
  /** Latencies of the contract query asked every 20 ms (one at a time) until `until` settles. */
  async function probe(until: Promise<unknown>) {
    let done = false;
    void until.finally(() => {
      done = true;
    });
    const latencies: number[] = [];
    // From the moment each query was due (20 ms after the last answer): PGlite runs in this
    // process, so a long statement or a long stretch of the import's own work delays the
    // query before it is even asked, which its latency alone would not show.
    const waits: number[] = [];
    while (!done) {
      const due = performance.now() + 20;
      await new Promise((resolve) => setTimeout(resolve, 20));
      latencies.push(await ask());
      waits.push(performance.now() - due);
    }
    await until;
    latencies.sort((a, b) => a - b);
    waits.sort((a, b) => a - b);
    return {
      queries: latencies.length,
      p50Ms: round(latencies[Math.floor(latencies.length / 2)] ?? 0),
      maxMs: round(latencies.at(-1) ?? 0),
      /** The longest a query waited from when it was due to its answer. */
      maxFromDueMs: round(waits.at(-1) ?? 0),
    };
  }
  try {
    // A running server has loaded Prisma's query compiler before any import: an upload's token
    // is read through Prisma (auth/tokens.ts), as are its startup's reminders. The first Prisma
    // query of a process compiles that WebAssembly synchronously (0.3-1 s of the event loop),
    // which the contract query (compiled SQL, no Prisma) never does: here, not in the import.
    await db.prisma.apiToken.findUnique({ where: { prefix: 'bench' } });
    await ask();
    const unchangedFile = join(dir, 'embedded.jsonl');
    const editedFile = join(dir, 'embedded-edited.jsonl');
    const rows = await exportedRows(db, 2000, unchangedFile);
    await writeLines(
      editedFile,
      rows
        .slice(0, Math.min(editedRows, 2000))
        .map((row) => ({ ...row, text: `${String(row.text)}${EDIT}` })),
    );
    const alone = await probe(new Promise((resolve) => setTimeout(resolve, 3000)));
    const dryImport = importFile(db, unchangedFile, true);
    const duringDryRun = await probe(dryImport);
    const appliedImport = importFile(db, editedFile, false, { count: true });
    const duringApplied = await probe(appliedImport);
    return {
      database: `pglite ${EMBEDDED} (a copy)`,
      alone,
      'during a dry run (2,000 rows unchanged)': { ...duringDryRun, import: await dryImport },
      [`during an applied import (${Math.min(editedRows, 2000)} texts edited)`]: {
        ...duringApplied,
        import: await appliedImport,
      },
    };
  } finally {
    await db.close(); // and its PGlite
    await rm(folder, { recursive: true, force: true });
  }
}
