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
/** White papers reporting on FY2012: Mitaka's and the other city's. */
let paper2012: { id: number };
let otherPaper2012: { id: number };
beforeAll(async () => {
  world = await startWriteWorld();
  const paper = (municipalityId: number) =>
    world.prisma.whitePaper.create({
      data: {
        municipalityId,
        title: '自治体経営白書2013',
        publicationDate: '2013-07',
        reportsOnFiscalYear: 2012,
      },
    });
  paper2012 = await paper(world.mitaka.id);
  otherPaper2012 = await paper(world.other.id);
});
afterAll(() => world.api.close());

const evaluationFields = `
  id rating progressPercent summary decision status version
  initiative { id } nextInitiative { id } whitePaper { id }
`;

const record = `mutation ($input: RecordEvaluationInput!) {
  recordEvaluation(input: $input) {
    ${errorSelection}
    ... on RecordEvaluationSuccess { evaluation { ${evaluationFields} } }
  }
}`;

const update = `mutation ($input: UpdateEvaluationInput!) {
  updateEvaluation(input: $input) {
    ${versionedErrorSelection}
    ... on UpdateEvaluationSuccess { evaluation { ${evaluationFields} } }
  }
}`;

const publish = `mutation ($input: EvaluationVersionInput!) {
  publishEvaluation(input: $input) {
    ${versionedErrorSelection}
    ... on PublishEvaluationSuccess { evaluation { id status version } }
  }
}`;

const unpublish = `mutation ($input: EvaluationVersionInput!) {
  unpublishEvaluation(input: $input) {
    ${versionedErrorSelection}
    ... on UnpublishEvaluationSuccess { evaluation { id status version } }
  }
}`;

const publicEvaluation = `query ($id: ID!) {
  node(id: $id) { ... on Initiative { evaluation { rating status } } }
}`;

/**
 * A department of Mitaka (or of `municipalityId`) with a FY2012 plan of two initiatives and
 * a FY2013 plan of one: the one that carries the first on.
 */
async function scene(options: { municipalityId?: number; status?: 'DRAFT' | 'PUBLISHED' } = {}) {
  const department = await world.make.department(options.municipalityId ?? world.mitaka.id);
  const plan2012 = await world.make.plan(department.id, {
    fiscalYear: 2012,
    status: options.status ?? 'PUBLISHED',
    initiatives: [{ text: '防災公園の実施設計' }, { text: '広報特集号の発行' }],
  });
  const plan2013 = await world.make.plan(department.id, {
    fiscalYear: 2013,
    initiatives: [{ text: '防災公園の建設' }],
  });
  const [first, second] = plan2012.initiatives.map((i) => globalId('Initiative', i.id));
  const [next] = plan2013.initiatives.map((i) => globalId('Initiative', i.id));
  return {
    department,
    rows: plan2012.initiatives,
    first: first as string,
    second: second as string,
    next: next as string,
  };
}

const minimal = (initiative: string) => ({
  initiative,
  rating: 'MOSTLY_ACHIEVED',
  summary: '実施設計を完了した。',
});

/** Records an evaluation as the planning section; returns its global id. */
async function recorded(initiative: string): Promise<string> {
  const response = await world.as('planning')(record, { input: minimal(initiative) });
  const id = response.data?.recordEvaluation?.evaluation?.id;
  if (typeof id !== 'string') throw new Error(JSON.stringify(response));
  return id;
}

describe('recordEvaluation', () => {
  it('the planning section records an evaluation with its white paper and next initiative', async () => {
    const { first, next, rows, department } = await scene();
    const response = await world.as('planning')(record, {
      input: {
        initiative: first,
        rating: 'ACHIEVED',
        progressPercent: 100,
        summary: '予定どおり実施設計を完了した。',
        decision: 'EXPAND',
        nextInitiative: next,
        whitePaper: globalId('WhitePaper', paper2012.id),
      },
    });
    expect(response.data?.recordEvaluation).toMatchObject({
      __typename: 'RecordEvaluationSuccess',
      evaluation: {
        rating: 'ACHIEVED',
        progressPercent: 100,
        summary: '予定どおり実施設計を完了した。',
        decision: 'EXPAND',
        status: 'DRAFT',
        version: 1,
        initiative: { id: first },
        nextInitiative: { id: next },
        whitePaper: { id: globalId('WhitePaper', paper2012.id) },
      },
    });
    const row = await world.prisma.evaluation.findUniqueOrThrow({
      where: { initiativeId: rows[0]?.id },
    });
    const changes = await changeRecordsOf(world.prisma, 'Evaluation', row.id);
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      municipalityId: world.mitaka.id,
      departmentId: department.id,
      fiscalYear: 2012,
      action: 'CREATE',
      actor: actorOf(world.callers.planning, '企画経営課'),
      changes: {
        rating: { before: null, after: 'ACHIEVED' },
        progressPercent: { before: null, after: 100 },
        decision: { before: null, after: 'EXPAND' },
        whitePaperId: { before: null, after: paper2012.id },
        status: { before: null, after: 'DRAFT' },
      },
    });
  });

  it("Mitaka's admin may record one too", async () => {
    const { first } = await scene();
    const response = await world.as('admin')(record, { input: minimal(first) });
    expect(response.data?.recordEvaluation).toMatchObject({
      __typename: 'RecordEvaluationSuccess',
    });
  });

  it.each([['anonymous'], ['editor'], ['otherPlanning'], ['otherAdmin']] as const)(
    '%s may not record an evaluation of a published plan, and nothing is written',
    async (caller) => {
      const { first } = await scene();
      const before = await snapshot(world.prisma);
      const response = await world.as(caller)(record, { input: minimal(first) });
      expect(response.data?.recordEvaluation).toMatchObject({ __typename: 'ForbiddenError' });
      expect(await snapshot(world.prisma)).toEqual(before);
    },
  );

  it("the department's own editor may not grade its work either", async () => {
    const kikaku = await world.prisma.initiative.findFirstOrThrow({
      where: { plan: { department: { code: 'kikaku', municipalityId: world.mitaka.id } } },
    });
    const response = await world.as('editor')(record, {
      input: minimal(globalId('Initiative', kikaku.id)),
    });
    expect(response.data?.recordEvaluation).toMatchObject({ __typename: 'ForbiddenError' });
  });

  it("another city's planning section cannot even find an initiative of a draft plan", async () => {
    const { first } = await scene({ status: 'DRAFT' });
    const response = await world.as('otherPlanning')(record, { input: minimal(first) });
    expect(response.data?.recordEvaluation).toMatchObject({
      __typename: 'NotFoundError',
      entityType: 'Initiative',
    });
  });

  it('a second evaluation of the same initiative is ALREADY_EXISTS, and nothing is written', async () => {
    const { first } = await scene();
    await recorded(first);
    const before = await snapshot(world.prisma);
    const response = await world.as('planning')(record, { input: minimal(first) });
    expect(response.data?.recordEvaluation).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'initiative'], code: 'ALREADY_EXISTS' }],
    });
    expect(await snapshot(world.prisma)).toEqual(before);
  });

  it('progress outside 0-100 and an empty summary point at their fields', async () => {
    const { first } = await scene();
    const response = await world.as('planning')(record, {
      input: { ...minimal(first), progressPercent: 101, summary: '  ' },
    });
    const issues = issuesOf(response.data?.recordEvaluation);
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'input.progressPercent',
      'input.summary',
    ]);
  });

  it('the next initiative must be of a later fiscal year', async () => {
    const { first, second } = await scene();
    const response = await world.as('planning')(record, {
      input: { ...minimal(first), nextInitiative: second },
    });
    expect(response.data?.recordEvaluation).toMatchObject({
      issues: [{ path: ['input', 'nextInitiative'], code: 'NOT_LATER_YEAR' }],
    });
  });

  it('the next initiative and the white paper must be of the same municipality', async () => {
    const { first } = await scene();
    const elsewhere = await scene({ municipalityId: world.other.id });
    const next = await world.as('planning')(record, {
      input: { ...minimal(first), nextInitiative: elsewhere.next },
    });
    expect(next.data?.recordEvaluation).toMatchObject({
      issues: [{ path: ['input', 'nextInitiative'], code: 'OTHER_MUNICIPALITY' }],
    });
    const paper = await world.as('planning')(record, {
      input: { ...minimal(first), whitePaper: globalId('WhitePaper', otherPaper2012.id) },
    });
    expect(paper.data?.recordEvaluation).toMatchObject({
      issues: [{ path: ['input', 'whitePaper'], code: 'OTHER_MUNICIPALITY' }],
    });
  });

  it("the white paper must report on the plan's fiscal year", async () => {
    const { first } = await scene();
    // The seeded 三鷹市自治体経営白書2012 reports on FY2011.
    const seeded = await world.prisma.whitePaper.findFirstOrThrow({
      where: { municipalityId: world.mitaka.id, reportsOnFiscalYear: 2011 },
    });
    const response = await world.as('planning')(record, {
      input: { ...minimal(first), whitePaper: globalId('WhitePaper', seeded.id) },
    });
    expect(response.data?.recordEvaluation).toMatchObject({
      issues: [{ path: ['input', 'whitePaper'], code: 'FISCAL_YEAR_MISMATCH' }],
    });
  });
});

describe('updateEvaluation', () => {
  it('the planning section changes the rating and clears optional fields with null; before and after are recorded', async () => {
    const { first, next } = await scene();
    const created = await world.as('planning')(record, {
      input: { ...minimal(first), progressPercent: 80, decision: 'CONTINUE', nextInitiative: next },
    });
    const id = created.data?.recordEvaluation?.evaluation?.id as string;
    const response = await world.as('planning')(update, {
      input: {
        id,
        expectedVersion: 1,
        rating: 'PARTIALLY_ACHIEVED',
        progressPercent: null,
        decision: null,
        nextInitiative: null,
      },
    });
    expect(response.data?.updateEvaluation).toMatchObject({
      evaluation: {
        rating: 'PARTIALLY_ACHIEVED',
        progressPercent: null,
        decision: null,
        nextInitiative: null,
        summary: '実施設計を完了した。',
        version: 2,
      },
    });
    const rowId = Number(Buffer.from(id, 'base64').toString().split(':')[1]);
    const changes = await changeRecordsOf(world.prisma, 'Evaluation', rowId);
    expect(changes.at(-1)).toMatchObject({
      action: 'UPDATE',
      actor: actorOf(world.callers.planning, '企画経営課'),
      fiscalYear: 2012,
      changes: {
        rating: { before: 'MOSTLY_ACHIEVED', after: 'PARTIALLY_ACHIEVED' },
        progressPercent: { before: 80, after: null },
        decision: { before: 'CONTINUE', after: null },
        nextInitiativeId: { before: expect.any(Number), after: null },
      },
    });
    expect(Object.keys(changes.at(-1)?.changes as object).sort()).toEqual([
      'decision',
      'nextInitiativeId',
      'progressPercent',
      'rating',
    ]);
  });

  it('the rating and summary cannot be cleared', async () => {
    const { first } = await scene();
    const id = await recorded(first);
    const response = await world.as('planning')(update, {
      input: { id, expectedVersion: 1, rating: null, summary: null },
    });
    const issues = issuesOf(response.data?.updateEvaluation);
    expect(issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'input.rating',
      'input.summary',
    ]);
  });

  it.each([['anonymous'], ['editor'], ['otherPlanning'], ['otherAdmin']] as const)(
    '%s may not change an evaluation, and nothing is written',
    async (caller) => {
      const { first } = await scene();
      const id = await recorded(first);
      const before = await snapshot(world.prisma);
      const response = await world.as(caller)(update, {
        input: { id, expectedVersion: 1, summary: '改ざん' },
      });
      // Another city's callers cannot see a draft evaluation at all.
      expect(['ForbiddenError', 'NotFoundError']).toContain(
        response.data?.updateEvaluation?.__typename,
      );
      expect(await snapshot(world.prisma)).toEqual(before);
    },
  );

  it("an unpublished evaluation is invisible to another city's planning section", async () => {
    const { first } = await scene();
    const id = await recorded(first);
    const response = await world.as('otherPlanning')(update, {
      input: { id, expectedVersion: 1, summary: 'x' },
    });
    expect(response.data?.updateEvaluation).toMatchObject({
      __typename: 'NotFoundError',
      entityType: 'Evaluation',
    });
  });

  it('a stale version is a VersionConflictError with the current version, and nothing is written', async () => {
    const { first } = await scene();
    const id = await recorded(first);
    await world.as('planning')(update, { input: { id, expectedVersion: 1, progressPercent: 10 } });
    const before = await snapshot(world.prisma);
    const response = await world.as('planning')(update, {
      input: { id, expectedVersion: 1, progressPercent: 20 },
    });
    expect(response.data?.updateEvaluation).toMatchObject({
      __typename: 'VersionConflictError',
      expectedVersion: 1,
      currentVersion: 2,
    });
    expect(await snapshot(world.prisma)).toEqual(before);
  });

  it('a linked white paper is checked like on recording', async () => {
    const { first } = await scene();
    const id = await recorded(first);
    const response = await world.as('planning')(update, {
      input: { id, expectedVersion: 1, whitePaper: globalId('WhitePaper', otherPaper2012.id) },
    });
    expect(response.data?.updateEvaluation).toMatchObject({
      issues: [{ path: ['input', 'whitePaper'], code: 'OTHER_MUNICIPALITY' }],
    });
  });

  it('when the change record cannot be written, the edit is rolled back', async () => {
    const { first } = await scene();
    const id = await recorded(first);
    const undo = await failChangeRecordsOf(world.prisma, 'Evaluation');
    try {
      const before = await snapshot(world.prisma);
      const response = await world.as('planning')(update, {
        input: { id, expectedVersion: 1, rating: 'NOT_ACHIEVED' },
      });
      expect(response.errors?.[0]?.message).toBe('Unexpected error.');
      expect(await snapshot(world.prisma)).toEqual(before);
    } finally {
      await undo();
    }
  });
});

describe('publishEvaluation and unpublishEvaluation', () => {
  it('publishing makes the evaluation public; unpublishing hides it again; both are recorded', async () => {
    const { first, rows } = await scene();
    const id = await recorded(first);
    const seenByPublic = async () =>
      (await world.api.query(publicEvaluation, { id: first })).data?.node?.evaluation;
    expect(await seenByPublic()).toBeNull();

    const published = await world.as('planning')(publish, { input: { id, expectedVersion: 1 } });
    expect(published.data?.publishEvaluation).toMatchObject({
      evaluation: { status: 'PUBLISHED', version: 2 },
    });
    expect(await seenByPublic()).toEqual({ rating: 'MOSTLY_ACHIEVED', status: 'PUBLISHED' });

    const hidden = await world.as('admin')(unpublish, { input: { id, expectedVersion: 2 } });
    expect(hidden.data?.unpublishEvaluation).toMatchObject({
      evaluation: { status: 'DRAFT', version: 3 },
    });
    expect(await seenByPublic()).toBeNull();

    const row = await world.prisma.evaluation.findUniqueOrThrow({
      where: { initiativeId: rows[0]?.id },
    });
    const changes = await changeRecordsOf(world.prisma, 'Evaluation', row.id);
    expect(changes.map((c) => [c.action, c.actor, c.changes])).toEqual([
      ['CREATE', actorOf(world.callers.planning, '企画経営課'), expect.any(Object)],
      [
        'UPDATE',
        actorOf(world.callers.planning, '企画経営課'),
        { status: { before: 'DRAFT', after: 'PUBLISHED' } },
      ],
      [
        'UPDATE',
        actorOf(world.callers.admin, '三鷹 admin'),
        { status: { before: 'PUBLISHED', after: 'DRAFT' } },
      ],
    ]);
  });

  it('a published evaluation of a draft plan stays hidden from the public', async () => {
    const { first } = await scene({ status: 'DRAFT' });
    const id = await recorded(first);
    await world.as('planning')(publish, { input: { id, expectedVersion: 1 } });
    const response = await world.api.query(publicEvaluation, { id: first });
    expect(response.data?.node).toBeNull();
  });

  it.each([['anonymous'], ['editor'], ['otherPlanning'], ['otherAdmin']] as const)(
    '%s may not publish or unpublish, and nothing is written',
    async (caller) => {
      const { first, second } = await scene();
      const draft = await recorded(first);
      const live = await recorded(second);
      await world.as('planning')(publish, { input: { id: live, expectedVersion: 1 } });
      const before = await snapshot(world.prisma);
      const publishing = await world.as(caller)(publish, {
        input: { id: draft, expectedVersion: 1 },
      });
      const unpublishing = await world.as(caller)(unpublish, {
        input: { id: live, expectedVersion: 2 },
      });
      expect(['ForbiddenError', 'NotFoundError']).toContain(
        publishing.data?.publishEvaluation?.__typename,
      );
      expect(unpublishing.data?.unpublishEvaluation).toMatchObject({
        __typename: 'ForbiddenError',
      });
      expect(await snapshot(world.prisma)).toEqual(before);
    },
  );

  it('publishing twice is UNCHANGED, and a stale version is a VersionConflictError', async () => {
    const { first } = await scene();
    const id = await recorded(first);
    await world.as('planning')(publish, { input: { id, expectedVersion: 1 } });
    const again = await world.as('planning')(publish, { input: { id, expectedVersion: 2 } });
    expect(again.data?.publishEvaluation).toMatchObject({
      issues: [{ path: ['input', 'id'], code: 'UNCHANGED' }],
    });
    const stale = await world.as('planning')(unpublish, { input: { id, expectedVersion: 1 } });
    expect(stale.data?.unpublishEvaluation).toMatchObject({
      __typename: 'VersionConflictError',
      currentVersion: 2,
    });
  });
});
