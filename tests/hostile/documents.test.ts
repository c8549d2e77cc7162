// Hostile GraphQL documents: each is refused with one coded error before it costs the
// database anything, and the server answers the next normal request.

import { defaultSecurity } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectRefusal,
  type HostileServer,
  hostileFixtures,
  startHostileServer,
} from './support.ts';

let server: HostileServer;
let production: HostileServer;
let fixtures: Awaited<ReturnType<typeof hostileFixtures>>;

beforeAll(async () => {
  server = await startHostileServer();
  fixtures = await hostileFixtures(server.db);
  production = await startHostileServer({
    db: server.db,
    security: { ...defaultSecurity('production'), csrfPrevention: false },
  });
});
afterAll(async () => {
  await production?.close();
  await server?.close();
});

const repeat = (n: number, f: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => f(i)).join(' ');

describe('document limits', () => {
  it('refuses a query nested deeper than the depth limit', async () => {
    const deep = `{ plans { edges { node { department { plans { edges { node { department {
      plans { edges { node { department { plans { edges { node { id } } } } } } } } } } } } } } } }`;
    expectRefusal(await server.post({ query: deep }), 400, 'DEPTH_LIMIT_EXCEEDED');
    await server.stillServes();
  });

  it('refuses depth hidden in fragments, counted as if they were written inline', async () => {
    const query = `{ ...A } fragment A on Query { plans { edges { node { ...B } } } }
      fragment B on DepartmentPlan { department { plans { edges { node { ...C } } } } }
      fragment C on DepartmentPlan { department { plans { edges { node { ...D } } } } }
      fragment D on DepartmentPlan { department { plans { edges { node { id } } } } }`;
    expectRefusal(await server.post({ query }), 400, 'DEPTH_LIMIT_EXCEEDED');
    await server.stillServes();
  });

  it('refuses fragments that spread each other in a cycle', async () => {
    const query = `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`;
    const response = await server.post({ query });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors[0].message).toMatch(/Cannot spread fragment "A" within itself/);
    await server.stillServes();
  });

  it('refuses an exponential fragment bomb by its cost, without expanding it', async () => {
    const fragments = repeat(30, (i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`);
    const query = `{ ...F30 } fragment F0 on Query { fiscalYear(year: 2012) { label } } ${fragments}`;
    const started = Date.now();
    const response = await server.post({ query });
    expectRefusal(response, 400, 'COST_LIMIT_EXCEEDED');
    expect(response.body.errors[0].extensions.cost.requested).toBe(2 ** 30);
    expect(Date.now() - started).toBeLessThan(2000);
    await server.stillServes();
  });

  it('refuses an alias bomb', async () => {
    const query = `{ ${repeat(100, (i) => `a${i}: fiscalYear(year: 2012) { label }`)} }`;
    expectRefusal(await server.post({ query }), 400, 'ALIAS_LIMIT_EXCEEDED');
    await server.stillServes();
  });

  it('counts aliased __typename as aliases: no exemption', async () => {
    const query = `{ ${repeat(16, (i) => `t${i}: __typename`)} }`;
    expectRefusal(await server.post({ query }), 400, 'ALIAS_LIMIT_EXCEEDED');
    await server.stillServes();
  });

  it('refuses a directive bomb', async () => {
    const query = `{ fiscalYear(year: 2012) { label ${repeat(50, () => '@include(if: true)')} } }`;
    expectRefusal(await server.post({ query }), 400, 'DIRECTIVE_LIMIT_EXCEEDED');
    await server.stillServes();
  });

  it('refuses a document of too many tokens', async () => {
    // 2,502 tokens in 5,003 characters: under the character limit, over the token limit.
    const query = `{ ${repeat(2500, () => 'a')} }`;
    expectRefusal(await server.post({ query }), 400, 'TOKEN_LIMIT_EXCEEDED');
    await server.stillServes();
  });

  it('refuses a document of too many characters, even if they are only a comment', async () => {
    const query = `# ${'x'.repeat(20_000)}\n{ __typename }`;
    expectRefusal(await server.post({ query }), 400, 'CHARACTER_LIMIT_EXCEEDED');
    await server.stillServes();
  });
});

describe('query cost: page sizes multiplied through nested connections', () => {
  it('reports the cost of an accepted query in extensions', async () => {
    const query = `{ plans(first: 10) { edges { node { initiatives(first: 10) { edges { node { id } } } } } } }`;
    const response = await server.post({ query });
    expect(response.status).toBe(200);
    // 1 connection + 10 plans + 10 initiative connections + 100 initiatives
    expect(response.body.extensions.cost).toEqual({ requested: 121, limit: 10_000 });
  });

  it('reports no cost when HOSHIN_REPORT_COST is off', async () => {
    const quiet = await startHostileServer({ db: server.db, security: { reportCost: false } });
    const response = await quiet.post({ query: '{ plans { totalCount } }' });
    await quiet.close();
    expect(Object.keys(response.body)).toEqual(['data']);
  });

  it('counts a connection without first/last at the default page size of 20', async () => {
    const response = await server.post({ query: '{ plans { edges { node { id } } } }' });
    expect(response.body.extensions.cost.requested).toBe(21);
  });

  it('refuses nested pages whose product exceeds the limit, before any SQL runs', async () => {
    const query = `query ($n: Int) { plans(first: $n) { edges { node { initiatives(first: $n) { edges { node {
      history(first: $n) { edges { node { __typename } } } } } } } } } }`;
    const { result: response, queries } = await server.db.recordReadQueries(() =>
      server.post({ query, variables: { n: 100 } }),
    );
    expectRefusal(response, 400, 'COST_LIMIT_EXCEEDED');
    expect(response.body.errors[0].extensions.cost.requested).toBeGreaterThan(1_000_000);
    expect(queries).toEqual([]);
    await server.stillServes();
  });

  it('costs the same document again for other variables, and the same text alike each time', async () => {
    // Admission remembers a document's cost only when it declares no variables.
    const query = 'query ($n: Int) { plans(first: $n) { edges { node { id } } } }';
    const costs: number[] = [];
    for (const n of [1, 50, 1, 50]) {
      costs.push((await server.post({ query, variables: { n } })).body.extensions.cost.requested);
    }
    expect(costs).toEqual([2, 51, 2, 51]);
    const fixed = '{ plans(first: 3) { edges { node { id } } } }';
    for (let i = 0; i < 2; i++) {
      expect((await server.post({ query: fixed })).body.extensions.cost.requested).toBe(4);
    }
  });

  it('refuses a bad literal every time the same document comes back', async () => {
    const query = '{ initiatives(filter: { search: "a\\u0000b" }) { totalCount } }';
    for (let i = 0; i < 2; i++) expectRefusal(await server.post({ query }), 400, 'INVALID_STRING');
    await server.stillServes();
  });

  it('refuses a page larger than 100 (an unbounded page)', async () => {
    expectRefusal(
      await server.post({ query: '{ plans(first: 1000000) { totalCount } }' }),
      200,
      'PAGE_SIZE_OUT_OF_RANGE',
    );
    await server.stillServes();
  });

  it('refuses a negative page size with PAGE_SIZE_OUT_OF_RANGE, as an oversized one', async () => {
    expectRefusal(
      await server.post({ query: '{ plans(first: -1) { totalCount } }' }),
      200,
      'PAGE_SIZE_OUT_OF_RANGE',
    );
    expectRefusal(
      await server.post({ query: '{ plans(last: -1) { totalCount } }' }),
      200,
      'PAGE_SIZE_OUT_OF_RANGE',
    );
    await server.stillServes();
  });

  it('refuses more than 100 IDs in one nodes() call', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => fixtures.gid('DepartmentPlan', i + 1));
    const response = await server.post({
      query: 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids },
    });
    expectRefusal(response, 400, 'INPUT_TOO_LARGE');
    await server.stillServes();
  });
});

describe('input hygiene: strings, IDs and numbers are checked before the database', () => {
  it('refuses a NUL byte in a variable', async () => {
    const response = await server.post({
      query: 'query ($code: String!) { municipality(code: $code) { name } }',
      variables: { code: '990071\u0000' },
    });
    expectRefusal(response, 400, 'INVALID_STRING');
    await server.stillServes();
  });

  it('refuses a NUL byte written as an escape in the document', async () => {
    const response = await server.post({
      query: '{ initiatives(filter: { search: "a\\u0000b" }) { totalCount } }',
    });
    expectRefusal(response, 400, 'INVALID_STRING');
    await server.stillServes();
  });

  it('refuses a lone UTF-16 surrogate in a search', async () => {
    const response = await server.post(
      // JSON.stringify would escape it as \ud800, which JSON.parse turns back into a lone surrogate.
      `{"query":"query ($s: String) { initiatives(filter: { search: $s }) { totalCount } }","variables":{"s":"\\ud800abc"}}`,
    );
    expectRefusal(response, 400, 'INVALID_STRING');
    await server.stillServes();
  });

  it('refuses an absurdly long string', async () => {
    const response = await server.post({
      query: 'query ($s: String) { initiatives(filter: { search: $s }) { totalCount } }',
      variables: { s: 'あ'.repeat(10_001) },
    });
    expectRefusal(response, 400, 'INPUT_TOO_LARGE');
    await server.stillServes();
  });

  it('refuses a huge variables object as one error, not one per key', async () => {
    const filter = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, 1]));
    const response = await server.post({
      query: 'query ($f: PlanFilter) { plans(filter: $f) { totalCount } }',
      variables: { f: filter },
    });
    expectRefusal(response, 400, 'INPUT_TOO_LARGE');
    await server.stillServes();
  });

  it('refuses an ID that is not a global ID', async () => {
    const response = await server.post({ query: '{ node(id: "not an id!") { id } }' });
    expectRefusal(response, 200, 'MALFORMED_ID');
    await server.stillServes();
  });

  it('refuses an ID whose number does not fit the database column', async () => {
    const id = Buffer.from('DepartmentPlan:99999999999').toString('base64');
    expectRefusal(
      await server.post({ query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id } }),
      200,
      'MALFORMED_ID',
    );
    await server.stillServes();
  });

  it('refuses an Int beyond 32 bits', async () => {
    const response = await server.post({
      query: 'query ($y: Int!) { fiscalYear(year: $y) { label } }',
      variables: { y: 2 ** 40 },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors[0].message).toMatch(/non 32-bit signed integer/);
    await server.stillServes();
  });

  it('refuses a fiscal year outside its range', async () => {
    expectRefusal(
      await server.post({ query: '{ fiscalYear(year: 99999) { label } }' }),
      200,
      'FISCAL_YEAR_OUT_OF_RANGE',
    );
    await server.stillServes();
  });
});

describe('the production profile', () => {
  it('refuses introspection with one coded error', async () => {
    expectRefusal(
      await production.post({ query: '{ __schema { types { name } } }' }),
      400,
      'INTROSPECTION_DISABLED',
    );
    await production.stillServes();
  });

  it('refuses introspection of a single type too', async () => {
    expectRefusal(
      await production.post({ query: '{ __type(name: "DepartmentPlan") { fields { name } } }' }),
      400,
      'INTROSPECTION_DISABLED',
    );
  });

  it('does not suggest field names', async () => {
    const response = await production.post({ query: '{ fiscalYear(year: 2012) { labl } }' });
    expectRefusal(response, 400, 'GRAPHQL_VALIDATION_FAILED');
    expect(response.body.errors[0].message).not.toMatch(/Did you mean/);
    expect(
      (await server.post({ query: '{ fiscalYear(year: 2012) { labl } }' })).body.errors[0].message,
    ).toMatch(/Did you mean "label"/);
  });

  it('does not suggest enum values or input field names, in the document or in variables', async () => {
    const cases = [
      // An enum value in the document (validation).
      { query: '{ initiatives(orderBy: RECENTLY_UPDATE) { totalCount } }' },
      // An input field name in the document (validation).
      { query: '{ initiatives(filter: { fiscalYar: 2012 }) { totalCount } }' },
      // The same mistakes in variables (coerced at execution).
      {
        query: 'query ($o: InitiativeOrder) { initiatives(orderBy: $o) { totalCount } }',
        variables: { o: 'RECENTLY_UPDATE' },
      },
      {
        query: 'query ($f: InitiativeFilter) { initiatives(filter: $f) { totalCount } }',
        variables: { f: { fiscalYar: 2012 } },
      },
    ];
    for (const body of cases) {
      const refused = await production.post(body);
      expect(refused.body.errors?.length, JSON.stringify(body)).toBe(1);
      expect(refused.body.errors[0].extensions.code).toMatch(
        /^(GRAPHQL_VALIDATION_FAILED|BAD_USER_INPUT)$/,
      );
      expect(refused.body.errors[0].message).not.toMatch(
        /Did you mean|RECENTLY_UPDATED|fiscalYear/,
      );
      // The development profile does suggest them (so the case above did have a suggestion).
      expect((await server.post(body)).body.errors[0].message).toMatch(/Did you mean/);
    }
    await production.stillServes();
  });

  it('still answers __typename', async () => {
    const response = await production.post({ query: '{ __typename }' });
    expect(response.body.data).toEqual({ __typename: 'Query' });
  });
});
