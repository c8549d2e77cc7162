// Webhooks with two server instances on one PostgreSQL database: both workers claim from the
// one queue (FOR UPDATE SKIP LOCKED and a lease), writes land on either instance, the receivers
// fail for a while; every delivery still arrives exactly once per endpoint, in the order of its
// changes, one at a time. Runs in the postgres project.
import { createClient } from '@hoshin/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, onPostgres, type TestDatabase } from '../support/database.ts';
import { tokenFor } from '../support/factories.ts';
import { runServer, type ServerProcess } from '../support/process.ts';
import { type Receiver, startReceiver } from './support/receiver.ts';

let db: TestDatabase;
let a: ServerProcess;
let b: ServerProcess;
let receiver: Receiver;
let token = '';

beforeAll(async () => {
  if (!onPostgres) throw new Error('run in the postgres project (TEST_DATABASE_URL)');
  db = await createTestDatabase({ seed: true });
  token = await tokenFor(db.prisma, { name: 'hooks', role: 'PLANNING', municipality: '132047' });
  receiver = await startReceiver();
  const env = {
    DATABASE_URL: db.url as string,
    HOSHIN_SEED: 'false',
    HOSHIN_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8',
    HOSHIN_WEBHOOK_POLL_MS: '20',
    HOSHIN_WEBHOOK_RETRY_BASE_MS: '5',
    HOSHIN_WEBHOOK_RETRY_MAX_MS: '50',
  };
  // One after the other: the second starts once the first has finished its migrations.
  a = await runServer(env);
  b = await runServer(env);
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.stop('SIGKILL'), b?.stop('SIGKILL')]);
  await receiver?.close();
  await db?.close();
});

describe('webhooks across two instances', () => {
  it('receivers failing for a while get every change later, exactly once each, in order', async () => {
    const on = (server: ServerProcess) => createClient({ url: `${server.url}/graphql`, token });
    const paths = ['/one', '/two', '/three'];
    for (const [index, path] of paths.entries()) {
      const result = await on(index % 2 ? b : a).createWebhookEndpoint({
        url: receiver.url(path),
        events: ['PLAN'],
        filter: { municipality: '132047', department: 'kyoiku', fiscalYear: 2041 },
      });
      expect(result.__typename).toBe('CreateWebhookEndpointSuccess');
    }
    // Each receiver fails its first three requests.
    receiver.answer = (_path, count) => (count <= 3 ? 500 : 204);

    // Writes alternate between the instances: a draft (not sent), its publication, five edits.
    const created = await on(a).createPlan({
      municipality: '132047',
      department: 'kyoiku',
      fiscalYear: 2041,
    });
    if (created.__typename !== 'CreatePlanSuccess') throw new Error(created.__typename);
    const published = await on(b).publishPlan({
      id: created.plan.id,
      expectedVersion: created.plan.version,
    });
    if (published.__typename !== 'PublishPlanSuccess') throw new Error(published.__typename);
    let plan = published.plan;
    const missions = ['m1', 'm2', 'm3', 'm4', 'm5'];
    for (const [index, mission] of missions.entries()) {
      const updated = await on(index % 2 ? a : b).updatePlan({
        id: plan.id,
        expectedVersion: plan.version,
        mission,
      });
      if (updated.__typename !== 'UpdatePlanSuccess') throw new Error(updated.__typename);
      plan = updated.plan;
    }

    for (const path of paths) {
      await receiver.waitFor(
        (r) => r.path === path && r.status < 300 && r.body.includes('"m5"'),
        60_000,
      );
    }
    for (const path of paths) {
      const accepted = receiver.accepted(path);
      const missionsSeen = accepted.map((r) => JSON.parse(r.body).data.plan.mission);
      expect(missionsSeen, path).toEqual([null, ...missions]);
      expect(
        accepted.map((r) => r.type),
        path,
      ).toEqual(['plan.entered', ...missions.map(() => 'plan.modified')]);
      const cursors = accepted.map((r) => Number(r.id.replace('evt_', '')));
      expect(cursors, path).toEqual([...cursors].sort((x, y) => x - y));
      expect(new Set(cursors).size, path).toBe(cursors.length);
      expect(receiver.maxInFlight.get(path), path).toBe(1);
      // The failures were all the first event's: nothing overtook it.
      const failed = receiver.received.filter((r) => r.path === path && r.status >= 300);
      expect(
        failed.map((r) => r.id),
        path,
      ).toEqual([accepted[0]?.id, accepted[0]?.id, accepted[0]?.id]);
    }
    // The log agrees: one delivery per endpoint and change, each delivered. A worker records
    // DELIVERED after the receiver's answer reaches it, so the last one may lag the receiver.
    const log = () => db.prisma.webhookDelivery.findMany({ orderBy: { id: 'asc' } });
    expect(await log()).toHaveLength(paths.length * 6);
    await expect
      .poll(async () => (await log()).filter((d) => d.state !== 'DELIVERED').map((d) => d.id))
      .toEqual([]);
    expect(await log()).toHaveLength(paths.length * 6);
    // Once every delivery is settled, still one request accepted per change: none came again.
    for (const path of paths) expect(receiver.accepted(path), path).toHaveLength(6);
  });
});
