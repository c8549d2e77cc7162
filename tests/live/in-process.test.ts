import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeStream } from '../../packages/server/src/live/change-stream.ts';
import { LiveUpdates } from '../../packages/server/src/live/live-updates.ts';
import { judgeChange } from '../../packages/server/src/modules/visibility/visibility.policy.ts';
import { createHoshinYoga } from '../../packages/server/src/yoga.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { factories, tokenFor } from '../support/factories.ts';
import { subscribeSse } from '../support/sse.ts';

let db: TestDatabase;
let live: LiveUpdates;
let yoga: ReturnType<typeof createHoshinYoga>;
let planning = '';
let planId = '';

const gid = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64');
const fetchYoga = (url: string, init: RequestInit) => Promise.resolve(yoga.fetch(url, init));
const URL = 'http://hoshin.test/graphql';
const PLAN_EVENTS = `subscription ($after: String) { planChanged(filter: { municipality: "990051" }, after: $after) {
  cursor kind id plan { status mission } change { actor changes { field after } } } }`;

async function mutate(query: string, variables: Record<string, unknown>, token = planning) {
  const response = await yoga.fetch(URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as any).data;
}
const update = (mission: string, expectedVersion: number) =>
  mutate(`mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { __typename } }`, {
    input: { id: planId, expectedVersion, mission },
  });

beforeAll(async () => {
  db = await createTestDatabase();
  live = new LiveUpdates(db.prisma, { pollMs: 60_000, maxBuffer: 5 });
  yoga = createHoshinYoga({ db, live });
  const make = factories(db.prisma);
  const city = await make.municipality({ code: '990051' });
  const department = await make.department(city.id, { code: 'kyoiku' });
  planId = gid(
    'DepartmentPlan',
    (await make.plan(department.id, { fiscalYear: 2013, status: 'DRAFT' })).id,
  );
  planning = await tokenFor(db.prisma, { name: 'p', role: 'PLANNING', municipality: '990051' });
});
afterAll(async () => {
  await live.close();
  await db.close();
});

describe('live updates over SSE, in process', () => {
  it('a subscriber receives a committed write as it happens; the public never sees the draft', async () => {
    const staff = await subscribeSse(fetchYoga, URL, PLAN_EVENTS, {}, planning);
    const publicStream = await subscribeSse(fetchYoga, URL, PLAN_EVENTS);
    await update('下書きの使命', 1);

    const event = (await staff.next()).data.planChanged;
    expect(event).toMatchObject({
      kind: 'MODIFIED',
      id: planId,
      plan: { status: 'DRAFT', mission: '下書きの使命' },
      change: { changes: [{ field: 'mission', after: '下書きの使命' }] },
    });
    expect(event.cursor).toMatch(/^\d+$/);

    await mutate(
      `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }`,
      {
        input: { id: planId, expectedVersion: 2 },
      },
    );
    expect((await staff.next()).data.planChanged.plan.status).toBe('PUBLISHED');
    // The public stream's first event is the publication: the draft edit never reached it.
    const first = (await publicStream.next()).data.planChanged;
    expect(first.kind).toBe('ENTERED');
    expect(first.plan).toEqual({ status: 'PUBLISHED', mission: '下書きの使命' });
    // ...and the public sees the office, not the token.
    expect(first.change.actor).not.toContain('token:');
    expect(await publicStream.drain(300)).toEqual([]);
    staff.close();
    publicStream.close();
  });

  it('resumes from a cursor: every missed event once, then live, nothing twice at the seam', async () => {
    const first = await subscribeSse(fetchYoga, URL, PLAN_EVENTS, {}, planning);
    await update('一', 3);
    const seen = (await first.next()).data.planChanged;
    first.close();

    await update('二', 4);
    await update('三', 5);
    const resumed = await subscribeSse(
      fetchYoga,
      URL,
      PLAN_EVENTS,
      { after: seen.cursor },
      planning,
    );
    await update('四', 6);
    const missions = [];
    for (let i = 0; i < 3; i++)
      missions.push((await resumed.next()).data.planChanged.change.changes[0].after);
    expect(missions).toEqual(['二', '三', '四']);
    expect(await resumed.drain(300)).toEqual([]);
    resumed.close();
  });

  it('closes a subscriber that falls too far behind, with the cursor to resume from', async () => {
    // A consumer that takes one event and then stops reading (as a stalled socket does: the
    // HTTP layer stops pulling when the connection's buffer is full).
    const viewer = { kind: 'anonymous' as const };
    await db.prisma.departmentPlan.updateMany({ data: { status: 'PUBLISHED' } });
    const judge = { visibilityClass: 'anonymous', judge: (r: any) => judgeChange(viewer, r) };
    const stream = changeStream(live.feed, db.prisma, judge, {
      scope: { entityTypes: ['DepartmentPlan'] },
      maxBuffer: 5,
    })[Symbol.asyncIterator]();
    const first = stream.next();
    let { version } = await db.prisma.departmentPlan.findFirstOrThrow({
      where: { fiscalYear: 2013 },
    });
    for (let i = 0; i < 12; i++) await update(`連続${i}`, version++);
    await live.feed.wake();

    const delivered: bigint[] = [(await first).value.record.id];
    const failure = await (async () => {
      for (;;) {
        try {
          const next = await stream.next();
          if (next.done) return undefined;
          delivered.push(next.value.record.id);
        } catch (error) {
          return error as { extensions: { code: string; cursor: string } };
        }
      }
    })();
    expect(failure?.extensions.code).toBe('SUBSCRIBER_TOO_SLOW');
    expect(delivered.length).toBeLessThan(12);
    // The cursor names the last event delivered: resuming from it loses nothing.
    expect(failure?.extensions.cursor).toBe(delivered.at(-1)?.toString());
  });
});

describe('starting from now without losing anything', () => {
  it('latestChangeCursor gives a cursor to subscribe after, so a drop before the first event loses nothing', async () => {
    const response = await yoga.fetch(URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ latestChangeCursor }' }),
    });
    const { latestChangeCursor } = ((await response.json()) as any).data;
    expect(latestChangeCursor).toMatch(/^\d+$/);

    const { version } = await db.prisma.departmentPlan.findFirstOrThrow({
      where: { fiscalYear: 2013 },
    });
    await update('接続前の変更', version); // committed before the subscription exists
    const stream = await subscribeSse(
      fetchYoga,
      URL,
      PLAN_EVENTS,
      { after: latestChangeCursor },
      planning,
    );
    expect((await stream.next()).data.planChanged.change.changes[0].after).toBe('接続前の変更');
    stream.close();
  });
});
