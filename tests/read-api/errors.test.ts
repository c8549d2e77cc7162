import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: true });
});
afterAll(() => api.close());

const planQuery = `query ($m: String!, $d: String!, $y: Int!) {
  plan(municipality: $m, department: $d, fiscalYear: $y) { id }
}`;

describe('bad input gets one clear error with a stable code', () => {
  it('an unknown department', async () => {
    const response = await api.query(planQuery, { m: '132047', d: 'nope', y: 2012 });
    expect(response.status).toBe(200);
    expect(errorCodes(response)).toEqual(['DEPARTMENT_NOT_FOUND']);
    expect(response.errors?.[0]?.message).toBe('三鷹市 has no department with the code "nope"');
    expect(response.data).toEqual({ plan: null });
  });

  it('an unknown municipality, in a single query and in a list filter', async () => {
    const single = await api.query(planQuery, { m: '000000', d: 'kyoiku', y: 2012 });
    const list = await api.query(`{ plans(filter: { municipality: "000000" }) { totalCount } }`);
    expect(errorCodes(single)).toEqual(['MUNICIPALITY_NOT_FOUND']);
    expect(errorCodes(list)).toEqual(['MUNICIPALITY_NOT_FOUND']);
  });

  it('a department that exists but has no plan that year is not an error', async () => {
    const response = await api.query(planQuery, { m: '132047', d: 'kyoiku', y: 2030 });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ plan: null });
  });

  it.each([1885, 2101, -1, 0])('fiscal year %i is out of range', async (year) => {
    const response = await api.query(planQuery, { m: '132047', d: 'kyoiku', y: year });
    expect(errorCodes(response)).toEqual(['FISCAL_YEAR_OUT_OF_RANGE']);
    expect(response.errors?.[0]?.message).toBe(
      `"fiscalYear" must be a year from 1886 to 2100, got ${year}`,
    );
  });

  it.each([
    ['not base64 at all', '!!!'],
    ['an unknown type', Buffer.from('Secret:1').toString('base64')],
    ['a non-numeric id', Buffer.from('DepartmentPlan:abc').toString('base64')],
    [
      'an id beyond PostgreSQL integers',
      Buffer.from('DepartmentPlan:99999999999').toString('base64'),
    ],
  ])('a malformed ID: %s', async (_case, id) => {
    const response = await api.query(`query ($id: ID!) { node(id: $id) { id } }`, { id });
    expect(errorCodes(response)).toEqual(['MALFORMED_ID']);
    expect(JSON.stringify(response)).not.toMatch(/prisma|SELECT|stack/i);
  });

  it('an ID of the right shape that names nothing is simply null', async () => {
    const id = Buffer.from('DepartmentPlan:424242').toString('base64');
    const response = await api.query(`query ($id: ID!) { node(id: $id) { id } }`, { id });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ node: null });
  });

  it('first over the maximum page size', async () => {
    const response = await api.query(`{ plans(first: 101) { totalCount } }`);
    expect(errorCodes(response)).toEqual(['PAGE_SIZE_OUT_OF_RANGE']);
    expect(response.errors?.[0]?.message).toBe('"first" must be between 0 and 100, got 101');
  });

  it('a nested page size over the maximum', async () => {
    const response = await api.query(`{
      plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) { initiatives(last: 500) { totalCount } }
    }`);
    expect(errorCodes(response)).toEqual(['PAGE_SIZE_OUT_OF_RANGE']);
  });

  it('a cursor that was never issued', async () => {
    const response = await api.query(`{ plans(first: 2, after: "bm9wZQ==") { totalCount } }`);
    expect(errorCodes(response)).toEqual(['INVALID_CURSOR']);
  });

  it('an empty or oversized search', async () => {
    const empty = await api.query(`{ initiatives(filter: { search: "  " }) { totalCount } }`);
    const huge = await api.query(
      `query ($s: String!) { initiatives(filter: { search: $s }) { totalCount } }`,
      {
        s: '部'.repeat(101),
      },
    );
    expect(errorCodes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(huge)).toEqual(['BAD_USER_INPUT']);
  });

  it('a query that does not parse or names an unknown field', async () => {
    const syntax = await api.query('{ plan(');
    const unknown = await api.query('{ secrets }');
    expect(syntax.status).toBe(400);
    expect(errorCodes(syntax)).toEqual(['GRAPHQL_PARSE_FAILED']);
    expect(unknown.status).toBe(400);
    expect(errorCodes(unknown)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('internal failures are masked', () => {
  it('a database error reaches the client as "Unexpected error." with no SQL or stack', async () => {
    // Break the database under the running API: the table the query needs is gone.
    const broken = await startTestApi();
    await broken.db.prisma.$executeRawUnsafe('DROP TABLE "Initiative" CASCADE');
    const response = await broken.query(`{ initiatives { totalCount } }`);
    await broken.close();

    expect(response.errors?.map((e) => e.message)).toEqual(['Unexpected error.']);
    expect(errorCodes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(response)).not.toMatch(/Initiative"|relation|does not exist|at .*\.ts/);
  });
});
