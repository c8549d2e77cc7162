import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { tokenFor } from '../support/factories.ts';

let api: TestApi;
const tokens: Record<string, string> = {};

const CREATE = `mutation ($input: CreatePlanInput!) { createPlan(input: $input) {
  __typename ... on CreatePlanSuccess { plan { id version status mission budgetYen } }
  ... on Error { message } ... on ValidationError { issues { path code } } } }`;
const UPDATE = `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) {
  __typename ... on UpdatePlanSuccess { plan { version mission staffCount } }
  ... on VersionConflictError { expectedVersion currentVersion } ... on Error { message } } }`;
const PUBLISH = `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) {
  __typename ... on PublishPlanSuccess { plan { status version publishedAt } } ... on Error { message } } }`;
const UNPUBLISH = `mutation ($input: PlanVersionInput!) { unpublishPlan(input: $input) {
  __typename ... on UnpublishPlanSuccess { plan { status version } } ... on Error { message } } }`;
const DELETE = `mutation ($input: PlanVersionInput!) { deletePlan(input: $input) {
  __typename ... on Error { message } } }`;

beforeAll(async () => {
  api = await startTestApi({ seed: true });
  const prisma = api.db.prisma;
  await prisma.municipality.create({
    data: { code: '131016', name: '千代田区', prefecture: '東京都' },
  });
  tokens.admin = await tokenFor(prisma, { name: 'admin', role: 'ADMIN' });
  tokens.planning = await tokenFor(prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: '132047',
  });
  tokens.otherPlanning = await tokenFor(prisma, {
    name: 'other',
    role: 'PLANNING',
    municipality: '131016',
  });
  tokens.kyoiku = await tokenFor(prisma, {
    name: '教育部',
    role: 'EDITOR',
    municipality: '132047',
    department: 'kyoiku',
  });
  tokens.kikaku = await tokenFor(prisma, {
    name: '企画部',
    role: 'EDITOR',
    municipality: '132047',
    department: 'kikaku',
  });
});
afterAll(() => api.close());

const draft2013 = (department = 'kyoiku') => ({
  municipality: '132047',
  department,
  fiscalYear: 2013,
  mission: '子どもたちの学びを支えます。',
});

describe('creating a plan', () => {
  it('an editor creates a draft for their own department, recorded in the history', async () => {
    const { data } = await api.as(tokens.kyoiku as string).query(CREATE, {
      input: { ...draft2013(), budgetYen: 12_345_678_901 },
    });
    expect(data?.createPlan).toMatchObject({
      __typename: 'CreatePlanSuccess',
      plan: { version: 1, status: 'DRAFT', budgetYen: 12_345_678_901 },
    });
    const record = await api.db.prisma.changeRecord.findFirstOrThrow({
      where: { entityType: 'DepartmentPlan', action: 'CREATE', actor: { startsWith: 'token:' } },
    });
    expect(record.actor).toMatch(/^token:\w{12} \(教育部\)$/);
    expect(record.fiscalYear).toBe(2013);
    expect(record.changes).toMatchObject({
      mission: { before: null, after: '子どもたちの学びを支えます。' },
      budgetYen: { before: null, after: '12345678901' },
      status: { before: null, after: 'DRAFT' },
    });
  });

  it.each([
    ['anonymous', undefined, 'Sign in with an API token to do this'],
    ["another department's editor", 'kikaku', 'You may not write plans of this department'],
    [
      "another municipality's planning section",
      'otherPlanning',
      'You may not write plans of this department',
    ],
  ])('%s is refused', async (_who, token, message) => {
    const before = await api.db.prisma.departmentPlan.count();
    const client = token ? api.as(tokens[token] as string) : api;
    const { data } = await client.query(CREATE, { input: draft2013('toshi-seibi') });
    expect(data?.createPlan).toEqual({ __typename: 'ForbiddenError', message });
    expect(await api.db.prisma.departmentPlan.count()).toBe(before);
  });

  it('reports every invalid field with its path', async () => {
    const { data } = await api.as(tokens.planning as string).query(CREATE, {
      input: { ...draft2013('somu'), fiscalYear: 1800, staffCount: -3, mission: 'x'.repeat(4001) },
    });
    expect(data?.createPlan.__typename).toBe('ValidationError');
    expect(data?.createPlan.issues).toEqual([
      { path: ['input', 'fiscalYear'], code: 'TOO_SMALL' },
      { path: ['input', 'mission'], code: 'TOO_BIG' },
      { path: ['input', 'staffCount'], code: 'TOO_SMALL' },
    ]);
  });

  it('refuses a second plan for the same department and year', async () => {
    const { data } = await api.as(tokens.planning as string).query(CREATE, { input: draft2013() });
    expect(data?.createPlan).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'fiscalYear'], code: 'ALREADY_EXISTS' }],
    });
  });
});

describe('editing, publishing and deleting', () => {
  async function newDraft(department: string, fiscalYear: number) {
    const { data } = await api.as(tokens.planning as string).query(CREATE, {
      input: { municipality: '132047', department, fiscalYear },
    });
    return data?.createPlan.plan.id as string;
  }

  it('an editor edits their draft; a stale version is a conflict naming the current one', async () => {
    const id = await newDraft('kyoiku', 2014);
    const editor = api.as(tokens.kyoiku as string);
    const first = await editor.query(UPDATE, {
      input: { id, expectedVersion: 1, staffCount: 120 },
    });
    expect(first.data?.updatePlan).toEqual({
      __typename: 'UpdatePlanSuccess',
      plan: { version: 2, mission: null, staffCount: 120 },
    });
    const stale = await editor.query(UPDATE, { input: { id, expectedVersion: 1, staffCount: 99 } });
    expect(stale.data?.updatePlan).toMatchObject({
      __typename: 'VersionConflictError',
      expectedVersion: 1,
      currentVersion: 2,
    });
    const row = await api.db.prisma.departmentPlan.findFirstOrThrow({
      where: { fiscalYear: 2014 },
    });
    expect(row.staffCount).toBe(120);
  });

  it('only the planning section publishes; then the plan is public and editors may no longer change it', async () => {
    const id = await newDraft('kyoiku', 2015);
    const editor = api.as(tokens.kyoiku as string);
    expect(
      (await editor.query(PUBLISH, { input: { id, expectedVersion: 1 } })).data?.publishPlan,
    ).toEqual({
      __typename: 'ForbiddenError',
      message: 'Your token may not do this',
    });
    expect(
      (
        await api.query(
          `{ plan(municipality: "132047", department: "kyoiku", fiscalYear: 2015) { id } }`,
        )
      ).data?.plan,
    ).toBeNull();

    const published = await api
      .as(tokens.planning as string)
      .query(PUBLISH, { input: { id, expectedVersion: 1 } });
    expect(published.data?.publishPlan).toMatchObject({
      plan: { status: 'PUBLISHED', version: 2 },
    });
    expect(published.data?.publishPlan.plan.publishedAt).toMatch(/^\d{4}-/);
    expect(
      (
        await api.query(
          `{ plan(municipality: "132047", department: "kyoiku", fiscalYear: 2015) { id } }`,
        )
      ).data?.plan,
    ).toEqual({ id });

    const edit = await editor.query(UPDATE, { input: { id, expectedVersion: 2, mission: '変更' } });
    expect(edit.data?.updatePlan).toEqual({
      __typename: 'ForbiddenError',
      message: 'The plan is published: only the planning section may change it',
    });
    const unpublished = await api
      .as(tokens.admin as string)
      .query(UNPUBLISH, { input: { id, expectedVersion: 2 } });
    expect(unpublished.data?.unpublishPlan).toEqual({
      __typename: 'UnpublishPlanSuccess',
      plan: { status: 'DRAFT', version: 3 },
    });
  });

  it("a planning token of another municipality cannot find Mitaka's drafts to change them", async () => {
    const id = await newDraft('kyoiku', 2016);
    const { data } = await api
      .as(tokens.otherPlanning as string)
      .query(PUBLISH, { input: { id, expectedVersion: 1 } });
    expect(data?.publishPlan.__typename).toBe('NotFoundError');
  });

  it('deletes a draft, but not a published plan', async () => {
    const id = await newDraft('kikaku', 2017);
    const planning = api.as(tokens.planning as string);
    await planning.query(PUBLISH, { input: { id, expectedVersion: 1 } });
    const refused = await planning.query(DELETE, { input: { id, expectedVersion: 2 } });
    expect(refused.data?.deletePlan).toEqual({
      __typename: 'ValidationError',
      message: 'Unpublish the plan before deleting it',
    });
    await planning.query(UNPUBLISH, { input: { id, expectedVersion: 2 } });
    const deleted = await api
      .as(tokens.kikaku as string)
      .query(DELETE, { input: { id, expectedVersion: 3 } });
    expect(deleted.data?.deletePlan.__typename).toBe('DeletePlanSuccess');
    expect(await api.db.prisma.departmentPlan.count({ where: { fiscalYear: 2017 } })).toBe(0);
    const actions = await api.db.prisma.changeRecord.findMany({
      where: { entityType: 'DepartmentPlan', fiscalYear: 2017 },
      orderBy: { id: 'asc' },
      select: { action: true },
    });
    expect(actions.map((a) => a.action)).toEqual(['CREATE', 'UPDATE', 'UPDATE', 'DELETE']);
  });
});
