// A real browser for the suite: Debian's Chromium (/usr/bin/chromium) driven by playwright-core,
// pages bundled by esbuild and served from their own loopback origin (so the API is
// cross-origin, as for a real front end), and screenshots kept under test-results/browser/.
//
// Policy when Chromium is missing: under CI (`CI` set) a browser test FAILS; on a developer's
// machine with only Node it is skipped with a message saying how to install it. A skipped
// browser test is never counted as passed.

import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = resolve(import.meta.dirname, '../../test-results/browser');
const INSTALL_HINT =
  'install it with `apt-get update && apt-get install -y chromium fonts-ipafont-gothic` ' +
  '(Debian/Ubuntu; the fonts render Japanese)';

// Chromium's flags for a sandboxed, offline, repeatable headless run.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether browser tests can run here. Throws under CI when Chromium is missing (the suite must
 * fail there); elsewhere prints how to install it and returns false (use with `describe.skipIf`).
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM_PATH)) return true;
  if (process.env.CI) {
    throw new Error(
      `${CHROMIUM_PATH} is missing and CI is set: browser tests must run; ${INSTALL_HINT}`,
    );
  }
  console.warn(`SKIPPED browser tests: ${CHROMIUM_PATH} not found; ${INSTALL_HINT}`);
  return false;
}

export interface Browser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh profile folder, removed on close. */
export async function launchBrowser(): Promise<Browser> {
  const profile = await mkdtemp(join(tmpdir(), 'hoshin-chromium-'));
  // launchPersistentContext is playwright's way to pass --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    locale: 'ja-JP',
    viewport: { width: 1000, height: 800 },
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as test-results/browser/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Bundles a browser entry point (TypeScript allowed) into one ES module, as a string. */
export async function bundleForBrowser(
  entry: string,
  options: Pick<BuildOptions, 'define' | 'minify'> = {},
): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    ...options,
  });
  return result.outputFiles[0]?.text ?? '';
}

export interface StaticSite {
  /** The origin the pages are served from, e.g. http://127.0.0.1:43123 */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves fixed files (path -> content) on a free loopback port: a page's own origin, distinct
 * from the API's, so every API call is a real cross-origin request.
 */
export async function serveStatic(files: Record<string, string>): Promise<StaticSite> {
  const types: Record<string, string> = {
    html: 'text/html; charset=utf-8',
    js: 'text/javascript; charset=utf-8',
    css: 'text/css; charset=utf-8',
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = files[path === '/' ? '/index.html' : path];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const ext = path.split('.').pop() ?? 'html';
    res.writeHead(200, { 'content-type': types[ext] ?? types.html ?? '' }).end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
