import { checkDigit } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  actorOf,
  changeRecordsOf,
  errorSelection,
  failChangeRecordsOf,
  globalId,
  issuesOf,
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

const create = `mutation ($input: CreateMunicipalityInput!) {
  createMunicipality(input: $input) {
    ${errorSelection}
    ... on CreateMunicipalitySuccess {
      municipality { id code name prefecture contact { section extension } version }
    }
  }
}`;

const update = `mutation ($input: UpdateMunicipalityInput!) {
  updateMunicipality(input: $input) {
    ${versionedErrorSelection}
    ... on UpdateMunicipalitySuccess {
      municipality { id code name prefecture contact { section extension } version }
    }
  }
}`;

/** A fresh, valid code in Tokyo (13xxx + check digit). */
let next = 300;
function tokyoCode(): string {
  next += 1;
  const firstFive = `13${next}`;
  return `${firstFive}${checkDigit(firstFive)}`;
}

const tokyoCity = () => ({ code: tokyoCode(), name: 'テスト市', prefecture: '東京都' });

describe('createMunicipality', () => {
  it('a global admin adds a municipality, and the change record names them', async () => {
    const input = { ...tokyoCity(), contactSection: '企画経営課', contactExtension: '2150' };
    const response = await world.as('globalAdmin')(create, { input });
    expect(response.data?.createMunicipality).toMatchObject({
      __typename: 'CreateMunicipalitySuccess',
      municipality: {
        code: input.code,
        name: 'テスト市',
        prefecture: '東京都',
        contact: { section: '企画経営課', extension: '2150' },
        version: 1,
      },
    });
    const row = await world.prisma.municipality.findUniqueOrThrow({ where: { code: input.code } });
    const [change, ...more] = await changeRecordsOf(world.prisma, 'Municipality', row.id);
    expect(more).toEqual([]);
    expect(change).toMatchObject({
      municipalityId: row.id,
      action: 'CREATE',
      actor: actorOf(world.callers.globalAdmin, 'global admin'),
      departmentId: null,
      fiscalYear: null,
      changes: {
        code: { before: null, after: input.code },
        name: { before: null, after: 'テスト市' },
        contactExtension: { before: null, after: '2150' },
      },
    });
  });

  it.each([
    ['anonymous'],
    ['editor'],
    ['planning'],
    ['otherPlanning'],
    ['admin'],
    ['otherAdmin'],
  ] as const)('%s may not add a municipality, and nothing is written', async (caller) => {
    const before = await snapshot(world.prisma);
    const response = await world.as(caller)(create, { input: tokyoCity() });
    expect(response.data?.createMunicipality).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await snapshot(world.prisma)).toEqual(before);
  });

  it('the code must carry a valid check digit (132047 does; 132048 does not)', async () => {
    const response = await world.as('globalAdmin')(create, {
      input: { code: '132048', name: '三鷹市', prefecture: '東京都' },
    });
    expect(response.data?.createMunicipality).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'code'], code: 'CUSTOM' }],
    });
  });

  it.each([
    ['12345', 'INVALID_FORMAT'],
    ['13204a', 'INVALID_FORMAT'],
    ['991000', 'CUSTOM'],
  ])('code %s is refused with %s', async (code, issue) => {
    const response = await world.as('globalAdmin')(create, {
      input: { code, name: 'x', prefecture: '東京都' },
    });
    expect(response.data?.createMunicipality).toMatchObject({ __typename: 'ValidationError' });
    const issues = issuesOf(response.data?.createMunicipality);
    expect(issues[0]).toMatchObject({ path: ['input', 'code'], code: issue });
  });

  it('the prefecture must be the one the code names', async () => {
    const response = await world.as('globalAdmin')(create, {
      input: { code: tokyoCode(), name: 'テスト市', prefecture: '神奈川県' },
    });
    expect(response.data?.createMunicipality).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'prefecture'], code: 'PREFECTURE_MISMATCH' }],
    });
  });

  it('an existing code is refused as ALREADY_EXISTS, and nothing is written', async () => {
    const before = await snapshot(world.prisma);
    const response = await world.as('globalAdmin')(create, {
      input: { code: '132047', name: '三鷹市', prefecture: '東京都' },
    });
    expect(response.data?.createMunicipality).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'code'], code: 'ALREADY_EXISTS' }],
    });
    expect(await snapshot(world.prisma)).toEqual(before);
  });

  it('names are required, Japanese is fine, control characters and over-long text are not', async () => {
    const response = await world.as('globalAdmin')(create, {
      input: {
        code: tokyoCode(),
        name: '   ',
        prefecture: '東京都',
        contactSection: 'a\u0000b',
        contactExtension: '内線',
      },
    });
    const issues = issuesOf(response.data?.createMunicipality);
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'input.contactExtension',
      'input.contactSection',
      'input.name',
    ]);
  });
});

describe('updateMunicipality', () => {
  async function freshCity() {
    return world.make.municipality({ code: tokyoCode(), name: '旧名市' }).then(async (m) => {
      return world.prisma.municipality.update({
        where: { id: m.id },
        data: { contactSection: '企画課', contactExtension: '0123' },
      });
    });
  }

  it('an admin of the city renames it and changes its contact; before and after are recorded', async () => {
    const city = await freshCity();
    const response = await world.as('globalAdmin')(update, {
      input: {
        id: globalId('Municipality', city.id),
        expectedVersion: 1,
        name: '新名市',
        contactExtension: '2150',
      },
    });
    expect(response.data?.updateMunicipality).toMatchObject({
      municipality: {
        name: '新名市',
        code: city.code,
        contact: { section: '企画課', extension: '2150' },
        version: 2,
      },
    });
    const changes = await changeRecordsOf(world.prisma, 'Municipality', city.id);
    expect(changes.map((c) => [c.action, c.actor, c.changes])).toEqual([
      [
        'UPDATE',
        actorOf(world.callers.globalAdmin, 'global admin'),
        {
          name: { before: '旧名市', after: '新名市' },
          contactExtension: { before: '0123', after: '2150' },
        },
      ],
    ]);
  });

  it("Mitaka's own admin may edit Mitaka", async () => {
    const mitaka = await world.prisma.municipality.findUniqueOrThrow({ where: { code: '132047' } });
    const response = await world.as('admin')(update, {
      input: {
        id: globalId('Municipality', mitaka.id),
        expectedVersion: mitaka.version,
        contactExtension: '2151',
      },
    });
    expect(response.data?.updateMunicipality).toMatchObject({
      municipality: { contact: { section: '企画経営課', extension: '2151' } },
    });
  });

  it.each([['anonymous'], ['editor'], ['planning'], ['otherPlanning'], ['otherAdmin']] as const)(
    '%s may not edit Mitaka, and nothing is written',
    async (caller) => {
      const mitaka = await world.prisma.municipality.findUniqueOrThrow({
        where: { code: '132047' },
      });
      const before = await snapshot(world.prisma);
      const response = await world.as(caller)(update, {
        input: {
          id: globalId('Municipality', mitaka.id),
          expectedVersion: mitaka.version,
          name: 'x',
        },
      });
      expect(response.data?.updateMunicipality).toMatchObject({ __typename: 'ForbiddenError' });
      expect(await snapshot(world.prisma)).toEqual(before);
    },
  );

  it('a stale version is a VersionConflictError with the current version, and nothing is written', async () => {
    const city = await freshCity();
    const id = globalId('Municipality', city.id);
    await world.as('globalAdmin')(update, { input: { id, expectedVersion: 1, name: '一回目' } });
    const before = await snapshot(world.prisma);
    const response = await world.as('globalAdmin')(update, {
      input: { id, expectedVersion: 1, name: '二回目' },
    });
    expect(response.data?.updateMunicipality).toEqual(
      expect.objectContaining({
        __typename: 'VersionConflictError',
        expectedVersion: 1,
        currentVersion: 2,
      }),
    );
    expect(await snapshot(world.prisma)).toEqual(before);
  });

  it('null clears the contact, but not the name', async () => {
    const city = await freshCity();
    const id = globalId('Municipality', city.id);
    const refused = await world.as('globalAdmin')(update, {
      input: { id, expectedVersion: 1, name: null },
    });
    expect(refused.data?.updateMunicipality).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'name'] }],
    });
    const cleared = await world.as('globalAdmin')(update, {
      input: { id, expectedVersion: 1, contactSection: null, contactExtension: null },
    });
    expect(cleared.data?.updateMunicipality).toMatchObject({
      municipality: { contact: null, version: 2 },
    });
  });

  it('an extension cannot stay without its section', async () => {
    const city = await freshCity();
    const response = await world.as('globalAdmin')(update, {
      input: { id: globalId('Municipality', city.id), expectedVersion: 1, contactSection: null },
    });
    expect(response.data?.updateMunicipality).toMatchObject({
      issues: [{ path: ['input', 'contactExtension'], code: 'REQUIRES_SECTION' }],
    });
  });

  it('the code cannot be changed: the input has no such field', async () => {
    const city = await freshCity();
    const response = await world.as('globalAdmin')(update, {
      input: { id: globalId('Municipality', city.id), expectedVersion: 1, code: '132012' },
    });
    expect(response.status).toBe(400);
  });

  it('an unknown municipality is a NotFoundError', async () => {
    const response = await world.as('globalAdmin')(update, {
      input: { id: globalId('Municipality', 999_999), expectedVersion: 1, name: 'x' },
    });
    expect(response.data?.updateMunicipality).toMatchObject({
      __typename: 'NotFoundError',
      entityType: 'Municipality',
    });
  });

  it('when the change record cannot be written, the edit is rolled back', async () => {
    const city = await freshCity();
    const undo = await failChangeRecordsOf(world.prisma, 'Municipality');
    try {
      const before = await snapshot(world.prisma);
      const response = await world.as('globalAdmin')(update, {
        input: { id: globalId('Municipality', city.id), expectedVersion: 1, name: '失敗市' },
      });
      expect(response.errors?.[0]?.message).toBe('Unexpected error.');
      expect(await snapshot(world.prisma)).toEqual(before);
    } finally {
      await undo();
    }
  });
});
