// The open data as a portal harvests it and a citizen follows it (issue 28): Mitaka's Data
// Package loads with the Frictionless Data library and every row of every resource, machine and
// readable, reads against its Table Schema (foreign keys included); a CKAN-style harvest of the
// DCAT catalogue finds every distribution with a licence and a URL that answers; publishing a
// plan adds an entry to the department's Atom feed, which answers 304 while nothing changes.
import http from 'node:http';
import { parseFeed } from '@rowanmanning/feed-parser';
import { Package } from 'datapackage';
import ExcelJS from 'exceljs';
import jsonld from 'jsonld';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenFor } from '../support/factories.ts';
import { type OpenDataApi, startOpenDataApi } from './support.ts';

let api: OpenDataApi;
let planning: string;
const globalAgent = http.globalAgent;

beforeAll(async () => {
  // The Frictionless libraries request through Node's global agent, which keeps sockets
  // alive: one left idle past the server's keep-alive timeout (5 s) while a busy machine
  // validates would be reused as the server closes it (ECONNRESET). A socket per request.
  http.globalAgent = new http.Agent({ keepAlive: false });
  api = await startOpenDataApi();
  planning = await tokenFor(api.db.prisma, {
    name: '企画経営課',
    role: 'PLANNING',
    municipality: '132047',
  });
  const prisma = api.db.prisma;
  // The seed has no evaluations of FY2012 yet: two published ones and a draft (not exported).
  const initiatives = await prisma.initiative.findMany({
    where: { plan: { fiscalYear: 2012, department: { code: 'kyoiku' } } },
    orderBy: { position: 'asc' },
    take: 3,
  });
  for (const [i, initiative] of initiatives.entries()) {
    await prisma.evaluation.create({
      data: {
        initiativeId: initiative.id,
        rating: i === 0 ? 'MOSTLY_ACHIEVED' : 'ACHIEVED',
        summary: `評価の概要 ${i + 1}`,
        decision: 'CONTINUE',
        progressPercent: 80 + i,
        status: i < 2 ? 'PUBLISHED' : 'DRAFT',
      },
    });
  }
  // Targets and actuals on the first (published) initiative, so that their resources have rows
  // to read against their schemas: a numeric target with an actual, and a milestone.
  const [first] = initiatives;
  if (!first) throw new Error('the seed has no FY2012 initiative of kyoiku');
  const counted = await prisma.target.create({
    data: {
      initiativeId: first.id,
      indicator: '学校図書館の貸出冊数',
      unit: '冊',
      direction: 'AT_LEAST',
      baseline: 100,
      targetValue: 150,
    },
  });
  await prisma.targetActual.create({
    data: {
      targetId: counted.id,
      period: '2012年度上半期',
      measuredOn: '2012-09-30',
      value: 120.5,
    },
  });
  const milestone = await prisma.target.create({
    data: {
      initiativeId: first.id,
      indicator: '新しい学習指導計画の策定',
      direction: 'MILESTONE',
      targetDate: '2013-03-31',
    },
  });
  await prisma.targetActual.create({
    data: {
      targetId: milestone.id,
      period: '2012年度',
      measuredOn: '2013-03-31',
      reachedOn: '2013-02-15',
    },
  });
  // 教育部 was called 教育委員会事務局 up to FY2012 (a rename): the year's readable rows say so.
  const kyoiku = await prisma.department.findFirstOrThrow({ where: { code: 'kyoiku' } });
  await prisma.departmentFormerName.create({
    data: {
      departmentId: kyoiku.id,
      untilFiscalYear: 2012,
      name: '教育委員会事務局',
      displayOrder: kyoiku.displayOrder,
    },
  });
  // Publishing sets publishedAt (the seed's plans have none): take 企画部's plan back and again.
  const plan = await prisma.departmentPlan.findFirstOrThrow({
    where: { fiscalYear: 2012, department: { code: 'kikaku' } },
  });
  const id = Buffer.from(`DepartmentPlan:${plan.id}`).toString('base64');
  for (const [mutation, expectedVersion] of [
    ['unpublishPlan', plan.version],
    ['publishPlan', plan.version + 1],
  ] as const) {
    const answer = await api.graphql(
      `mutation ($input: PlanVersionInput!) { ${mutation}(input: $input) { __typename } }`,
      { input: { id, expectedVersion } },
      planning,
    );
    expect(answer[mutation].__typename).toMatch(/Success$/);
  }
}, 180_000);
afterAll(async () => {
  http.globalAgent = globalAgent;
  await api?.close();
});

const CORE = ['departments', 'plans', 'initiatives', 'evaluations'];

/** Loads the package and reads every row of every resource against its Table Schema. */
async function readPackage(path: string) {
  const dataPackage = await Package.load(`${api.base}${path}`);
  expect(dataPackage.errors).toEqual([]);
  expect(dataPackage.valid).toBe(true);
  const rows: Record<string, Record<string, unknown>[]> = {};
  for (const resource of dataPackage.resources) {
    const relations = (resource.schema?.foreignKeys ?? []).length > 0;
    // Throws on the first cell that does not cast, a broken constraint, a duplicate primary
    // key or a foreign key without its row.
    try {
      rows[resource.name] = await resource.read({ keyed: true, relations });
    } catch (error) {
      // The validator's own words: which resource, which rows and cells.
      const errors = (error as { errors?: { message: string }[] }).errors ?? [];
      console.log(
        resource.name,
        String(error),
        errors.slice(0, 5).map((e) => e.message),
      );
      throw error;
    }
    // Table Schema patterns are implicitly anchored, but tableschema 1.12.6 only searches for
    // them (lib/constraints/pattern.js: RegExp.exec): check the whole value here. A foreign
    // key's cells were replaced by the row they reference (checked in its own resource).
    for (const field of resource.schema?.fields ?? []) {
      const pattern = field.constraints?.pattern;
      if (pattern === undefined) continue;
      const whole = new RegExp(`^(?:${pattern})$`, 'u');
      const bad = (rows[resource.name] ?? [])
        .map((row) => row[field.name])
        .filter((value) => typeof value === 'string' && !whole.test(value));
      expect(bad, `${resource.name}.${field.name} against ${pattern}`).toEqual([]);
    }
  }
  return { dataPackage, rows };
}

describe('the Data Package', () => {
  it.each(['/open-data/132047/datapackage.json', '/open-data/132047/2012/datapackage.json'])(
    '%s loads and every row of every resource reads against its Table Schema',
    async (path) => {
      const { dataPackage, rows } = await readPackage(path);
      const names = dataPackage.resourceNames as string[];
      for (const entity of CORE) {
        expect(names).toContain(entity);
        expect(names).toContain(`${entity}-readable`);
        expect(rows[entity]?.length, entity).toBeGreaterThan(0);
        expect(rows[`${entity}-readable`]?.length).toBe(rows[entity]?.length);
      }
      // Targets and actuals are read too, not only declared.
      for (const entity of ['targets', 'actuals', 'targets-readable', 'actuals-readable']) {
        expect(rows[entity]?.length, entity).toBe(2);
      }
      expect(dataPackage.descriptor.licenses).toEqual([
        expect.objectContaining({
          name: 'CC-BY-4.0',
          path: 'https://creativecommons.org/licenses/by/4.0/',
        }),
      ]);
      // The report's figures: every resource and the rows the validator read.
      console.log(
        `${path}: ${dataPackage.resources
          .map((r: { name: string }) => `${r.name} ${rows[r.name]?.length}`)
          .join(', ')}; errors: ${JSON.stringify(dataPackage.errors)}`,
      );
    },
  );

  it('the readable files show labels, names as of the year, ☞ ※ and JST dates', async () => {
    const { rows } = await readPackage('/open-data/132047/2012/datapackage.json');
    const plans = rows['plans-readable'] ?? [];
    expect(plans.map((p) => p.公開状態)).toContain('公表');
    // Names as of the row's year: FY2012's plans under the name of FY2012.
    expect(plans.map((p) => p.部名)).toContain('教育委員会事務局');
    expect(plans.map((p) => p.部名)).not.toContain('教育部');
    expect(rows['departments-readable']?.map((d) => d.部名)).toContain('教育委員会事務局');
    const published = plans.find((p) => p.公開日時 !== null)?.公開日時;
    expect(published).toBeInstanceOf(Date); // a Table Schema `date`, read as one
    const initiatives = rows['initiatives-readable'] ?? [];
    expect(initiatives.some((i) => i.行革推進事業 === '☞')).toBe(true);
    const notes = initiatives.map((i) => i.注記).find((n) => typeof n === 'string') as string;
    expect(notes.startsWith('※')).toBe(true);
    // In XLSX the date is a date cell.
    const response = await api.fetch('/open-data/132047/2012/plans-readable.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0] as ExcelJS.Worksheet;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const column = header.indexOf('公開日時') + 1;
    const dates: ExcelJS.Cell[] = [];
    sheet.eachRow((row, number) => {
      const cell = row.getCell(column);
      if (number > 1 && cell.value !== null) dates.push(cell);
    });
    expect(dates.length).toBeGreaterThan(0);
    for (const cell of dates) expect(cell.type).toBe(ExcelJS.ValueType.Date);
  });

  it('unknown municipalities and years without public plans are 404', async () => {
    expect((await api.fetch('/open-data/999999/datapackage.json')).status).toBe(404);
    expect((await api.fetch('/open-data/132047/1990/datapackage.json')).status).toBe(404);
  });
});

describe('the catalogue', () => {
  it('a CKAN-style harvest of the DCAT catalogue lists every resource with a licence and URLs that answer', async () => {
    const response = await api.fetch('/open-data/132047/catalog.jsonld');
    expect(response.status).toBe(200);
    // Expanded as a harvester does (the context is inline: nothing is fetched).
    const graph = (await jsonld.expand(await response.json())) as Record<string, any>[];
    const DCAT = 'http://www.w3.org/ns/dcat#';
    const DCT = 'http://purl.org/dc/terms/';
    const catalogue = graph.find((node) => node['@type']?.includes(`${DCAT}Catalog`));
    const datasets = catalogue?.[`${DCAT}dataset`] as Record<string, any>[];
    expect(datasets.length).toBeGreaterThanOrEqual(2); // all years, and each year
    const urls = new Set<string>();
    for (const dataset of datasets) {
      expect(dataset[`${DCT}license`]?.[0]['@id']).toBe(
        'https://creativecommons.org/licenses/by/4.0/',
      );
      expect(dataset[`${DCAT}landingPage`]?.[0]['@id']).toMatch(/\/open-data\/132047\//);
      urls.add(dataset[`${DCAT}landingPage`][0]['@id']);
      const distributions = dataset[`${DCAT}distribution`] as Record<string, any>[];
      const names = distributions.map((d) => d[`${DCAT}downloadURL`][0]['@id'] as string);
      for (const entity of CORE) {
        expect(names.some((u) => u.endsWith(`/${entity}.csv`))).toBe(true);
        expect(names.some((u) => u.endsWith(`/${entity}-readable.csv`))).toBe(true);
      }
      // Every resource of the dataset's own Data Package is one of its distributions.
      const descriptor = names.find((u) => u.endsWith('/datapackage.json')) as string;
      const packaged = (await (await fetch(descriptor)).json()) as {
        resources: { path: string }[];
      };
      const resourceUrls = packaged.resources.map((r) => new URL(r.path, descriptor).href);
      expect(resourceUrls.length).toBeGreaterThan(0);
      expect(resourceUrls.filter((url) => !names.includes(url))).toEqual([]);
      for (const distribution of distributions) {
        expect(distribution[`${DCT}license`]?.[0]['@id']).toBe(
          'https://creativecommons.org/licenses/by/4.0/',
        );
        urls.add(distribution[`${DCAT}downloadURL`][0]['@id']);
      }
    }
    const statuses = await Promise.all(
      [...urls].map(async (url) => {
        const answer = await fetch(url);
        await answer.arrayBuffer();
        return `${answer.status} ${url}`;
      }),
    );
    expect(statuses.filter((s) => !s.startsWith('200 '))).toEqual([]);
    console.log(`harvested ${datasets.length} datasets, ${urls.size} URLs, all 200`);
  });

  it('the CKAN package of a year names the licence and the same files', async () => {
    const body = (await (await api.fetch('/open-data/132047/2012/ckan.json')).json()) as any;
    expect(body.success).toBe(true);
    expect(body.result).toMatchObject({ name: 'hoshin-132047-2012', license_id: 'cc-by' });
    expect(body.result.resources.length).toBe(body.result.num_resources);
    const landing = await api.fetch('/open-data/132047/2012/');
    const html = await landing.text();
    expect(landing.headers.get('content-type')).toMatch(/text\/html/);
    expect(html).toContain('application/atom+xml');
    expect(html).toContain('部の使命・目標に関する認識'); // the field dictionary
  });
});

describe('the Atom feeds', () => {
  const CREATE = `mutation ($input: CreatePlanInput!) { createPlan(input: $input) {
    __typename ... on CreatePlanSuccess { plan { id version } } ... on Error { message } } }`;
  const PUBLISH = `mutation ($input: PlanVersionInput!) { publishPlan(input: $input) {
    __typename ... on Error { message } } }`;

  it("publishing a plan adds an entry to the department's feed; unchanged feeds answer 304", async () => {
    const path = '/open-data/132047/departments/kyoiku/feed.atom';
    const before = await api.fetch(path);
    expect(before.status).toBe(200);
    expect(before.headers.get('content-type')).toMatch(/application\/atom\+xml/);
    const etag = before.headers.get('etag') as string;
    const lastModified = before.headers.get('last-modified') as string;
    const entriesBefore = parseFeed(await before.text()).items.length;
    expect((await api.fetch(path, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await api.fetch(path, { headers: { 'if-modified-since': lastModified } })).status).toBe(
      304,
    );

    const created = await api.graphql(
      CREATE,
      { input: { municipality: '132047', department: 'kyoiku', fiscalYear: 2013 } },
      planning,
    );
    const id = created.createPlan.plan.id as string;
    // A draft is not in the feed.
    expect((await api.fetch(path, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const published = await api.graphql(PUBLISH, { input: { id, expectedVersion: 1 } }, planning);
    expect(published.publishPlan.__typename).toBe('PublishPlanSuccess');

    const after = await api.fetch(path, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    const feed = parseFeed(await after.text());
    expect(feed.items.length).toBe(entriesBefore + 1);
    expect(feed.items[0]?.title).toBe('教育部 平成25年度の運営方針と目標を公表しました');
    expect(feed.items[0]?.url).toMatch(/\/open-data\/132047\/2013\/$/);
    // The year's and the municipality's feeds have it too; another department's does not.
    for (const other of ['/open-data/132047/2013/feed.atom', '/open-data/132047/feed.atom']) {
      const titles = parseFeed(await (await api.fetch(other)).text()).items.map((i) => i.title);
      expect(titles).toContain('教育部 平成25年度の運営方針と目標を公表しました');
    }
    const kikaku = await api.fetch('/open-data/132047/departments/kikaku/feed.atom');
    expect(parseFeed(await kikaku.text()).items.map((i) => i.title)).not.toContain(
      '教育部 平成25年度の運営方針と目標を公表しました',
    );
    expect((await api.fetch('/open-data/132047/departments/nosuch/feed.atom')).status).toBe(404);

    // Public only: a plan taken back to draft leaves the feed.
    const unpublished = await api.graphql(
      `mutation ($input: PlanVersionInput!) { unpublishPlan(input: $input) { __typename } }`,
      { input: { id, expectedVersion: 2 } },
      planning,
    );
    expect(unpublished.unpublishPlan.__typename).toBe('UnpublishPlanSuccess');
    const titles = parseFeed(await (await api.fetch(path)).text()).items.map((i) => i.title);
    expect(titles).not.toContain('教育部 平成25年度の運営方針と目標を公表しました');
  });
});
