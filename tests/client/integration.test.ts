// The built @hoshin/client against a real hoshin server (Yoga over node:http, PGlite in
// memory, Mitaka FY2012 seed), used the way an integrator uses it.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import {
  createClient,
  DepartmentPlanDocument,
  FiscalYearDocument,
  HoshinRequestError,
  PlansDocument,
  SearchInitiativesDocument,
  type TypedDocument,
} from '@hoshin/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startServer, type TestServer } from './support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
}, 60_000);
afterAll(() => server?.close());

const mitaka = '132047';
const kyoikuTexts = [
  '学校支援者の拡大など、コミュニティ・スクールを基盤とした小・中一貫教育のさらなる充実と発展を目指します。',
  '三鷹中央学園第三小学校の建て替え工事を進め、年内の新校舎完成を目指します。',
  'スポーツ祭東京2013(東京国体)に向け、開催気運を醸成するためリハーサル大会を開催するとともに、イベントなどの啓発事業を実施します。',
];

async function rejection(promise: Promise<unknown>): Promise<HoshinRequestError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HoshinRequestError);
  return error as HoshinRequestError;
}

describe('ready-made operations', () => {
  test("departmentPlan: 教育部's FY2012 plan has its three initiatives, verbatim and in order", async () => {
    const hoshin = createClient({ url: server.url });
    const plan = await hoshin.departmentPlan({
      municipality: mitaka,
      department: 'kyoiku',
      fiscalYear: 2012,
    });
    expect(plan?.department).toMatchObject({ code: 'kyoiku', name: '教育部' });
    expect(plan?.fiscalYear).toMatchObject({ year: 2012, label: '平成24年度', labelEn: 'FY2012' });
    expect(plan?.status).toBe('PUBLISHED');
    expect(plan?.initiatives.totalCount).toBe(3);
    expect(plan?.initiatives.edges.map((e) => e.node.text)).toEqual(kyoikuTexts);
    expect(plan?.initiatives.edges.map((e) => e.node.position)).toEqual([1, 2, 3]);
  });

  test('departmentPlan: null for an existing department with no plan that year', async () => {
    const hoshin = createClient({ url: server.url });
    await expect(
      hoshin.departmentPlan({ municipality: mitaka, department: 'kyoiku', fiscalYear: 2013 }),
    ).resolves.toBeNull();
  });

  test('plans: the 8 plans of FY2012 in department display order, paged with first/after', async () => {
    const hoshin = createClient({ url: server.url });
    const first = await hoshin.plans({ fiscalYear: 2012, municipality: mitaka, first: 5 });
    expect(first.totalCount).toBe(8);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await hoshin.plans({ fiscalYear: 2012, after: first.pageInfo.endCursor });
    const codes = [...first.edges, ...rest.edges].map((e) => e.node.department.code);
    expect(codes).toEqual([
      'kikaku',
      'somu',
      'shimin',
      'seikatsu-kankyo',
      'kenko-fukushi',
      'kodomo-seisaku',
      'toshi-seibi',
      'kyoiku',
    ]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect(first.edges[0]?.node.initiatives.totalCount).toBe(3);
  });

  test('searchInitiatives: by text, by flag, and with no variables at all', async () => {
    const hoshin = createClient({ url: server.url });
    const school = await hoshin.searchInitiatives({ search: '小学校' });
    expect(school.totalCount).toBe(1);
    expect(school.edges[0]?.node).toMatchObject({
      text: kyoikuTexts[1],
      plan: { department: { code: 'kyoiku', name: '教育部' }, fiscalYear: { year: 2012 } },
    });
    const reform = await hoshin.searchInitiatives({ isAdministrativeReform: true, first: 100 });
    expect(reform.totalCount).toBe(4);
    expect(reform.edges.every((e) => e.node.isAdministrativeReform)).toBe(true);
    const all = await hoshin.searchInitiatives();
    expect(all.totalCount).toBe(24);
    expect(all.edges).toHaveLength(20); // the server's default page size
  });

  test('fiscalYear: era labels, including the first year of an era', async () => {
    const hoshin = createClient({ url: server.url });
    await expect(hoshin.fiscalYear({ year: 2012 })).resolves.toMatchObject({
      label: '平成24年度',
      era: { name: '平成', romaji: 'Heisei' },
      startDate: '2012-04-01',
      endDate: '2013-03-31',
    });
    await expect(hoshin.fiscalYear({ year: 2019 })).resolves.toMatchObject({ label: '令和元年度' });
  });

  test('request() sends every SDK document and returns its whole data', async () => {
    const hoshin = createClient({ url: server.url });
    const year = { fiscalYear: 2012 };
    const results = await Promise.all([
      hoshin.request(DepartmentPlanDocument, {
        municipality: mitaka,
        department: 'kyoiku',
        ...year,
      }),
      hoshin.request(PlansDocument, year),
      hoshin.request(SearchInitiativesDocument, { search: '国体' }),
      hoshin.request(FiscalYearDocument, { year: 2012 }),
    ]);
    expect(results[0].plan?.initiatives.totalCount).toBe(3);
    expect(results[1].plans.totalCount).toBe(8);
    expect(results[2].initiatives.edges[0]?.node.text).toBe(kyoikuTexts[2]);
    expect(results[3].fiscalYear.labelEn).toBe('FY2012');
  });
});

describe('errors surface with their codes and HTTP status', () => {
  test('DEPARTMENT_NOT_FOUND for department "nope"', async () => {
    const hoshin = createClient({ url: server.url });
    const error = await rejection(
      hoshin.departmentPlan({ municipality: mitaka, department: 'nope', fiscalYear: 2012 }),
    );
    expect(error).toMatchObject({
      kind: 'graphql',
      status: 200,
      codes: ['DEPARTMENT_NOT_FOUND'],
      operationName: 'DepartmentPlan',
      attempts: 1,
    });
    expect(error.errors[0]?.path).toEqual(['plan']);
  });

  test('FISCAL_YEAR_OUT_OF_RANGE for the year 3000', async () => {
    const error = await rejection(createClient({ url: server.url }).fiscalYear({ year: 3000 }));
    expect(error.codes).toEqual(['FISCAL_YEAR_OUT_OF_RANGE']);
    expect(error.hasCode('FISCAL_YEAR_OUT_OF_RANGE')).toBe(true);
  });

  test('PAGE_SIZE_OUT_OF_RANGE and BAD_USER_INPUT for bad paging and an empty search', async () => {
    const hoshin = createClient({ url: server.url });
    expect((await rejection(hoshin.plans({ fiscalYear: 2012, first: 101 }))).codes).toEqual([
      'PAGE_SIZE_OUT_OF_RANGE',
    ]);
    expect((await rejection(hoshin.searchInitiatives({ search: ' ' }))).codes).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  test('a document the schema rejects fails validation with HTTP 400', async () => {
    const Invalid = { toString: () => 'query Invalid { nope }' } as TypedDocument<
      unknown,
      Record<string, never>
    >;
    const error = await rejection(createClient({ url: server.url }).request(Invalid));
    expect(error).toMatchObject({ kind: 'graphql', status: 400, operationName: 'Invalid' });
    expect(error.errors[0]?.message).toMatch(/nope/);
  });

  test('an unreachable server is a network error after the retries', async () => {
    const closed = await startClosedPortUrl();
    const error = await rejection(
      createClient({ url: closed, retries: 1, backoff: { baseMs: 1 } }).fiscalYear({ year: 2012 }),
    );
    expect(error).toMatchObject({ kind: 'network', status: undefined, attempts: 2 });
  });
});

describe('retries', () => {
  test('a query is retried on 503 until the server answers', async () => {
    const hoshin = createClient({ url: server.url, retries: 3, backoff: { baseMs: 5 } });
    const before = server.requests.length;
    server.failNext(2, 503);
    await expect(hoshin.fiscalYear({ year: 2012 })).resolves.toMatchObject({ label: '平成24年度' });
    expect(server.requests.length - before).toBe(3);
  });

  test('a query gives up after its retries with the 503', async () => {
    const hoshin = createClient({ url: server.url, retries: 1, backoff: { baseMs: 5 } });
    server.failNext(5, 503);
    const error = await rejection(hoshin.fiscalYear({ year: 2012 }));
    server.failNext(0, 503);
    expect(error).toMatchObject({ kind: 'http', status: 503, attempts: 2 });
  });

  test('a mutation document is sent once and never retried, even on 503', async () => {
    // The server has no mutations yet, so a fake fetch stands in for it.
    let calls = 0;
    const fetch = async () => {
      calls++;
      return new Response('unavailable', { status: 503 });
    };
    const PublishPlan = {
      toString: () => 'mutation PublishPlan($id: ID!) { publishPlan(input: { id: $id }) { id } }',
    } as TypedDocument<{ publishPlan: { id: string } }, { id: string }>;
    const hoshin = createClient({ url: server.url, fetch, retries: 5, backoff: { baseMs: 1 } });
    const error = await rejection(hoshin.request(PublishPlan, { id: 'x' }));
    expect(error).toMatchObject({ kind: 'http', status: 503, attempts: 1 });
    expect(calls).toBe(1);
  });
});

describe('persisted documents', () => {
  test('the shipped manifest holds exactly the documents the SDK sends, each valid on the server', async () => {
    const require = createRequire(import.meta.url);
    const manifestPath = require.resolve('@hoshin/client/persisted-documents.json');
    const manifest: Record<string, string> = JSON.parse(await readFile(manifestPath, 'utf8'));
    const documents = Object.entries(await import('@hoshin/client')).flatMap(([name, value]) =>
      name.endsWith('Document') ? [value] : [],
    );
    expect(documents).toHaveLength(64);
    const hashes = documents.map(
      (d) => (d as unknown as { __meta__: { hash: string } }).__meta__.hash,
    );
    expect(Object.keys(manifest).sort()).toEqual(hashes.sort());

    // A server that accepts only known operations runs the manifest's (normalized) text: the
    // queries here; the mutations and subscriptions in writes.test.ts and live.test.ts.
    const variables: Record<string, Record<string, unknown>> = {
      DepartmentPlan: { municipality: mitaka, department: 'kyoiku', fiscalYear: 2012 },
      Plans: { fiscalYear: 2012 },
      SearchInitiatives: { search: '国体' },
      FiscalYear: { year: 2012 },
      YearSummary: { municipality: mitaka, fiscalYear: 2012 },
      History: { id: 'RGVwYXJ0bWVudFBsYW46MQ==' },
      PlanFeedback: { id: 'RGVwYXJ0bWVudFBsYW46MQ==' },
      Municipality: { code: mitaka },
      Departments: { municipality: mitaka, fiscalYear: 2012 },
      Department: { municipality: mitaka, code: 'kyoiku' },
      WhitePapers: { municipality: mitaka },
      Evaluations: { filter: { municipality: mitaka } },
      InitiativeChains: { municipality: mitaka, department: 'kyoiku', fiscalYear: 2012 },
      WatchPlans: { filter: { municipality: mitaka } },
      WatchInitiatives: { filter: { municipality: mitaka } },
      WatchEvaluations: { filter: { municipality: mitaka } },
      StatusRules: { municipality: mitaka },
      TargetRollups: { municipality: mitaka, fiscalYear: 2012 },
      InitiativeTargets: { id: 'SW5pdGlhdGl2ZTox' },
      PlanAsOf: { id: 'RGVwYXJ0bWVudFBsYW46MQ==', point: { sequence: '1' } },
      WebhookDeliveries: { id: 'V2ViaG9va0VuZHBvaW50OjE=' },
      AsOfDiff: {
        id: 'RGVwYXJ0bWVudFBsYW46MQ==',
        from: { sequence: '1' },
        to: { sequence: '100' },
      },
    };
    const hoshin = createClient({ url: server.url });
    const queries = Object.values(manifest).filter((text) => /\bquery \w+/.test(text));
    expect(queries).toHaveLength(26);
    const refused: string[] = [];
    for (const text of queries) {
      const name = /query (\w+)/.exec(text)?.[1] ?? '';
      const document = { toString: () => text } as TypedDocument<object, object>;
      await hoshin.request(document, variables[name] ?? {}).catch((error: HoshinRequestError) => {
        refused.push(`${name}: ${error.message} ${error.codes.join(',')}`);
      });
    }
    // The change log and webhooks are for token holders: without one they are refused after
    // validation.
    expect(refused.sort()).toEqual([
      'Changes: [Changes] Sign in with an API token to do this FORBIDDEN',
      'WebhookDeliveries: [WebhookDeliveries] Sign in with an API token to do this FORBIDDEN',
      'WebhookEndpoints: [WebhookEndpoints] Sign in with an API token to do this FORBIDDEN',
    ]);
  });
});

async function startClosedPortUrl(): Promise<string> {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/graphql`;
}
