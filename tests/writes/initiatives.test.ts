import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { factories, tokenFor } from '../support/factories.ts';

let api: TestApi;
let editor: ReturnType<TestApi['as']>;
let otherEditor: ReturnType<TestApi['as']>;
let planId: string;

const id = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64');
const ADD = `mutation ($input: AddInitiativeInput!) { addInitiative(input: $input) {
  __typename ... on AddInitiativeSuccess { initiative { id position text version } } ... on Error { message } } }`;
const UPDATE = `mutation ($input: UpdateInitiativeInput!) { updateInitiative(input: $input) {
  __typename ... on UpdateInitiativeSuccess { initiative { text footnotes version } }
  ... on VersionConflictError { currentVersion } ... on Error { message } } }`;
const REORDER = `mutation ($input: ReorderInitiativesInput!) { reorderInitiatives(input: $input) {
  __typename ... on ReorderInitiativesSuccess { plan { version initiatives { edges { node { text position } } } } }
  ... on VersionConflictError { currentVersion } ... on ValidationError { issues { code } } ... on Error { message } } }`;
const REMOVE = `mutation ($input: RemoveInitiativeInput!) { removeInitiative(input: $input) {
  __typename ... on RemoveInitiativeSuccess { plan { version initiatives { edges { node { text position } } } } } ... on Error { message } } }`;

async function planState() {
  const { data } = await editor.query(
    `query ($id: ID!) { node(id: $id) { ... on DepartmentPlan {
    version initiatives { edges { node { id text position version } } } } } }`,
    { id: planId },
  );
  return data?.node as {
    version: number;
    initiatives: {
      edges: { node: { id: string; text: string; position: number; version: number } }[];
    };
  };
}
const texts = async () => (await planState()).initiatives.edges.map((e) => e.node.text);

beforeAll(async () => {
  api = await startTestApi({ seed: true });
  const make = factories(api.db.prisma);
  const city = await make.municipality({ code: '990011' });
  const department = await make.department(city.id, { code: 'kyoiku' });
  await make.department(city.id, { code: 'somu' });
  const plan = await make.plan(department.id, { fiscalYear: 2013, status: 'DRAFT' });
  planId = id('DepartmentPlan', plan.id);
  editor = api.as(
    await tokenFor(api.db.prisma, {
      name: 'ed',
      role: 'EDITOR',
      municipality: '990011',
      department: 'kyoiku',
    }),
  );
  otherEditor = api.as(
    await tokenFor(api.db.prisma, {
      name: 'so',
      role: 'EDITOR',
      municipality: '990011',
      department: 'somu',
    }),
  );
});
afterAll(() => api.close());

describe('initiatives of a draft plan', () => {
  it('are added at the end or at a position, and positions stay 1..n', async () => {
    for (const text of ['一', '三']) {
      expect(
        (await editor.query(ADD, { input: { plan: planId, text } })).data?.addInitiative.__typename,
      ).toBe('AddInitiativeSuccess');
    }
    const inserted = await editor.query(ADD, {
      input: { plan: planId, text: '二', position: 2, isAdministrativeReform: true },
    });
    expect(inserted.data?.addInitiative.initiative).toMatchObject({
      position: 2,
      text: '二',
      version: 1,
    });
    expect(await texts()).toEqual(['一', '二', '三']);
    expect((await planState()).version).toBe(4);
  });

  it('refuse a position past the end, and another department', async () => {
    const past = await editor.query(ADD, { input: { plan: planId, text: '五', position: 9 } });
    expect(past.data?.addInitiative).toMatchObject({ __typename: 'ValidationError' });
    const other = await otherEditor.query(ADD, { input: { plan: planId, text: '他' } });
    // Another department's editor cannot even see this draft.
    expect(other.data?.addInitiative.__typename).toBe('NotFoundError');
    expect(await texts()).toEqual(['一', '二', '三']);
  });

  it('are edited with optimistic concurrency', async () => {
    const [first] = (await planState()).initiatives.edges;
    const input = { id: first?.node.id, expectedVersion: 1, text: '一(改)', footnotes: ['注記'] };
    expect((await editor.query(UPDATE, { input })).data?.updateInitiative).toEqual({
      __typename: 'UpdateInitiativeSuccess',
      initiative: { text: '一(改)', footnotes: ['注記'], version: 2 },
    });
    expect(
      (await editor.query(UPDATE, { input: { ...input, text: '上書き' } })).data?.updateInitiative,
    ).toMatchObject({
      __typename: 'VersionConflictError',
      currentVersion: 2,
    });
  });

  it('are reordered only from the current list, as a full permutation', async () => {
    const state = await planState();
    const ids = state.initiatives.edges.map((e) => e.node.id);
    const partial = await editor.query(REORDER, {
      input: { plan: planId, expectedVersion: state.version, initiatives: ids.slice(1) },
    });
    expect(partial.data?.reorderInitiatives).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ code: 'NOT_A_PERMUTATION' }],
    });

    const reversed = [...ids].reverse();
    const done = await editor.query(REORDER, {
      input: { plan: planId, expectedVersion: state.version, initiatives: reversed },
    });
    expect(done.data?.reorderInitiatives.plan.initiatives.edges.map((e: any) => e.node)).toEqual([
      { text: '三', position: 1 },
      { text: '二', position: 2 },
      { text: '一(改)', position: 3 },
    ]);
    const stale = await editor.query(REORDER, {
      input: { plan: planId, expectedVersion: state.version, initiatives: ids },
    });
    expect(stale.data?.reorderInitiatives).toMatchObject({
      __typename: 'VersionConflictError',
      currentVersion: state.version + 1,
    });
  });

  it('are removed, and the ones after move up', async () => {
    const state = await planState();
    const middle = state.initiatives.edges[1]?.node;
    const { data } = await editor.query(REMOVE, {
      input: { id: middle?.id, expectedVersion: middle?.version },
    });
    expect(data?.removeInitiative.plan.initiatives.edges.map((e: any) => e.node)).toEqual([
      { text: '三', position: 1 },
      { text: '一(改)', position: 2 },
    ]);
    const history = await editor.query(
      `query ($id: ID!) { node(id: $id) { ... on DepartmentPlan { id } } }`,
      { id: middle?.id },
    );
    expect(history.data?.node).toBeNull();
    const deletion = await api.db.prisma.changeRecord.findFirstOrThrow({
      where: { entityType: 'Initiative', action: 'DELETE' },
    });
    expect(deletion.changes).toMatchObject({
      text: { before: '二', after: null },
      position: { before: 2, after: null },
    });
  });
});
