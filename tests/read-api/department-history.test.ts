// Departments through time: a rename from a fiscal year on leaves earlier years' plans with the
// names they had, and reorganisations are recorded as predecessor -> successor links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

let api: TestApi;
let admin: string;
let seikatsu: { id: number };
let kankyo: { id: number };
let shimin: { id: number };
const CITY = '990153';
const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

beforeAll(async () => {
  api = await startTestApi();
  const make = factories(api.db.prisma);
  const city = await make.municipality({ code: CITY, name: '再編市' });
  seikatsu = await make.department(city.id, {
    code: 'seikatsu',
    name: '生活環境部',
    displayOrder: 3,
  });
  kankyo = await make.department(city.id, { code: 'kankyo', name: '環境部', displayOrder: 4 });
  shimin = await make.department(city.id, { code: 'shimin', name: '市民部', displayOrder: 5 });
  await make.plan(seikatsu.id, { fiscalYear: 2012, initiatives: [{ text: 'ごみを減らします。' }] });
  await make.plan(seikatsu.id, { fiscalYear: 2013, initiatives: [{ text: '緑を増やします。' }] });
  admin = await tokenFor(api.db.prisma, { role: 'ADMIN', municipality: CITY, name: '管理者' });
});
afterAll(() => api.close());

const rename = `mutation ($input: UpdateDepartmentInput!) {
  updateDepartment(input: $input) {
    __typename
    ... on UpdateDepartmentSuccess { department { name version } }
    ... on ValidationError { issues { path code } }
  }
}`;

describe('a department renamed from a fiscal year on', () => {
  it('keeps the name it had for the plans of earlier years', async () => {
    const renamed = await api.as(admin).query(rename, {
      input: {
        id: gid('Department', seikatsu.id),
        expectedVersion: 1,
        name: '環境政策部',
        nameEn: 'Environmental Policy Department',
        displayOrder: 1,
        renamedFrom: 2013,
      },
    });
    expect(renamed.data?.updateDepartment).toEqual({
      __typename: 'UpdateDepartmentSuccess',
      department: { name: '環境政策部', version: 2 },
    });

    const { data, errors } = await api.query(`{
      plans(filter: { municipality: "${CITY}", department: "seikatsu" }, orderBy: OLDEST_YEAR_FIRST) {
        edges { node {
          fiscalYear { year }
          department { name }
          departmentAsOfYear { name nameEn displayOrder }
        } }
      }
      department(municipality: "${CITY}", code: "seikatsu") {
        in2012: nameIn(fiscalYear: 2012) { name }
        in2020: nameIn(fiscalYear: 2020) { name }
        formerNames { untilFiscalYear { year } name displayOrder }
      }
    }`);
    expect(errors).toBeUndefined();
    expect(data?.plans.edges.map((e: any) => e.node)).toEqual([
      {
        fiscalYear: { year: 2012 },
        // A plan's department is named as it was in the plan's year (its currentName is today's).
        department: { name: '生活環境部' },
        departmentAsOfYear: { name: '生活環境部', nameEn: null, displayOrder: 3 },
      },
      {
        fiscalYear: { year: 2013 },
        department: { name: '環境政策部' },
        departmentAsOfYear: {
          name: '環境政策部',
          nameEn: 'Environmental Policy Department',
          displayOrder: 1,
        },
      },
    ]);
    expect(data?.department).toEqual({
      in2012: { name: '生活環境部' },
      in2020: { name: '環境政策部' },
      formerNames: [{ untilFiscalYear: { year: 2012 }, name: '生活環境部', displayOrder: 3 }],
    });
  });

  it('refuses a rename dated before the last recorded one', async () => {
    const result = await api.as(admin).query(rename, {
      input: {
        id: gid('Department', seikatsu.id),
        expectedVersion: 2,
        name: '別名',
        renamedFrom: 2012,
      },
    });
    expect(result.data?.updateDepartment).toEqual({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'renamedFrom'], code: 'BEFORE_LAST_RENAME' }],
    });
  });
});

describe('reorganisations', () => {
  it('records a split and answers predecessors and successors', async () => {
    const recorded = await api.as(admin).query(
      `mutation ($input: RecordReorganisationInput!) {
        recordReorganisation(input: $input) {
          __typename
          ... on RecordReorganisationSuccess { successions { kind fiscalYear { year } } }
        }
      }`,
      {
        input: {
          kind: 'SPLIT',
          fiscalYear: 2014,
          predecessors: [gid('Department', seikatsu.id)],
          successors: [gid('Department', kankyo.id), gid('Department', shimin.id)],
        },
      },
    );
    expect(recorded.data?.recordReorganisation.__typename).toBe('RecordReorganisationSuccess');
    expect(recorded.data?.recordReorganisation.successions).toHaveLength(2);

    const { data } = await api.query(`{
      seikatsu: department(municipality: "${CITY}", code: "seikatsu") {
        successors { kind fiscalYear { year } successor { code } }
      }
      kankyo: department(municipality: "${CITY}", code: "kankyo") {
        predecessors { kind predecessor { code name } }
      }
    }`);
    expect(data?.seikatsu.successors).toEqual([
      { kind: 'SPLIT', fiscalYear: { year: 2014 }, successor: { code: 'kankyo' } },
      { kind: 'SPLIT', fiscalYear: { year: 2014 }, successor: { code: 'shimin' } },
    ]);
    expect(data?.kankyo.predecessors).toEqual([
      { kind: 'SPLIT', predecessor: { code: 'seikatsu', name: '環境政策部' } },
    ]);
  });

  it('is for admins only', async () => {
    const result = await api.query(
      `mutation { recordReorganisation(input: { kind: MERGE, fiscalYear: 2015,
        predecessors: ["${gid('Department', kankyo.id)}"], successors: ["${gid('Department', shimin.id)}"] }) { __typename } }`,
    );
    const refused =
      result.data?.recordReorganisation?.__typename === 'ForbiddenError' ||
      result.errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';
    expect(refused, JSON.stringify(result)).toBe(true);
    expect(await api.db.prisma.departmentSuccession.count({ where: { kind: 'MERGE' } })).toBe(0);
  });
});
