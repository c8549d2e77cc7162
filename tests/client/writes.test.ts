// The built @hoshin/client's writes, history and yearSummary against a real server: each
// write resolves with its result union, discriminated on __typename.
import { type CreatePlanOutcome, createClient, HoshinRequestError } from '@hoshin/client';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type LiveServer, startLiveServer } from './support/live-server.ts';

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
}, 60_000);
afterAll(() => server?.close());

const mitaka = '132047';

/** What a front end would show for a createPlan result: the switch narrows each member. */
function describeOutcome(result: CreatePlanOutcome): string {
  switch (result.__typename) {
    case 'CreatePlanSuccess':
      return `created ${result.plan.department.name} ${result.plan.fiscalYear.label} (${result.plan.status})`;
    case 'ValidationError':
      return `invalid: ${result.issues.map((i) => `${i.path.join('.')} ${i.code}`).join(', ')}`;
    case 'ForbiddenError':
      return `forbidden: ${result.message}`;
    case 'NotFoundError':
      return `not found: ${result.entityType} ${result.id}`;
  }
}

test('createPlan: success, then a duplicate (ValidationError), then no token (ForbiddenError)', async () => {
  const staff = createClient({ url: server.url, token: server.planningToken });
  const input = { municipality: mitaka, department: 'kyoiku', fiscalYear: 2013, mission: '使命' };
  expect(describeOutcome(await staff.createPlan(input))).toBe('created 教育部 平成25年度 (DRAFT)');
  expect(describeOutcome(await staff.createPlan(input))).toBe(
    'invalid: input.fiscalYear ALREADY_EXISTS',
  );
  const anonymous = createClient({ url: server.url });
  expect(describeOutcome(await anonymous.createPlan({ ...input, fiscalYear: 2014 }))).toMatch(
    /^forbidden: /,
  );
});

test('updatePlan, addInitiative, publishPlan, submitFeedback; a stale version is a VersionConflictError', async () => {
  const staff = createClient({ url: server.url, token: server.planningToken });
  const created = await staff.createPlan({
    municipality: mitaka,
    department: 'somu',
    fiscalYear: 2013,
  });
  if (created.__typename !== 'CreatePlanSuccess') throw new Error(created.message);
  const { id } = created.plan;

  const stale = await staff.updatePlan({ id, expectedVersion: 7, mission: '古い' });
  expect(stale).toMatchObject({
    __typename: 'VersionConflictError',
    expectedVersion: 7,
    currentVersion: 1,
  });
  const updated = await staff.updatePlan({ id, expectedVersion: 1, mission: '新しい使命' });
  expect(updated.__typename === 'UpdatePlanSuccess' && updated.plan.mission).toBe('新しい使命');

  const empty = await staff.addInitiative({ plan: id, text: '' });
  expect(empty.__typename === 'ValidationError' && empty.issues[0]).toMatchObject({
    path: ['input', 'text'],
    code: 'TOO_SMALL',
  });
  const added = await staff.addInitiative({ plan: id, text: '窓口の電子化を進めます。' });
  if (added.__typename !== 'AddInitiativeSuccess') throw new Error(added.message);
  expect(added.initiative).toMatchObject({ position: 1, plan: { id, version: 3 } });

  const published = await staff.publishPlan({ id, expectedVersion: 3 });
  expect(published.__typename === 'PublishPlanSuccess' && published.plan.status).toBe('PUBLISHED');

  const anonymous = createClient({ url: server.url });
  const feedback = await anonymous.submitFeedback({ plan: id, body: '期待しています' });
  expect(feedback.__typename === 'SubmitFeedbackSuccess' && feedback.feedback.status).toBe(
    'PENDING',
  );

  // The plan's history, oldest first, with who and what: its creation, the mission, the
  // version the added initiative moved it to (the initiative itself is in its own history),
  // the publication.
  const history = await staff.history({ id });
  expect(history?.edges.map((e) => e.node.action)).toEqual([
    'CREATE',
    'UPDATE',
    'UPDATE',
    'UPDATE',
  ]);
  expect(history?.edges[2]?.node.changes).toEqual([{ field: 'version', before: 2, after: 3 }]);
  expect(history?.edges[3]?.node.changes).toContainEqual(
    expect.objectContaining({ field: 'status', after: 'PUBLISHED' }),
  );
  expect(history?.edges[1]?.node.changes).toContainEqual({
    field: 'mission',
    before: null,
    after: '新しい使命',
  });
  expect(history?.edges[0]?.node.actor).toMatch(/^token:.*\(client tests\)$/);
  // An initiative's history by its own global ID: its creation, then the plan's publication,
  // which made it enter the public view.
  const initiative = await staff.history({ id: added.initiative.id });
  expect(initiative?.edges.map((e) => e.node.action)).toEqual(['CREATE', 'UPDATE']);
});

test('history: null for an ID that names no visible record; a malformed ID is MALFORMED_ID', async () => {
  const anonymous = createClient({ url: server.url });
  await expect(anonymous.history({ id: 'RGVwYXJ0bWVudFBsYW46OTk5OQ==' })).resolves.toBeNull();
  const error = await anonymous.history({ id: 'bm9wZQ==' }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HoshinRequestError);
  expect((error as HoshinRequestError).codes).toEqual(['MALFORMED_ID']);
});

test("yearSummary: Mitaka's FY2012 in counts", async () => {
  const summary = await createClient({ url: server.url }).yearSummary({
    municipality: mitaka,
    fiscalYear: 2012,
  });
  expect(summary).toMatchObject({
    fiscalYear: { year: 2012, label: '平成24年度' },
    planCount: 8,
    initiativeCount: 24,
    reformCount: 4,
  });
  expect(summary.reformShare).toBeCloseTo(4 / 24);
  expect(summary.byDepartment.map((d) => d.departmentCode)).toContain('kyoiku');
  expect(summary.achievement.map((a) => a.rating).sort()).toEqual([
    'ACHIEVED',
    'MOSTLY_ACHIEVED',
    'NOT_ACHIEVED',
    'PARTIALLY_ACHIEVED',
  ]);
});

test('a write is sent once, never retried, even on 503; a bad token is 401 UNAUTHENTICATED', async () => {
  let calls = 0;
  const unavailable = async () => {
    calls++;
    return new Response('unavailable', { status: 503 });
  };
  const flaky = createClient({ url: server.url, fetch: unavailable, retries: 5 });
  const error = await flaky
    .publishPlan({ id: 'RGVwYXJ0bWVudFBsYW46MQ==', expectedVersion: 1 })
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ kind: 'http', status: 503, attempts: 1 });
  expect(calls).toBe(1);

  const badToken = createClient({ url: server.url, token: 'hsn_not-a-token' });
  const refused = await badToken
    .yearSummary({ municipality: mitaka, fiscalYear: 2012 })
    .catch((e: unknown) => e);
  expect(refused).toMatchObject({ kind: 'graphql', status: 401, codes: ['UNAUTHENTICATED'] });
});
