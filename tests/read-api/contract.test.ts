import { readFile } from 'node:fs/promises';
import { mitakaSeedPath } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories } from '../support/factories.ts';

// The query of the architecture's contract sketch, exactly as a front end writes it.
const GOALS_OF_DEPARTMENT = /* GraphQL */ `
  query GoalsOfDepartment {
    plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) {
      department { code name }
      fiscalYear { year label }
      mission staffCount budgetYen policy status
      initiatives(first: 20) {
        totalCount
        edges { cursor node { position text isAdministrativeReform footnotes evaluation { rating } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: true });
});
afterAll(() => api.close());

describe('the contract query', () => {
  it('returns 教育部 FY2012 with its three initiatives, word for word', async () => {
    const seed = JSON.parse(await readFile(mitakaSeedPath, 'utf8'));
    const kyoiku = seed.departments.find((d: { code: string }) => d.code === 'kyoiku');

    const response = await api.query(GOALS_OF_DEPARTMENT);

    expect(response.errors).toBeUndefined();
    const plan = response.data?.plan;
    expect(plan.department).toEqual({ code: 'kyoiku', name: '教育部' });
    expect(plan.fiscalYear).toEqual({ year: 2012, label: '平成24年度' });
    // The source document gives no mission, staff or budget: nothing is invented.
    expect(plan).toMatchObject({
      mission: null,
      staffCount: null,
      budgetYen: null,
      policy: null,
      status: 'PUBLISHED',
    });
    expect(plan.initiatives.totalCount).toBe(3);
    expect(plan.initiatives.edges.map((e: any) => e.node)).toEqual([
      {
        position: 1,
        text: '学校支援者の拡大など、コミュニティ・スクールを基盤とした小・中一貫教育のさらなる充実と発展を目指します。',
        isAdministrativeReform: false,
        footnotes: [],
        evaluation: null,
      },
      {
        position: 2,
        text: '三鷹中央学園第三小学校の建て替え工事を進め、年内の新校舎完成を目指します。',
        isAdministrativeReform: false,
        footnotes: [],
        evaluation: null,
      },
      {
        position: 3,
        text: 'スポーツ祭東京2013(東京国体)に向け、開催気運を醸成するためリハーサル大会を開催するとともに、イベントなどの啓発事業を実施します。',
        isAdministrativeReform: false,
        footnotes: [],
        evaluation: null,
      },
    ]);
    expect(plan.initiatives.edges.map((e: any) => e.node.text)).toEqual(
      kyoiku.plans[0].initiatives.map((i: { text: string }) => i.text),
    );
    expect(plan.initiatives.pageInfo).toEqual({
      hasNextPage: false,
      endCursor: plan.initiatives.edges[2].cursor,
    });
  });

  it('costs one SQL statement, whatever the number of initiatives', async () => {
    const make = factories(api.db.prisma);
    const city = await make.municipality({ code: '999991' });
    const countsBySize: Record<number, number> = {};
    for (const size of [1, 5, 40]) {
      const department = await make.department(city.id, { code: `size-${size}` });
      await make.plan(department.id, {
        fiscalYear: 2012,
        initiatives: Array.from({ length: size }, (_, i) => ({
          text: `事業${i + 1}`,
          evaluation: { rating: 'ACHIEVED' as const },
        })),
      });
      const { result, queries } = await api.db.recordReadQueries(() =>
        api.query(
          GOALS_OF_DEPARTMENT.replace('"132047"', '"999991"').replace('kyoiku', `size-${size}`),
        ),
      );
      expect(result.errors).toBeUndefined();
      expect(result.data?.plan.initiatives.totalCount).toBe(size);
      expect(
        result.data?.plan.initiatives.edges.every(
          (e: any) => e.node.evaluation.rating === 'ACHIEVED',
        ),
      ).toBe(true);
      countsBySize[size] = queries.length;
    }
    expect(countsBySize).toEqual({ 1: 1, 5: 1, 40: 1 });
  });

  it('a list with nested relations costs the same number of statements at any page size', async () => {
    const firstPages = [];
    const nextPages = [];
    const list = (first: number, after?: string) =>
      api.db.recordReadQueries(() =>
        api.query(`{ plans(filter: { municipality: "132047", fiscalYear: 2012 }, first: ${first}${after ? `, after: "${after}"` : ''}) {
          edges { node { department { name } initiatives(first: 10) { edges { node { text evaluation { rating } } } } } }
          pageInfo { endCursor } } }`),
      );
    for (const first of [1, 2, 4]) {
      const page = await list(first);
      expect(page.result.data?.plans.edges).toHaveLength(first);
      firstPages.push(page.queries.length);
      const next = await list(first, page.result.data?.plans.pageInfo.endCursor);
      expect(next.result.data?.plans.edges).toHaveLength(first);
      nextPages.push(next.queries.length);
    }
    // Every page, first or later, is a compiled read: one statement.
    expect(firstPages).toEqual([1, 1, 1]);
    expect(nextPages).toEqual([1, 1, 1]);
  });
});
