// Reminders of the reporting calendar reach integrators the way changes do: each one a change
// record with the staff audience, so the planning office's webhook gets every department's
// reminder, signed, a department's editor hears its own live, and the public (a public
// endpoint, an anonymous subscriber) and other departments hear nothing.
import { createClient, verifyWebhookSignature } from '@hoshin/client';
import { type App, createApp } from '@hoshin/server/app';
import { createLogger } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { tokenFor } from '../support/factories.ts';
import { subscribeSse } from '../support/sse.ts';
import { type Receiver, startReceiver } from './support/receiver.ts';

const MITAKA = '132047';
const REMINDERS = `subscription ($after: String) {
  reminderChanged(filter: { municipality: "${MITAKA}" }, after: $after) {
    cursor kind
    reminder { phase dueOn pendingCount fiscalYear department { code name } deadline { kind name } }
  } }`;

let db: TestDatabase;
let app: App;
let url = '';
let receiver: Receiver;
const tokens = { planning: '', kyoiku: '', kikaku: '' };

beforeAll(async () => {
  db = await createTestDatabase({ seed: true });
  app = await createApp({
    db,
    log: createLogger('silent'),
    reminderSweepMs: 0,
    config: { webhooks: { allowPrivate: ['127.0.0.0/8'], pollMs: 20, timeoutMs: 5000 } },
  });
  url = `${await app.listen(0, '127.0.0.1')}/graphql`;
  receiver = await startReceiver();
  tokens.planning = await tokenFor(db.prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: MITAKA,
  });
  for (const department of ['kyoiku', 'kikaku'] as const) {
    tokens[department] = await tokenFor(db.prisma, {
      name: department,
      role: 'EDITOR',
      municipality: MITAKA,
      department,
    });
  }
}, 60_000);
afterAll(async () => {
  await app?.close(1000);
  await receiver?.close();
  await db?.close();
});

async function register(path: string, audience: 'PUBLIC' | 'TOKEN') {
  const result = await createClient({ url, token: tokens.planning }).createWebhookEndpoint({
    url: receiver.url(path),
    events: ['REMINDER'],
    filter: { municipality: MITAKA },
    audience,
  });
  if (result.__typename !== 'CreateWebhookEndpointSuccess') throw new Error(result.message);
  return { id: result.webhook.endpoint.id, secret: result.webhook.secret };
}

const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
};

describe('reminders as events', () => {
  it('reach the planning office by webhook and the department live, never the public', async () => {
    await gql(
      `mutation ($input: SetReportingCalendarInput!) { setReportingCalendar(input: $input) {
        __typename } }`,
      {
        input: {
          municipality: MITAKA,
          fiscalYear: 2012,
          deadlines: [{ kind: 'SELF', dueOn: '2013-05-10' }],
        },
      },
      tokens.planning,
    );
    const staffHook = await register('/staff', 'TOKEN');
    const publicHook = await register('/public', 'PUBLIC');
    const start = (await gql('{ liveSnapshot { cursor } }', {})).liveSnapshot.cursor;
    const fetchYoga = (input: string, init: RequestInit) => fetch(input, init);
    const streams = {
      kyoiku: await subscribeSse(fetchYoga, url, REMINDERS, { after: start }, tokens.kyoiku),
      kikaku: await subscribeSse(fetchYoga, url, REMINDERS, { after: start }, tokens.kikaku),
      public: await subscribeSse(fetchYoga, url, REMINDERS, { after: start }),
    };
    try {
      // 2013-05-05 in Japan: 自己評価 is due in 5 days for every department with a plan.
      const sent = await app.reminders.sweep(new Date('2013-05-05T03:00:00Z'));
      expect(sent.length).toBeGreaterThan(1);
      const departments = sent.map((event) => event.department.code).sort();

      // The planning office's endpoint: one signed delivery per department's reminder.
      await receiver.waitFor(() => receiver.accepted('/staff').length >= sent.length);
      const delivered = [];
      for (const request of receiver.accepted('/staff')) {
        delivered.push(
          await verifyWebhookSignature<any>(staffHook.secret, {
            headers: request.headers,
            body: request.body,
          }),
        );
      }
      expect(delivered.map((event) => event.type)).toEqual(sent.map(() => 'reminder.entered'));
      expect(delivered.map((event) => event.data.reminder.department.code).sort()).toEqual(
        departments,
      );
      const kyoiku = delivered.find((event) => event.data.reminder.department.code === 'kyoiku');
      if (!kyoiku) throw new Error("教育部's reminder was not delivered");
      expect(kyoiku.data.reminder).toMatchObject({
        phase: 'APPROACHING',
        dueOn: '2013-05-10',
        fiscalYear: 2012,
        deadline: { kind: 'SELF', name: '自己評価' },
        department: { name: '教育部' },
      });
      expect(kyoiku.data.reminder.pendingCount).toBeGreaterThan(0);

      // The department's editor hears its own reminder, live; another department its own.
      const own = await streams.kyoiku.next();
      expect(own.errors).toBeUndefined();
      expect(own.data.reminderChanged.reminder.department.code).toBe('kyoiku');
      expect((await streams.kikaku.next()).data.reminderChanged.reminder.department.code).toBe(
        'kikaku',
      );
      // PASSED on 2013-05-11: the editor's next event is again its own department's.
      await app.reminders.sweep(new Date('2013-05-10T16:00:00Z'));
      const passed = await streams.kyoiku.next();
      expect(passed.data.reminderChanged.reminder).toMatchObject({
        phase: 'PASSED',
        department: { code: 'kyoiku' },
      });
      await receiver.waitFor(() => receiver.accepted('/staff').length >= 2 * sent.length);

      // The public: no delivery queued for its endpoint, nothing on its stream.
      const log = await gql(
        'query ($id: ID!) { webhookEndpoint(id: $id) { deliveries { kind } } }',
        { id: publicHook.id },
        tokens.planning,
      );
      expect(log.webhookEndpoint.deliveries).toEqual([]);
      expect(receiver.received.filter((r) => r.path === '/public')).toEqual([]);
      expect(await streams.public.drain(300)).toEqual([]);
    } finally {
      for (const stream of Object.values(streams)) stream.close();
    }
  });
});
