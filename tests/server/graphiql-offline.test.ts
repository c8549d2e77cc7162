// GraphiQL with the network cut: Debian's Chromium opens the server's /graphql while every
// request that leaves loopback is aborted, and the editor still renders and runs a query.
// Before @graphql-yoga/render-graphiql the page loaded its scripts from a public CDN and stayed
// at "Loading…" offline.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { type Browser, chromiumAvailable, launchBrowser, screenshot } from '../support/browser.ts';

const QUERY =
  '{ plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) { department { name } } }';

describe.skipIf(!chromiumAvailable())('GraphiQL with no network beyond the server', () => {
  let api: TestApi;
  let browser: Browser;
  let page: Page;
  const leftLoopback: string[] = [];

  beforeAll(async () => {
    api = await startTestApi({ seed: true });
    browser = await launchBrowser();
    // The cut: anything not addressed to the server itself fails as if the network were down.
    await browser.context.route('**/*', (route) => {
      const { hostname, protocol } = new URL(route.request().url());
      if (protocol === 'data:' || protocol === 'blob:' || hostname === '127.0.0.1') {
        return route.continue();
      }
      leftLoopback.push(route.request().url());
      return route.abort('internetdisconnected');
    });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('renders the editor from the server’s own assets and runs a query', async () => {
    const base = (await api.fetch('/health')).url.replace(/\/health$/, '');
    await page.goto(`${base}/graphql?query=${encodeURIComponent(QUERY)}`);
    // The editor only exists once GraphiQL's script ran.
    await page.locator('.graphiql-container').first().waitFor({ timeout: 20_000 });
    expect(await page.locator('.graphiql-query-editor').first().textContent()).toContain('kyoiku');

    await page.locator('.graphiql-execute-button').first().click();
    await expect
      .poll(() => page.locator('.graphiql-response').first().textContent(), { timeout: 20_000 })
      .toContain('教育部');
    await screenshot(page, 'graphiql-offline');

    expect(leftLoopback).toEqual([]);
  });
});
