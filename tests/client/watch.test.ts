// watch() of the built @hoshin/client against a real server: a public and a planning watch
// of one fiscal year's plans and initiatives follow a draft that is written, published,
// edited (while the connection is down, and across a server restart) and unpublished, and
// always end equal to a fresh snapshot of the same view; the public one never holds the draft.
import {
  createClient,
  type TypedDocument,
  type Watch,
  type WatchChange,
  type WatchedInitiative,
  type WatchedPlan,
} from '@hoshin/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type LiveServer, startLiveServer } from './support/live-server.ts';

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
}, 180_000);
afterAll(() => server?.close());

const mitaka = '132047';
const filter = { municipality: mitaka, fiscalYear: 2013 };
const fast = { baseMs: 20, maxMs: 100 };

type Versioned = { __typename: string; plan?: { version: number } };
const UnpublishPlan = `mutation UnpublishPlan($input: PlanVersionInput!) {
  unpublishPlan(input: $input) { __typename ... on UnpublishPlanSuccess { plan { version } } } }` as unknown as TypedDocument<
  { unpublishPlan: Versioned },
  { input: { id: string; expectedVersion: number } }
>;

/** Waits until `condition` holds (the watches apply events as they arrive). */
async function until(condition: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sorted = <T extends { id: string }>(items: T[]) =>
  [...items].sort((a, b) => a.id.localeCompare(b.id));

/** A new watch's snapshot of the same view: what a fresh query returns now. */
async function freshList<T extends { id: string }>(open: () => Watch<T>) {
  const watch = open();
  await watch.ready;
  const items = sorted(watch.list());
  watch.close();
  await watch.done;
  return items;
}

describe('watch', () => {
  test('keeps each viewer’s collection equal to a fresh query through publish, edits, reconnects, a restart and unpublish', async () => {
    const publicClient = createClient({ url: server.url, backoff: fast });
    const planningClient = createClient({
      url: server.url,
      token: server.planningToken,
      backoff: fast,
    });
    // Writes go straight to Yoga: they work while the HTTP server is down.
    const writer = createClient({
      url: server.url,
      token: server.planningToken,
      fetch: server.direct,
    });
    const kinds: Record<string, string[]> = { publicPlans: [], publicInitiatives: [] };
    const record = (key: string) => (change: WatchChange<unknown>) => {
      kinds[key]?.push(change.kind);
    };
    const publicPlans = publicClient.watchPlans(filter, { onChange: record('publicPlans') });
    const publicInitiatives = publicClient.watchInitiatives(filter, {
      onChange: record('publicInitiatives'),
    });
    const planningPlans = planningClient.watchPlans(filter);
    const planningInitiatives = planningClient.watchInitiatives(filter);
    await Promise.all(
      [publicPlans, publicInitiatives, planningPlans, planningInitiatives].map((w) => w.ready),
    );
    expect(publicPlans.list()).toEqual([]);

    const created = await writer.createPlan({
      municipality: mitaka,
      department: 'kyoiku',
      fiscalYear: 2013,
      mission: '下書きの使命 DRAFT-ONLY',
    });
    if (created.__typename !== 'CreatePlanSuccess') throw new Error(created.message);
    const planId = created.plan.id;
    const added = await writer.addInitiative({ plan: planId, text: '下書きの事業 DRAFT-ONLY' });
    if (added.__typename !== 'AddInitiativeSuccess') throw new Error(added.message);
    await until(() => planningInitiatives.items.has(added.initiative.id), 'the draft initiative');
    // The plans and the initiatives are two streams: neither waits for the other.
    await until(() => planningPlans.items.has(planId), 'the draft plan');
    expect(planningPlans.items.get(planId)?.status).toBe('DRAFT');

    let updated = await writer.updatePlan({
      id: planId,
      expectedVersion: 2,
      mission: '公開する使命',
    });
    if (updated.__typename !== 'UpdatePlanSuccess') throw new Error(updated.message);
    const published = await writer.publishPlan({ id: planId, expectedVersion: 3 });
    if (published.__typename !== 'PublishPlanSuccess') throw new Error(published.message);
    await until(() => publicInitiatives.items.has(added.initiative.id), 'the public initiative');
    await until(() => publicPlans.items.has(planId), 'the public plan');
    expect(publicPlans.items.get(planId)).toMatchObject({
      status: 'PUBLISHED',
      mission: '公開する使命',
    });

    // Cut every stream, then write while they reconnect; then restart the server and write
    // while it is down: each watch resumes after its last event.
    server.dropStreams();
    updated = await writer.updatePlan({ id: planId, expectedVersion: 4, staffCount: 12 });
    if (updated.__typename !== 'UpdatePlanSuccess') throw new Error(updated.message);
    await until(() => publicPlans.items.get(planId)?.staffCount === 12, 'the edit after a drop');
    const restarted = server.restart(300);
    updated = await writer.updatePlan({ id: planId, expectedVersion: 5, staffCount: 13 });
    if (updated.__typename !== 'UpdatePlanSuccess') throw new Error(updated.message);
    await restarted;
    await until(() => publicPlans.items.get(planId)?.staffCount === 13, 'the edit while down');

    const unpublished = await writer.request(UnpublishPlan, {
      input: { id: planId, expectedVersion: 6 },
    });
    expect(unpublished.unpublishPlan.__typename).toBe('UnpublishPlanSuccess');
    await until(() => !publicPlans.items.has(planId), 'the plan leaving the public view');
    await until(() => planningPlans.items.get(planId)?.status === 'DRAFT', 'the planning view');
    await until(() => !publicInitiatives.items.has(added.initiative.id), 'the initiative leaving');

    expect(kinds.publicPlans).toEqual(['ENTERED', 'MODIFIED', 'MODIFIED', 'LEFT']);
    expect(kinds.publicInitiatives).toEqual(['ENTERED', 'LEFT']);
    expect(JSON.stringify([...publicPlans.items.values()])).not.toContain('DRAFT-ONLY');

    const views: [Watch<WatchedPlan> | Watch<WatchedInitiative>, () => Watch<{ id: string }>][] = [
      [publicPlans, () => publicClient.watchPlans(filter)],
      [publicInitiatives, () => publicClient.watchInitiatives(filter)],
      [planningPlans, () => planningClient.watchPlans(filter)],
      [planningInitiatives, () => planningClient.watchInitiatives(filter)],
    ];
    for (const [watch, open] of views) {
      expect(sorted<{ id: string }>(watch.list())).toEqual(await freshList(open));
      watch.close();
      await watch.done;
    }
  });

  test('stays equal to a fresh query when a department is renamed from a later year on', async () => {
    const publicClient = createClient({ url: server.url, backoff: fast });
    const planningClient = createClient({
      url: server.url,
      token: server.planningToken,
      backoff: fast,
    });
    const writer = createClient({ url: server.url, token: server.planningToken });
    const admin = createClient({ url: server.url, token: server.adminToken });
    const everyYear = { municipality: mitaka };
    const kinds: string[] = [];
    const publicPlans = publicClient.watchPlans(everyYear, {
      onChange: (change) => kinds.push(change.kind),
    });
    const planningPlans = planningClient.watchPlans(everyYear);
    await Promise.all([publicPlans.ready, planningPlans.ready]);
    const kyoikuIn = (watch: Watch<WatchedPlan>, year: number) =>
      watch.list().find((p) => p.department.code === 'kyoiku' && p.fiscalYear.year === year);
    expect(kyoikuIn(publicPlans, 2012)?.department.name).toBe('教育部');

    // A published FY2014 plan of 教育部 (the public sees it enter), then the rename from FY2013
    // at once: the plan's event is read after the publication's, within the same second.
    const created = await writer.createPlan({
      municipality: mitaka,
      department: 'kyoiku',
      fiscalYear: 2014,
      mission: '2014年度の使命',
    });
    if (created.__typename !== 'CreatePlanSuccess') throw new Error(created.message);
    const published = await writer.publishPlan({ id: created.plan.id, expectedVersion: 1 });
    if (published.__typename !== 'PublishPlanSuccess') throw new Error(published.message);
    await until(() => publicPlans.items.has(created.plan.id), 'the published FY2014 plan');
    const Department =
      `{ department(municipality: "${mitaka}", code: "kyoiku") { id version } }` as unknown as TypedDocument<
        { department: { id: string; version: number } },
        Record<string, never>
      >;
    const Rename =
      `mutation ($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { __typename } }` as unknown as TypedDocument<
        { updateDepartment: { __typename: string } },
        { input: Record<string, unknown> }
      >;
    const { department } = await admin.request(Department, {});
    const renamed = await admin.request(Rename, {
      input: {
        id: department.id,
        expectedVersion: department.version,
        name: 'こども教育部',
        renamedFrom: 2013,
      },
    });
    expect(renamed.updateDepartment.__typename).toBe('UpdateDepartmentSuccess');
    await until(
      () => kyoikuIn(publicPlans, 2014)?.department.name === 'こども教育部',
      'the renamed department in the public watch',
    );
    await until(
      () => kyoikuIn(planningPlans, 2014)?.department.name === 'こども教育部',
      'the renamed department in the planning watch',
    );
    expect(kyoikuIn(publicPlans, 2012)?.department.name).toBe('教育部');
    expect(kinds.slice(-2)).toEqual(['ENTERED', 'MODIFIED']);
    for (const [watch, open] of [
      [publicPlans, () => publicClient.watchPlans(everyYear)],
      [planningPlans, () => planningClient.watchPlans(everyYear)],
    ] as const) {
      expect(sorted<{ id: string }>(watch.list())).toEqual(await freshList(open));
      watch.close();
      await watch.done;
    }
  });

  test('a watch with a filter the server refuses fails: ready and done reject', async () => {
    const client = createClient({ url: server.url });
    const watch = client.watchPlans({ municipality: '000000' });
    await expect(watch.ready).rejects.toThrow(/municipality|000000/i);
    await expect(watch.done).rejects.toThrow();
  });
});
