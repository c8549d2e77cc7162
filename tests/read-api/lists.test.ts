import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories } from '../support/factories.ts';

let api: TestApi;
let draft: Awaited<ReturnType<ReturnType<typeof factories>['plan']>>;
let published2013: Awaited<ReturnType<ReturnType<typeof factories>['plan']>>;

// A city of its own: two departments, FY2012 and FY2013 plans, one draft.
beforeAll(async () => {
  api = await startTestApi({ seed: true });
  const make = factories(api.db.prisma);
  const city = await make.municipality({ code: '990001', name: '試験市' });
  const soumu = await make.department(city.id, { code: 'soumu', name: '総務部', displayOrder: 1 });
  const kankyo = await make.department(city.id, {
    code: 'kankyo',
    name: '環境部',
    displayOrder: 2,
    establishedIn: 2013,
  });
  await make.plan(soumu.id, {
    fiscalYear: 2012,
    initiatives: [
      {
        text: '窓口サービスを改善します。',
        evaluation: { rating: 'ACHIEVED', progressPercent: 100 },
      },
      {
        text: '☞なし:事務事業を見直します。',
        isAdministrativeReform: true,
        evaluation: { rating: 'NOT_ACHIEVED', status: 'DRAFT' },
      },
    ],
  });
  published2013 = await make.plan(soumu.id, {
    fiscalYear: 2013,
    initiatives: [{ text: '防災計画を改定します。' }],
  });
  draft = await make.plan(kankyo.id, {
    fiscalYear: 2013,
    status: 'DRAFT',
    initiatives: [{ text: '秘密の下書き事業です。', isAdministrativeReform: true }],
  });
});
afterAll(() => api.close());

describe('plans', () => {
  it('lists plans of a municipality newest year first, then in department order, with a total', async () => {
    const { data, errors } = await api.query(`{
      plans(filter: { municipality: "990001" }) {
        totalCount
        edges { node { fiscalYear { year } department { code } } }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data?.plans.totalCount).toBe(2);
    expect(
      data?.plans.edges.map((e: any) => [e.node.fiscalYear.year, e.node.department.code]),
    ).toEqual([
      [2013, 'soumu'],
      [2012, 'soumu'],
    ]);
  });

  it('lists the eight Mitaka departments of FY2012 in the order of the source document', async () => {
    const { data } = await api.query(`{
      plans(filter: { municipality: "132047", fiscalYear: 2012 }, first: 100) {
        totalCount edges { node { department { name } } }
      }
    }`);
    expect(data?.plans.totalCount).toBe(8);
    expect(data?.plans.edges.map((e: any) => e.node.department.name)).toEqual([
      '企画部',
      '総務部',
      '市民部',
      '生活環境部',
      '健康福祉部',
      '子ども政策部',
      '都市整備部',
      '教育部',
    ]);
  });

  it('follows a department moved in the display order (copied onto its plans by the database)', async () => {
    const names = async () =>
      (
        await api.query(`{ plans(filter: { municipality: "132047", fiscalYear: 2012 }, first: 3) {
          edges { node { department { name } } } } }`)
      ).data?.plans.edges.map((e: any) => e.node.department.name);
    const kyoiku = await api.db.prisma.department.findFirstOrThrow({ where: { code: 'kyoiku' } });
    await api.db.prisma.department.update({ where: { id: kyoiku.id }, data: { displayOrder: -1 } });
    try {
      expect(await names()).toEqual(['教育部', '企画部', '総務部']);
      const initiatives =
        await api.query(`{ initiatives(filter: { municipality: "132047", fiscalYear: 2012 }, first: 1) {
        edges { node { plan { department { name } } } } } }`);
      expect(initiatives.data?.initiatives.edges[0].node.plan.department.name).toBe('教育部');
    } finally {
      await api.db.prisma.department.update({
        where: { id: kyoiku.id },
        data: { displayOrder: kyoiku.displayOrder },
      });
    }
    expect(await names()).toEqual(['企画部', '総務部', '市民部']);
  });

  it('pages through plans with cursors, without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response: any = await api.query(
        `query ($after: String) { plans(filter: { fiscalYear: 2012 }, first: 3, after: $after) {
          edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      seen.push(...response.data.plans.edges.map((e: any) => e.node.id));
      if (!response.data.plans.pageInfo.hasNextPage) break;
      after = response.data.plans.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(9); // 8 in Mitaka, 1 in the test city
    expect(new Set(seen).size).toBe(9);
  });
});

describe('initiatives', () => {
  it('finds initiatives by a Japanese substring', async () => {
    const { data } = await api.query(`{
      initiatives(filter: { search: "耐震" }) { totalCount edges { node { text plan { department { name } } } } }
    }`);
    expect(data?.initiatives.totalCount).toBe(3);
    expect(data?.initiatives.edges.map((e: any) => e.node.plan.department.name)).toEqual([
      '子ども政策部',
      '都市整備部',
      '都市整備部',
    ]);
  });

  it('treats % and _ in a search as ordinary characters', async () => {
    const { data } = await api.query(`{ initiatives(filter: { search: "%" }) { totalCount } }`);
    expect(data?.initiatives.totalCount).toBe(0);
  });

  it('filters Mitaka FY2012 by the administrative-reform flag', async () => {
    const { data } = await api.query(`{
      initiatives(filter: { municipality: "132047", fiscalYear: 2012, isAdministrativeReform: true }) {
        totalCount edges { node { plan { department { code } } } }
      }
    }`);
    expect(data?.initiatives.totalCount).toBe(4);
    expect(data?.initiatives.edges.map((e: any) => e.node.plan.department.code)).toEqual([
      'kikaku',
      'somu',
      'shimin',
      'kenko-fukushi',
    ]);
  });

  it('keeps the footnote (※) with its initiative', async () => {
    const { data } = await api.query(`{
      plan(municipality: "132047", department: "somu", fiscalYear: 2012) {
        initiatives { edges { node { position footnotes } } }
      }
    }`);
    expect(data?.plan.initiatives.edges.map((e: any) => e.node.footnotes)).toEqual([
      [],
      ['震災時に優先的に取り組む業務や必要な体制などを定めたもの。'],
      [],
    ]);
  });

  it('filters a plan’s initiatives by the reform flag', async () => {
    const { data } = await api.query(`{
      plan(municipality: "990001", department: "soumu", fiscalYear: 2012) {
        initiatives(isAdministrativeReform: true) { totalCount edges { node { position } } }
      }
    }`);
    expect(data?.plan.initiatives).toEqual({ totalCount: 1, edges: [{ node: { position: 2 } }] });
  });
});

describe('evaluations', () => {
  it('shows published evaluations and hides draft ones', async () => {
    const { data } = await api.query(`{
      plan(municipality: "990001", department: "soumu", fiscalYear: 2012) {
        initiatives { edges { node { evaluation { rating progressPercent } } } }
      }
      evaluations(filter: { municipality: "990001" }) { totalCount edges { node { rating initiative { position } } } }
    }`);
    expect(data?.plan.initiatives.edges.map((e: any) => e.node.evaluation)).toEqual([
      { rating: 'ACHIEVED', progressPercent: 100 },
      null,
    ]);
    expect(data?.evaluations).toEqual({
      totalCount: 1,
      edges: [{ node: { rating: 'ACHIEVED', initiative: { position: 1 } } }],
    });
  });
});

describe('drafts are invisible to the public through every path', () => {
  it('plan(...) returns null for a draft', async () => {
    const { data, errors } = await api.query(
      `{ plan(municipality: "990001", department: "kankyo", fiscalYear: 2013) { id } }`,
    );
    expect(errors).toBeUndefined();
    expect(data?.plan).toBeNull();
  });

  it('lists, search, department.plan and totals leave drafts out', async () => {
    const { data } = await api.query(`{
      plans(filter: { municipality: "990001", fiscalYear: 2013 }) { totalCount edges { node { department { code } } } }
      initiatives(filter: { search: "秘密" }) { totalCount }
      reform: initiatives(filter: { municipality: "990001", isAdministrativeReform: true }) { totalCount }
      department(municipality: "990001", code: "kankyo") { plan(fiscalYear: 2013) { id } plans { totalCount } }
    }`);
    expect(data?.plans).toEqual({
      totalCount: 1,
      edges: [{ node: { department: { code: 'soumu' } } }],
    });
    expect(data?.initiatives.totalCount).toBe(0);
    expect(data?.reform.totalCount).toBe(1);
    expect(data?.department).toEqual({ plan: null, plans: { totalCount: 0 } });
  });

  it('node(id:) returns null for a draft plan and its initiatives, but finds published ones', async () => {
    const id = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64');
    const { data, errors } = await api.query(
      `query ($draft: ID!, $draftInitiative: ID!, $published: ID!) {
        draft: node(id: $draft) { id }
        draftInitiative: node(id: $draftInitiative) { id }
        published: node(id: $published) { ... on DepartmentPlan { fiscalYear { label } } }
      }`,
      {
        draft: id('DepartmentPlan', draft.id),
        draftInitiative: id('Initiative', draft.initiatives[0]?.id ?? 0),
        published: id('DepartmentPlan', published2013.id),
      },
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      draft: null,
      draftInitiative: null,
      published: { fiscalYear: { label: '平成25年度' } },
    });
  });
});

describe('departments and municipalities', () => {
  it('lists the departments that existed in a fiscal year', async () => {
    const { data } = await api.query(`{
      in2012: departments(municipality: "990001", fiscalYear: 2012) { code }
      in2013: departments(municipality: "990001", fiscalYear: 2013) { code establishedIn { label } }
    }`);
    expect(data?.in2012).toEqual([{ code: 'soumu' }]);
    expect(data?.in2013).toEqual([
      { code: 'soumu', establishedIn: null },
      { code: 'kankyo', establishedIn: { label: '平成25年度' } },
    ]);
  });

  it('describes Mitaka with its contact section and white paper', async () => {
    const { data } = await api.query(`{
      municipality(code: "132047") {
        name prefecture contact { section extension }
        whitePapers { title publicationDate reportsOn { year label } }
      }
      municipalities { totalCount }
    }`);
    expect(data?.municipality).toEqual({
      name: '三鷹市',
      prefecture: '東京都',
      contact: { section: '企画経営課', extension: '2150' },
      whitePapers: [
        {
          title: '三鷹市自治体経営白書2012',
          publicationDate: '2012-07',
          reportsOn: { year: 2011, label: '平成23年度' },
        },
      ],
    });
    expect(data?.municipalities.totalCount).toBe(2);
  });

  it('refetches any node by the global ID it returned', async () => {
    const first = await api.query(
      `{ municipality(code: "132047") { id departments { id name } } }`,
    );
    const department = first.data?.municipality.departments[7];
    const again = await api.query(
      `query ($id: ID!) { node(id: $id) { ... on Department { name } } }`,
      {
        id: department.id,
      },
    );
    expect(again.data?.node).toEqual({ name: '教育部' });
  });
});

describe('year summary', () => {
  it('counts Mitaka FY2012 by department, with the reform share', async () => {
    const { data, errors } = await api.query(`{
      yearSummary(municipality: "132047", fiscalYear: 2012) {
        fiscalYear { label } planCount initiativeCount reformCount reformShare
        byDepartment { departmentName initiativeCount reformCount }
        evaluatedCount achievement { rating count }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data?.yearSummary).toMatchObject({
      fiscalYear: { label: '平成24年度' },
      planCount: 8,
      initiativeCount: 24,
      reformCount: 4,
      reformShare: 4 / 24,
      evaluatedCount: 0,
    });
    expect(data?.yearSummary.byDepartment[1]).toEqual({
      departmentName: '総務部',
      initiativeCount: 3,
      reformCount: 1,
    });
  });

  it('counts only what the caller may see: drafts and draft evaluations are left out', async () => {
    const { data } = await api.query(`{
      y2012: yearSummary(municipality: "990001", fiscalYear: 2012) { planCount initiativeCount achievement { rating count } }
      y2013: yearSummary(municipality: "990001", fiscalYear: 2013) { planCount byDepartment { departmentName } }
    }`);
    expect(data?.y2012.planCount).toBe(1);
    expect(data?.y2012.achievement).toEqual([
      { rating: 'ACHIEVED', count: 1 },
      { rating: 'MOSTLY_ACHIEVED', count: 0 },
      { rating: 'PARTIALLY_ACHIEVED', count: 0 },
      { rating: 'NOT_ACHIEVED', count: 0 },
    ]);
    expect(data?.y2013).toEqual({ planCount: 1, byDepartment: [{ departmentName: '総務部' }] });
  });
});

describe('the yearly cycle as data', () => {
  it("answers what last year's evaluation changed: the next year's initiative names the evaluation it carries on", async () => {
    const prisma = api.db.prisma;
    const make = factories(prisma);
    const city = await make.municipality({ code: '990061' });
    const department = await make.department(city.id, { code: 'kyoiku' });
    const last = await make.plan(department.id, {
      fiscalYear: 2012,
      initiatives: [{ text: '旧事業', evaluation: { rating: 'PARTIALLY_ACHIEVED' } }],
    });
    const next = await make.plan(department.id, {
      fiscalYear: 2013,
      initiatives: [{ text: '拡充した事業' }],
    });
    await prisma.evaluation.updateMany({
      where: { initiativeId: last.initiatives[0]?.id },
      data: { decision: 'EXPAND', nextInitiativeId: next.initiatives[0]?.id },
    });
    const { data } = await api.query(`{
      plan(municipality: "990061", department: "kyoiku", fiscalYear: 2013) {
        initiatives { edges { node { text carriedFrom { rating decision initiative { text plan { fiscalYear { label } } } } } } }
      }
    }`);
    expect(data?.plan.initiatives.edges[0].node).toEqual({
      text: '拡充した事業',
      carriedFrom: [
        {
          rating: 'PARTIALLY_ACHIEVED',
          decision: 'EXPAND',
          initiative: { text: '旧事業', plan: { fiscalYear: { label: '平成24年度' } } },
        },
      ],
    });
  });
});
