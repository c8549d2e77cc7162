// Resuming from a cursor delivers every change after it exactly once (issue 31: two faults the
// suite missed): a replay longer than one page (200 records) goes on to the end, and a write
// that commits while a subscriber's replay is running reaches it once, at the seam between
// replay and live. Both ways a stream is consumed (iterated, as Yoga and graphql-ws do; pushed,
// as the shared SSE writer does), and once through the front door. The write lands during the
// replay deterministically: the test holds the replay's first page until the write is
// committed and the change feed has read it. "Nothing more" is checked with a later write (a
// fence) that must be the very next event, not with a timeout.
import type { PrismaClient, Viewer } from '@hoshin/server/testing';
import {
  changeStream,
  createHoshinYoga,
  LiveUpdates,
  liveJudge,
  pushInto,
} from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { factories, tokenFor } from '../support/factories.ts';
import { subscribeSse } from '../support/sse.ts';

const CITY = '990081';
const URL = 'http://hoshin.test/graphql';
/** More than one replay page (REPLAY_PAGE is 200 in live/change-stream.ts). */
const INITIATIVES = 250;
/** How long one event may take to arrive (a missing one fails the test, not its timeout). */
const WAIT_MS = 5_000;

let db: TestDatabase;
let live: LiveUpdates;
let yoga: ReturnType<typeof createHoshinYoga>;
let planning = '';
let municipalityId = 0;
let planId = 0;
let kyoikuId = 0;
let initiativeIds: number[] = [];
/** The cursor just before the plan (with its 250 initiatives) was published. */
let beforePublication = '';
const versions = new Map<number, number>();

const gid = (type: string, n: number) => Buffer.from(`${type}:${n}`).toString('base64');
const fetchYoga = (url: string, init: RequestInit) => Promise.resolve(yoga.fetch(url, init));
const anonymous: Viewer = { kind: 'anonymous' };

async function graphql(query: string, variables: Record<string, unknown>) {
  const response = await yoga.fetch(URL, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${planning}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

/** Edits one initiative's text through the API; returns its id. */
async function editInitiative(id: number, text: string) {
  const version = versions.get(id) ?? 1;
  const data = await graphql(
    'mutation ($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { __typename } }',
    { input: { id: gid('Initiative', id), expectedVersion: version, text } },
  );
  expect(data.updateInitiative.__typename).toBe('UpdateInitiativeSuccess');
  versions.set(id, version + 1);
  return id;
}

/** The newest change record's id (what a write just committed). */
async function newestRecord() {
  return (await db.prisma.changeRecord.findFirstOrThrow({ orderBy: { id: 'desc' } })).id;
}

/** REPLAY_PAGE in live/change-stream.ts: a shorter page is the replay's last. */
const REPLAY_PAGE = 200;

/**
 * The client, except that its first read of a replay page (a change-record read bounded by
 * the feed's head) answers only after `during` has run: a write committing mid-replay. With
 * `last`, the replay's last page is held instead: the write then reaches the stream only live.
 */
function holdingFirstReplayPage(
  prisma: PrismaClient,
  during: () => Promise<void>,
  last = false,
): PrismaClient {
  let held = false;
  const changeRecord = new Proxy(prisma.changeRecord, {
    get(target, property, receiver) {
      if (property !== 'findMany') return Reflect.get(target, property, receiver);
      return async (args: any) => {
        const page = await target.findMany(args);
        const replayPage = args?.where?.id?.lte !== undefined;
        if (!held && replayPage && (!last || page.length < REPLAY_PAGE)) {
          held = true;
          await during();
        }
        return page;
      };
    },
  });
  return new Proxy(prisma, {
    get: (target, property) =>
      property === 'changeRecord' ? changeRecord : Reflect.get(target, property),
  });
}

interface Received {
  /** The next event's record id and kind; fails after WAIT_MS. */
  next(): Promise<{ id: bigint; kind: string; entityId: number }>;
  close(): void;
}

type Consumption = 'iterated' | 'pushed';

type Scope = Parameters<typeof changeStream>[3]['scope'];

/** An anonymous subscriber's stream of initiative changes after `after`, consumed one way. */
function subscribe(
  how: Consumption,
  prisma: PrismaClient,
  after: string,
  scope: Scope = { entityTypes: ['Initiative'], municipalityId },
): Received {
  const stream = changeStream(live.feed, prisma, liveJudge(anonymous), {
    scope,
    after: BigInt(after),
    maxBuffer: 10_000,
  });
  const asReceived = (event: { record: { id: bigint; entityId: number }; kind: string }) => ({
    id: event.record.id,
    kind: event.kind,
    entityId: event.record.entityId,
  });
  if (how === 'iterated') {
    const iterator = stream[Symbol.asyncIterator]();
    return {
      async next() {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('no event arrived in time')), WAIT_MS);
        });
        const result = await Promise.race([iterator.next(), late]).finally(() =>
          clearTimeout(timer),
        );
        if (result.done) throw new Error('the stream ended');
        return asReceived(result.value);
      },
      close: () => void iterator.return?.(),
    };
  }
  const queue: ReturnType<typeof asReceived>[] = [];
  let wake: (() => void) | undefined;
  let ended: unknown;
  const pushed = pushInto(stream, {
    write(event) {
      queue.push(asReceived(event));
      wake?.();
      return true;
    },
    end(error) {
      ended = error ?? new Error('the stream ended');
      wake?.();
    },
  });
  if (!pushed) throw new Error('not a pushable stream');
  return {
    async next() {
      const deadline = Date.now() + WAIT_MS;
      while (queue.length === 0) {
        if (ended) throw ended;
        if (Date.now() > deadline) throw new Error('no event arrived in time');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return queue.shift() as ReturnType<typeof asReceived>;
    },
    close: () => pushed.stop(),
  };
}

/** The ids of the initiative change records of the city after `after`, in order. */
async function recordsAfter(after: string) {
  const records = await db.prisma.changeRecord.findMany({
    where: { id: { gt: BigInt(after) }, entityType: 'Initiative', municipalityId },
    orderBy: { id: 'asc' },
    select: { id: true },
  });
  return records.map((record) => record.id);
}

/**
 * Takes `count` events (by default, as many as there are records after `after`): they must be
 * every record after `after`, in order; then makes a fence write, which must be the very next
 * event.
 */
async function takeAll(stream: Received, after: string, count?: number) {
  const events = [];
  const total = count ?? (await recordsAfter(after)).length;
  for (let i = 0; i < total; i++) events.push(await stream.next());
  expect(events.map((e) => e.id)).toEqual(await recordsAfter(after));
  const fence = await editInitiative(initiativeIds[0] as number, `fence ${Date.now()}`);
  const next = await stream.next();
  expect({ entityId: next.entityId, id: next.id }).toEqual({
    entityId: fence,
    id: await newestRecord(),
  });
  return events;
}

beforeAll(async () => {
  db = await createTestDatabase();
  live = new LiveUpdates(db.prisma, { pollMs: 60_000 });
  yoga = createHoshinYoga({ db, live });
  await live.ready();
  const make = factories(db.prisma);
  const city = await make.municipality({ code: CITY });
  municipalityId = city.id;
  const department = await make.department(city.id, { code: 'kyoiku' });
  kyoikuId = department.id;
  const plan = await make.plan(department.id, { fiscalYear: 2013, status: 'DRAFT' });
  planId = plan.id;
  await db.prisma.initiative.createMany({
    data: Array.from({ length: INITIATIVES }, (_, i) => ({
      planId,
      position: i + 1,
      text: `事業 ${i + 1}`,
    })),
  });
  initiativeIds = (
    await db.prisma.initiative.findMany({ where: { planId }, orderBy: { position: 'asc' } })
  ).map((initiative) => initiative.id);
  planning = await tokenFor(db.prisma, { name: 'p', role: 'PLANNING', municipality: CITY });
  beforePublication = (await newestRecord().catch(() => 0n)).toString();
  // One write, 251 change records: the plan and each initiative entering the public view.
  const published = await graphql(
    'mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }',
    { input: { id: gid('DepartmentPlan', planId), expectedVersion: 1 } },
  );
  expect(published.publishPlan.__typename).toBe('PublishPlanSuccess');
});
afterAll(async () => {
  await live.close();
  await db.close();
});

describe('a replay longer than one page', () => {
  it.each(['iterated', 'pushed'] as const)(
    '%s: resuming before 250 changes delivers all 250, then live ones',
    async (how) => {
      const stream = subscribe(how, db.prisma, beforePublication);
      const events = await takeAll(stream, beforePublication);
      const entered = events.slice(0, INITIATIVES);
      expect(new Set(entered.map((e) => e.entityId))).toEqual(new Set(initiativeIds));
      expect(new Set(entered.map((e) => e.kind))).toEqual(new Set(['ENTERED']));
      stream.close();
    },
  );

  it('through the front door (SSE): the public gets all 250 initiatives entering', async () => {
    const stream = await subscribeSse(
      fetchYoga,
      URL,
      `subscription ($after: String) { initiativeChanged(filter: { municipality: "${CITY}" }, after: $after) {
        kind id } }`,
      { after: beforePublication },
    );
    const expected = await recordsAfter(beforePublication);
    const events = [];
    for (let i = 0; i < expected.length; i++) {
      events.push((await stream.next()).data.initiativeChanged);
    }
    const entered = events.slice(0, INITIATIVES);
    expect(new Set(entered.map((e) => e.kind))).toEqual(new Set(['ENTERED']));
    expect(new Set(entered.map((e) => e.id))).toEqual(
      new Set(initiativeIds.map((id) => gid('Initiative', id))),
    );
    const fence = await editInitiative(initiativeIds[1] as number, 'fence');
    expect((await stream.next()).data.initiativeChanged).toEqual({
      kind: 'MODIFIED',
      id: gid('Initiative', fence),
    });
    stream.close();
  });
});

describe('a write committing during the replay', () => {
  it.each(['iterated', 'pushed'] as const)(
    '%s: is delivered exactly once, after everything replayed',
    async (how) => {
      const after = (await newestRecord()).toString();
      // The plan leaves the public view and enters it again: 500 initiative changes to replay.
      const unpublished = await graphql(
        'mutation ($input: PlanVersionInput!) { unpublishPlan(input: $input) { __typename } }',
        { input: { id: gid('DepartmentPlan', planId), expectedVersion: await planVersion() } },
      );
      expect(unpublished.unpublishPlan.__typename).toBe('UnpublishPlanSuccess');
      await graphql(
        'mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }',
        { input: { id: gid('DepartmentPlan', planId), expectedVersion: await planVersion() } },
      );
      let during = 0n;
      const prisma = holdingFirstReplayPage(db.prisma, async () => {
        await editInitiative(initiativeIds[2] as number, `during the replay (${how})`);
        during = await newestRecord();
        // The feed has read it: it is queued for the subscriber and within the replay's head.
        await live.feed.wake();
        expect(live.feed.head).toBe(during);
      });
      const stream = subscribe(how, prisma, after);
      // Each initiative LEFT, then ENTERED, then the write made during the replay.
      const events = await takeAll(stream, after, 2 * INITIATIVES + 1);
      expect(events.at(-1)?.id).toBe(during);
      stream.close();
    },
  );
});

describe('a write committing right after the replay read its last page', () => {
  it.each(['iterated', 'pushed'] as const)(
    '%s: comes live, once, after the replayed changes',
    async (how) => {
      const after = (await newestRecord()).toString();
      await editInitiative(initiativeIds[4] as number, `replayed (${how})`);
      let during = 0n;
      const prisma = holdingFirstReplayPage(
        db.prisma,
        async () => {
          await editInitiative(initiativeIds[5] as number, `after the last page (${how})`);
          during = await newestRecord();
          // Queued for the subscriber, and past the head the last page was read up to.
          await live.feed.wake();
          expect(live.feed.head).toBe(during);
        },
        true,
      );
      const stream = subscribe(how, prisma, after);
      const events = await takeAll(stream, after, 2);
      expect(events.at(-1)?.id).toBe(during);
      stream.close();
    },
  );
});

describe('a pushed replay into a full connection', () => {
  it('waits for room: nothing is written while the sink is full, nothing is lost', async () => {
    const after = (await newestRecord()).toString();
    for (const id of initiativeIds.slice(6, 9)) await editInitiative(id, 'while full');
    const expected = await recordsAfter(after);
    const written: bigint[] = [];
    let full = false;
    let writtenWhileFull = 0;
    let ended: unknown;
    let resume = () => {};
    const pushed = pushInto(
      changeStream(live.feed, db.prisma, liveJudge(anonymous), {
        scope: { entityTypes: ['Initiative'], municipalityId },
        after: BigInt(after),
        maxBuffer: 10_000,
      }),
      {
        // Every write fills the connection; it drains a moment later.
        write(event) {
          if (full) writtenWhileFull += 1;
          written.push(event.record.id);
          full = true;
          setImmediate(() => {
            full = false;
            resume();
          });
          return false;
        },
        end(error) {
          ended = error ?? 'ended';
        },
      },
    );
    if (!pushed) throw new Error('not a pushable stream');
    resume = () => pushed.resume();
    const deadline = Date.now() + WAIT_MS;
    while (written.length < expected.length && Date.now() < deadline && !ended) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const endedEarly = ended;
    pushed.stop();
    expect({ written, writtenWhileFull, ended: endedEarly }).toEqual({
      written: expected,
      writtenWhileFull: 0,
      ended: undefined,
    });
  });
});

describe('a replay whose read fails', () => {
  it.each(['iterated', 'pushed'] as const)('%s: ends with that error', async (how) => {
    const failing = new Proxy(db.prisma, {
      get: (target, property) =>
        property === 'changeRecord'
          ? {
              findMany: () => Promise.reject(new Error('the replay read failed')),
            }
          : Reflect.get(target, property),
    }) as PrismaClient;
    const stream = subscribe(how, failing, (await newestRecord()).toString());
    await expect(stream.next()).rejects.toThrow('the replay read failed');
    stream.close();
  });
});

describe('a replay reads its own scope only', () => {
  /** Before the writes below: public initiative changes of another city, department, year. */
  let before = '';
  beforeAll(async () => {
    before = (await newestRecord()).toString();
    const make = factories(db.prisma);
    const other = await make.municipality({ code: '990082' });
    const elsewhere = [
      { city: other.id, code: '990082', department: 'kyoiku', fiscalYear: 2013 },
      { city: municipalityId, code: CITY, department: 'somu', fiscalYear: 2013 },
      { city: municipalityId, code: CITY, department: 'kyoiku', fiscalYear: 2014 },
    ];
    for (const [index, place] of elsewhere.entries()) {
      const departmentId =
        place.city === municipalityId && place.department === 'kyoiku'
          ? kyoikuId
          : (await make.department(place.city, { code: place.department })).id;
      const plan = await make.plan(departmentId, {
        fiscalYear: place.fiscalYear,
        status: 'DRAFT',
        initiatives: [{ text: `elsewhere ${index}` }],
      });
      const token = await tokenFor(db.prisma, {
        name: `planning ${index}`,
        role: 'PLANNING',
        municipality: place.code,
      });
      const response = await yoga.fetch(URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({
          query:
            'mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }',
          variables: { input: { id: gid('DepartmentPlan', plan.id), expectedVersion: 1 } },
        }),
      });
      const body = (await response.json()) as { data?: any };
      expect(body.data?.publishPlan.__typename).toBe('PublishPlanSuccess');
    }
    // And one change in scope, after them.
    await editInitiative(initiativeIds[3] as number, 'in scope');
  });

  it.each([
    ['iterated', 'city'],
    ['pushed', 'city'],
    ['iterated', 'city, department and year'],
    ['pushed', 'city, department and year'],
  ] as const)('%s: a stream of one %s replays only its changes', async (how, place) => {
    const scope =
      place === 'city'
        ? { entityTypes: ['Initiative'], municipalityId }
        : { entityTypes: ['Initiative'], municipalityId, departmentId: kyoikuId, fiscalYear: 2013 };
    const inCity = await db.prisma.changeRecord.findMany({
      where: { id: { gt: BigInt(before) }, entityType: 'Initiative', municipalityId },
      orderBy: { id: 'asc' },
    });
    // The range holds the other places' changes (each public), and this one's (the edit
    // above, and the earlier cases' fences).
    expect(inCity.length).toBeGreaterThan(2);
    const expected = inCity
      .filter((r) => place === 'city' || (r.departmentId === kyoikuId && r.fiscalYear === 2013))
      .map((r) => r.id);
    expect(expected.length).toBeGreaterThan(0);
    const stream = subscribe(how, db.prisma, before, scope);
    const received = [];
    for (const _ of expected) received.push((await stream.next()).id);
    expect(received).toEqual(expected);
    const fence = await editInitiative(initiativeIds[0] as number, `fence ${how} ${place}`);
    const next = await stream.next();
    expect({ entityId: next.entityId, id: next.id }).toEqual({
      entityId: fence,
      id: await newestRecord(),
    });
    stream.close();
  });
});

describe('a replay with a change the subscriber may not see', () => {
  it.each(['iterated', 'pushed'] as const)('%s: passes over it', async (how) => {
    const make = factories(db.prisma);
    const department = await make.department(municipalityId, { code: `draft-${how}` });
    const draft = await make.plan(department.id, {
      fiscalYear: 2013,
      status: 'DRAFT',
      initiatives: [{ text: 'a draft initiative' }],
    });
    const after = (await newestRecord()).toString();
    // A staff-only change, then a public one: the anonymous subscriber gets the second only.
    await editInitiative(draft.initiatives[0]?.id as number, `draft edit (${how})`);
    const seen = await editInitiative(initiativeIds[1] as number, `public edit (${how})`);
    const stream = subscribe(how, db.prisma, after);
    const next = await stream.next();
    expect({ entityId: next.entityId, id: next.id }).toEqual({
      entityId: seen,
      id: await newestRecord(),
    });
    stream.close();
  });
});

async function planVersion() {
  return (await db.prisma.departmentPlan.findUniqueOrThrow({ where: { id: planId } })).version;
}
