import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actorOf,
  changeRecordsOf,
  errorSelection,
  failChangeRecordsOf,
  globalId,
  issuesOf,
  MITAKA,
  snapshot,
  startWriteWorld,
  versionedErrorSelection,
  type WriteWorld,
} from './support/roles.ts';

let world: WriteWorld;
beforeAll(async () => {
  world = await startWriteWorld();
});
afterAll(() => world.api.close());

const create = `mutation ($input: CreateDepartmentInput!) {
  createDepartment(input: $input) {
    ${errorSelection}
    ... on CreateDepartmentSuccess {
      department {
        id code name nameEn displayOrder version
        establishedIn { year label } abolishedAfter { year label }
        municipality { code }
      }
    }
  }
}`;

const update = `mutation ($input: UpdateDepartmentInput!) {
  updateDepartment(input: $input) {
    ${versionedErrorSelection}
    ... on UpdateDepartmentSuccess {
      department { id code name nameEn displayOrder version establishedIn { year } abolishedAfter { year } }
    }
  }
}`;

let next = 0;
const newCode = () => `shin-${++next}`;

describe('createDepartment', () => {
  it("Mitaka's admin adds a department with a Japanese name; the change record has it all", async () => {
    const code = newCode();
    const response = await world.as('admin')(create, {
      input: {
        municipality: MITAKA,
        code,
        name: '都市再生部',
        nameEn: 'Urban Renewal',
        displayOrder: 95,
        establishedIn: 2013,
      },
    });
    expect(response.data?.createDepartment).toMatchObject({
      __typename: 'CreateDepartmentSuccess',
      department: {
        code,
        name: '都市再生部',
        nameEn: 'Urban Renewal',
        displayOrder: 95,
        version: 1,
        establishedIn: { year: 2013, label: '平成25年度' },
        abolishedAfter: null,
        municipality: { code: MITAKA },
      },
    });
    const row = await world.prisma.department.findFirstOrThrow({ where: { code } });
    const changes = await changeRecordsOf(world.prisma, 'Department', row.id);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      municipalityId: world.mitaka.id,
      departmentId: row.id,
      action: 'CREATE',
      actor: actorOf(world.callers.admin, '三鷹 admin'),
      changes: {
        code: { before: null, after: code },
        name: { before: null, after: '都市再生部' },
        establishedIn: { before: null, after: 2013 },
      },
    });
  });

  it('a global admin may add a department to any municipality', async () => {
    const response = await world.as('globalAdmin')(create, {
      input: { municipality: world.other.code, code: newCode(), name: '総務部', displayOrder: 1 },
    });
    expect(response.data?.createDepartment).toMatchObject({
      __typename: 'CreateDepartmentSuccess',
    });
  });

  it.each([['anonymous'], ['editor'], ['planning'], ['otherPlanning'], ['otherAdmin']] as const)(
    '%s may not add a department to Mitaka, and nothing is written',
    async (caller) => {
      const before = await snapshot(world.prisma);
      const response = await world.as(caller)(create, {
        input: { municipality: MITAKA, code: newCode(), name: '新部', displayOrder: 1 },
      });
      expect(response.data?.createDepartment).toMatchObject({ __typename: 'ForbiddenError' });
      expect(await snapshot(world.prisma)).toEqual(before);
    },
  );

  it('a code taken in the municipality is ALREADY_EXISTS; the same code elsewhere is fine', async () => {
    const before = await snapshot(world.prisma);
    const taken = await world.as('admin')(create, {
      input: { municipality: MITAKA, code: 'kikaku', name: '企画部', displayOrder: 1 },
    });
    expect(taken.data?.createDepartment).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'code'], code: 'ALREADY_EXISTS' }],
    });
    expect(await snapshot(world.prisma)).toEqual(before);
    const elsewhere = await world.as('otherAdmin')(create, {
      input: { municipality: world.other.code, code: 'kikaku', name: '企画部', displayOrder: 1 },
    });
    expect(elsewhere.data?.createDepartment).toMatchObject({
      __typename: 'CreateDepartmentSuccess',
    });
  });

  it.each([
    ['Kikaku', 'INVALID_FORMAT'],
    ['1st', 'INVALID_FORMAT'],
    ['kikaku_bu', 'INVALID_FORMAT'],
    ['企画', 'INVALID_FORMAT'],
    [`k${'a'.repeat(64)}`, 'TOO_BIG'],
  ])('the code %s is refused (%s)', async (code, issue) => {
    const response = await world.as('admin')(create, {
      input: { municipality: MITAKA, code, name: '部', displayOrder: 1 },
    });
    expect(response.data?.createDepartment).toMatchObject({ __typename: 'ValidationError' });
    const issues = issuesOf(response.data?.createDepartment);
    expect(issues).toContainEqual(
      expect.objectContaining({ path: ['input', 'code'], code: issue }),
    );
  });

  it('abolishedAfter before establishedIn, years out of range and a negative order point at their fields', async () => {
    const order = await world.as('admin')(create, {
      input: {
        municipality: MITAKA,
        code: newCode(),
        name: '部',
        displayOrder: 1,
        establishedIn: 2012,
        abolishedAfter: 2011,
      },
    });
    expect(order.data?.createDepartment).toMatchObject({
      issues: [{ path: ['input', 'abolishedAfter'], code: 'BEFORE_ESTABLISHED' }],
    });
    const ranges = await world.as('admin')(create, {
      input: {
        municipality: MITAKA,
        code: newCode(),
        name: '',
        displayOrder: -1,
        establishedIn: 1885,
      },
    });
    const issues = issuesOf(ranges.data?.createDepartment);
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'input.displayOrder',
      'input.establishedIn',
      'input.name',
    ]);
  });

  it('an unknown municipality is a validation error on the municipality field', async () => {
    const response = await world.as('globalAdmin')(create, {
      input: { municipality: '000000', code: newCode(), name: '部', displayOrder: 1 },
    });
    expect(response.data?.createDepartment).toMatchObject({
      issues: [{ path: ['input', 'municipality'], code: 'NOT_FOUND' }],
    });
  });
});

describe('updateDepartment', () => {
  const fresh = () => world.make.department(world.mitaka.id, { name: '旧部' });

  it("Mitaka's admin renames a department and records its abolition; before and after are kept", async () => {
    const department = await fresh();
    const response = await world.as('admin')(update, {
      input: {
        id: globalId('Department', department.id),
        expectedVersion: 1,
        name: '新部',
        abolishedAfter: 2020,
      },
    });
    expect(response.data?.updateDepartment).toMatchObject({
      department: {
        code: department.code,
        name: '新部',
        abolishedAfter: { year: 2020 },
        version: 2,
      },
    });
    const changes = await changeRecordsOf(world.prisma, 'Department', department.id);
    expect(changes.map((c) => [c.action, c.actor, c.departmentId, c.changes])).toEqual([
      [
        'UPDATE',
        actorOf(world.callers.admin, '三鷹 admin'),
        department.id,
        {
          name: { before: '旧部', after: '新部' },
          abolishedAfter: { before: null, after: 2020 },
        },
      ],
    ]);
  });

  it('a global admin may edit it too, and null clears the English name', async () => {
    const department = await fresh();
    const id = globalId('Department', department.id);
    await world.as('globalAdmin')(update, { input: { id, expectedVersion: 1, nameEn: 'Old' } });
    const response = await world.as('globalAdmin')(update, {
      input: { id, expectedVersion: 2, nameEn: null },
    });
    expect(response.data?.updateDepartment).toMatchObject({
      department: { nameEn: null, version: 3 },
    });
  });

  it.each([['anonymous'], ['editor'], ['planning'], ['otherPlanning'], ['otherAdmin']] as const)(
    '%s may not edit a department of Mitaka, and nothing is written',
    async (caller) => {
      const department = await fresh();
      const before = await snapshot(world.prisma);
      const response = await world.as(caller)(update, {
        input: { id: globalId('Department', department.id), expectedVersion: 1, name: 'x' },
      });
      expect(response.data?.updateDepartment).toMatchObject({ __typename: 'ForbiddenError' });
      expect(await snapshot(world.prisma)).toEqual(before);
    },
  );

  it('a stale version is a VersionConflictError with the current version, and nothing is written', async () => {
    const department = await fresh();
    const id = globalId('Department', department.id);
    await world.as('admin')(update, { input: { id, expectedVersion: 1, displayOrder: 7 } });
    const before = await snapshot(world.prisma);
    const response = await world.as('admin')(update, {
      input: { id, expectedVersion: 1, displayOrder: 8 },
    });
    expect(response.data?.updateDepartment).toMatchObject({
      __typename: 'VersionConflictError',
      expectedVersion: 1,
      currentVersion: 2,
    });
    expect(await snapshot(world.prisma)).toEqual(before);
  });

  it('the code is immutable: the input has no code field', async () => {
    const department = await fresh();
    const response = await world.as('admin')(update, {
      input: { id: globalId('Department', department.id), expectedVersion: 1, code: 'other' },
    });
    expect(response.status).toBe(400);
  });

  it('the years are checked against the stored ones, and against the years it has plans for', async () => {
    const department = await world.make.department(world.mitaka.id, { establishedIn: 2010 });
    await world.make.plan(department.id, { fiscalYear: 2012 });
    const id = globalId('Department', department.id);
    const beforeEstablished = await world.as('admin')(update, {
      input: { id, expectedVersion: 1, abolishedAfter: 2009 },
    });
    expect(beforeEstablished.data?.updateDepartment).toMatchObject({
      issues: [{ path: ['input', 'abolishedAfter'], code: 'BEFORE_ESTABLISHED' }],
    });
    const beforePlan = await world.as('admin')(update, {
      input: { id, expectedVersion: 1, abolishedAfter: 2011 },
    });
    expect(beforePlan.data?.updateDepartment).toMatchObject({
      issues: [{ path: ['input', 'abolishedAfter'], code: 'PLANS_OUTSIDE_YEARS' }],
    });
    const afterPlan = await world.as('admin')(update, {
      input: { id, expectedVersion: 1, establishedIn: 2013 },
    });
    expect(afterPlan.data?.updateDepartment).toMatchObject({
      issues: [{ path: ['input', 'establishedIn'], code: 'PLANS_OUTSIDE_YEARS' }],
    });
    const name = await world.as('admin')(update, {
      input: { id, expectedVersion: 1, name: null },
    });
    expect(name.data?.updateDepartment).toMatchObject({
      issues: [{ path: ['input', 'name'] }],
    });
  });

  it('an unknown department is a NotFoundError', async () => {
    const response = await world.as('admin')(update, {
      input: { id: globalId('Department', 999_999), expectedVersion: 1, name: 'x' },
    });
    expect(response.data?.updateDepartment).toMatchObject({
      __typename: 'NotFoundError',
      entityType: 'Department',
    });
  });

  it('when the change record cannot be written, the edit is rolled back', async () => {
    const department = await fresh();
    const undo = await failChangeRecordsOf(world.prisma, 'Department');
    try {
      const before = await snapshot(world.prisma);
      const response = await world.as('admin')(update, {
        input: { id: globalId('Department', department.id), expectedVersion: 1, name: '失敗部' },
      });
      expect(response.errors?.[0]?.message).toBe('Unexpected error.');
      expect(await snapshot(world.prisma)).toEqual(before);
    } finally {
      await undo();
    }
  });
});
