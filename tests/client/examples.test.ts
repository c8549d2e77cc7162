// The README's examples (packages/client/examples) run against a real server: what the
// README promises, the package does. tests/client/types.test.ts compiles them, and the README
// must quote them verbatim.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { planOrReason } from '../../packages/client/examples/errors.ts';
import { firstQuery } from '../../packages/client/examples/first-query.ts';
import { followPlans } from '../../packages/client/examples/live-plans.ts';
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
  const following = followPlans(server.url, { token, signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await draftPlan(server.url, server.planningToken, 'somu'); // 総務部 2013
  await vi.waitFor(() => expect(log).toHaveBeenCalledTimes(1));
  await server.restart(200);
  await draftPlan(server.url, server.planningToken, 'shimin'); // 市民部 2013
  await vi.waitFor(() => expect(log).toHaveBeenCalledTimes(2), { timeout: 10_000 });
  controller.abort();
  const saved = await following;
  expect(log.mock.calls.map(([line]) => String(line).replace(/ \(\d+\)$/, ''))).toEqual([
    'CREATE 総務部',
    'CREATE 市民部',
  ]);

  // Later, from the saved cursor: only what happened since.
  await draftPlan(server.url, server.planningToken, 'kikaku');
  const again = new AbortController();
  const resumed = followPlans(server.url, { token, signal: again.signal, after: saved });
  await vi.waitFor(() => expect(log).toHaveBeenCalledTimes(3));
  again.abort();
  await resumed;
  expect(String(log.mock.calls[2]?.[0])).toMatch(/^CREATE 企画部 \(\d+\)$/);
  log.mockRestore();
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
    'live-plans.ts',
    'errors.ts',
    'retries-and-timeouts.ts',
  ]);
  for (const [, file, code] of quoted) {
    expect(code, file).toBe(
      (await readFile(resolve(dir, 'examples', file ?? ''), 'utf8')).trimEnd(),
    );
  }
});
