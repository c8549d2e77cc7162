// Exports read as one SQL statement (a cursor on PostgreSQL, keyset pages on PGlite) give the
// same rows, cells and bytes as the rows read through Prisma, for the public and for staff,
// and never a row the viewer may not see.
import { Writable } from 'node:stream';
import {
  type Cell,
  ENTITY_NAMES,
  type EntityName,
  exportBatches,
  type Viewer,
  writeExport,
} from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/database.ts';
import { factories } from '../support/factories.ts';

const DRAFT_TEXT = '下書きの個別事業(非公開)';
const DRAFT_SUMMARY = '未公表の評価(非公開)';
const STAGE_SUMMARY = '自己評価の所見(職員のみ)';
/** Entities whose read is one statement (the others need a to-many relation or their own read). */
const ONE_STATEMENT: readonly EntityName[] = [
  'plans',
  'initiatives',
  'evaluations',
  'plan-years',
  'evaluation-stages',
];

let db: TestDatabase;
const anonymous: Viewer = { kind: 'anonymous' };
let planning: Viewer;

beforeAll(async () => {
  db = await createTestDatabase({ seed: true });
  const { prisma } = db;
  const mitaka = await prisma.municipality.findUniqueOrThrow({ where: { code: '132047' } });
  planning = {
    kind: 'token',
    tokenId: 0,
    actor: 'test',
    office: '企画経営課',
    role: 'PLANNING',
    municipalityId: mitaka.id,
    departmentId: null,
  };
  const kyoiku = await prisma.department.findFirstOrThrow({
    where: { code: 'kyoiku', municipalityId: mitaka.id },
  });
  const make = factories(prisma);
  // A draft plan (and its evaluation): staff only.
  await make.plan(kyoiku.id, {
    fiscalYear: 2013,
    status: 'DRAFT',
    budgetYen: 12_345_678_901n,
    initiatives: [
      {
        text: DRAFT_TEXT,
        evaluation: { rating: 'ACHIEVED', status: 'DRAFT', summary: DRAFT_SUMMARY },
      },
    ],
  });
  // A published plan with a draft evaluation, and texts a CSV must quote or neutralise.
  await make.plan(kyoiku.id, {
    fiscalYear: 2014,
    status: 'PUBLISHED',
    budgetYen: 9_007_199_254_740_993n,
    staffCount: 12,
    initiatives: [
      {
        text: '「引用」, "quotes"\n二行目',
        footnotes: ['=SUM(1,2)', 'カンマ, と改行\n'],
        isAdministrativeReform: true,
        evaluation: { rating: 'NOT_ACHIEVED', status: 'DRAFT', summary: DRAFT_SUMMARY },
      },
      {
        text: '+81 は電話番号',
        evaluation: { rating: 'ACHIEVED', status: 'PUBLISHED', summary: '公表済みの評価' },
      },
    ],
  });
  // A stage of a published evaluation: the staff's (and the committee's), never the public's.
  const published = await prisma.evaluation.findFirstOrThrow({
    where: { status: 'PUBLISHED', initiative: { plan: { status: 'PUBLISHED' } } },
  });
  await prisma.evaluationStage.create({
    data: {
      evaluationId: published.id,
      kind: 'SELF',
      rating: 'ACHIEVED',
      summary: STAGE_SUMMARY,
      state: 'COMPLETED',
      completedAt: new Date('2013-05-31T01:02:03.456Z'),
    },
  });
  await prisma.departmentPlan.updateMany({
    where: { fiscalYear: 2014, departmentId: kyoiku.id },
    data: { publishedAt: new Date('2015-03-31T15:04:05.678Z') },
  });
}, 180_000);

afterAll(async () => {
  await db?.close();
});

async function cellsOf(batches: AsyncIterable<Cell[][]>): Promise<Cell[][]> {
  const rows: Cell[][] = [];
  for await (const batch of batches) rows.push(...batch);
  return rows;
}

async function bytesOf(
  entity: EntityName,
  batches: AsyncIterable<Cell[][]>,
  format: 'csv' | 'jsonl',
) {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeExport(sink, entity, batches, { format });
  return Buffer.concat(chunks);
}

/** Statements of the one-statement read that `run` sends (its select list names c0, c1...). */
async function statementsOf(run: () => Promise<unknown>): Promise<number> {
  let heard = 0;
  const stop = db.onQuery((sql) => {
    if (sql.includes('t0.id AS c0')) heard += 1;
  });
  try {
    await run();
  } finally {
    stop();
  }
  return heard;
}

const viewers = () =>
  [
    ['the public', anonymous],
    ['planning staff', planning],
  ] as const;

describe('the same rows as read through Prisma', () => {
  it.each(ENTITY_NAMES)('%s, for the public and for staff, in pages of 3', async (entity) => {
    for (const [, viewer] of viewers()) {
      // Small batches: several pages (PGlite) and several fetches of the cursor (PostgreSQL).
      const streamed = await cellsOf(exportBatches(db, viewer, entity, {}, 3));
      const prisma = await cellsOf(exportBatches({ prisma: db.prisma }, viewer, entity, {}, 3));
      expect(streamed).toEqual(prisma);
    }
  });

  it('in a scope (a municipality and year, a department, ids)', async () => {
    for (const scope of [
      { municipality: '132047', fiscalYear: 2012 },
      { municipality: '132047', fiscalYear: 2014, department: 'kyoiku' },
      { department: 'kyoiku', position: 1 },
    ]) {
      for (const entity of ONE_STATEMENT) {
        const streamed = await cellsOf(exportBatches(db, planning, entity, scope, 5));
        const prisma = await cellsOf(
          exportBatches({ prisma: db.prisma }, planning, entity, scope, 5),
        );
        expect(streamed).toEqual(prisma);
      }
    }
  });

  it('as the same CSV and JSON Lines bytes', async () => {
    for (const entity of ['initiatives', 'plans', 'evaluations'] as const) {
      for (const format of ['csv', 'jsonl'] as const) {
        const streamed = await bytesOf(entity, exportBatches(db, planning, entity, {}, 4), format);
        const prisma = await bytesOf(
          entity,
          exportBatches({ prisma: db.prisma }, planning, entity, {}),
          format,
        );
        expect(streamed.length).toBeGreaterThan(200);
        expect(streamed.equals(prisma), `${entity}.${format}`).toBe(true);
      }
    }
  });

  it('and reads them with one statement (on PostgreSQL, one cursor whatever the batch size)', async () => {
    for (const entity of ONE_STATEMENT) {
      const heard = await statementsOf(() => cellsOf(exportBatches(db, planning, entity, {}, 2)));
      if (onPostgres) expect(heard, entity).toBe(1);
      else expect(heard, entity).toBeGreaterThan(0);
    }
  });
});

describe('an export stopped early (the client went away)', () => {
  it('leaves no transaction open and no connection taken', async () => {
    // More than the pool's connections (10): one kept by each stopped export would exhaust it.
    for (let i = 0; i < 12; i++) {
      for await (const batch of exportBatches(db, planning, 'initiatives', {}, 2)) {
        expect(batch).toHaveLength(2);
        break;
      }
    }
    if (onPostgres) {
      const [open] = await db.prisma.$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS count FROM pg_stat_activity
        WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
      expect(open?.count).toBe(0);
    }
    expect((await cellsOf(exportBatches(db, anonymous, 'initiatives', {}))).length).toBeGreaterThan(
      20,
    );
  });
});

describe('downloads never take every connection', () => {
  it('past the open cursors, an export reads pages (the same rows), and a closed cursor is free again', async () => {
    const expected = await cellsOf(
      exportBatches({ prisma: db.prisma }, planning, 'initiatives', {}),
    );
    // Exports whose clients read slowly: each holds its cursor (PostgreSQL) until it ends.
    const slow = Array.from({ length: 3 }, () =>
      exportBatches(db, planning, 'initiatives', {}, 2)[Symbol.asyncIterator](),
    );
    for (const reader of slow) expect((await reader.next()).done).toBe(false);
    let rows: Cell[][] = [];
    const whileHeld = await statementsOf(async () => {
      rows = await cellsOf(exportBatches(db, planning, 'initiatives', {}, 2));
    });
    expect(rows).toEqual(expected);
    // Pages (one statement each) on both databases while the three cursors are open.
    expect(whileHeld).toBeGreaterThan(10);
    for (const reader of slow) await reader.return(undefined);
    const afterwards = await statementsOf(() =>
      cellsOf(exportBatches(db, planning, 'initiatives', {}, 2)),
    );
    if (onPostgres) expect(afterwards).toBe(1);
  });
});

describe('what the viewer may not see', () => {
  it('never reaches the public: no draft plan, initiative or evaluation', async () => {
    for (const entity of ENTITY_NAMES) {
      const text = (
        await bytesOf(entity, exportBatches(db, anonymous, entity, {}), 'jsonl')
      ).toString();
      expect(text, entity).not.toContain(DRAFT_TEXT);
      expect(text, entity).not.toContain(DRAFT_SUMMARY);
      expect(text, entity).not.toContain(STAGE_SUMMARY);
      expect(text, entity).not.toContain('12345678901'); // the draft plan's budget
    }
    const plans = (await cellsOf(exportBatches(db, anonymous, 'plans', {}))).map((row) => row[2]);
    expect(plans).not.toContain(2013);
    expect(plans).toContain(2014);
  });

  it('reaches the staff who may see it', async () => {
    const initiatives = (
      await bytesOf('initiatives', exportBatches(db, planning, 'initiatives', {}), 'jsonl')
    ).toString();
    expect(initiatives).toContain(DRAFT_TEXT);
    const evaluations = (
      await bytesOf('evaluations', exportBatches(db, planning, 'evaluations', {}), 'jsonl')
    ).toString();
    expect(evaluations).toContain(DRAFT_SUMMARY);
    const stages = await cellsOf(exportBatches(db, planning, 'evaluation-stages', {}));
    expect(stages.flat()).toContain(STAGE_SUMMARY);
    expect(await cellsOf(exportBatches(db, anonymous, 'evaluation-stages', {}))).toEqual([]);
  });
});

describe('a destination that stops reading', () => {
  it.each(['csv', 'jsonl'] as const)(
    'stops the %s export within a batch or two, then gets every row',
    async (format) => {
      // 1,000 batches of 10 rows of 1,000 characters (about 3 KB each in UTF-8).
      const text = '個別事業'.repeat(250);
      let read = 0;
      async function* batches(): AsyncGenerator<Cell[][]> {
        for (let b = 0; b < 1000; b++) {
          read += 10;
          yield Array.from({ length: 10 }, (): Cell[] => [text]);
        }
      }
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let bytes = 0;
      // Takes the first write and does not finish it until released (a client that stopped).
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          released.then(() => done());
        },
      });
      const exporting = writeExport(sink, 'initiatives', batches(), { format });
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The piece the destination holds, one read ahead of it and the batch being written.
      expect(read).toBeLessThanOrEqual(50);
      release();
      await exporting;
      expect(read).toBe(10_000);
      expect(bytes).toBeGreaterThan(10_000 * 3000);
    },
  );
});
