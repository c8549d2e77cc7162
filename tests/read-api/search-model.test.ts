// Search against a model (issue 30): whatever the statements a search runs (the page through
// Prisma's LIKE, the count through graphql/compiled/where.ts with the two-character index of
// 20261207100000_initiative_search_bigrams), a searched list holds exactly the rows a plain
// substring scan finds among those the viewer may see, in PLAN_ORDER, and counts them. Random
// texts over a small alphabet (kana in both widths, LIKE's wildcards and escape, digits in
// both widths), random words of one to three characters, random years and viewers.
import { searchForm } from '@hoshin/server/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

const seed = Number(process.env.SEARCH_MODEL_SEED ?? Date.now() % 2 ** 31);
const runs = Number(process.env.SEARCH_MODEL_RUNS ?? 40);

const CITY = '990170';
const YEARS = [2012, 2013, 2014];
const ALPHABET = [
  '防',
  '災',
  '計',
  '画',
  'コ',
  'ｺ',
  'こ',
  'ミ',
  'ﾐ',
  'み',
  'A',
  'a',
  '%',
  '_',
  '\\',
  '1',
  '１',
];

let api: TestApi;
let planning: string;
let editor: string;

const text = (length: number) => fc.array(fc.constantFrom(...ALPHABET), { maxLength: length });

beforeAll(async () => {
  api = await startTestApi();
  const make = factories(api.db.prisma);
  const city = await make.municipality({ code: CITY, name: '模型市' });
  const departments = [
    await make.department(city.id, { code: 'soumu', name: '総務部', displayOrder: 1 }),
    await make.department(city.id, { code: 'kikaku', name: '企画部', displayOrder: 2 }),
  ];
  planning = await tokenFor(api.db.prisma, { role: 'PLANNING', municipality: CITY, name: '企画' });
  editor = await tokenFor(api.db.prisma, {
    role: 'EDITOR',
    municipality: CITY,
    department: 'kikaku',
    name: '企画部',
  });
  // The data come from the same seed as the searches.
  const [texts] = fc.sample(
    fc.array(fc.record({ text: text(10), footnote: fc.option(text(4)) }), {
      minLength: 90,
      maxLength: 90,
    }),
    { seed, numRuns: 1 },
  );
  let next = 0;
  for (const department of departments) {
    for (const fiscalYear of YEARS) {
      const initiatives = (texts ?? []).slice(next, next + 15).map((row) => ({
        text: row.text.join(''),
        footnotes: row.footnote ? [row.footnote.join('')] : [],
      }));
      next += 15;
      // A year of drafts in one department: the public must never see them.
      const status =
        department.id === departments[1]?.id && fiscalYear === 2013 ? 'DRAFT' : 'PUBLISHED';
      await make.plan(department.id, { fiscalYear, status, initiatives });
    }
  }
});
afterAll(() => api.close());

type Viewer = 'public' | 'planning' | 'editor';

/** The model: a substring test (strpos, no LIKE) over the rows the viewer may see, in PLAN_ORDER. */
async function modelIds(words: string[], fiscalYear: number | null, viewer: Viewer) {
  const visible =
    viewer === 'public'
      ? `p.status = 'PUBLISHED'`
      : viewer === 'planning'
        ? 'TRUE'
        : `(p.status = 'PUBLISHED' OR d.code = 'kikaku')`;
  const rows = await api.db.prisma.$queryRawUnsafe<Array<{ id: number }>>(
    `SELECT i.id FROM "Initiative" i JOIN "DepartmentPlan" p ON p.id = i."planId"
       JOIN "Department" d ON d.id = p."departmentId" JOIN "Municipality" m ON m.id = d."municipalityId"
     WHERE m.code = $1 AND ($2::int IS NULL OR p."fiscalYear" = $2) AND ${visible}
       AND (SELECT bool_and(strpos(i."searchText", w) > 0) FROM unnest($3::text[]) AS w)
     ORDER BY p."fiscalYear" DESC, d."displayOrder", p.id, i.position`,
    CITY,
    fiscalYear,
    words,
  );
  return rows.map((row) => row.id);
}

async function searched(search: string, fiscalYear: number | null, viewer: Viewer) {
  const token = viewer === 'public' ? undefined : viewer === 'planning' ? planning : editor;
  const response = await api.query(
    `query ($search: String!, $city: String!, $year: Int) {
      initiatives(filter: { municipality: $city, fiscalYear: $year, search: $search }, first: 100) {
        totalCount totalCountIsEstimate edges { node { id } }
      }
    }`,
    { search, city: CITY, year: fiscalYear },
    token,
  );
  expect(response.errors).toBeUndefined();
  const list = response.data?.initiatives;
  return {
    ids: list.edges.map((edge: { node: { id: string } }) =>
      Number(Buffer.from(edge.node.id, 'base64').toString().split(':')[1]),
    ),
    totalCount: list.totalCount as number,
    estimate: list.totalCountIsEstimate as boolean,
  };
}

describe('search, model-based', () => {
  it('finds and counts what a substring scan finds among the visible rows, in PLAN_ORDER', async () => {
    console.log(`search model: seed ${seed} (replay with SEARCH_MODEL_SEED=${seed}), ${runs} runs`);
    let matched = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc
            .array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 3 })
            .map((w) => w.join('')),
          { minLength: 1, maxLength: 2 },
        ),
        fc.constantFrom(null, ...YEARS),
        fc.constantFrom<Viewer>('public', 'planning', 'editor'),
        async (typed, fiscalYear, viewer) => {
          const search = typed.join(' ');
          const words = [
            ...new Set(
              searchForm(search)
                .split(/\s+/u)
                .filter((w) => w.length > 0),
            ),
          ];
          const expected = await modelIds(words, fiscalYear, viewer);
          const answer = await searched(search, fiscalYear, viewer);
          matched += expected.length;
          expect(answer).toEqual({ ids: expected, totalCount: expected.length, estimate: false });
        },
      ),
      { numRuns: runs, seed, endOnFailure: true },
    );
    // Not a vacuous run: the words do find rows.
    expect(matched).toBeGreaterThan(0);
  }, 300_000);

  it('the count finds the same rows through the two-character index as by a scan', async () => {
    // Forces the index (the test table is small enough that a scan is cheaper otherwise).
    const inTransaction = async <T>(indexed: boolean, sql: string, word: string) => {
      const [, , rows] = await api.db.prisma.$transaction([
        api.db.prisma.$executeRawUnsafe(`SET LOCAL enable_seqscan = ${indexed ? 'off' : 'on'}`),
        api.db.prisma.$executeRawUnsafe(`SET LOCAL enable_indexscan = ${indexed ? 'off' : 'on'}`),
        api.db.prisma.$queryRawUnsafe<T[]>(sql, word),
      ]);
      return rows;
    };
    const indexed = `FROM "Initiative" WHERE hoshin_bigrams("searchText") @> ARRAY[$1::text]`;
    const plan = await inTransaction<{ 'QUERY PLAN': string }>(
      true,
      `EXPLAIN SELECT 1 ${indexed}`,
      'ab',
    );
    expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toContain(
      'Initiative_planFiscalYear_searchBigrams_idx',
    );
    const count = async (word: string, useIndex: boolean) => {
      const rows = await inTransaction<{ n: number }>(
        useIndex,
        `SELECT count(*)::int AS n ${useIndex ? indexed : `FROM "Initiative" WHERE strpos("searchText", $1) > 0`}`,
        word,
      );
      return rows[0]?.n;
    };
    const forms = [...new Set(ALPHABET.map(searchForm))];
    for (const a of forms) {
      for (const b of forms) {
        expect({ word: a + b, n: await count(a + b, true) }).toEqual({
          word: a + b,
          n: await count(a + b, false),
        });
      }
    }
  }, 120_000);
});
