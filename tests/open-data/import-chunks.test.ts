// Imports take a file a chunk of records at a time: the existing rows a chunk names are read
// together (import.ts, Rows.prefetch), then each row is checked and written by the services.
// What a user sees must not depend on where the chunks fall: all or nothing over the whole
// file, a key twice refused whichever chunk holds it, and the same report for any chunk size.
import { Readable } from 'node:stream';
import { exportBatches, runImport, type Viewer, writeExport } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  OWN_DATABASES_TIMEOUT_MS,
  onPostgres,
  type TestDatabase,
} from '../support/database.ts';

const operator: Viewer = {
  kind: 'token',
  tokenId: 0,
  actor: 'test',
  office: 'hoshin administration',
  role: 'ADMIN',
  municipalityId: null,
  departmentId: null,
};

let db: TestDatabase;
/** Mitaka FY2012's initiatives as exported: 24 rows. */
let exported: Record<string, unknown>[];

beforeAll(async () => {
  db = await createTestDatabase({ seed: true });
  const chunks: Buffer[] = [];
  const sink = new (await import('node:stream')).Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const scope = { municipality: '132047', fiscalYear: 2012 };
  await writeExport(sink, 'initiatives', exportBatches(db, operator, 'initiatives', scope), {
    format: 'jsonl',
  });
  exported = Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}, 120_000);

afterAll(async () => {
  await db?.close();
});

const edited = (row: Record<string, unknown>, mark = '〔改〕') => ({
  ...row,
  text: `${String(row.text)}${mark}`,
});

function importRows(
  rows: unknown[],
  options: { dryRun: boolean; chunkRows?: number },
  into: TestDatabase = db,
) {
  return runImport({
    prisma: into.prisma,
    viewer: operator,
    entity: 'initiatives',
    input: Readable.from([Buffer.from(rows.map((row) => JSON.stringify(row)).join('\n'))]),
    format: 'jsonl',
    ...options,
  });
}

const texts = async () =>
  (
    await db.prisma.initiative.findMany({
      where: { plan: { fiscalYear: 2012, department: { municipality: { code: '132047' } } } },
      orderBy: { id: 'asc' },
      select: { text: true },
    })
  ).map((row) => row.text);

describe('an import in chunks', () => {
  it('is all or nothing over the whole file: a rejected row in the last chunk undoes the first', async () => {
    expect(exported).toHaveLength(24);
    const before = await texts();
    const records = await db.prisma.changeRecord.count();
    const file = [...exported.map((row) => edited(row)), { ...exported[0], fiscalYear: 'x' }];
    const report = await importRows(file, { dryRun: false, chunkRows: 5 });
    expect(report.counts).toEqual({ created: 0, updated: 24, unchanged: 0, rejected: 1 });
    expect(report.rows.at(-1)?.issues?.[0]?.code).toBe('NOT_AN_INTEGER');
    expect(report.applied).toBe(false);
    expect(await texts()).toEqual(before);
    expect(await db.prisma.changeRecord.count()).toBe(records);
  });

  it('refuses a key twice whichever chunk holds it', async () => {
    const file = [...exported.slice(0, 7), exported[1]];
    const report = await importRows(file, { dryRun: true, chunkRows: 5 });
    expect(report.rows.at(-1)).toMatchObject({ row: 8, outcome: 'rejected' });
    expect(report.rows.at(-1)?.issues?.[0]?.code).toBe('DUPLICATE');
  });

  it('reports the same for any chunk size, and applies what it reports', async () => {
    // Unchanged, edited, and a new initiative (the next position of the first row's plan).
    const positions = exported.filter(
      (row) => row.department === exported[0]?.department && row.fiscalYear === 2012,
    ).length;
    const file = [
      ...exported.slice(0, 10),
      ...exported.slice(10).map((row) => edited(row, '〔再〕')),
      { ...exported[0], position: positions + 1, text: '新規の事業' },
    ];
    const one = await importRows(file, { dryRun: true, chunkRows: 1 });
    const seven = await importRows(file, { dryRun: true, chunkRows: 7 });
    const all = await importRows(file, { dryRun: true, chunkRows: 1000 });
    expect(one.counts).toEqual({ created: 1, updated: 14, unchanged: 10, rejected: 0 });
    expect(seven).toEqual(one);
    expect(all).toEqual(one);
    const last = (await db.prisma.changeRecord.findFirst({ orderBy: { id: 'desc' } }))?.id ?? 0n;
    const applied = await importRows(file, { dryRun: false, chunkRows: 7 });
    expect(applied.applied).toBe(true);
    expect(applied.counts).toEqual(one.counts);
    // An initiative's record per updated row (its text), and one for the created row.
    const written = await db.prisma.changeRecord.findMany({
      where: { id: { gt: last }, entityType: 'Initiative' },
      select: { action: true, changes: true },
    });
    expect(written.filter((r) => r.action === 'CREATE')).toHaveLength(1);
    const updates = written.filter((r) => r.action === 'UPDATE');
    expect(updates).toHaveLength(14);
    for (const update of updates) expect(Object.keys(update.changes as object)).toEqual(['text']);
    // Applied again, every row is as the file says.
    const again = await importRows(file, { dryRun: true, chunkRows: 7 });
    expect(again.counts).toEqual({ created: 0, updated: 0, unchanged: 25, rejected: 0 });
  });

  it(
    'leaves the same change records whatever the chunk size (inserted at each chunk’s end)',
    async () => {
      // Two equal databases, the first row's plan withdrawn in each (public, then staff: the
      // log's last audience is not its first); the file edits every row and adds two
      // initiatives to that plan (so the plan is changed in the first chunk and again in the
      // last, whose audience before follows the first's record).
      const [a, b] = [
        await createTestDatabase({ seed: true }),
        await createTestDatabase({ seed: true }),
      ];
      try {
        const { municipality, department, fiscalYear } = exported[0] ?? {};
        const withdrawn = JSON.stringify({ municipality, department, fiscalYear, status: 'DRAFT' });
        for (const into of [a, b]) {
          const report = await runImport({
            prisma: into.prisma,
            viewer: operator,
            entity: 'plans',
            input: Readable.from([Buffer.from(withdrawn)]),
            format: 'jsonl',
            dryRun: false,
          });
          expect(report.counts.updated).toBe(1);
        }
        const positions = exported.filter(
          (row) => row.department === exported[0]?.department && row.fiscalYear === 2012,
        ).length;
        const added = (n: number) => ({
          ...exported[0],
          position: positions + n,
          text: `追加${n}`,
        });
        const file = [
          edited(exported[0] ?? {}, '〔束〕'),
          added(1),
          ...exported.slice(1).map((row) => edited(row, '〔束〕')),
          added(2),
        ];
        const since = async (into: TestDatabase, run: () => Promise<unknown>) => {
          const last =
            (await into.prisma.changeRecord.aggregate({ _max: { id: true } }))._max.id ?? 0n;
          await run();
          return (
            await into.prisma.changeRecord.findMany({
              where: { id: { gt: last } },
              orderBy: { id: 'asc' },
            })
          ).map(({ createdAt: _, ...record }) => record);
        };
        const inTwos = await since(a, () => importRows(file, { dryRun: false, chunkRows: 2 }, a));
        const whole = await since(b, () => importRows(file, { dryRun: false, chunkRows: 1000 }, b));
        // 24 edits, two creations and the plan's two new versions.
        expect(inTwos).toHaveLength(28);
        expect(
          inTwos
            .filter((r) => r.entityType === 'DepartmentPlan')
            .map((r) => `${r.audienceBefore}>${r.audienceAfter}`),
        ).toEqual(['STAFF>STAFF', 'STAFF>STAFF']);
        expect(inTwos).toEqual(whole);
      } finally {
        await a.close();
        await b.close();
      }
    },
    OWN_DATABASES_TIMEOUT_MS,
  );

  it('checks and writes edited rows in statements per chunk, not per row', async () => {
    const statements = async (rows: Record<string, unknown>[], dryRun: boolean, mark: string) =>
      (
        await db.recordQueries(() =>
          importRows(
            rows.map((row) => edited(row, mark)),
            { dryRun, chunkRows: 1000 },
          ),
        )
      ).queries;
    const half = await statements(exported.slice(0, 12), true, '〔数〕');
    const all = await statements(exported, true, '〔数〕');
    // Read: the rows by key, as exported, and what the check needs (the rows and their plans).
    expect(all.length).toBe(half.length);
    expect(all.length).toBeLessThanOrEqual(4);
    // Applied: the same reads, the chunk's search forms and the merge of the search indexes'
    // pending entries, then one short transaction (the lock, one UPDATE for the chunk, the
    // audiences before, one INSERT of the change records), then that merge again.
    const applied = await statements(exported, false, '〔数〕');
    const appliedHalf = await statements(exported.slice(0, 12), false, '〔数二〕');
    expect(applied.length).toBe(appliedHalf.length);
    expect(applied.length - all.length).toBeLessThanOrEqual(9);
    expect(applied.filter((sql) => /^\s*UPDATE "Initiative"/.test(sql))).toHaveLength(1);
  });

  it('leaves every row the search form of its text and footnotes (computed before its transaction)', async () => {
    const file = exported.map((row, index) => ({
      ...edited(row, '〔カナ〕'),
      ...(index % 2 === 0 ? { footnotes: ['ﾃﾞｼﾞﾀﾙの注'] } : {}),
    }));
    const report = await importRows(file, { dryRun: false, chunkRows: 7 });
    expect(report.applied).toBe(true);
    const forms = () => db.prisma.$queryRaw<{ stale: number; text: number; footnote: number }[]>`
      SELECT
        count(*) FILTER (WHERE "searchText" IS DISTINCT FROM hoshin_initiative_search_form(text, footnotes))::int AS stale,
        count(*) FILTER (WHERE "searchText" LIKE '%〔かな〕%')::int AS text,
        count(*) FILTER (WHERE "searchText" LIKE '%でじたるの注%')::int AS footnote
      FROM "Initiative"`;
    expect((await forms())[0]).toEqual({ stale: 0, text: 24, footnote: 12 });
    // Nothing else writes the form: set alone, the row's trigger puts it back.
    await db.prisma
      .$executeRaw`UPDATE "Initiative" SET "searchText" = 'x' WHERE text LIKE '%〔カナ〕'`;
    expect((await forms())[0]).toEqual({ stale: 0, text: 24, footnote: 12 });
    // The rows as exported again, for the tests after this one.
    expect(await importRows(exported, { dryRun: false, chunkRows: 1000 })).toMatchObject({
      applied: true,
      counts: { updated: 24 },
    });
    expect((await forms())[0]).toEqual({ stale: 0, text: 0, footnote: 0 });
  });

  it('applies nothing when the service refuses one row of a chunk the others of which passed', async () => {
    const before = await texts();
    const records = await db.prisma.changeRecord.count();
    const file = exported.map((row, index) =>
      index === 13 ? { ...row, text: 'あ'.repeat(2001) } : edited(row, '〔全〕'),
    );
    const report = await importRows(file, { dryRun: false, chunkRows: 10 });
    expect(report.counts).toEqual({ created: 0, updated: 23, unchanged: 0, rejected: 1 });
    expect(report.rows[13]).toMatchObject({ row: 14, outcome: 'rejected' });
    expect(report.rows[13]?.issues?.[0]).toMatchObject({ field: 'text', code: 'TOO_BIG' });
    expect(report.applied).toBe(false);
    expect(await texts()).toEqual(before);
    expect(await db.prisma.changeRecord.count()).toBe(records);
  });

  it('imports the file again, in one transaction, when a row it checked is written before it applies', async () => {
    const file = exported.map((row) => edited(row, '〔後〕'));
    const lines = file.map((row) => Buffer.from(`${JSON.stringify(row)}\n`));
    const first = await db.prisma.initiative.findFirstOrThrow({
      where: {
        position: Number(exported[0]?.position),
        plan: {
          fiscalYear: Number(exported[0]?.fiscalYear),
          department: { code: String(exported[0]?.department), municipality: { code: '132047' } },
        },
      },
    });
    // The file's first chunk is checked; then, before its last record is read, someone else
    // edits the first row (its version moves); the import applies after that.
    let firstChunkChecked: () => void = () => {};
    const checked = new Promise<void>((resolve) => {
      firstChunkChecked = resolve;
    });
    let opened = 0;
    const input = () => {
      opened += 1;
      if (opened > 1) return Readable.from(lines);
      return Readable.from(
        (async function* () {
          yield* lines;
          await checked;
          await db.prisma.initiative.update({
            where: { id: first.id },
            data: { text: '他の人の編集', version: { increment: 1 } },
          });
        })(),
      );
    };
    const last = (await db.prisma.changeRecord.findFirst({ orderBy: { id: 'desc' } }))?.id ?? 0n;
    const report = await runImport({
      prisma: db.prisma,
      viewer: operator,
      entity: 'initiatives',
      input,
      format: 'jsonl',
      dryRun: false,
      chunkRows: 12,
      progressEvery: 24,
      // Record 24 is read once the first chunk has been checked (chunks are read as asked).
      onProgress: (rows) => rows === 24 && firstChunkChecked(),
    });
    expect(opened).toBe(2);
    expect(report).toMatchObject({ applied: true, counts: { updated: 24, rejected: 0 } });
    expect((await texts()).filter((text) => text.endsWith('〔後〕'))).toHaveLength(24);
    // Judged as it then was: the record of the first row starts from the other edit.
    const records = await db.prisma.changeRecord.findMany({
      where: { id: { gt: last }, entityType: 'Initiative', entityId: first.id },
      select: { changes: true },
    });
    expect(records.map((r) => r.changes)).toEqual([
      { text: { before: '他の人の編集', after: file[0]?.text } },
    ]);
    const now = await db.prisma.initiative.findUniqueOrThrow({ where: { id: first.id } });
    expect(now).toMatchObject({ text: file[0]?.text, version: first.version + 2 });
  });

  it('lets other reads run while it checks the file: none waits for the whole import', async () => {
    // One row a chunk: many short statements, outside any transaction. On the embedded
    // database (one connection) a read asked meanwhile is answered between two of them.
    let imported = false;
    // The read is asked once the import has started reading the database.
    const reading = new Promise<void>((resolve) => {
      const stop = db.onQuery((sql) => {
        if (!sql.includes('unnest')) return;
        stop();
        resolve();
      });
    });
    const importing = importRows(
      exported.map((row) => edited(row, '〔読〕')),
      { dryRun: true, chunkRows: 1 },
    ).then((report) => {
      imported = true;
      return report;
    });
    await reading;
    const read = await db.prisma.initiative.count();
    expect(read).toBeGreaterThan(0);
    expect(imported).toBe(false);
    expect((await importing).counts.updated).toBe(24);
  });

  it('reads a file in statements of 250 rows on the embedded database, 1,000 on PostgreSQL', async () => {
    // The embedded database runs each statement in this thread, holding every other request:
    // 264 rows (the 24 eleven times; the repeats are refused after their chunk's reads).
    const file = Array.from({ length: 11 }, () => exported)
      .flat()
      .map((row) => edited(row, '〔分〕'));
    const { result, queries } = await db.recordQueries(() => importRows(file, { dryRun: true }));
    expect(result.counts).toMatchObject({ updated: 24, rejected: 240 });
    const lookups = queries.filter((sql) => sql.includes('unnest'));
    expect(lookups).toHaveLength(onPostgres ? 1 : 2);
  });

  // The embedded database only: PostgreSQL answers other requests on connections of their own
  // (the test is not made there, rather than reported skipped).
  (onPostgres ? () => {} : it)(
    'lets a request that became due during one of its reads run before its next (embedded)',
    async () => {
      // As a request whose timer fell due while a statement of the staging ran (the embedded
      // database runs it in this thread): it is answered before the staging's next statement
      // (othersTurn between any two of them), not after the chunk's reads.
      const order: string[] = [];
      const asked: Promise<unknown>[] = [];
      const stop = db.onQuery((sql) => {
        const mine = sql.includes('hoshin_due');
        order.push(mine ? 'request' : sql);
        if (mine) return;
        setTimeout(() => asked.push(db.read('due', 'SELECT 1 AS hoshin_due', [])), 1);
        // The statement took its time: the request is due when it has ended.
        for (const until = performance.now() + 3; performance.now() < until; );
      });
      try {
        const report = await importRows(
          exported.map((row) => edited(row, '〔間〕')),
          { dryRun: true },
        );
        expect(report.counts.updated).toBe(24);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await Promise.all(asked);
      } finally {
        stop();
      }
      // The rows by key, as exported; the rows for the check, their plans: a request after each.
      expect(order.filter((sql) => sql !== 'request')).toHaveLength(4);
      expect(order).toEqual(order.flatMap((sql) => (sql === 'request' ? [] : [sql, 'request'])));
    },
  );
});
