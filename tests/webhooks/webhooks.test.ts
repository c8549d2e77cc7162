// Webhooks end to end on one server: registration by a PLANNING token, deliveries that follow
// the live feed's visibility (a public endpoint never hears of a draft), signatures the SDK
// verifies, retries in order after a failing period, redelivery, redirects not followed,
// disabling after a long failure, and loopback receivers refused unless the server allows them.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient, verifyWebhookSignature, WebhookSignatureError } from '@hoshin/client';
import { type App, createApp } from '@hoshin/server/app';
import { createLogger } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWebhook, webhookReceiver } from '../../packages/client/examples/webhooks.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { tokenFor } from '../support/factories.ts';
import { type Receiver, startReceiver } from './support/receiver.ts';

let db: TestDatabase;
let app: App;
/** A second instance on the same database with the default settings: no private receivers. */
let strict: App;
/** Started by the disabling test. */
let quick: App | undefined;
let url = '';
let strictUrl = '';
let receiver: Receiver;
let planning = '';
let editor = '';
let hoshin: ReturnType<typeof createClient>;

beforeAll(async () => {
  db = await createTestDatabase({ seed: true });
  app = await createApp({
    db,
    log: createLogger('silent'),
    config: {
      webhooks: {
        allowPrivate: ['127.0.0.0/8'],
        pollMs: 20,
        retryBaseMs: 5,
        retryMaxMs: 40,
        timeoutMs: 5000,
      },
    },
  });
  url = `${await app.listen(0, '127.0.0.1')}/graphql`;
  strict = await createApp({
    db,
    log: createLogger('silent'),
    config: { webhooks: { deliver: false } },
  });
  strictUrl = `${await strict.listen(0, '127.0.0.1')}/graphql`;
  receiver = await startReceiver();
  planning = await tokenFor(db.prisma, { name: 'hooks', role: 'PLANNING', municipality: '132047' });
  editor = await tokenFor(db.prisma, {
    name: 'kyoiku editor',
    role: 'EDITOR',
    municipality: '132047',
    department: 'kyoiku',
  });
  hoshin = createClient({ url, token: planning });
}, 60_000);
afterAll(async () => {
  await app?.close(1000);
  await strict?.close(1000);
  await quick?.close(1000);
  await receiver?.close();
  await db?.close();
});

async function register(path: string, extra: Record<string, unknown> = {}, token = planning) {
  const result = await createClient({ url, token }).createWebhookEndpoint({
    url: receiver.url(path),
    events: ['PLAN'],
    filter: { municipality: '132047', department: 'kyoiku' },
    ...extra,
  });
  if (result.__typename !== 'CreateWebhookEndpointSuccess') throw new Error(result.message);
  return { id: result.webhook.endpoint.id, secret: result.webhook.secret };
}

async function draft(fiscalYear: number, client = hoshin) {
  const result = await client.createPlan({
    municipality: '132047',
    department: 'kyoiku',
    fiscalYear,
  });
  if (result.__typename !== 'CreatePlanSuccess') throw new Error(result.message);
  return result.plan;
}

async function publish(plan: { id: string; version: number }) {
  const result = await hoshin.publishPlan({ id: plan.id, expectedVersion: plan.version });
  if (result.__typename !== 'PublishPlanSuccess') throw new Error(result.message);
  return result.plan;
}

async function edit(plan: { id: string; version: number }, mission: string, client = hoshin) {
  const result = await client.updatePlan({ id: plan.id, expectedVersion: plan.version, mission });
  if (result.__typename !== 'UpdatePlanSuccess') throw new Error(result.message);
  return result.plan;
}

/** The value, or a failed test. */
function must<T>(value: T | null | undefined): T {
  if (value == null) throw new Error('expected a value');
  return value;
}

const deliveriesOf = async (id: string) => must(await hoshin.webhookDeliveries({ id, first: 100 }));

describe('webhooks', () => {
  it('a PLANNING token registers a webhook; a published plan arrives once, signed, and the SDK verifies it; its draft never does', async () => {
    const { id, secret } = await register('/public');
    // A second endpoint in the registering token's own view sees the drafts.
    const own = await register('/own', { audience: 'TOKEN' });

    const plan = await draft(2031);
    const edited = await edit(plan, '下書きの使命（非公開）');
    const published = await publish(edited);
    const first = await receiver.waitFor((r) => r.path === '/public');
    expect(first.type).toBe('plan.entered');
    const event = await verifyWebhookSignature<any>(secret, {
      headers: first.headers,
      body: first.body,
    });
    expect(event.data.kind).toBe('ENTERED');
    expect(event.data.plan.fiscalYear.year).toBe(2031);
    expect(event.data.plan.mission).toBe('下書きの使命（非公開）');
    expect(event.data.plan.status).toBe('PUBLISHED');
    // The draft-time values never reach the public: the change shows the state it entered with.
    expect(JSON.stringify(event.data.change.changes)).not.toMatch(/"before":"[^"]/);

    // A later public change, delivered after it (in order): nothing came in between.
    await edit(published, '公開後の使命');
    const second = await receiver.waitFor(
      (r) => r.path === '/public' && r.type === 'plan.modified',
    );
    expect(receiver.received.filter((r) => r.path === '/public').map((r) => r.type)).toEqual([
      'plan.entered',
      'plan.modified',
    ]);
    expect(receiver.received.indexOf(second)).toBeGreaterThan(receiver.received.indexOf(first));

    // The token's own endpoint heard the draft's creation and edit first.
    await receiver.waitFor(
      (r) => r.path === '/own' && r.type === 'plan.modified' && r.body.includes('公開後'),
    );
    expect(receiver.accepted('/own').map((r) => r.type)).toEqual([
      'plan.entered',
      'plan.modified',
      'plan.modified',
      'plan.modified',
    ]);
    await verifyWebhookSignature(own.secret, must(receiver.accepted('/own')[0]));

    // The log says so, through the API (the deliverer records the 204 after the receiver has
    // answered it, so the log may lag the receiver by a moment).
    await expect
      .poll(async () =>
        (await deliveriesOf(id)).deliveries.map((d) => [
          d.state,
          d.kind,
          d.attempts,
          d.responseStatus,
        ]),
      )
      .toEqual([
        ['DELIVERED', 'MODIFIED', 1, 204],
        ['DELIVERED', 'ENTERED', 1, 204],
      ]);
    const log = await deliveriesOf(id);
    expect(log.deliveries[0]?.latencyMs).toEqual(expect.any(Number));
    expect(log.deliveries[0]?.nextAttemptAt).toBeNull();
  });

  it('a TARGET endpoint hears a target enter with its plan, never its draft indicator', async () => {
    const { secret } = await register('/targets', { events: ['TARGET'] });
    const plan = await draft(2038);
    const added = await hoshin.addInitiative({ plan: plan.id, text: '指標つきの事業' });
    if (added.__typename !== 'AddInitiativeSuccess') throw new Error(added.__typename);
    const target = await hoshin.addTarget({
      initiative: added.initiative.id,
      indicator: '下書きの指標（非公開）',
      direction: 'AT_LEAST',
      baseline: 0,
      targetValue: 10,
    });
    if (target.__typename !== 'AddTargetSuccess') throw new Error(target.__typename);
    // The SDK has no ready-made operation for these two: plain GraphQL over HTTP.
    const gql = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${planning}` },
        body: JSON.stringify({ query, variables }),
      });
      return ((await response.json()) as { data: any }).data;
    };
    const corrected = await gql(
      'mutation ($input: UpdateTargetInput!) { updateTarget(input: $input) { __typename } }',
      { input: { id: target.target.id, expectedVersion: 1, indicator: '公開する指標' } },
    );
    expect(corrected.updateTarget.__typename).toBe('UpdateTargetSuccess');
    const current = await gql(
      'query ($id: ID!) { node(id: $id) { ... on DepartmentPlan { version } } }',
      { id: plan.id },
    );
    await publish({ id: plan.id, version: current.node.version });
    const entered = await receiver.waitFor((r) => r.path === '/targets');
    expect(entered.type).toBe('target.entered');
    const event = await verifyWebhookSignature<any>(secret, {
      headers: entered.headers,
      body: entered.body,
    });
    expect(event.data.target).toMatchObject({ id: target.target.id, indicator: '公開する指標' });
    expect(entered.body).not.toContain('下書きの指標');
  });

  it('a signature is refused for another secret, another body, or outside the replay window', async () => {
    const delivery = must(receiver.accepted('/public')[0]);
    const request = { headers: delivery.headers, body: delivery.body };
    await expect(verifyWebhookSignature('whsec_wrong', request)).rejects.toThrow(
      WebhookSignatureError,
    );
    const { secret } = await db.prisma.webhookEndpoint.findFirstOrThrow({
      where: { url: receiver.url('/public') },
    });
    await expect(
      verifyWebhookSignature(secret, { ...request, body: delivery.body.replace('2031', '2032') }),
    ).rejects.toThrow('no signature matches');
    const t = Number(/t=(\d+)/.exec(String(delivery.headers['hoshin-signature']))?.[1]);
    await expect(verifyWebhookSignature(secret, request, { now: t + 301 })).rejects.toThrow(
      'replay window',
    );
    await expect(verifyWebhookSignature(secret, request, { now: t + 299 })).resolves.toMatchObject({
      type: 'plan.entered',
    });

    // The guide's shell recipe (openssl) says the same of this delivery: valid, but not after
    // another byte, and not with another secret.
    const doc = await readFile(resolve(import.meta.dirname, '../../docs/integrating.md'), 'utf8');
    const recipe = /```sh\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const dir = await mkdtemp(join(tmpdir(), 'hoshin-webhook-'));
    const run = async (key: string, body: string) => {
      await writeFile(join(dir, 'body.json'), body);
      const script = recipe
        .replace(/^secret=.*$/m, `secret='${key}'`)
        .replace(/^header=.*$/m, `header='${delivery.headers['hoshin-signature']}'`)
        // Judged at the delivery's own time: the window is tested above.
        .replace(/now=\$\(date \+%s\)/, `now=${t}`);
      return execFileSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' }).trim();
    };
    expect(await run(secret, delivery.body)).toBe('valid');
    expect(await run(secret, `${delivery.body} `)).toBe('INVALID');
    expect(await run('whsec_wrong', delivery.body)).toBe('INVALID');
    await rm(dir, { recursive: true });
  });

  it('a receiver failing for a while gets every delivery later, once each, in order', async () => {
    const { id } = await register('/flaky');
    receiver.answer = (path, count) => (path === '/flaky' && count <= 4 ? 500 : 204);
    const plan = await publish(await draft(2032));
    let current = plan;
    for (const mission of ['flaky-1', 'flaky-2', 'flaky-3']) current = await edit(current, mission);
    await receiver.waitFor(
      (r) => r.path === '/flaky' && r.status === 204 && r.body.includes('flaky-3'),
    );
    const accepted = receiver.accepted('/flaky');
    expect(accepted.map((r) => r.type)).toEqual([
      'plan.entered',
      'plan.modified',
      'plan.modified',
      'plan.modified',
    ]);
    expect(new Set(accepted.map((r) => r.id)).size).toBe(4);
    expect(receiver.received.filter((r) => r.path === '/flaky' && r.status === 500)).toHaveLength(
      4,
    );
    // Every failed attempt was the first event's (nothing overtook it), one at a time.
    expect(
      new Set(
        receiver.received.filter((r) => r.path === '/flaky' && r.status === 500).map((r) => r.id),
      ),
    ).toEqual(new Set([accepted[0]?.id]));
    expect(receiver.maxInFlight.get('/flaky')).toBe(1);
    // Recorded once the deliverer has the 204 (a moment after the receiver sent it).
    await expect
      .poll(async () => (await deliveriesOf(id)).deliveries.at(-1))
      .toMatchObject({ state: 'DELIVERED', attempts: 5, responseStatus: 204 });
    const log = await deliveriesOf(id);

    // Manual redelivery: the same event (same id and body) again, at the end of the queue.
    const oldest = must(log.deliveries.at(-1));
    const again = await hoshin.redeliverWebhook({ delivery: oldest.id });
    expect(again.__typename).toBe('RedeliverWebhookSuccess');
    const repeated = await receiver.waitFor(
      (r) => r.path === '/flaky' && r.id === accepted[0]?.id && r !== accepted[0],
    );
    expect(repeated.body).toBe(accepted[0]?.body);
  });

  it('redirects are not followed: a 3xx is a failed attempt', async () => {
    const { id } = await register('/moved');
    receiver.answer = (path) =>
      path === '/moved' ? { status: 307, location: receiver.url('/target') } : 204;
    await publish(await draft(2033));
    await expect
      .poll(async () => (await deliveriesOf(id)).deliveries[0]?.attempts ?? 0)
      .toBeGreaterThanOrEqual(2);
    const [delivery] = (await deliveriesOf(id)).deliveries;
    expect(delivery).toMatchObject({
      state: 'PENDING',
      responseStatus: 307,
      error: 'answered 307',
    });
    expect(delivery?.nextAttemptAt).toEqual(expect.any(String));
    expect(receiver.received.filter((r) => r.path === '/target')).toEqual([]);
    await hoshin.deleteWebhookEndpoint({ id });
  });

  it('an endpoint failing past the limit is disabled with a notice; enabled again, its queue resumes in order', async () => {
    // A second instance that gives up on an endpoint after half a second of failures.
    quick = await createApp({
      db,
      log: createLogger('silent'),
      config: {
        webhooks: {
          allowPrivate: ['127.0.0.0/8'],
          pollMs: 20,
          retryBaseMs: 5,
          retryMaxMs: 40,
          disableAfterMs: 500,
        },
      },
    });
    const { id } = await register('/down');
    let up = false;
    receiver.answer = (path) => (path === '/down' && !up ? 503 : 204);
    await publish(await draft(2034));
    await expect.poll(async () => (await deliveriesOf(id)).state).toBe('DISABLED');
    const disabled = await deliveriesOf(id);
    expect(disabled.disabledReason).toMatch(
      /every delivery attempt failed since .* \(last: answered 503\)/,
    );
    expect(disabled.deliveries[0]).toMatchObject({ state: 'PENDING', responseStatus: 503 });
    // Disabled endpoints are sent nothing new.
    await publish(await draft(2035));
    up = true;
    const enabled = await hoshin.updateWebhookEndpoint({ id, enabled: true });
    expect(enabled.__typename).toBe('UpdateWebhookEndpointSuccess');
    await receiver.waitFor((r) => r.path === '/down' && r.status === 204);
    expect((await deliveriesOf(id)).deliveries).toHaveLength(1);
    expect(
      receiver.accepted('/down').map((r) => JSON.parse(r.body).data.plan.fiscalYear.year),
    ).toEqual([2034]);
  });

  it('a write rolled back at COMMIT sends nothing; the next one is sent', async () => {
    // Checked only at COMMIT (as a deferred foreign key or a serialization failure would be):
    // the change records and the deliveries were written in the transaction before it fails.
    await db.prisma.$executeRawUnsafe(`
      CREATE FUNCTION webhook_fail_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.mission = 'FAIL AT COMMIT' THEN RAISE EXCEPTION 'refused at commit'; END IF;
        RETURN NEW;
      END $$`);
    await db.prisma.$executeRawUnsafe(`
      CREATE CONSTRAINT TRIGGER webhook_fail_at_commit AFTER UPDATE ON "DepartmentPlan"
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION webhook_fail_at_commit()`);
    const { id } = await register('/rollback', { audience: 'TOKEN' });
    const plan = await draft(2037);
    await expect(
      hoshin.updatePlan({ id: plan.id, expectedVersion: plan.version, mission: 'FAIL AT COMMIT' }),
    ).rejects.toThrow();
    await edit(plan, 'committed');
    await receiver.waitFor((r) => r.path === '/rollback' && r.body.includes('"committed"'));
    expect(receiver.received.filter((r) => r.path === '/rollback').map((r) => r.type)).toEqual([
      'plan.entered',
      'plan.modified',
    ]);
    expect(receiver.received.some((r) => r.body.includes('FAIL AT COMMIT'))).toBe(false);
    expect((await deliveriesOf(id)).deliveries).toHaveLength(2);
    const orphans = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "WebhookDelivery" d
      WHERE NOT EXISTS (SELECT 1 FROM "ChangeRecord" c WHERE c.id = d."changeId")`;
    expect(orphans[0]?.n).toBe(0);
  });

  it('a loopback receiver is refused unless the server allows it, however it is spelt', async () => {
    const strictClient = createClient({ url: strictUrl, token: planning });
    for (const target of [
      receiver.url('/x'),
      receiver.url('/x').replace('127.0.0.1', 'localhost'),
      receiver.url('/x').replace('127.0.0.1', '[::ffff:127.0.0.1]'),
      'http://[::1]/x',
      'http://169.254.169.254/latest/meta-data',
      'http://10.1.2.3/x',
    ]) {
      const result = await strictClient.createWebhookEndpoint({ url: target, events: ['PLAN'] });
      expect(result.__typename, target).toBe('ValidationError');
      if (result.__typename === 'ValidationError')
        expect(result.issues[0]?.code).toBe('REFUSED_ADDRESS');
    }
    // The allowing server takes the same URL.
    expect((await register('/x')).secret).toMatch(/^whsec_/);
  });

  it('only planning staff and admins manage webhooks, and a token-audience endpoint only its token', async () => {
    const asEditor = createClient({ url, token: editor });
    const result = await asEditor.createWebhookEndpoint({
      url: receiver.url('/e'),
      events: ['PLAN'],
    });
    expect(result.__typename).toBe('ForbiddenError');
    const other = await tokenFor(db.prisma, {
      name: 'other',
      role: 'PLANNING',
      municipality: '132047',
    });
    const mine = (await hoshin.webhookEndpoints()).map((e) => [e.url, e.audience]);
    const theirs = (await createClient({ url, token: other }).webhookEndpoints()).map((e) => [
      e.url,
      e.audience,
    ]);
    expect(mine).toContainEqual([receiver.url('/own'), 'TOKEN']);
    expect(theirs).not.toContainEqual([receiver.url('/own'), 'TOKEN']);
    expect(theirs).toContainEqual([receiver.url('/public'), 'PUBLIC']);
  });

  it('the documented receiver (packages/client/examples/webhooks.ts) verifies a real delivery', async () => {
    const events: string[] = [];
    const server = webhookReceiver('', () => {});
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    const { secret } = await registerWebhook(url, planning, `http://127.0.0.1:${port}/`);
    server.removeAllListeners('request');
    const good = webhookReceiver(secret, (event) => events.push(event.type));
    server.on('request', (req, res) => good.emit('request', req, res));
    await publish(await draft(2036));
    await expect.poll(() => events).toContain('plan.entered');
    server.close();
    const doc = await readFile(resolve(import.meta.dirname, '../../docs/integrating.md'), 'utf8');
    const example = await readFile(
      resolve(import.meta.dirname, '../../packages/client/examples/webhooks.ts'),
      'utf8',
    );
    expect(doc).toContain(example.trim());
  });
});
