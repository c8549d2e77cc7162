// A department renamed from FY2013 on is shown, wherever it is shown for a year, with the name
// it had in that year: FY2012's plan, departments(fiscalYear: 2012), that year's summary and
// facets, and the departments export for 2012 say 教育部; FY2013 and later say the new name;
// `currentName` says today's everywhere. The rename reaches the live subscribers of the plans
// it renames (FY2013 on), each with the plan's own audience: a draft's only to its staff.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDataApi, startOpenDataApi } from '../open-data/support.ts';
import { tokenFor } from '../support/factories.ts';
import { type EventStream, subscribeSse } from '../support/sse.ts';

const MITAKA = '132047';
const NEW_NAME = 'こども教育部';
const NEW_NAME_EN = 'Children and Education Department';

let api: OpenDataApi;
let admin: string;
let planning: string;
let somuEditor: string;
const planIds: Record<number, string> = {};
let kyoikuId = '';

const PLAN_EVENTS = `subscription { planChanged(filter: { municipality: "${MITAKA}" }) {
  kind id plan { fiscalYear { year } department { code name nameEn currentName } }
  change { changes { field before after } } } }`;

async function mutation(query: string, input: Record<string, unknown>, token: string) {
  const data = await api.graphql(query, { input }, token);
  const payload = Object.values(data)[0] as { __typename: string };
  expect(payload.__typename, JSON.stringify(payload)).toMatch(/Success$/);
  return payload as any;
}

async function createPlan(fiscalYear: number, publish: boolean) {
  const created = await mutation(
    `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { __typename
      ... on CreatePlanSuccess { plan { id version } } ... on Error { message } } }`,
    { municipality: MITAKA, department: 'kyoiku', fiscalYear, mission: `${fiscalYear}年度の使命` },
    planning,
  );
  if (publish) {
    await mutation(
      `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename ... on Error { message } } }`,
      { id: created.plan.id, expectedVersion: created.plan.version },
      planning,
    );
  }
  return created.plan.id as string;
}

/** Every event a stream received until it has been quiet for a moment. */
async function eventsOf(stream: EventStream, count: number) {
  const events = [];
  for (let i = 0; i < count; i++) events.push((await stream.next()).data.planChanged);
  events.push(...(await stream.drain(300)).map((e) => e.data.planChanged));
  return events;
}

beforeAll(async () => {
  api = await startOpenDataApi();
  const prisma = api.db.prisma;
  admin = await tokenFor(prisma, { name: '管理者', role: 'ADMIN', municipality: MITAKA });
  planning = await tokenFor(prisma, { name: '企画', role: 'PLANNING', municipality: MITAKA });
  somuEditor = await tokenFor(prisma, {
    name: '総務',
    role: 'EDITOR',
    municipality: MITAKA,
    department: 'somu',
  });
  const { plan } = await api.graphql(
    `{ plan(municipality: "${MITAKA}", department: "kyoiku", fiscalYear: 2012) { id department { id } } }`,
  );
  planIds[2012] = plan.id;
  kyoikuId = plan.department.id;
  planIds[2013] = await createPlan(2013, false);
  planIds[2014] = await createPlan(2014, true);
});
afterAll(() => api?.close());

describe('教育部 renamed from FY2013 on', () => {
  it('tells each subscriber of the plans it renames, with the plan’s audience, and no one of FY2012', async () => {
    const url = `${api.base}/graphql`;
    const streams = {
      public: await subscribeSse(globalThis.fetch, url, PLAN_EVENTS),
      planning: await subscribeSse(globalThis.fetch, url, PLAN_EVENTS, {}, planning),
      somuEditor: await subscribeSse(globalThis.fetch, url, PLAN_EVENTS, {}, somuEditor),
    };
    const { department } = await api.graphql(
      `{ department(municipality: "${MITAKA}", code: "kyoiku") { version } }`,
    );
    const renamed = await mutation(
      `mutation ($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { __typename
        ... on UpdateDepartmentSuccess { department { name currentName } } ... on Error { message } } }`,
      {
        id: kyoikuId,
        expectedVersion: department.version,
        name: NEW_NAME,
        nameEn: NEW_NAME_EN,
        renamedFrom: 2013,
      },
      admin,
    );
    // The payload shows the department for no year in particular: today's name.
    expect(renamed.department).toEqual({ name: NEW_NAME, currentName: NEW_NAME });

    const shown = (year: number) => ({
      kind: 'MODIFIED',
      id: planIds[year],
      plan: {
        fiscalYear: { year },
        department: { code: 'kyoiku', name: NEW_NAME, nameEn: NEW_NAME_EN, currentName: NEW_NAME },
      },
      change: {
        changes: expect.arrayContaining([
          { field: 'department.name', before: '教育部', after: NEW_NAME },
        ]),
      },
    });
    const received = {
      public: await eventsOf(streams.public, 1),
      planning: await eventsOf(streams.planning, 2),
      somuEditor: await eventsOf(streams.somuEditor, 1),
    };
    // The FY2013 draft's change reaches its staff only; FY2012's plan did not change.
    expect(received.planning).toEqual([shown(2013), shown(2014)]);
    expect(received.public).toEqual([shown(2014)]);
    expect(received.somuEditor).toEqual([shown(2014)]);
    for (const stream of Object.values(streams)) stream.close();
  });

  it('FY2012’s plan still shows 教育部; FY2013’s and FY2014’s the new name; currentName today’s', async () => {
    const plan = (year: number) =>
      `y${year}: plan(municipality: "${MITAKA}", department: "kyoiku", fiscalYear: ${year}) {
        department { name nameEn currentName currentNameEn } departmentAsOfYear { name } }`;
    const data = await api.graphql(`{ ${plan(2012)} ${plan(2013)} ${plan(2014)} }`, {}, planning);
    expect(data.y2012).toEqual({
      department: {
        name: '教育部',
        nameEn: null,
        currentName: NEW_NAME,
        currentNameEn: NEW_NAME_EN,
      },
      departmentAsOfYear: { name: '教育部' },
    });
    for (const year of ['y2013', 'y2014']) {
      expect(data[year]).toEqual({
        department: {
          name: NEW_NAME,
          nameEn: NEW_NAME_EN,
          currentName: NEW_NAME,
          currentNameEn: NEW_NAME_EN,
        },
        departmentAsOfYear: { name: NEW_NAME },
      });
    }
  });

  it('lists, node, summaries and facets of FY2012 say 教育部 too', async () => {
    const data = await api.graphql(
      `query ($plan: ID!) {
        in2012: departments(municipality: "${MITAKA}", fiscalYear: 2012) { code name currentName }
        in2013: departments(municipality: "${MITAKA}", fiscalYear: 2013) { code name }
        today: departments(municipality: "${MITAKA}") { code name }
        plans(filter: { municipality: "${MITAKA}", department: "kyoiku" }, orderBy: OLDEST_YEAR_FIRST) {
          edges { node { fiscalYear { year } department { name } } }
        }
        node(id: $plan) { ... on DepartmentPlan { department { name } } }
        department(municipality: "${MITAKA}", code: "kyoiku") { name plans { edges { node { department { name } } } } }
        yearSummary(municipality: "${MITAKA}", fiscalYear: 2012) { byDepartment { departmentCode departmentName } }
        planFacets(filter: { municipality: "${MITAKA}", fiscalYear: 2012 }) { byDepartment { departmentCode departmentName } }
      }`,
      { plan: planIds[2012] },
    );
    const kyoiku = (list: { code?: string; departmentCode?: string }[]) =>
      list.find((d) => (d.code ?? d.departmentCode) === 'kyoiku');
    expect(kyoiku(data.in2012)).toEqual({ code: 'kyoiku', name: '教育部', currentName: NEW_NAME });
    expect(kyoiku(data.in2013)).toEqual({ code: 'kyoiku', name: NEW_NAME });
    expect(kyoiku(data.today)).toEqual({ code: 'kyoiku', name: NEW_NAME });
    expect(
      data.plans.edges.map((e: any) => [e.node.fiscalYear.year, e.node.department.name]),
    ).toEqual([
      [2012, '教育部'],
      [2014, NEW_NAME],
    ]);
    expect(data.node).toEqual({ department: { name: '教育部' } });
    // Outside a year, today's name; each of its plans shows it as of the plan's year.
    expect(data.department.name).toBe(NEW_NAME);
    expect(data.department.plans.edges.map((e: any) => e.node.department.name)).toEqual([
      NEW_NAME,
      '教育部',
    ]);
    expect(kyoiku(data.yearSummary.byDepartment)).toEqual({
      departmentCode: 'kyoiku',
      departmentName: '教育部',
    });
    expect(kyoiku(data.planFacets.byDepartment)).toEqual({
      departmentCode: 'kyoiku',
      departmentName: '教育部',
    });
  });

  it('the departments export for FY2012 says 教育部; for FY2013 and with no year, the new name', async () => {
    const exported = async (query: string) => {
      const response = await api.fetch(`/export/departments.csv?municipality=${MITAKA}${query}`);
      expect(response.status).toBe(200);
      const rows = parse(await response.text(), { bom: true, columns: true }) as Record<
        string,
        string
      >[];
      return rows.find((row) => row.code === 'kyoiku');
    };
    expect(await exported('&fiscalYear=2012')).toMatchObject({ name: '教育部' });
    expect(await exported('&fiscalYear=2013')).toMatchObject({
      name: NEW_NAME,
      nameEn: NEW_NAME_EN,
    });
    expect(await exported('')).toMatchObject({ name: NEW_NAME, nameEn: NEW_NAME_EN });
    const json = await api.fetch(`/export/departments.json?municipality=${MITAKA}&fiscalYear=2012`);
    const records = (await json.json()) as { code: string; name: string }[];
    expect(records.find((d) => d.code === 'kyoiku')?.name).toBe('教育部');
  });
});
