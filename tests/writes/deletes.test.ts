// Deleting departments, municipalities and opinions (issue 29, item 4): only what holds no
// record of the city (a department without plans, an empty municipality, an opinion not
// shown), by whom the policy modules name, with the deletion kept in the change log.
import { checkDigit } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../support/factories.ts';
import {
  changeRecordsOf,
  errorSelection,
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

const deleteDepartment = `mutation ($input: DeleteDepartmentInput!) {
  deleteDepartment(input: $input) {
    ${versionedErrorSelection}
    ... on DeleteDepartmentSuccess { department { id code name } }
  }
}`;

const deleteMunicipality = `mutation ($input: DeleteMunicipalityInput!) {
  deleteMunicipality(input: $input) {
    ${versionedErrorSelection}
    ... on DeleteMunicipalitySuccess { municipality { id code name } }
  }
}`;

const deleteFeedback = `mutation ($input: ModerateFeedbackInput!) {
  deleteFeedback(input: $input) {
    ${errorSelection}
    ... on DeleteFeedbackSuccess { feedback { id body status } }
  }
}`;

/** A department of Mitaka added through the API (so its creation is in the log). */
async function addedDepartment(code: string) {
  const created = await world.as('admin')(
    `mutation ($input: CreateDepartmentInput!) { createDepartment(input: $input) {
      ${errorSelection} ... on CreateDepartmentSuccess { department { id version } } } }`,
    { input: { municipality: MITAKA, code, name: '誤登録部', displayOrder: 900 } },
  );
  const department = (created.data?.createDepartment as any)?.department;
  if (!department) throw new Error(JSON.stringify(created));
  return {
    ...department,
    rowId: Number(Buffer.from(department.id, 'base64').toString().split(':')[1]),
  };
}

describe('deleteDepartment', () => {
  it('a department with plans is refused (HAS_PLANS, naming its years), and nothing is written', async () => {
    const kyoiku = await world.prisma.department.findFirstOrThrow({
      where: { municipalityId: world.mitaka.id, code: 'kyoiku' },
    });
    const before = await snapshot(world.prisma);
    const result = await world.as('admin')(deleteDepartment, {
      input: { id: globalId('Department', kyoiku.id), expectedVersion: kyoiku.version },
    });
    const [issue, ...more] = issuesOf(result.data?.deleteDepartment);
    expect(more).toEqual([]);
    expect(issue).toMatchObject({ code: 'HAS_PLANS', path: ['input', 'id'] });
    expect(issue?.message).toContain('2012 (published)');
    expect(await snapshot(world.prisma)).toEqual(before);
  });

  it('only an admin of its municipality (or of every one) deletes it', async () => {
    const department = await addedDepartment('mistake-roles');
    const input = { id: department.id, expectedVersion: department.version };
    for (const caller of ['anonymous', 'editor', 'planning', 'otherAdmin'] as const) {
      const result = await world.as(caller)(deleteDepartment, { input });
      expect(result.data?.deleteDepartment, caller).toMatchObject({ __typename: 'ForbiddenError' });
    }
    const byGlobal = await world.as('globalAdmin')(deleteDepartment, { input });
    expect(byGlobal.data?.deleteDepartment).toMatchObject({
      __typename: 'DeleteDepartmentSuccess',
    });
  });

  it('a department without plans is deleted; its history, the deletion and an ended reorganisation stay in the log', async () => {
    const department = await addedDepartment('mistake-1');
    const successor = await addedDepartment('mistake-successor');
    const reorganised = await world.as('admin')(
      `mutation ($input: RecordReorganisationInput!) { recordReorganisation(input: $input) { ${errorSelection} } }`,
      {
        input: {
          kind: 'TRANSFER',
          fiscalYear: 2013,
          predecessors: [department.id],
          successors: [successor.id],
        },
      },
    );
    expect(reorganised.data?.recordReorganisation).toMatchObject({
      __typename: 'RecordReorganisationSuccess',
    });
    const result = await world.as('admin')(deleteDepartment, {
      input: { id: department.id, expectedVersion: department.version },
    });
    expect(result.data?.deleteDepartment).toMatchObject({
      __typename: 'DeleteDepartmentSuccess',
      department: { id: department.id, name: '誤登録部' },
    });
    expect(
      await world.prisma.department.findUnique({ where: { id: department.rowId } }),
    ).toBeNull();
    const history = await changeRecordsOf(world.prisma, 'Department', department.rowId);
    expect(history.map((r) => r.action)).toEqual(['CREATE', 'DELETE']);
    expect(history.at(-1)).toMatchObject({
      audienceBefore: 'PUBLIC',
      audienceAfter: 'NONE',
      departmentId: department.rowId,
      changes: { code: { before: 'mistake-1', after: null } },
    });
    // The successor's reorganisation ends with it, as a change of the successor.
    const successorHistory = await changeRecordsOf(world.prisma, 'Department', successor.rowId);
    expect(successorHistory.at(-1)?.changes).toMatchObject({
      predecessor: { before: { predecessorId: department.rowId }, after: null },
    });
    expect(
      await world.prisma.departmentSuccession.count({ where: { successorId: successor.rowId } }),
    ).toBe(0);
  });

  it('a token that can still act for it is revoked first (HAS_TOKENS); a revoked one goes with it', async () => {
    const department = await addedDepartment('mistake-tokens');
    await tokenFor(world.prisma, {
      name: '誤登録部 editor',
      role: 'EDITOR',
      municipality: MITAKA,
      department: 'mistake-tokens',
    });
    const input = { id: department.id, expectedVersion: department.version };
    const refused = await world.as('admin')(deleteDepartment, { input });
    expect(issuesOf(refused.data?.deleteDepartment).map((i) => i.code)).toEqual(['HAS_TOKENS']);
    await world.prisma.apiToken.updateMany({
      where: { departmentId: department.rowId },
      data: { revokedAt: new Date() },
    });
    const deleted = await world.as('admin')(deleteDepartment, { input });
    expect(deleted.data?.deleteDepartment).toMatchObject({ __typename: 'DeleteDepartmentSuccess' });
    expect(await world.prisma.apiToken.count({ where: { departmentId: department.rowId } })).toBe(
      0,
    );
  });

  it('a stale version is a VersionConflictError', async () => {
    const department = await addedDepartment('mistake-stale');
    const result = await world.as('admin')(deleteDepartment, {
      input: { id: department.id, expectedVersion: department.version + 1 },
    });
    expect(result.data?.deleteDepartment).toMatchObject({
      __typename: 'VersionConflictError',
      currentVersion: department.version,
    });
  });
});

let next = 500;
function tokyoCode(): string {
  next += 1;
  const firstFive = `13${next}`;
  return `${firstFive}${checkDigit(firstFive)}`;
}

describe('deleteMunicipality', () => {
  it('Mitaka holds the city record: refused with one issue per kind it holds, and only a global admin may try', async () => {
    const input = { id: globalId('Municipality', world.mitaka.id), expectedVersion: 1 };
    const { version } = await world.prisma.municipality.findUniqueOrThrow({
      where: { id: world.mitaka.id },
    });
    input.expectedVersion = version;
    const byOwnAdmin = await world.as('admin')(deleteMunicipality, { input });
    expect(byOwnAdmin.data?.deleteMunicipality).toMatchObject({ __typename: 'ForbiddenError' });
    const before = await snapshot(world.prisma);
    const refused = await world.as('globalAdmin')(deleteMunicipality, { input });
    const codes = issuesOf(refused.data?.deleteMunicipality).map((i) => i.code);
    expect(codes).toContain('HAS_DEPARTMENTS');
    expect(codes).toContain('HAS_TOKENS');
    expect(await snapshot(world.prisma)).toEqual(before);
  });

  it('an empty municipality (a wrong code) is deleted; its history and the deletion stay in the log', async () => {
    const code = tokyoCode();
    const created = await world.as('globalAdmin')(
      `mutation ($input: CreateMunicipalityInput!) { createMunicipality(input: $input) {
        ${errorSelection} ... on CreateMunicipalitySuccess { municipality { id version } } } }`,
      { input: { code, name: '誤登録市', prefecture: '東京都' } },
    );
    const city = (created.data as any).createMunicipality.municipality;
    const rowId = Number(Buffer.from(city.id, 'base64').toString().split(':')[1]);
    // A revoked token of the city goes with it.
    await tokenFor(world.prisma, {
      name: '誤登録市 planning',
      role: 'PLANNING',
      municipality: code,
    });
    await world.prisma.apiToken.updateMany({
      where: { municipalityId: rowId },
      data: { revokedAt: new Date() },
    });
    const result = await world.as('globalAdmin')(deleteMunicipality, {
      input: { id: city.id, expectedVersion: city.version },
    });
    expect(result.data?.deleteMunicipality).toMatchObject({
      __typename: 'DeleteMunicipalitySuccess',
      municipality: { id: city.id, code, name: '誤登録市' },
    });
    expect(await world.prisma.municipality.findUnique({ where: { code } })).toBeNull();
    const history = await changeRecordsOf(world.prisma, 'Municipality', rowId);
    expect(history.map((r) => r.action)).toEqual(['CREATE', 'DELETE']);
    expect(history.at(-1)).toMatchObject({
      municipalityId: rowId,
      audienceAfter: 'NONE',
      changes: { code: { before: code, after: null } },
    });
  });
});

describe('deleteFeedback', () => {
  it('an approved opinion is withdrawn first; a rejected one is deleted with its answer, the contact address in no record', async () => {
    const plan = await world.prisma.departmentPlan.findFirstOrThrow({
      where: { status: 'PUBLISHED', department: { municipalityId: world.mitaka.id } },
    });
    const submitted = await world.as('anonymous')(
      `mutation ($input: SubmitFeedbackInput!) { submitFeedback(input: $input) {
        ${errorSelection} ... on SubmitFeedbackSuccess { feedback { id } } } }`,
      {
        input: {
          plan: globalId('DepartmentPlan', plan.id),
          body: '消してほしい意見です。',
          contactEmail: 'hanako@example.jp',
        },
      },
    );
    const id: string = (submitted.data as any).submitFeedback.feedback.id;
    const rowId = Number(Buffer.from(id, 'base64').toString().split(':')[1]);
    const moderate = (name: string) =>
      world.as('planning')(
        `mutation ($input: ModerateFeedbackInput!) { ${name}(input: $input) { ${errorSelection} } }`,
        { input: { id } },
      );
    await moderate('approveFeedback');
    const answered = await world.as('planning')(
      `mutation ($input: AnswerFeedbackInput!) { answerFeedback(input: $input) {
        ${versionedErrorSelection} ... on AnswerFeedbackSuccess { answer { id } } } }`,
      { input: { feedback: id, body: '市の考え方。' } },
    );
    const answerId = (answered.data as any).answerFeedback.answer.id as string;
    const answerRowId = Number(Buffer.from(answerId, 'base64').toString().split(':')[1]);

    const refused = await world.as('planning')(deleteFeedback, { input: { id } });
    expect(issuesOf(refused.data?.deleteFeedback).map((i) => i.code)).toEqual(['PUBLISHED']);
    const byEditor = await world.as('editor')(deleteFeedback, { input: { id } });
    expect(byEditor.data?.deleteFeedback).toMatchObject({ __typename: 'ForbiddenError' });
    // Another city's planning section sees the shown opinion, but does not moderate it.
    const byOtherCity = await world.as('otherPlanning')(deleteFeedback, { input: { id } });
    expect(byOtherCity.data?.deleteFeedback).toMatchObject({ __typename: 'ForbiddenError' });

    await moderate('rejectFeedback');
    const deleted = await world.as('planning')(deleteFeedback, { input: { id } });
    expect(deleted.data?.deleteFeedback).toMatchObject({
      __typename: 'DeleteFeedbackSuccess',
      feedback: { id, status: 'REJECTED', body: '消してほしい意見です。' },
    });
    expect(await world.prisma.feedback.findUnique({ where: { id: rowId } })).toBeNull();
    expect(await world.prisma.feedbackAnswer.findUnique({ where: { id: answerRowId } })).toBeNull();
    const history = await changeRecordsOf(world.prisma, 'Feedback', rowId);
    expect(history.map((r) => r.action)).toEqual(['CREATE', 'UPDATE', 'UPDATE', 'DELETE']);
    expect(history.at(-1)).toMatchObject({ audienceBefore: 'STAFF', audienceAfter: 'NONE' });
    expect(JSON.stringify(history.map((r) => [r.changes, r.snapshot]))).not.toContain(
      'hanako@example.jp',
    );
    const answerHistory = await changeRecordsOf(world.prisma, 'FeedbackAnswer', answerRowId);
    expect(answerHistory.map((r) => r.action)).toEqual(['CREATE', 'UPDATE', 'DELETE']);
  });
});
