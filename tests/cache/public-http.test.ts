// HTTP caching of public reads (packages/server/src/http/public-cache.ts, purge.ts) in process:
// a persisted document over GET gets a strong ETag, public Cache-Control and surrogate keys;
// If-None-Match is answered 304 without a database query; a token's answer is private,
// no-store; a draft edit leaves ETags alone while a publish moves them and purges the keys its
// answers carry. The key scheme itself: a model-based check that every change purges every
// answer that could include it (fast-check; the seed is printed on failure).

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  entityKey,
  purgeKeysOf,
  scopeKey,
  surrogateKey,
  UNSCOPED_KEY,
} from '@hoshin/server/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readPlanCached } from '../../packages/client/examples/cacheable-read.ts';
import {
  editMission,
  PLAN_DOCUMENT,
  type PublicServer,
  planPath,
  setPublished,
  startPublicServer,
} from './public-support.ts';

let server: PublicServer;
const purged: string[][] = [];

beforeAll(async () => {
  // CSRF prevention on, as in production: the cacheable GET must pass without a header.
  server = await startPublicServer({ security: { csrfPrevention: true }, readCache: true });
  server.app.purgeHooks.push({
    async purge(keys) {
      purged.push(keys);
    },
  });
}, 180_000);
afterAll(() => server?.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.base}${path}`, { headers });

/**
 * Database statements run while `work` runs: the fewer of two runs, since the change feed's
 * background poll (every 2 s) may fall into one of them.
 */
async function statementsDuring(work: () => Promise<unknown>): Promise<number> {
  const counts: number[] = [];
  for (const _run of [1, 2]) {
    let count = 0;
    const stop = server.db.onQuery(() => {
      count += 1;
    });
    try {
      await work();
    } finally {
      stop();
    }
    counts.push(count);
  }
  return Math.min(...counts);
}

describe('public reads over GET', () => {
  test('a persisted document gets a strong ETag, public caching and the keys of what it names', async () => {
    const response = await get(planPath('kyoiku', 2012));
    const body = (await response.json()) as { data: { plan: { id: string } } };
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(response.headers.get('cache-control')).toMatch(
      /^public, max-age=\d+, s-maxage=\d+, stale-while-revalidate=\d+$/,
    );
    const keys = response.headers.get('surrogate-key')?.split(' ') ?? [];
    const [type, id] = Buffer.from(body.data.plan.id, 'base64').toString().split(':');
    expect(keys).toEqual(
      expect.arrayContaining([
        'm:132047',
        scopeKey('132047', 'kyoiku', 2012),
        entityKey(type ?? '', id ?? ''),
      ]),
    );
    expect(response.headers.get('cache-tag')).toBe(keys.join(','));
    // The server's own read cache answers the same URL again, with the same caching headers.
    const again = await get(planPath('kyoiku', 2012));
    expect(again.headers.get('x-hoshin-cache')).toBe('HIT');
    expect(await again.json()).toEqual(body);
    for (const name of ['etag', 'cache-control', 'surrogate-key'])
      expect(again.headers.get(name), name).toBe(response.headers.get(name));
  });

  test('If-None-Match with the ETag is answered 304 without touching the database', async () => {
    const first = await get(planPath('kyoiku', 2012));
    await first.arrayBuffer();
    const etag = first.headers.get('etag') ?? '';
    const before = server.app.publicCache.notModified;
    let status = 0;
    const statements = await statementsDuring(async () => {
      const again = await get(planPath('kyoiku', 2012), { 'if-none-match': etag });
      status = again.status;
      expect(await again.text()).toBe('');
      expect(again.headers.get('etag')).toBe(etag);
      // Counted against the caller's rate limit like any answer.
      expect(again.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
    });
    expect(status).toBe(304);
    expect(statements).toBe(0);
    expect(server.app.publicCache.notModified).toBe(before + 2);
    // Another ETag (or none) runs the query.
    const other = await get(planPath('kyoiku', 2012), { 'if-none-match': '"other"' });
    expect(other.status).toBe(200);
  });

  test("a token holder's answer is private, no-store, without ETag or keys", async () => {
    const response = await get(planPath(server.draft.department, 2012), {
      authorization: `Bearer ${server.planning}`,
      'x-hoshin-csrf': '1',
    });
    const body = (await response.json()) as { data: { plan: { status: string } } };
    expect(body.data.plan.status).toBe('DRAFT');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('etag')).toBeNull();
    expect(response.headers.get('surrogate-key')).toBeNull();
  });

  test('CSRF prevention lets only the anonymous persisted GET through without its header', async () => {
    expect((await get(planPath('kyoiku', 2012))).status).toBe(200);
    const text = `/graphql?query=${encodeURIComponent('{ fiscalYear(year: 2012) { label } }')}`;
    expect((await get(text)).status).toBe(403);
    const withToken = await get(planPath('kyoiku', 2012), {
      authorization: `Bearer ${server.planning}`,
    });
    expect(withToken.status).toBe(403);
  });

  test('answers with errors and unknown documents are not stored', async () => {
    const unknown = await get(`/graphql?documentId=sha256:${'0'.repeat(64)}`);
    expect(unknown.headers.get('cache-control')).toBe('no-store');
    const failing = await get(
      `/graphql?query=${encodeURIComponent('{ municipality(code: "000000") { name } }')}`,
      { 'x-hoshin-csrf': '1' },
    );
    expect(((await failing.json()) as { errors?: unknown }).errors).toBeDefined();
    expect(failing.headers.get('cache-control')).toBe('no-store');
    expect(failing.headers.get('etag')).toBeNull();
  });

  test('a draft edit keeps every ETag; a publish moves them and purges the keys its answers carried', async () => {
    const path = planPath(server.draft.department, 2012);
    const before = await get(path);
    expect(((await before.json()) as { data: { plan: unknown } }).data.plan).toBeNull();
    const etag = before.headers.get('etag');
    const answerKeys = before.headers.get('surrogate-key')?.split(' ') ?? [];

    await editMission(server, '下書きの使命');
    await server.app.publicChanges.settled();
    expect((await get(path, { 'if-none-match': etag ?? '' })).status).toBe(304);
    expect(purged).toEqual([]);

    await setPublished(server, true);
    await expect.poll(() => purged.length).toBe(1);
    const keys = purged[0] ?? [];
    expect(keys.some((key) => answerKeys.includes(key))).toBe(true);
    expect(keys).toContain(scopeKey('132047', server.draft.department, 2012));
    const after = await get(path, { 'if-none-match': etag ?? '' });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const plan = ((await after.json()) as { data: { plan: { status: string } } }).data.plan;
    expect(plan.status).toBe('PUBLISHED');
  });

  test("the SDK's cacheableUrl (the guide's example): 200 with an ETag, then 304", async () => {
    const first = await readPlanCached(`${server.base}/graphql`);
    expect(first.changed && first.plan?.department.code).toBe('kyoiku');
    expect(first.etag).toMatch(/^"/);
    const second = await readPlanCached(`${server.base}/graphql`, first.etag);
    expect(second).toEqual({ changed: false, etag: first.etag });
    expect(PLAN_DOCUMENT).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The guide quotes the example as it is compiled and run here.
    const root = resolve(import.meta.dirname, '../..');
    const example = await readFile(
      resolve(root, 'packages/client/examples/cacheable-read.ts'),
      'utf8',
    );
    const code = example.slice(example.indexOf('import '));
    expect(await readFile(resolve(root, 'docs/integrating.md'), 'utf8')).toContain(code);
  });
});

describe('surrogate keys', () => {
  // An answer narrowed by (municipality, department?, year?) carries m:<code> and its scope key;
  // a change at (municipality, department|null, year|null) must purge it whenever the change
  // could alter it, i.e. same municipality and compatible department and year.
  const municipality = fc.constantFrom('132047', '131016');
  const department = fc.constantFrom('kyoiku', 'kikaku', 'a b', 'x*y');
  const year = fc.integer({ min: 2011, max: 2013 });
  test('every change purges every answer that could include it', () => {
    fc.assert(
      fc.property(
        fc.record({ municipality, department: fc.option(department), year: fc.option(year) }),
        fc.record({ municipality, department: fc.option(department), year: fc.option(year) }),
        (answer, change) => {
          const answerKeys = [
            surrogateKey('m', answer.municipality),
            scopeKey(answer.municipality, answer.department ?? undefined, answer.year ?? undefined),
          ];
          const purge = purgeKeysOf({
            entityType: 'DepartmentPlan',
            entityId: 1,
            municipality: change.municipality,
            department: change.department,
            fiscalYear: change.year,
          });
          const affected =
            answer.municipality === change.municipality &&
            (answer.department === null ||
              change.department === null ||
              answer.department === change.department) &&
            (answer.year === null || change.year === null || answer.year === change.year);
          const hit = purge.some((key) => answerKeys.includes(key));
          if (affected) expect(hit).toBe(true);
          // Precise where the change names its department and year.
          if (!affected && change.department !== null && change.year !== null)
            expect(hit).toBe(false);
          expect(purge).toContain(UNSCOPED_KEY);
          for (const key of purge) expect(key).toMatch(/^[A-Za-z0-9_%:-]+$/);
        },
      ),
      { verbose: true },
    );
  });
});
