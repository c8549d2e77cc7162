// The SDK in a real browser: Chromium (Debian's, driven by playwright-core) loads a small page
// built with @hoshin/client (tests/client/browser/page.ts, bundled by esbuild) from its own
// origin, so every API call is cross-origin as for a real front end. The page reads 教育部
// FY2012 word for word, shows a live event after a write, shows "retrying" while the server is
// down, and resumes without loss when it returns. Screenshots: test-results/browser/*.png.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createClient } from '@hoshin/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Browser,
  bundleForBrowser,
  chromiumAvailable,
  launchBrowser,
  type StaticSite,
  screenshot,
  serveStatic,
} from '../support/browser.ts';
import { type LiveServer, startLiveServer } from './support/live-server.ts';

const seed = resolve(import.meta.dirname, '../../../shared/seed/mitaka-h24-department-goals.txt');

describe.skipIf(!chromiumAvailable())('the SDK in Chromium', () => {
  let server: LiveServer;
  let site: StaticSite;
  let browser: Browser;

  beforeAll(async () => {
    server = await startLiveServer();
    const script = await bundleForBrowser(resolve(import.meta.dirname, 'browser/page.ts'));
    site = await serveStatic({
      '/index.html': `<!doctype html><html lang="ja"><meta charset="utf-8"><title>hoshin</title>
<h1 id="title">…</h1><ol id="initiatives"></ol>
<p>live: <strong id="state">idle</strong></p><ul id="events"></ul>
<script type="module" src="/page.js"></script></html>`,
      '/page.js': script,
    });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.close();
  });

  test('reads, follows live changes, and resumes after the server restarts', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${site.origin}/?api=${encodeURIComponent(server.url)}`);

    // Word for word: the three projects of 教育部 in the FY2012 newsletter.
    const text = await readFile(seed, 'utf8');
    const section = text.slice(text.indexOf('\n教育部\n'));
    const projects = [...section.matchAll(/^- (.+)$/gm)].slice(0, 3).map((m) => m[1]);
    await expect.poll(() => page.textContent('#title')).toBe('教育部 平成24年度');
    await expect.poll(() => page.locator('#initiatives li').allTextContents()).toEqual(projects);
    await expect.poll(() => page.getAttribute('#state', 'data-status')).toBe('live');

    const writer = createClient({
      url: server.url,
      token: server.planningToken,
      fetch: server.direct,
    });
    const plan = await writer.departmentPlan({
      municipality: '132047',
      department: 'kyoiku',
      fiscalYear: 2012,
    });
    if (!plan) throw new Error('no plan');
    let version = plan.version;
    const edit = async (policy: string) => {
      const result = await writer.updatePlan({ id: plan.id, expectedVersion: version, policy });
      if (result.__typename !== 'UpdatePlanSuccess') throw new Error(result.message);
      version = result.plan.version;
    };

    await edit('ブラウザで見る');
    await expect
      .poll(() => page.locator('#events li').allTextContents())
      .toEqual(['MODIFIED 教育部: ブラウザで見る']);
    await screenshot(page, 'sdk-live');

    // Down for a while: the page says so, and a write made meanwhile arrives once it is back.
    const restarted = server.restart(4000);
    await expect.poll(() => page.getAttribute('#state', 'data-status')).toBe('retrying');
    // Read while retrying: between attempts the state goes on to "connecting" and back.
    await expect
      .poll(() => page.textContent('#state'))
      .toMatch(/^retrying \(attempt \d+ at \d{4}-/);
    await edit('停止中の変更');
    await screenshot(page, 'sdk-retrying');
    await restarted;
    await expect
      .poll(() => page.locator('#events li').allTextContents(), { timeout: 15_000 })
      .toEqual(['MODIFIED 教育部: ブラウザで見る', 'MODIFIED 教育部: 停止中の変更']);
    await expect.poll(() => page.getAttribute('#state', 'data-status')).toBe('live');
    await screenshot(page, 'sdk-resumed');
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
