// One visibility judgment per event and visibility class, however many subscribers: the memo
// (packages/server/src/live/visibility-memo.ts) shares the answer, and a draft still never
// reaches the public. The judgment itself reads no table (it is a pure function of the
// record's recorded audiences), so the feed sends no query per event at all.
import type { Viewer } from '@hoshin/server/testing';
import {
  changeStream,
  createHoshinYoga,
  judgeChange,
  LiveUpdates,
  visibilityClass,
  visibilityMemo,
} from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { factories, tokenFor } from '../support/factories.ts';

let db: TestDatabase;
let live: LiveUpdates;
let yoga: ReturnType<typeof createHoshinYoga>;
let planning = '';
let published = 0;
let draft = 0;
let municipalityId = 0;

const gid = (n: number) => Buffer.from(`DepartmentPlan:${n}`).toString('base64');

async function update(id: number, mission: string) {
  const { version } = await db.prisma.departmentPlan.findUniqueOrThrow({ where: { id } });
  const response = await yoga.fetch('http://hoshin.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${planning}` },
    body: JSON.stringify({
      query: 'mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }',
      variables: { input: { id: gid(id), expectedVersion: version, mission } },
    }),
  });
  expect(await response.text()).toContain('UpdatePlanSuccess');
}

beforeAll(async () => {
  db = await createTestDatabase();
  live = new LiveUpdates(db.prisma, { pollMs: 60_000 });
  yoga = createHoshinYoga({ db, live });
  const make = factories(db.prisma);
  const city = await make.municipality({ code: '990051' });
  municipalityId = city.id;
  const department = await make.department(city.id, { code: 'kyoiku' });
  published = (await make.plan(department.id, { fiscalYear: 2012, status: 'PUBLISHED' })).id;
  draft = (await make.plan(department.id, { fiscalYear: 2013, status: 'DRAFT' })).id;
  planning = await tokenFor(db.prisma, { name: 'p', role: 'PLANNING', municipality: '990051' });
  await live.ready();
});
afterAll(async () => {
  await live.close();
  await db.close();
});

describe('visibility memo', () => {
  it('names a class by what the read policies look at, nothing else', () => {
    const token = (tokenId: number): Extract<Viewer, { kind: 'token' }> => ({
      kind: 'token',
      tokenId,
      actor: `t${tokenId}`,
      office: 'office',
      role: 'EDITOR',
      municipalityId: 1,
      departmentId: 2,
    });
    expect(visibilityClass(token(1))).toBe(visibilityClass(token(2)));
    expect(visibilityClass({ kind: 'anonymous' })).not.toBe(visibilityClass(token(1)));
    expect(visibilityClass({ ...token(1), departmentId: 3 })).not.toBe(visibilityClass(token(1)));
  });

  it('judges once per event and class for 20 public subscribers and one staff member', async () => {
    const open = (viewer: Viewer) =>
      changeStream(
        live.feed,
        db.prisma,
        { visibilityClass: visibilityClass(viewer), judge: (r) => judgeChange(viewer, r) },
        {
          scope: { entityTypes: ['DepartmentPlan'], municipalityId },
          maxBuffer: 100,
        },
      )[Symbol.asyncIterator]();
    const viewerOfStaff: Viewer = {
      kind: 'token',
      tokenId: 1,
      actor: 'staff',
      office: 'office',
      role: 'PLANNING',
      municipalityId,
      departmentId: null,
    };
    const listening = live.feed.listenerCount;
    const publicStreams = Array.from({ length: 20 }, () => open({ kind: 'anonymous' }));
    const staff = open(viewerOfStaff);
    const firstPublic = publicStreams.map((stream) => stream.next());
    const firstStaff = staff.next();
    // Every stream listens to the feed before the writes.
    await vi.waitFor(() => expect(live.feed.listenerCount).toBe(listening + 21), { interval: 5 });
    const memo = visibilityMemo(live.feed);
    const before = memo.judgments;
    await update(draft, '下書きの更新');
    await update(published, '公開済みの更新');
    await live.feed.wake();

    const received = await Promise.all(firstPublic);
    // The public skips the draft's event and gets the published plan's.
    for (const event of received) expect(event.value.record.entityId).toBe(published);
    const staffEvents = [
      (await firstStaff).value.record.entityId,
      (await staff.next()).value.record.entityId,
    ];
    expect(staffEvents).toEqual([draft, published]);
    // Two events x two classes, not 2 x 21 subscribers (42).
    expect(memo.judgments - before).toBe(4);
    for (const stream of [...publicStreams, staff]) await stream.return?.();
    expect(live.feed.listenerCount).toBe(0);
  });
});
