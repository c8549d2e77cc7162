// The README's examples (packages/client/examples) run against a real server: what the
// README promises, the package does. tests/client/types.test.ts compiles them, and the README
// must quote them verbatim.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createClient } from '@hoshin/client';
import { QueryClient } from '@tanstack/query-core';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { planOrReason } from '../../packages/client/examples/errors.ts';
import { firstQuery } from '../../packages/client/examples/first-query.ts';
import { followPlans } from '../../packages/client/examples/live-plans.ts';
import { followDepartment } from '../../packages/client/examples/live-state.ts';
import {
  initiativesWithApollo,
  renamePolicy,
  tanstackQueries,
  titleWithUrql,
} from '../../packages/client/examples/other-clients.ts';
import { departmentsOfYear } from '../../packages/client/examples/own-document.ts';
import { searchWithDeadline } from '../../packages/client/examples/retries-and-timeouts.ts';
import { draftPlan } from '../../packages/client/examples/writes.ts';
import { type LiveServer, startLiveServer } from './support/live-server.ts';

let server: LiveServer;
beforeAll(async () => {
  server = await startLiveServer();
}, 60_000);
afterAll(() => server?.close());

test('first query: 教育部 FY2012 lists its three initiatives', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const texts = await firstQuery(server.url);
  expect(texts).toHaveLength(3);
  expect(texts[1]).toBe(
    '三鷹中央学園第三小学校の建て替え工事を進め、年内の新校舎完成を目指します。',
  );
  expect(log).toHaveBeenCalledWith('教育部 平成24年度');
  log.mockRestore();
});

test("own document: the departments of FY2012, through the integrator's own graphql()", async () => {
  const lines = await departmentsOfYear(server.url, 2012);
  expect(lines).toHaveLength(8);
  expect(lines[0]).toBe('kikaku 企画部');
  expect(lines).toContain('kyoiku 教育部');
});

test('writes: a draft plan, then the duplicate told apart by its typed error', async () => {
  await expect(draftPlan(server.url, server.planningToken, 'kyoiku')).resolves.toMatch(/^[\w=]+$/);
  await expect(draftPlan(server.url, server.planningToken, 'kyoiku')).resolves.toBe(
    'invalid: input.fiscalYear ALREADY_EXISTS',
  );
  await expect(draftPlan(server.url, 'hsn_wrong', 'kyoiku')).rejects.toMatchObject({
    status: 401,
    codes: ['UNAUTHENTICATED'],
  });
});

test('subscriptions: follows the plans, survives a restart, resumes from the saved cursor', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const controller = new AbortController();
  const token = server.planningToken; // drafts are seen by their editors only
  const before = server.subscriptionsStarted();
  const following = followPlans(server.url, { token, signal: controller.signal });
  await expect.poll(() => server.subscriptionsStarted()).toBeGreaterThan(before);
  await draftPlan(server.url, server.planningToken, 'somu'); // 総務部 2013
  await expect.poll(() => log.mock.calls.length).toBe(1);
  await server.restart(200);
  await draftPlan(server.url, server.planningToken, 'shimin'); // 市民部 2013
  await expect.poll(() => log.mock.calls.length).toBe(2);
  controller.abort();
  const saved = await following;
  expect(log.mock.calls.map(([line]) => String(line).replace(/ \(\d+\)$/, ''))).toEqual([
    'ENTERED 総務部',
    'ENTERED 市民部',
  ]);

  // Later, from the saved cursor: only what happened since.
  await draftPlan(server.url, server.planningToken, 'kikaku');
  const again = new AbortController();
  const resumed = followPlans(server.url, { token, signal: again.signal, after: saved });
  await expect.poll(() => log.mock.calls.length).toBe(3);
  again.abort();
  await resumed;
  expect(String(log.mock.calls[2]?.[0])).toMatch(/^ENTERED 企画部 \(\d+\)$/);
  log.mockRestore();
});

test('other clients: urql, Apollo Client, graphql-request and TanStack Query with the documents', async () => {
  await expect(titleWithUrql(server.url)).resolves.toBe('教育部 平成24年度');
  await expect(initiativesWithApollo(server.url)).resolves.toHaveLength(3);
  const plan = await createClient({ url: server.url }).departmentPlan({
    municipality: '132047',
    department: 'kyoiku',
    fiscalYear: 2012,
  });
  if (!plan) throw new Error('no plan');
  const input = { id: plan.id, expectedVersion: plan.version, policy: '例' };
  await expect(renamePolicy(server.url, server.planningToken, input)).resolves.toBe(
    `version ${plan.version + 1}`,
  );
  await expect(renamePolicy(server.url, server.planningToken, input)).resolves.toMatch(
    /^VersionConflictError: /,
  );
  const queryClient = new QueryClient();
  const read = await tanstackQueries(server.url, queryClient).plan();
  expect(read.plan?.policy).toBe('例');
  queryClient.clear();
});

test('live state: a panel shows connecting, then live, and the changes', async () => {
  const shown: string[] = [];
  const changes: string[] = [];
  const controller = new AbortController();
  const following = followDepartment(
    server.url,
    'kyoiku',
    (text) => shown.push(text),
    (text) => changes.push(text),
    controller.signal,
  );
  await expect.poll(() => shown.at(-1)).toBe('live');
  expect(shown[0]).toBe('connecting…');
  const writer = createClient({ url: server.url, token: server.planningToken });
  const plan = await writer.departmentPlan({
    municipality: '132047',
    department: 'kyoiku',
    fiscalYear: 2012,
  });
  if (!plan) throw new Error('no plan');
  await writer.updatePlan({ id: plan.id, expectedVersion: plan.version, policy: '見える' });
  await expect.poll(() => changes).toEqual(['MODIFIED 見える']);
  controller.abort();
  await following;
  expect(shown.at(-1)).toBe('closed');
});

test('errors: an unknown department is told apart by its code', async () => {
  await expect(planOrReason(server.url, 'nope')).resolves.toBe('no such department');
  await expect(planOrReason(server.url, 'kyoiku')).resolves.toBe('3 initiatives');
});

test('retries and timeouts: a search within its deadline, and a cancelled one', async () => {
  await expect(searchWithDeadline(server.url, '防災')).resolves.toBe(4);
  const controller = new AbortController();
  controller.abort(new Error('cancelled'));
  await expect(searchWithDeadline(server.url, '防災', controller.signal)).rejects.toThrow(
    'cancelled',
  );
});

test('the README quotes every example file verbatim', async () => {
  const dir = resolve(import.meta.dirname, '../../packages/client');
  const readme = await readFile(resolve(dir, 'README.md'), 'utf8');
  const quoted = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)\n```/g)];
  expect(quoted.map((m) => m[1])).toEqual([
    'first-query.ts',
    'writes.ts',
    'own-document.ts',
    'other-clients.ts',
    'live-plans.ts',
    'live-state.ts',
    'errors.ts',
    'retries-and-timeouts.ts',
  ]);
  for (const [, file, code] of quoted) {
    expect(code, file).toBe(
      (await readFile(resolve(dir, 'examples', file ?? ''), 'utf8')).trimEnd(),
    );
  }
});
