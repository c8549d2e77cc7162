import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

let api: TestApi;
let planning: ReturnType<TestApi['as']>;
let planId = '';

const gid = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64');
const UPDATE = `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) {
  __typename ... on UpdatePlanSuccess { plan { version } } ... on VersionConflictError { currentVersion } } }`;
const ADD = `mutation ($input: AddInitiativeInput!) { addInitiative(input: $input) { __typename } }`;

async function snapshot() {
  const prisma = api.db.prisma;
  return {
    plans: await prisma.departmentPlan.findMany({ orderBy: { id: 'asc' } }),
    initiatives: await prisma.initiative.findMany({ orderBy: { id: 'asc' } }),
    changes: await prisma.changeRecord.count(),
  };
}

beforeAll(async () => {
  api = await startTestApi();
  const make = factories(api.db.prisma);
  const city = await make.municipality({ code: '990031' });
  const department = await make.department(city.id, { code: 'kyoiku' });
  const plan = await make.plan(department.id, {
    fiscalYear: 2013,
    status: 'DRAFT',
    initiatives: [{ text: '一' }, { text: '二' }],
  });
  planId = gid('DepartmentPlan', plan.id);
  planning = api.as(
    await tokenFor(api.db.prisma, { name: 'p', role: 'PLANNING', municipality: '990031' }),
  );
});
afterAll(() => api.close());

describe('nothing half-done', () => {
  it('a write whose change record cannot be stored leaves no trace at all', async () => {
    // Fault injection in the database itself: the change-record insert fails, after the
    // initiative rows were already moved and inserted in the same transaction.
    await api.db.prisma.$executeRawUnsafe(`
      CREATE FUNCTION fail_change_records() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'injected failure'; END $$ LANGUAGE plpgsql`);
    await api.db.prisma.$executeRawUnsafe(`
      CREATE TRIGGER fail_change_records BEFORE INSERT ON "ChangeRecord"
      FOR EACH STATEMENT EXECUTE FUNCTION fail_change_records()`);
    const before = await snapshot();
    try {
      const add = await planning.query(ADD, {
        input: { plan: planId, text: '割り込み', position: 1 },
      });
      const update = await planning.query(UPDATE, {
        input: { id: planId, expectedVersion: 1, mission: '新しい使命' },
      });
      for (const response of [add, update]) {
        expect(response.errors?.map((e) => e.message)).toEqual(['Unexpected error.']);
        expect(JSON.stringify(response)).not.toContain('injected failure');
      }
      expect(await snapshot()).toEqual(before);
    } finally {
      await api.db.prisma.$executeRawUnsafe('DROP TRIGGER fail_change_records ON "ChangeRecord"');
      await api.db.prisma.$executeRawUnsafe('DROP FUNCTION fail_change_records()');
    }
    // And the same write succeeds once the fault is gone.
    const retry = await planning.query(UPDATE, {
      input: { id: planId, expectedVersion: 1, mission: '新しい使命' },
    });
    expect(retry.data?.updatePlan).toEqual({
      __typename: 'UpdatePlanSuccess',
      plan: { version: 2 },
    });
  });

  it('of concurrent writers who read the same version, exactly one wins; no update is lost', async () => {
    const { version } = await api.db.prisma.departmentPlan.findFirstOrThrow({
      where: { fiscalYear: 2013 },
    });
    const writers = Array.from({ length: 6 }, (_, i) =>
      planning.query(UPDATE, {
        input: { id: planId, expectedVersion: version, staffCount: i + 1 },
      }),
    );
    const results = (await Promise.all(writers)).map((r) => r.data?.updatePlan);
    const winners = results.filter((r) => r.__typename === 'UpdatePlanSuccess');
    expect(winners).toEqual([{ __typename: 'UpdatePlanSuccess', plan: { version: version + 1 } }]);
    expect(results.filter((r) => r.__typename === 'VersionConflictError')).toHaveLength(5);
    const changes = await api.db.prisma.changeRecord.count({
      where: { entityType: 'DepartmentPlan', changes: { path: ['staffCount'], not: 'null' } },
    });
    expect(changes).toBe(1);
  });

  it('concurrent additions to one plan keep positions 1..n without gaps or duplicates', async () => {
    await Promise.all(
      ['甲', '乙', '丙', '丁'].map((text) =>
        planning.query(ADD, { input: { plan: planId, text } }),
      ),
    );
    const rows = await api.db.prisma.initiative.findMany({ orderBy: { position: 'asc' } });
    expect(rows.map((r) => r.position)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(new Set(rows.map((r) => r.text)).size).toBe(6);
  });
});

describe('history', () => {
  it('shows a sequence of edits, field by field, oldest first', async () => {
    const { data } = await planning.query(
      `query ($id: ID!) { node(id: $id) { ... on DepartmentPlan {
        history { edges { node { sequence action actor changes { field before after } } } } } } }`,
      { id: planId },
    );
    const all = data?.node.history.edges.map((e: any) => e.node);
    // Adding initiatives bumps the plan's version: recorded too, as a change of `version` alone.
    const bumps = all.filter((h: any) => h.changes.every((c: any) => c.field === 'version'));
    expect(bumps.length).toBeGreaterThan(0);
    for (const bump of bumps) expect(bump.changes[0].after).toBe(bump.changes[0].before + 1);
    const history = all.filter((h: any) => !bumps.includes(h));
    expect(history.map((h: any) => h.action)).toEqual(['UPDATE', 'UPDATE']);
    expect(history[0].changes).toEqual([{ field: 'mission', before: null, after: '新しい使命' }]);
    expect(history[1].changes).toEqual([
      { field: 'staffCount', before: null, after: expect.any(Number) },
    ]);
    expect(history[0].actor).toMatch(/^token:\w{12} \(p\)$/);
    expect(BigInt(history[1].sequence)).toBeGreaterThan(BigInt(history[0].sequence));
  });
});
