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

const create = `mutation ($input: CreateWhitePaperInput!) {
  createWhitePaper(input: $input) {
    ${errorSelection}
    ... on CreateWhitePaperSuccess {
      whitePaper { id title publicationDate reportsOn { year label } url version municipality { code } }
    }
  }
}`;

const update = `mutation ($input: UpdateWhitePaperInput!) {
  updateWhitePaper(input: $input) {
    ${versionedErrorSelection}
    ... on UpdateWhitePaperSuccess {
      whitePaper { id title publicationDate reportsOn { year } url version }
    }
  }
}`;

/** A fiscal year no paper of Mitaka reports on yet. */
let year = 2013;
const freshYear = () => ++year;

const paperFor = (fiscalYear: number) => ({
  municipality: MITAKA,
  title: `三鷹市自治体経営白書${fiscalYear + 1}`,
  publicationDate: `${fiscalYear + 1}-07`,
  reportsOnFiscalYear: fiscalYear,
});

async function paperRow(fiscalYear = freshYear()) {
  return world.prisma.whitePaper.create({
    data: {
      municipalityId: world.mitaka.id,
      title: `白書${fiscalYear}`,
      publicationDate: `${fiscalYear + 1}-07-31`,
      reportsOnFiscalYear: fiscalYear,
      url: 'https://www.city.mitaka.lg.jp/hakusho.pdf',
    },
  });
}

describe('createWhitePaper', () => {
  it.each([
    ['planning', '企画経営課'],
    ['admin', '三鷹 admin'],
  ] as const)(
    '%s records a white paper, and the change record names them',
    async (caller, name) => {
      const input = { ...paperFor(freshYear()), url: 'https://www.city.mitaka.lg.jp/c_service/' };
      const response = await world.as(caller)(create, { input });
      expect(response.data?.createWhitePaper).toMatchObject({
        __typename: 'CreateWhitePaperSuccess',
        whitePaper: {
          title: input.title,
          publicationDate: input.publicationDate,
          reportsOn: { year: input.reportsOnFiscalYear },
          url: input.url,
          version: 1,
          municipality: { code: MITAKA },
        },
      });
      const row = await world.prisma.whitePaper.findFirstOrThrow({
        where: { reportsOnFiscalYear: input.reportsOnFiscalYear, municipalityId: world.mitaka.id },
      });
      const changes = await changeRecordsOf(world.prisma, 'WhitePaper', row.id);
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({
        municipalityId: world.mitaka.id,
        action: 'CREATE',
        actor: actorOf(world.callers[caller], name),
        fiscalYear: input.reportsOnFiscalYear,
        departmentId: null,
        changes: {
          title: { before: null, after: input.title },
          publicationDate: { before: null, after: input.publicationDate },
          url: { before: null, after: input.url },
        },
      });
    },
  );

  it.each([['anonymous'], ['editor'], ['otherPlanning'], ['otherAdmin']] as const)(
    '%s may not record a white paper of Mitaka, and nothing is written',
    async (caller) => {
      const before = await snapshot(world.prisma);
      const response = await world.as(caller)(create, { input: paperFor(freshYear()) });
      expect(response.data?.createWhitePaper).toMatchObject({ __typename: 'ForbiddenError' });
      expect(await snapshot(world.prisma)).toEqual(before);
    },
  );

  it('a second paper on the same fiscal year is ALREADY_EXISTS, and nothing is written', async () => {
    const before = await snapshot(world.prisma);
    // The seed has 三鷹市自治体経営白書2012, reporting on FY2011.
    const response = await world.as('planning')(create, { input: paperFor(2011) });
    expect(response.data?.createWhitePaper).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'reportsOnFiscalYear'], code: 'ALREADY_EXISTS' }],
    });
    expect(await snapshot(world.prisma)).toEqual(before);
  });

  it.each([
    ['2012-13', 'CUSTOM'],
    ['2013-02-29', 'CUSTOM'],
    ['2012-7', 'INVALID_FORMAT'],
    ['2012/07', 'INVALID_FORMAT'],
    ['July 2012', 'INVALID_FORMAT'],
  ])('publication date %s is refused (%s)', async (publicationDate, code) => {
    const response = await world.as('planning')(create, {
      input: { ...paperFor(freshYear()), publicationDate },
    });
    expect(response.data?.createWhitePaper).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'publicationDate'], code }],
    });
  });

  it('a leap day is a real date, and a day-precise date is kept as given', async () => {
    const response = await world.as('planning')(create, {
      input: { ...paperFor(2091), publicationDate: '2092-02-29' },
    });
    expect(response.data?.createWhitePaper).toMatchObject({
      whitePaper: { publicationDate: '2092-02-29', reportsOn: { year: 2091 } },
    });
  });

  it('a paper cannot be published before the fiscal year it reports on begins', async () => {
    const fiscalYear = freshYear();
    const response = await world.as('planning')(create, {
      input: { ...paperFor(fiscalYear), publicationDate: `${fiscalYear}-03-31` },
    });
    expect(response.data?.createWhitePaper).toMatchObject({
      issues: [{ path: ['input', 'publicationDate'], code: 'BEFORE_FISCAL_YEAR' }],
    });
  });

  it('the url must be http or https, the title not empty, the year in range', async () => {
    const response = await world.as('planning')(create, {
      input: {
        municipality: MITAKA,
        title: ' ',
        publicationDate: '2020-07',
        reportsOnFiscalYear: 2101,
        url: 'javascript:alert(1)',
      },
    });
    const issues = issuesOf(response.data?.createWhitePaper);
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'input.reportsOnFiscalYear',
      'input.title',
      'input.url',
    ]);
  });
});

describe('updateWhitePaper', () => {
  it('the planning section corrects a title and clears the url; before and after are recorded', async () => {
    const paper = await paperRow();
    const response = await world.as('planning')(update, {
      input: {
        id: globalId('WhitePaper', paper.id),
        expectedVersion: 1,
        title: '三鷹市自治体経営白書（改訂版）',
        url: null,
      },
    });
    expect(response.data?.updateWhitePaper).toMatchObject({
      whitePaper: { title: '三鷹市自治体経営白書（改訂版）', url: null, version: 2 },
    });
    const changes = await changeRecordsOf(world.prisma, 'WhitePaper', paper.id);
    expect(changes.map((c) => [c.action, c.actor, c.fiscalYear, c.changes])).toEqual([
      [
        'UPDATE',
        actorOf(world.callers.planning, '企画経営課'),
        paper.reportsOnFiscalYear,
        {
          title: { before: paper.title, after: '三鷹市自治体経営白書（改訂版）' },
          url: { before: paper.url, after: null },
        },
      ],
    ]);
  });

  it('an admin of Mitaka may edit it as well', async () => {
    const paper = await paperRow();
    const response = await world.as('admin')(update, {
      input: {
        id: globalId('WhitePaper', paper.id),
        expectedVersion: 1,
        publicationDate: '2030-08',
      },
    });
    expect(response.data?.updateWhitePaper).toMatchObject({
      whitePaper: { publicationDate: '2030-08', version: 2 },
    });
  });

  it.each([['anonymous'], ['editor'], ['otherPlanning'], ['otherAdmin']] as const)(
    '%s may not edit a white paper of Mitaka, and nothing is written',
    async (caller) => {
      const paper = await paperRow();
      const before = await snapshot(world.prisma);
      const response = await world.as(caller)(update, {
        input: { id: globalId('WhitePaper', paper.id), expectedVersion: 1, title: 'x' },
      });
      expect(response.data?.updateWhitePaper).toMatchObject({ __typename: 'ForbiddenError' });
      expect(await snapshot(world.prisma)).toEqual(before);
    },
  );

  it('a stale version is a VersionConflictError with the current version, and nothing is written', async () => {
    const paper = await paperRow();
    const id = globalId('WhitePaper', paper.id);
    await world.as('planning')(update, { input: { id, expectedVersion: 1, title: '一' } });
    const before = await snapshot(world.prisma);
    const response = await world.as('planning')(update, {
      input: { id, expectedVersion: 1, title: '二' },
    });
    expect(response.data?.updateWhitePaper).toMatchObject({
      __typename: 'VersionConflictError',
      expectedVersion: 1,
      currentVersion: 2,
    });
    expect(await snapshot(world.prisma)).toEqual(before);
  });

  it('moving it to a year another paper reports on is ALREADY_EXISTS', async () => {
    const paper = await paperRow();
    const response = await world.as('planning')(update, {
      input: {
        id: globalId('WhitePaper', paper.id),
        expectedVersion: 1,
        reportsOnFiscalYear: 2011,
      },
    });
    expect(response.data?.updateWhitePaper).toMatchObject({
      issues: [{ path: ['input', 'reportsOnFiscalYear'], code: 'ALREADY_EXISTS' }],
    });
  });

  it('its year cannot move while evaluations of that year cite it', async () => {
    const paper = await paperRow();
    const department = await world.make.department(world.mitaka.id);
    const plan = await world.make.plan(department.id, {
      fiscalYear: paper.reportsOnFiscalYear,
      initiatives: [{ text: '事業', evaluation: { rating: 'ACHIEVED' } }],
    });
    await world.prisma.evaluation.updateMany({
      where: { initiativeId: plan.initiatives[0]?.id },
      data: { whitePaperId: paper.id },
    });
    const response = await world.as('planning')(update, {
      input: {
        id: globalId('WhitePaper', paper.id),
        expectedVersion: 1,
        reportsOnFiscalYear: 2010,
      },
    });
    expect(response.data?.updateWhitePaper).toMatchObject({
      issues: [{ path: ['input', 'reportsOnFiscalYear'], code: 'CITED_BY_EVALUATIONS' }],
    });
  });

  it('a new publication date is checked against the stored year, and the title cannot be cleared', async () => {
    const paper = await paperRow();
    const id = globalId('WhitePaper', paper.id);
    const early = await world.as('planning')(update, {
      input: { id, expectedVersion: 1, publicationDate: `${paper.reportsOnFiscalYear}-01` },
    });
    expect(early.data?.updateWhitePaper).toMatchObject({
      issues: [{ path: ['input', 'publicationDate'], code: 'BEFORE_FISCAL_YEAR' }],
    });
    const cleared = await world.as('planning')(update, {
      input: { id, expectedVersion: 1, title: null },
    });
    expect(cleared.data?.updateWhitePaper).toMatchObject({
      issues: [{ path: ['input', 'title'] }],
    });
  });

  it('an unknown white paper is a NotFoundError', async () => {
    const response = await world.as('planning')(update, {
      input: { id: globalId('WhitePaper', 999_999), expectedVersion: 1, title: 'x' },
    });
    expect(response.data?.updateWhitePaper).toMatchObject({
      __typename: 'NotFoundError',
      entityType: 'WhitePaper',
    });
  });

  it('when the change record cannot be written, the edit is rolled back', async () => {
    const paper = await paperRow();
    const undo = await failChangeRecordsOf(world.prisma, 'WhitePaper');
    try {
      const before = await snapshot(world.prisma);
      const response = await world.as('planning')(update, {
        input: { id: globalId('WhitePaper', paper.id), expectedVersion: 1, title: '失敗' },
      });
      expect(response.errors?.[0]?.message).toBe('Unexpected error.');
      expect(await snapshot(world.prisma)).toEqual(before);
    } finally {
      await undo();
    }
  });
});
