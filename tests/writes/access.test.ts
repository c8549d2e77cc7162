import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

// One city with a published plan and a draft plan of two departments; who sees which.
let api: TestApi;
const tokens: Record<string, string> = {};
let draftId = '';
let draftInitiativeId = '';
let draftEvaluationId = '';

const gid = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64');

beforeAll(async () => {
  api = await startTestApi();
  const prisma = api.db.prisma;
  const make = factories(prisma);
  const city = await make.municipality({ code: '990021' });
  const elsewhere = await make.municipality({ code: '990022' });
  const kyoiku = await make.department(city.id, { code: 'kyoiku' });
  await make.department(city.id, { code: 'somu' });
  await make.department(elsewhere.id, { code: 'kyoiku' });
  await make.plan(kyoiku.id, {
    fiscalYear: 2012,
    initiatives: [{ text: '公開済みの事業', evaluation: { rating: 'ACHIEVED', status: 'DRAFT' } }],
  });
  const draft = await make.plan(kyoiku.id, {
    fiscalYear: 2013,
    status: 'DRAFT',
    initiatives: [
      { text: '下書きの事業', evaluation: { rating: 'NOT_ACHIEVED', status: 'PUBLISHED' } },
    ],
  });
  draftId = gid('DepartmentPlan', draft.id);
  draftInitiativeId = gid('Initiative', draft.initiatives[0]?.id ?? 0);
  const evaluation = await prisma.evaluation.findFirstOrThrow({
    where: { initiativeId: draft.initiatives[0]?.id },
  });
  draftEvaluationId = gid('Evaluation', evaluation.id);
  tokens.editor = await tokenFor(prisma, {
    name: 'k',
    role: 'EDITOR',
    municipality: '990021',
    department: 'kyoiku',
  });
  tokens.otherEditor = await tokenFor(prisma, {
    name: 's',
    role: 'EDITOR',
    municipality: '990021',
    department: 'somu',
  });
  tokens.planning = await tokenFor(prisma, { name: 'p', role: 'PLANNING', municipality: '990021' });
  tokens.otherPlanning = await tokenFor(prisma, {
    name: 'o',
    role: 'PLANNING',
    municipality: '990022',
  });
  tokens.admin = await tokenFor(prisma, { name: 'a', role: 'ADMIN' });
});
afterAll(() => api.close());

// Every read path that could reveal the draft plan, its initiative or its evaluation.
const EVERY_PATH = `query ($draft: ID!, $initiative: ID!, $evaluation: ID!) {
  plan(municipality: "990021", department: "kyoiku", fiscalYear: 2013) { id }
  plans(filter: { municipality: "990021" }) { totalCount }
  initiatives(filter: { search: "下書き" }) { totalCount }
  evaluations(filter: { municipality: "990021" }) { totalCount }
  department(municipality: "990021", code: "kyoiku") { plan(fiscalYear: 2013) { id } plans { totalCount } }
  planNode: node(id: $draft) { id }
  initiativeNode: node(id: $initiative) { id }
  evaluationNode: node(id: $evaluation) { id }
  published: plan(municipality: "990021", department: "kyoiku", fiscalYear: 2012) {
    initiatives { edges { node { evaluation { rating } } } }
  }
}`;

function seen(data: any) {
  return {
    plan: data.plan !== null,
    plans: data.plans.totalCount,
    search: data.initiatives.totalCount,
    evaluations: data.evaluations.totalCount,
    departmentPlan: data.department.plan !== null,
    departmentPlans: data.department.plans.totalCount,
    nodes: [data.planNode, data.initiativeNode, data.evaluationNode].filter(Boolean).length,
    draftEvaluationOfPublishedPlan: data.published.initiatives.edges[0].node.evaluation !== null,
  };
}

const nothing = {
  plan: false,
  plans: 1,
  search: 0,
  evaluations: 0,
  departmentPlan: false,
  departmentPlans: 1,
  nodes: 0,
  draftEvaluationOfPublishedPlan: false,
};
const everything = {
  plan: true,
  plans: 2,
  search: 1,
  evaluations: 2,
  departmentPlan: true,
  departmentPlans: 2,
  nodes: 3,
  draftEvaluationOfPublishedPlan: true,
};

describe('a draft is invisible, not just unwritable, through every read path', () => {
  it.each([
    ['the public', undefined, nothing],
    ["another department's editor", 'otherEditor', nothing],
    ["another municipality's planning section", 'otherPlanning', nothing],
    ["the department's own editor", 'editor', everything],
    ['the planning section', 'planning', everything],
    ['an admin', 'admin', everything],
  ])('%s', async (_who, token, expected) => {
    const client = token ? api.as(tokens[token] as string) : api;
    const response = await client.query(EVERY_PATH, {
      draft: draftId,
      initiative: draftInitiativeId,
      evaluation: draftEvaluationId,
    });
    expect(response.errors).toBeUndefined();
    expect(seen(response.data)).toEqual(expected);
  });
});

describe('tokens', () => {
  const PLANS = '{ plans { totalCount } }';

  it('a malformed, unknown, expired or revoked token is refused with 401, never read as anonymous', async () => {
    const prisma = api.db.prisma;
    const expired = await tokenFor(prisma, {
      name: 'x',
      role: 'PLANNING',
      municipality: '990021',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await prisma.apiToken.updateMany({
      where: { name: 'x' },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const revoked = await tokenFor(prisma, { name: 'r', role: 'PLANNING', municipality: '990021' });
    await prisma.apiToken.updateMany({ where: { name: 'r' }, data: { revokedAt: new Date() } });
    const unknown = `hsn_AAAAAAAAAAAA_${'A'.repeat(43)}`;
    const forged = `${(tokens.planning as string).slice(0, 17)}${'B'.repeat(43)}`;

    for (const [token, message] of [
      ['not-a-token', 'The Authorization header must be "Bearer <hoshin API token>"'],
      [unknown, 'The API token is not valid'],
      [forged, 'The API token is not valid'],
      [expired, 'The API token has expired'],
      [revoked, 'The API token has been revoked'],
    ] as const) {
      const response = await api.as(token).query(PLANS);
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.errors?.[0]?.message).toBe(message);
      expect(response.data ?? null).toBeNull();
    }
  });

  it('only a hash of the token is stored', async () => {
    const token = await tokenFor(api.db.prisma, { name: 'h', role: 'ADMIN' });
    const row = await api.db.prisma.apiToken.findFirstOrThrow({ where: { name: 'h' } });
    expect(JSON.stringify(row)).not.toContain(token.slice(18));
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the change log', () => {
  it('is for token holders only, each within their scope', async () => {
    const prisma = api.db.prisma;
    const city = await prisma.municipality.findUniqueOrThrow({ where: { code: '990021' } });
    const departments = await prisma.department.findMany({ where: { municipalityId: city.id } });
    const [kyoiku, somu] = ['kyoiku', 'somu'].map((code) =>
      departments.find((d) => d.code === code),
    );
    await prisma.changeRecord.createMany({
      data: [
        {
          municipalityId: city.id,
          entityType: 'DepartmentPlan',
          entityId: 1,
          action: 'UPDATE',
          actor: 't',
          changes: {},
          departmentId: kyoiku?.id,
          audienceBefore: 'STAFF',
          audienceAfter: 'STAFF',
        },
        {
          municipalityId: city.id,
          entityType: 'DepartmentPlan',
          entityId: 2,
          action: 'UPDATE',
          actor: 't',
          changes: {},
          departmentId: somu?.id,
          audienceBefore: 'STAFF',
          audienceAfter: 'STAFF',
        },
      ],
    });
    const LOG = '{ changes { edges { node { entityType } } } }';
    const anonymous = await api.query(LOG);
    expect(errorCodes(anonymous)).toEqual(['FORBIDDEN']);
    const count = async (token: string) =>
      (await api.as(tokens[token] as string).query(LOG)).data?.changes.edges.length;
    expect(await count('editor')).toBe(1);
    expect(await count('planning')).toBe(2);
    expect(await count('otherPlanning')).toBe(0);
  });
});
