// The total of a searched list (modules/search/search-count.ts): exact up to EXACT_SEARCH_COUNT
// matches, above it an estimate flagged by totalCountIsEstimate; either way only what the caller
// may see. The test tables are far smaller than the estimate's sample (SAMPLE_BLOCKS), so here
// the sample reads the whole table and the estimate must equal the visible count exactly.
import { EXACT_SEARCH_COUNT } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

let api: TestApi;
let planning: string;
let editor: string;
let make: ReturnType<typeof factories>;
let soumu: { id: number };
let kikaku: { id: number };

const CITY = '990160';
const N = EXACT_SEARCH_COUNT;

beforeAll(async () => {
  api = await startTestApi();
  make = factories(api.db.prisma);
  const city = await make.municipality({ code: CITY, name: '計数市' });
  soumu = await make.department(city.id, { code: 'soumu', name: '総務部', displayOrder: 1 });
  kikaku = await make.department(city.id, { code: 'kikaku', name: '企画部', displayOrder: 2 });
  planning = await tokenFor(api.db.prisma, { role: 'PLANNING', municipality: CITY, name: '企画' });
  editor = await tokenFor(api.db.prisma, {
    role: 'EDITOR',
    municipality: CITY,
    department: 'kikaku',
    name: '企画部',
  });
});
afterAll(() => api.close());

/** A plan of the year with `matching` initiatives holding `word` and 3 that do not. */
async function planWith(
  departmentId: number,
  fiscalYear: number,
  status: 'DRAFT' | 'PUBLISHED',
  word: string,
  matching: number,
) {
  const plan = await make.plan(departmentId, { fiscalYear, status });
  await api.db.prisma.initiative.createMany({
    data: Array.from({ length: matching + 3 }, (_, i) => ({
      planId: plan.id,
      position: i + 1,
      text: i < matching ? `第${i}号の${word}を進めます。` : `第${i}号の別の事業です。`,
    })),
  });
  return plan;
}

async function count(search: string, fiscalYear: number, token?: string) {
  const response = await api.query(
    `query ($search: String!, $city: String!, $year: Int!) {
      initiatives(filter: { municipality: $city, fiscalYear: $year, search: $search }, first: 2) {
        totalCount totalCountIsEstimate edges { node { text } }
      }
    }`,
    { search, city: CITY, year: fiscalYear },
    token,
  );
  expect(response.errors).toBeUndefined();
  const list = response.data?.initiatives;
  return { total: list.totalCount as number, estimate: list.totalCountIsEstimate as boolean };
}

describe('totalCount of a search', () => {
  it(`is exact up to ${N} matches, and an estimate flagged as such from ${N + 1} on`, async () => {
    const plan = await planWith(soumu.id, 2013, 'PUBLISHED', '閾値語', N);
    expect(await count('閾値語', 2013)).toEqual({ total: N, estimate: false });
    await api.db.prisma.initiative.create({
      data: { planId: plan.id, position: N + 10, text: 'もう一つの閾値語です。' },
    });
    expect(await count('閾値語', 2013)).toEqual({ total: N + 1, estimate: true });
  });

  it('never counts a draft for the public, exactly or in the estimate; staff count their drafts', async () => {
    await planWith(soumu.id, 2014, 'PUBLISHED', '下書語', 3);
    await planWith(kikaku.id, 2014, 'DRAFT', '下書語', N + 5);
    expect(await count('下書語', 2014)).toEqual({ total: 3, estimate: false });
    expect(await count('下書語', 2014, planning)).toEqual({ total: N + 8, estimate: true });
    expect(await count('下書語', 2014, editor)).toEqual({ total: N + 8, estimate: true });

    // Above the threshold for the public too: the estimate samples only what the public sees.
    await planWith(soumu.id, 2015, 'PUBLISHED', '公開語', N + 2);
    await planWith(kikaku.id, 2015, 'DRAFT', '公開語', N);
    expect(await count('公開語', 2015)).toEqual({ total: N + 2, estimate: true });
    expect(await count('公開語', 2015, planning)).toEqual({ total: 2 * N + 2, estimate: true });
  });

  it("counts drafts below the threshold exactly, each viewer's own", async () => {
    await planWith(soumu.id, 2018, 'DRAFT', '小下書', 1);
    await planWith(kikaku.id, 2018, 'DRAFT', '小下書', 2);
    expect(await count('小下書', 2018)).toEqual({ total: 0, estimate: false });
    expect(await count('小下書', 2018, editor)).toEqual({ total: 2, estimate: false });
    expect(await count('小下書', 2018, planning)).toEqual({ total: 3, estimate: false });
  });

  it('is exact, never flagged, for a list without search', async () => {
    await planWith(soumu.id, 2016, 'PUBLISHED', '無検索語', N + 1);
    const response = await api.query(
      `query ($city: String!) {
        initiatives(filter: { municipality: $city, fiscalYear: 2016 }) { totalCount totalCountIsEstimate }
      }`,
      { city: CITY },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.initiatives).toEqual({ totalCount: N + 4, totalCountIsEstimate: false });
  });
});

describe('PLAN_ORDER through the copies on the initiative', () => {
  it("follows a department's new display order (Initiative.planDepartmentOrder is kept by triggers)", async () => {
    await planWith(soumu.id, 2017, 'PUBLISHED', '順序語', 1);
    await planWith(kikaku.id, 2017, 'PUBLISHED', '順序語', 1);
    const departments = async () => {
      const response = await api.query(
        `query ($city: String!) {
          initiatives(filter: { municipality: $city, fiscalYear: 2017, search: "順序語" }) {
            edges { node { plan { department { code } } } }
          }
        }`,
        { city: CITY },
      );
      expect(response.errors).toBeUndefined();
      return response.data?.initiatives.edges.map((e: any) => e.node.plan.department.code);
    };
    expect(await departments()).toEqual(['soumu', 'kikaku']);
    await api.db.prisma.department.update({ where: { id: kikaku.id }, data: { displayOrder: 0 } });
    expect(await departments()).toEqual(['kikaku', 'soumu']);
  });
});

/**
 * A plan of the year whose first `matching` initiatives have an evaluation (of `status`) whose
 * summary holds `word`; 2 more are evaluated without it.
 */
async function evaluatedPlanWith(
  departmentId: number,
  fiscalYear: number,
  status: 'DRAFT' | 'PUBLISHED',
  word: string,
  matching: number,
) {
  const plan = await planWith(departmentId, fiscalYear, 'PUBLISHED', '評価対象', matching + 2);
  const initiatives = await api.db.prisma.initiative.findMany({
    where: { planId: plan.id },
    orderBy: { position: 'asc' },
    select: { id: true },
  });
  await api.db.prisma.evaluation.createMany({
    data: initiatives.slice(0, matching + 2).map((initiative, i) => ({
      initiativeId: initiative.id,
      rating: 'ACHIEVED' as const,
      status,
      summary: i < matching ? `第${i}号の${word}を終えた。` : `第${i}号は別の結果。`,
    })),
  });
  return plan;
}

async function evaluations(search: string, fiscalYear: number, page: string, token?: string) {
  const response = await api.query(
    `query ($search: String!, $city: String!, $year: Int!) {
      evaluations(filter: { municipality: $city, fiscalYear: $year }, search: $search, ${page}) {
        totalCount totalCountIsEstimate edges { node { initiative { position } } }
      }
    }`,
    { search, city: CITY, year: fiscalYear },
    token,
  );
  expect(response.errors).toBeUndefined();
  const list = response.data?.evaluations;
  return {
    total: list.totalCount as number,
    estimate: list.totalCountIsEstimate as boolean,
    positions: list.edges.map((e: any) => e.node.initiative.position) as number[],
  };
}

describe('evaluations: totalCount of a search, and its pages in the initiatives order', () => {
  it(`is exact up to ${N} matches, an estimate from ${N + 1} on, and never counts a draft for the public`, async () => {
    await evaluatedPlanWith(soumu.id, 2019, 'PUBLISHED', '評価閾値', N);
    expect(await evaluations('評価閾値', 2019, 'first: 2')).toEqual({
      total: N,
      estimate: false,
      positions: [1, 2],
    });
    await evaluatedPlanWith(kikaku.id, 2019, 'DRAFT', '評価閾値', 1);
    expect((await evaluations('評価閾値', 2019, 'first: 2')).total).toBe(N);
    expect(await evaluations('評価閾値', 2019, 'first: 1', planning)).toEqual({
      total: N + 1,
      estimate: true,
      positions: [1],
    });
  });

  it("reads a page from either end in the initiatives' order, only what the viewer may see", async () => {
    // kikaku (display order 2, unless the test above moved it) holds drafts only.
    await evaluatedPlanWith(soumu.id, 2020, 'PUBLISHED', '頁語', 5);
    await evaluatedPlanWith(kikaku.id, 2020, 'DRAFT', '頁語', 3);
    expect((await evaluations('頁語', 2020, 'first: 3')).positions).toEqual([1, 2, 3]);
    expect((await evaluations('頁語', 2020, 'last: 2')).positions).toEqual([4, 5]);
    const staff = await evaluations('頁語', 2020, 'last: 4', editor);
    expect(staff.total).toBe(8);
    expect(staff.positions).toHaveLength(4);
  });
});
