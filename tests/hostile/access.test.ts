// Another department's draft, through every read and write path an attacker could try, over
// HTTP and over WebSocket: it is never shown and never changed.
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type HostileServer, hostileFixtures, startHostileServer } from './support.ts';

let server: HostileServer;
let f: Awaited<ReturnType<typeof hostileFixtures>>;
let asOther: Record<string, string>;

beforeAll(async () => {
  server = await startHostileServer();
  f = await hostileFixtures(server.db);
  asOther = { authorization: `Bearer ${f.tokens.otherEditor}` };
});
afterAll(() => server?.close());

async function read(query: string, variables: Record<string, unknown> = {}) {
  const response = await server.post({ query, variables }, asOther);
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  return response.body.data;
}

const ERROR = '__typename ... on Error { message }';

describe("another department's editor and a draft plan", () => {
  it('cannot see it by department and year', async () => {
    const data = await read(
      '{ plan(municipality: "990071", department: "kyoiku", fiscalYear: 2013) { id } }',
    );
    expect(data.plan).toBeNull();
    await server.stillServes();
  });

  it('cannot see it by its global ID, alone or in a batch of IDs', async () => {
    const data = await read(
      'query ($id: ID!, $p: ID!) { node(id: $id) { id } nodes(ids: [$id, $p]) { id } }',
      { id: f.draftId, p: f.publishedId },
    );
    expect(data.node).toBeNull();
    expect(data.nodes).toEqual([null, { id: f.publishedId }]);
  });

  it('cannot see its initiative by ID or by searching its text', async () => {
    const data = await read(
      'query ($id: ID!) { node(id: $id) { id } initiatives(filter: { search: "下書き" }) { totalCount } }',
      { id: f.draftInitiativeId },
    );
    expect(data).toEqual({ node: null, initiatives: { totalCount: 0 } });
  });

  it('cannot count it in the plan lists of the city or of the department', async () => {
    const data = await read(`{
      plans(filter: { municipality: "990071", department: "kyoiku" }) { totalCount }
      department(municipality: "990071", code: "kyoiku") { plans { totalCount } plan(fiscalYear: 2013) { id } }
      evaluations(filter: { municipality: "990071", department: "kyoiku" }) { totalCount } }`);
    expect(data.plans.totalCount).toBe(1);
    expect(data.department).toEqual({ plans: { totalCount: 1 }, plan: null });
    expect(data.evaluations.totalCount).toBe(1);
  });

  it.each([
    ['edit', 'updatePlan', '{ id: $id, expectedVersion: $v, mission: "乗っ取り" }'],
    ['publish', 'publishPlan', '{ id: $id, expectedVersion: $v }'],
    ['delete', 'deletePlan', '{ id: $id, expectedVersion: $v }'],
  ])('cannot %s it: refused, and the row is unchanged', async (_verb, mutation, input) => {
    const before = await server.db.prisma.departmentPlan.findFirstOrThrow({
      where: { fiscalYear: 2013 },
    });
    const response = await server.post(
      {
        query: `mutation ($id: ID!, $v: Int!) { ${mutation}(input: ${input}) { ${ERROR} } }`,
        variables: { id: f.draftId, v: f.draftVersion },
      },
      asOther,
    );
    expect(response.status).toBe(200);
    expect(['ForbiddenError', 'NotFoundError']).toContain(response.body.data[mutation].__typename);
    const after = await server.db.prisma.departmentPlan.findFirstOrThrow({
      where: { fiscalYear: 2013 },
    });
    expect(after).toEqual(before);
    await server.stillServes();
  });

  it('cannot add an initiative to it', async () => {
    const response = await server.post(
      {
        query: `mutation ($id: ID!) { addInitiative(input: { plan: $id, text: "紛れ込み" }) { ${ERROR} } }`,
        variables: { id: f.draftId },
      },
      asOther,
    );
    expect(['ForbiddenError', 'NotFoundError']).toContain(
      response.body.data.addInitiative.__typename,
    );
    expect(await server.db.prisma.initiative.count({ where: { text: '紛れ込み' } })).toBe(0);
  });

  it('cannot see it over a WebSocket either', async () => {
    const client = createClient({
      url: `${server.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: asOther,
      retryAttempts: 0,
    });
    const result = await new Promise<any>((done, fail) => {
      let value: unknown;
      client.subscribe(
        { query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id: f.draftId } },
        { next: (v) => (value = v), error: fail, complete: () => done(value) },
      );
    });
    await client.dispose();
    expect(result).toEqual({ data: { node: null }, extensions: expect.anything() });
  });

  it("the department's own editor does see it (the paths above are not simply broken)", async () => {
    const response = await server.post(
      { query: 'query ($id: ID!) { node(id: $id) { id } }', variables: { id: f.draftId } },
      { authorization: `Bearer ${f.tokens.editor}` },
    );
    expect(response.body.data.node).toEqual({ id: f.draftId });
  });
});
