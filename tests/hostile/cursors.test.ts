// Cursors a client cannot forge: every cursor is sealed with an HMAC over its list, its viewer
// and its position (graphql/cursors.ts). A cursor made by hand (a draft's id, an unknown id),
// tampered with, taken from another list or from another viewer is refused with
// INVALID_CURSOR, the same answer whatever it names (no oracle); honest paging works, in
// literals and variables, top-level and nested. After each refusal a normal request is served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectRefusal,
  type HostileServer,
  hostileFixtures,
  startHostileServer,
} from './support.ts';

let server: HostileServer;
let fixtures: Awaited<ReturnType<typeof hostileFixtures>>;
let draftPlanId = 0;

beforeAll(async () => {
  server = await startHostileServer();
  fixtures = await hostileFixtures(server.db);
  const draft = await server.db.prisma.departmentPlan.findFirst({ where: { status: 'DRAFT' } });
  draftPlanId = draft?.id ?? 0;
});
afterAll(async () => {
  await server?.close();
});

const pothosCursor = (id: number) => Buffer.from(`GPC:N:${id}`).toString('base64');
const PLANS =
  'query ($after: String) { plans(first: 1, after: $after) { edges { cursor node { id } } pageInfo { endCursor hasNextPage } } }';

async function plansPage(after?: string, headers: Record<string, string> = {}) {
  return server.post({ query: PLANS, variables: { after } }, headers);
}

describe('cursors', () => {
  it('are opaque: not the id in base64, and they page through a list without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await plansPage(after);
      expect(page.status).toBe(200);
      const { edges, pageInfo } = page.body.data.plans;
      for (const edge of edges) {
        expect(edge.cursor).not.toMatch(/^R1BD/); // base64 of "GPC"
        seen.push(edge.node.id);
      }
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toHaveLength(2); // the two published plans, never the draft
    expect(new Set(seen).size).toBe(2);
    expect(seen).not.toContain(fixtures.draftId);
  });

  it('refuses a hand-made cursor the same way whether it names a draft or nothing', async () => {
    const forDraft = await plansPage(pothosCursor(draftPlanId));
    const forNothing = await plansPage(pothosCursor(999_999));
    expectRefusal(forDraft, 200, 'INVALID_CURSOR');
    expectRefusal(forNothing, 200, 'INVALID_CURSOR');
    expect(forDraft.body).toEqual(forNothing.body);
    // In a literal too, and on every connection.
    for (const query of [
      `{ plans(after: "${pothosCursor(draftPlanId)}") { totalCount } }`,
      `{ initiatives(after: "${pothosCursor(1)}") { edges { cursor } } }`,
      `{ evaluations(after: "${pothosCursor(1)}") { edges { cursor } } }`,
      `{ municipalities(after: "${pothosCursor(1)}") { edges { cursor } } }`,
      'query { plans(first: 1) { edges { node { initiatives(after: "AAAA.BBBB") { edges { cursor } } } } } }',
    ]) {
      expectRefusal(await server.post({ query }), 200, 'INVALID_CURSOR');
    }
    await server.stillServes();
  });

  it('refuses a tampered cursor', async () => {
    const { endCursor } = (await plansPage()).body.data.plans.pageInfo;
    const [inner, mac] = endCursor.split('.');
    // The sealed part is the row's keyset (graphql/keyset.ts): `K:{"o":order,"v":[year, order, id]}`.
    // Point it at the draft.
    const keyset = Buffer.from(inner, 'base64url').toString();
    expect(keyset).toMatch(/^K:/);
    const otherId = Buffer.from(keyset.replace(/\d+\]\}$/, `${draftPlanId}]}`)).toString(
      'base64url',
    );
    expect(otherId).not.toBe(inner);
    for (const tampered of [
      `${otherId}.${mac}`,
      `${inner}.${mac.slice(0, -2)}AA`,
      `${inner}.`,
      inner,
      `${endCursor}x`,
      'x'.repeat(5000),
    ]) {
      expectRefusal(await plansPage(tampered), 200, 'INVALID_CURSOR');
    }
    await server.stillServes();
  });

  it('refuses a cursor of another order of the same list, and pages backwards', async () => {
    const firstTwo = await server.post({
      query: '{ plans(first: 2) { edges { cursor node { id } } pageInfo { endCursor } } }',
    });
    const { edges, pageInfo } = firstTwo.body.data.plans;
    expectRefusal(
      await server.post({
        query:
          'query ($after: String) { plans(orderBy: OLDEST_YEAR_FIRST, after: $after) { edges { cursor } } }',
        variables: { after: pageInfo.endCursor },
      }),
      200,
      'INVALID_CURSOR',
    );
    const back = await server.post({
      query:
        'query ($before: String) { plans(last: 1, before: $before) { edges { cursor node { id } } pageInfo { hasPreviousPage hasNextPage } } }',
      variables: { before: pageInfo.endCursor },
    });
    expect(back.body.errors).toBeUndefined();
    expect(back.body.data.plans.edges.map((e: any) => e.node.id)).toEqual([edges[0].node.id]);
    expect(back.body.data.plans.edges[0].cursor).toBe(edges[0].cursor);
    expect(back.body.data.plans.pageInfo).toEqual({ hasPreviousPage: false, hasNextPage: true });
    await server.stillServes();
  });

  it("refuses another list's cursor and another viewer's cursor", async () => {
    const planCursor = (await plansPage()).body.data.plans.pageInfo.endCursor;
    expectRefusal(
      await server.post({
        query: 'query ($after: String) { initiatives(after: $after) { totalCount } }',
        variables: { after: planCursor },
      }),
      200,
      'INVALID_CURSOR',
    );
    // A staff member's cursor (which may point at a draft) does not work for the public.
    const staff = { authorization: `Bearer ${fixtures.tokens.editor}` };
    const staffCursor = (await plansPage(undefined, staff)).body.data.plans.pageInfo.endCursor;
    expect((await plansPage(staffCursor, staff)).status).toBe(200);
    expect((await plansPage(staffCursor, staff)).body.errors).toBeUndefined();
    expectRefusal(await plansPage(staffCursor), 200, 'INVALID_CURSOR');
    await server.stillServes();
  });

  it('takes one variable serving lists in fragments on different types (the SDK History query)', async () => {
    const staff = { authorization: `Bearer ${fixtures.tokens.editor}` };
    for (const [version, mission] of [
      [fixtures.draftVersion, '一'],
      [fixtures.draftVersion + 1, '二'],
    ] as const) {
      const edit = await server.post(
        {
          query: 'mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }',
          variables: { input: { id: fixtures.draftId, expectedVersion: version, mission } },
        },
        staff,
      );
      expect(edit.body.data.updatePlan.__typename).toBe('UpdatePlanSuccess');
    }
    const history = (after: string | null) =>
      server.post(
        {
          query: `query ($id: ID!, $after: String) { node(id: $id) {
            ... on DepartmentPlan { history(first: 1, after: $after) { edges { cursor } pageInfo { endCursor } } }
            ... on Initiative { history(first: 1, after: $after) { edges { cursor } pageInfo { endCursor } } } } }`,
          variables: { id: fixtures.draftId, after },
        },
        staff,
      );
    const first = await history(null);
    expect(first.body.errors).toBeUndefined();
    const cursor = first.body.data.node.history.pageInfo.endCursor;
    expect(cursor).toEqual(expect.any(String));
    const second = await history(cursor);
    expect(second.body.errors, JSON.stringify(second.body.errors)).toBeUndefined();
    expect(second.body.data.node.history.edges).toHaveLength(1);
    expect(second.body.data.node.history.edges[0].cursor).not.toBe(cursor);
    expectRefusal(await history(pothosCursor(1)), 200, 'INVALID_CURSOR');
    await server.stillServes();
  });

  it('pages a nested list with its own cursors, in a literal or a variable', async () => {
    const { factories } = await import('../support/factories.ts');
    const make = factories(server.db.prisma);
    const city = await make.municipality({ code: '990072' });
    const department = await make.department(city.id, { code: 'kyoiku' });
    await make.plan(department.id, {
      fiscalYear: 2012,
      initiatives: [{ text: '一' }, { text: '二' }, { text: '三' }],
    });
    const nested = (after: string | null, literal: boolean) =>
      server.post({
        query: `query ${literal ? '' : '($after: String)'} { plan(municipality: "990072", department: "kyoiku", fiscalYear: 2012) {
          initiatives(first: 2, after: ${literal ? JSON.stringify(after) : '$after'}) { edges { node { text } } pageInfo { endCursor hasNextPage } } } }`,
        variables: literal ? {} : { after },
      });
    const first = await nested(null, false);
    expect(first.body.data.plan.initiatives.edges.map((e: any) => e.node.text)).toEqual([
      '一',
      '二',
    ]);
    const cursor = first.body.data.plan.initiatives.pageInfo.endCursor;
    for (const literal of [false, true]) {
      const second = await nested(cursor, literal);
      expect(second.body.errors, JSON.stringify(second.body.errors)).toBeUndefined();
      expect(second.body.data.plan.initiatives.edges.map((e: any) => e.node.text)).toEqual(['三']);
      expect(second.body.data.plan.initiatives.pageInfo.hasNextPage).toBe(false);
    }
  });
});
