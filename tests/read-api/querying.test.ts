// Lists the way a dashboard asks for them: several fiscal years, orders, facet counts, a
// department through time, and who the caller is.
import { readFileSync } from 'node:fs';
import { buildSchema, isEnumType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

let api: TestApi;
let planning: string;
let editor: string;
const CITY = '990152';

type Made = Awaited<ReturnType<ReturnType<typeof factories>['plan']>>;
let soumu2012: Made;
let soumu2013: Made;

beforeAll(async () => {
  api = await startTestApi();
  const make = factories(api.db.prisma);
  const city = await make.municipality({ code: CITY, name: '年度市' });
  const soumu = await make.department(city.id, { code: 'soumu', name: '総務部', displayOrder: 1 });
  const kankyo = await make.department(city.id, {
    code: 'kankyo',
    name: '環境部',
    displayOrder: 2,
  });
  soumu2012 = await make.plan(soumu.id, {
    fiscalYear: 2012,
    initiatives: [
      { text: '続ける事業', evaluation: { rating: 'ACHIEVED' } },
      { text: '終わる事業', isAdministrativeReform: true, evaluation: { rating: 'NOT_ACHIEVED' } },
    ],
  });
  soumu2013 = await make.plan(soumu.id, {
    fiscalYear: 2013,
    initiatives: [{ text: '続けた事業' }, { text: '新しい事業', isAdministrativeReform: true }],
  });
  // Last year's evaluation names the initiative that carries it on.
  const [carried] = soumu2012.initiatives;
  await api.db.prisma.evaluation.update({
    where: { initiativeId: carried?.id },
    data: { decision: 'CONTINUE', nextInitiativeId: soumu2013.initiatives[0]?.id },
  });
  await make.plan(soumu.id, { fiscalYear: 2014, initiatives: [{ text: '2014年度の事業' }] });
  await make.plan(kankyo.id, {
    fiscalYear: 2013,
    initiatives: [{ text: '環境の事業', evaluation: { rating: 'MOSTLY_ACHIEVED' } }],
  });
  await make.plan(kankyo.id, {
    fiscalYear: 2014,
    status: 'DRAFT',
    initiatives: [{ text: '環境の下書き', isAdministrativeReform: true }],
  });
  planning = await tokenFor(api.db.prisma, {
    role: 'PLANNING',
    municipality: CITY,
    name: '企画経営課',
    expiresAt: new Date(Date.now() + 30 * 86_400_000),
  });
  editor = await tokenFor(api.db.prisma, {
    role: 'EDITOR',
    municipality: CITY,
    department: 'kankyo',
    name: '環境部',
  });
});
afterAll(() => api.close());

const yearsAndDepartments = (data: any) =>
  data.plans.edges.map((e: any) => `${e.node.fiscalYear.year} ${e.node.department.code}`);

describe('several fiscal years', () => {
  it('lists a range of years with facet counts', async () => {
    const { data, errors } = await api.query(`{
      plans(filter: { municipality: "${CITY}", fiscalYears: { from: 2012, to: 2013 } }) {
        totalCount edges { node { fiscalYear { year } department { code } } }
      }
      planFacets(filter: { municipality: "${CITY}", fiscalYears: { from: 2012, to: 2013 } }) {
        total
        byDepartment { departmentCode departmentName count }
        byFiscalYear { fiscalYear { year label } count }
        byStatus { status count }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(yearsAndDepartments(data)).toEqual(['2013 soumu', '2013 kankyo', '2012 soumu']);
    expect(data?.planFacets).toEqual({
      total: 3,
      byDepartment: [
        { departmentCode: 'soumu', departmentName: '総務部', count: 2 },
        { departmentCode: 'kankyo', departmentName: '環境部', count: 1 },
      ],
      byFiscalYear: [
        { fiscalYear: { year: 2012, label: '平成24年度' }, count: 1 },
        { fiscalYear: { year: 2013, label: '平成25年度' }, count: 2 },
      ],
      byStatus: [{ status: 'PUBLISHED', count: 3 }],
    });
  });

  it('lists chosen years, and open ranges', async () => {
    const list = await api.query(`{
      plans(filter: { municipality: "${CITY}", fiscalYears: { in: [2012, 2014] } }) {
        edges { node { fiscalYear { year } department { code } } }
      } }`);
    expect(yearsAndDepartments(list.data)).toEqual(['2014 soumu', '2012 soumu']);
    const open = await api.query(`{
      plans(filter: { municipality: "${CITY}", fiscalYears: { from: 2014 } }) {
        edges { node { fiscalYear { year } department { code } } }
      } }`);
    expect(yearsAndDepartments(open.data)).toEqual(['2014 soumu']);
  });

  it('refuses contradictory or out-of-range years with coded errors', async () => {
    const q = (filter: string) =>
      api.query(`{ plans(filter: ${filter}) { totalCount } }`).then(errorCodes);
    expect(await q('{ fiscalYear: 2012, fiscalYears: { from: 2012 } }')).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(await q('{ fiscalYears: { from: 2014, to: 2012 } }')).toEqual(['BAD_USER_INPUT']);
    expect(await q('{ fiscalYears: { from: 2012, in: [2013] } }')).toEqual(['BAD_USER_INPUT']);
    expect(await q('{ fiscalYears: {} }')).toEqual(['BAD_USER_INPUT']);
    expect(await q('{ fiscalYears: { in: [1800] } }')).toEqual(['FISCAL_YEAR_OUT_OF_RANGE']);
  });
});

describe('orders', () => {
  it('orders plans by department then year, or oldest first', async () => {
    const byDepartment = await api.query(`{
      plans(filter: { municipality: "${CITY}" }, orderBy: DEPARTMENT_THEN_YEAR) {
        edges { node { fiscalYear { year } department { code } } }
      } }`);
    expect(yearsAndDepartments(byDepartment.data)).toEqual([
      '2012 soumu',
      '2013 soumu',
      '2014 soumu',
      '2013 kankyo',
    ]);
    const oldest = await api.query(`{
      plans(filter: { municipality: "${CITY}" }, orderBy: OLDEST_YEAR_FIRST, first: 2) {
        edges { node { fiscalYear { year } department { code } } }
      } }`);
    expect(yearsAndDepartments(oldest.data)).toEqual(['2012 soumu', '2013 soumu']);
  });

  it('orders evaluations by rating, best first', async () => {
    const { data } = await api.query(`{
      evaluations(filter: { municipality: "${CITY}" }, orderBy: RATING) { edges { node { rating } } }
    }`);
    expect(data?.evaluations.edges.map((e: any) => e.node.rating)).toEqual([
      'ACHIEVED',
      'MOSTLY_ACHIEVED',
      'NOT_ACHIEVED',
    ]);
  });
});

describe('facets', () => {
  const initiativeFacets = `{
    initiativeFacets(filter: { municipality: "${CITY}" }) {
      total
      byDepartment { departmentCode count }
      byFiscalYear { fiscalYear { year } count }
      byStatus { status count }
      byReform { isAdministrativeReform count }
      byRating { rating count }
    }
  }`;

  it('counts initiatives by department, year, status, reform flag and rating, for the public', async () => {
    const { data, errors } = await api.query(initiativeFacets);
    expect(errors).toBeUndefined();
    expect(data?.initiativeFacets).toEqual({
      total: 6,
      byDepartment: [
        { departmentCode: 'soumu', count: 5 },
        { departmentCode: 'kankyo', count: 1 },
      ],
      byFiscalYear: [
        { fiscalYear: { year: 2012 }, count: 2 },
        { fiscalYear: { year: 2013 }, count: 3 },
        { fiscalYear: { year: 2014 }, count: 1 },
      ],
      byStatus: [{ status: 'PUBLISHED', count: 6 }],
      byReform: [
        { isAdministrativeReform: true, count: 2 },
        { isAdministrativeReform: false, count: 4 },
      ],
      byRating: [
        { rating: 'ACHIEVED', count: 1 },
        { rating: 'MOSTLY_ACHIEVED', count: 1 },
        { rating: 'PARTIALLY_ACHIEVED', count: 0 },
        { rating: 'NOT_ACHIEVED', count: 1 },
      ],
    });
  });

  it('counts the drafts only for those who may see them, and filters by status', async () => {
    const { data } = await api.as(editor).query(initiativeFacets);
    expect(data?.initiativeFacets.total).toBe(7);
    expect(data?.initiativeFacets.byStatus).toEqual([
      { status: 'PUBLISHED', count: 6 },
      { status: 'DRAFT', count: 1 },
    ]);
    const drafts = await api.as(planning).query(`{
      plans(filter: { municipality: "${CITY}", status: DRAFT }) { totalCount }
    }`);
    expect(drafts.data?.plans.totalCount).toBe(1);
    const publicDrafts = await api.query(`{
      plans(filter: { municipality: "${CITY}", status: DRAFT }) { totalCount }
    }`);
    expect(publicDrafts.data?.plans.totalCount).toBe(0);
  });
});

describe('a department through time', () => {
  it('says which initiatives were carried on, which are new and which ended, year by year', async () => {
    const { data, errors } = await api.query(`{
      departmentTimeline(municipality: "${CITY}", department: "soumu", fiscalYears: { from: 2012, to: 2014 }) {
        fiscalYear { year }
        plan { id }
        carriedOn { from { text } to { text } decision }
        new { text }
        ended { text }
      }
    }`);
    expect(errors).toBeUndefined();
    const years = data?.departmentTimeline;
    expect(years.map((y: any) => y.fiscalYear.year)).toEqual([2012, 2013, 2014]);
    expect(years[0]).toMatchObject({
      carriedOn: [],
      new: [{ text: '続ける事業' }, { text: '終わる事業' }],
      ended: [],
    });
    expect(years[1]).toMatchObject({
      carriedOn: [
        { from: { text: '続ける事業' }, to: { text: '続けた事業' }, decision: 'CONTINUE' },
      ],
      new: [{ text: '新しい事業' }],
      ended: [{ text: '終わる事業' }],
    });
    expect(years[2].new).toEqual([{ text: '2014年度の事業' }]);
    expect(years[2].ended).toEqual([{ text: '続けた事業' }, { text: '新しい事業' }]);
    expect(soumu2013.initiatives).toHaveLength(2);
  });

  it('needs a closed range', async () => {
    const response = await api.query(`{
      departmentTimeline(municipality: "${CITY}", department: "soumu", fiscalYears: { from: 2012 }) {
        fiscalYear { year }
      }
    }`);
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('viewer', () => {
  const query = `{
    viewer {
      isAnonymous role allMunicipalities tokenName tokenExpiresAt
      municipality { code } department { code }
    }
  }`;

  it('is anonymous with every token field null for the public', async () => {
    const { data } = await api.query(query);
    expect(data?.viewer).toEqual({
      isAnonymous: true,
      role: null,
      allMunicipalities: false,
      tokenName: null,
      tokenExpiresAt: null,
      municipality: null,
      department: null,
    });
  });

  it('tells a token holder its role, scope, name and expiry', async () => {
    const asPlanning = await api.as(planning).query(query);
    expect(asPlanning.data?.viewer).toMatchObject({
      isAnonymous: false,
      role: 'PLANNING',
      tokenName: '企画経営課',
      municipality: { code: CITY },
      department: null,
    });
    const expires = Date.parse(asPlanning.data?.viewer.tokenExpiresAt);
    expect(expires - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const asEditor = await api.as(editor).query(query);
    expect(asEditor.data?.viewer).toMatchObject({
      role: 'EDITOR',
      tokenName: '環境部',
      tokenExpiresAt: null,
      department: { code: 'kankyo' },
    });
  });
});

describe('labels', () => {
  it('gives Japanese and English labels for every value of every enum in the schema', async () => {
    const schema = buildSchema(
      readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8'),
    );
    const enums = Object.values(schema.getTypeMap())
      .filter((type) => isEnumType(type) && !type.name.startsWith('__'))
      .map((type) => type as import('graphql').GraphQLEnumType);
    const { data, errors } = await api.query('{ labels { enum values { value label labelEn } } }');
    expect(errors).toBeUndefined();
    const labelled = new Map<string, any[]>(data?.labels.map((e: any) => [e.enum, e.values]));
    for (const type of enums) {
      const values = labelled.get(type.name) ?? [];
      expect(values.map((v) => v.value).sort(), type.name).toEqual(
        type
          .getValues()
          .map((v) => v.name)
          .sort(),
      ); // schema.graphql is printed sorted
      for (const v of values) expect(v.label && v.labelEn, `${type.name}.${v.value}`).toBeTruthy();
    }
    const one = await api.query('{ labels(enums: ["AchievementRating"]) { values { label } } }');
    expect(one.data?.labels[0].values.map((v: any) => v.label)).toEqual([
      '達成',
      'おおむね達成',
      '一部達成',
      '未達成',
    ]);
  });
});
