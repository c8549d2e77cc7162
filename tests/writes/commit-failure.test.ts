// A write that fails at COMMIT (here a deferred constraint trigger the test installs; in life a
// deferred foreign key or a serialization failure) must reach the caller as an error, with
// nothing stored. pglite-prisma-adapter 0.7.2 reported such a write as done: patched in
// patches/pglite-prisma-adapter@0.7.2.patch. Runs on PGlite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

let api: TestApi;
let token = '';
const POISON = 'FAIL AT COMMIT';

const CREATE = `mutation ($input: CreatePlanInput!) { createPlan(input: $input) {
  __typename ... on CreatePlanSuccess { plan { id } } ... on Error { message } } }`;
const UPDATE = `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) {
  __typename ... on UpdatePlanSuccess { plan { version mission } } ... on Error { message } } }`;
const PLAN = `query ($fy: Int!) { plan(municipality: "990051", department: "kyoiku", fiscalYear: $fy) {
  id version mission } }`;

beforeAll(async () => {
  api = await startTestApi();
  const make = factories(api.db.prisma);
  const city = await make.municipality({ code: '990051' });
  const department = await make.department(city.id, { code: 'kyoiku' });
  await make.plan(department.id, { fiscalYear: 2012 });
  token = await tokenFor(api.db.prisma, {
    name: 'planning',
    role: 'PLANNING',
    municipality: '990051',
  });
  // Checked only at COMMIT: every statement of the transaction succeeds before it.
  await api.db.prisma.$executeRawUnsafe(`
    CREATE FUNCTION fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.mission = '${POISON}' THEN RAISE EXCEPTION 'refused at commit'; END IF;
      RETURN NEW;
    END $$`);
  await api.db.prisma.$executeRawUnsafe(`
    CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT OR UPDATE ON "DepartmentPlan"
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_at_commit()`);
});
afterAll(() => api?.close());

describe('a transaction that fails at COMMIT', () => {
  it('an update answers an error, and the plan is unchanged', async () => {
    const before = (await api.query(PLAN, { fy: 2012 }, token)).data?.plan;
    expect(before?.mission).not.toBe(POISON);
    const changesBefore = await api.db.prisma.changeRecord.count();
    const response = await api.query(
      UPDATE,
      { input: { id: before.id, expectedVersion: before.version, mission: POISON } },
      token,
    );
    expect(response.data?.updatePlan ?? null).toBeNull();
    expect(errorCodes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(response)).not.toContain('refused at commit'); // no SQL to clients

    const after = (await api.query(PLAN, { fy: 2012 }, token)).data?.plan;
    expect(after).toEqual(before);
    // Nor was its change record (written in the same transaction) kept.
    expect(await api.db.prisma.changeRecord.count()).toBe(changesBefore);
  });

  it('a create answers an error, and no plan exists', async () => {
    const response = await api.query(
      CREATE,
      {
        input: { municipality: '990051', department: 'kyoiku', fiscalYear: 2013, mission: POISON },
      },
      token,
    );
    expect(response.data?.createPlan ?? null).toBeNull();
    expect(errorCodes(response)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect((await api.query(PLAN, { fy: 2013 }, token)).data?.plan).toBeNull();
    expect(await api.db.prisma.departmentPlan.count({ where: { mission: POISON } })).toBe(0);
  });

  it('the same writes without the poison succeed (the trigger only refuses it)', async () => {
    const response = await api.query(
      CREATE,
      { input: { municipality: '990051', department: 'kyoiku', fiscalYear: 2013, mission: 'ok' } },
      token,
    );
    expect(response.data?.createPlan.__typename).toBe('CreatePlanSuccess');
  });
});
