// The dashboard's views as axe-core checks them: one list, used by the dashboard test
// (tests/dashboard/dashboard.test.ts: no serious or critical violation on any of them) and by
// `tsx scripts/axe-report.ts` (a table of the counts per view, for any running server).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** WCAG 2.0 and 2.1, levels A and AA: what JIS X 8341-3:2016 level AA asks. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;
export const IMPACTS = ['critical', 'serious', 'moderate', 'minor'] as const;
export type Impact = (typeof IMPACTS)[number];

export interface AxeView {
  name: string;
  /** The route after `/app/#/`. */
  hash: string;
  /** The window title the view gives itself (Japanese unless `lang` is en). */
  title: string;
  /** What shows the view has loaded (CSS selectors, all present). */
  ready: string[];
  /** `staff`: the page holds a staff token; `invalid`: a token the server refuses. */
  token?: 'staff' | 'invalid';
  lang?: 'en';
  width?: number;
  /** A step after the view is ready (a form opened). */
  open?: string;
}

const testid = (id: string) => `[data-testid="${id}"]`;
const SITE = '各部の運営方針と目標';

export const AXE_VIEWS: readonly AxeView[] = [
  {
    name: 'browse',
    hash: 'browse?y=2012&d=kyoiku',
    title: `閲覧 | ${SITE}`,
    ready: [testid('plan')],
  },
  {
    name: 'browse (8 plans, citizen details)',
    hash: 'browse?y=2012',
    title: `閲覧 | ${SITE}`,
    ready: [testid('plan'), testid('contact')],
  },
  {
    name: 'browse, feedback form open',
    hash: 'browse?y=2012&d=kyoiku',
    title: `閲覧 | ${SITE}`,
    ready: [testid('plan'), 'details.feedback'],
    open: 'details.feedback summary',
  },
  {
    name: 'browse at phone width',
    hash: 'browse?y=2012&d=kyoiku',
    title: `閲覧 | ${SITE}`,
    ready: [testid('plan')],
    width: 390,
  },
  {
    name: 'browse in English',
    hash: 'browse?y=2012&d=kyoiku',
    title: 'Browse | Department policies and goals',
    ready: [testid('plan')],
    lang: 'en',
  },
  {
    name: 'search',
    hash: 'search?q=学校&y=2012',
    title: `検索 | ${SITE}`,
    ready: [testid('search-result')],
  },
  {
    name: 'compare (department across years)',
    hash: 'compare?d=kyoiku&y=2012',
    title: `比較 | ${SITE}`,
    ready: [testid('compare-year')],
  },
  {
    name: 'compare (year across departments)',
    hash: 'compare?y=2012',
    title: `比較 | ${SITE}`,
    ready: [testid('departments-table')],
  },
  {
    name: 'year summary',
    hash: 'summary?y=2012',
    title: `年度集計 | ${SITE}`,
    ready: [testid('initiative-count'), '.recharts-surface'],
  },
  { name: 'live', hash: 'live', title: `更新履歴 | ${SITE}`, ready: [testid('live-state')] },
  {
    name: 'staff mode',
    hash: 'staff',
    title: `職員モード | ${SITE}`,
    ready: [testid('token-input')],
  },
  {
    name: 'staff mode, plan list',
    hash: 'staff',
    title: `職員モード | ${SITE}`,
    ready: [testid('staff-plan-link')],
    token: 'staff',
  },
  {
    name: 'staff mode, editing a plan',
    hash: 'staff?y=2012&d=kyoiku',
    title: `職員モード | ${SITE}`,
    ready: [testid('plan-form')],
    token: 'staff',
  },
  {
    name: 'token invalid (browse)',
    hash: 'browse?y=2012',
    title: `閲覧 | ${SITE}`,
    ready: [testid('token-invalid-badge'), testid('plan')],
    token: 'invalid',
  },
  {
    name: 'token invalid (staff mode)',
    hash: 'staff',
    title: `職員モード | ${SITE}`,
    ready: [testid('token-invalid')],
    token: 'invalid',
  },
];

/** A token no server issued. */
export const INVALID_TOKEN = 'hsn_not_a_real_token_0000000000';

export interface AxeViolation {
  id: string;
  impact: Impact;
  nodes: number;
}

export interface AxeOutcome {
  view: AxeView;
  /** Whether every `ready` selector appeared (false: the view did not exist or never loaded). */
  ready: boolean;
  title: string;
  /** How many h1 the view's <main> has (one: the view's own heading). */
  headings: number;
  violations: AxeViolation[];
}

let axeSource: Promise<string> | undefined;
const axe = () => {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
};

/** Runs axe-core with the WCAG A and AA rules on the page as it is. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: await axe() });
  return page.evaluate(
    async (tags) => {
      // biome-ignore lint/suspicious/noExplicitAny: axe-core's global, injected above
      const result = await (window as any).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
      });
      return result.violations.map((v: { id: string; impact: string; nodes: unknown[] }) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.length,
      }));
    },
    AXE_TAGS as unknown as string[],
  );
}

/**
 * Opens `view` in a new page of `newPage`'s browser (its token and language set before the app
 * starts), waits until it is ready (or `timeoutMs` passes), and runs axe on it.
 */
export async function checkView(
  newPage: () => Promise<Page>,
  baseUrl: string,
  view: AxeView,
  options: { staffToken?: string; timeoutMs?: number } = {},
): Promise<AxeOutcome> {
  const page = await newPage();
  try {
    const token =
      view.token === 'staff'
        ? options.staffToken
        : view.token === 'invalid'
          ? INVALID_TOKEN
          : undefined;
    if (view.token === 'staff' && !token) throw new Error(`${view.name}: needs a staff token`);
    // The app reads these at start (packages/dashboard/src/App.tsx).
    await page.addInitScript(
      ([token, lang]) => {
        if (token) sessionStorage.setItem('hoshin.token', token);
        localStorage.setItem('hoshin.lang', lang ?? 'ja');
      },
      [token, view.lang] as const,
    );
    await page.setViewportSize({ width: view.width ?? 1000, height: 800 });
    await page.goto(`${baseUrl.replace(/\/$/, '')}/app/#/${view.hash}`);
    const timeout = options.timeoutMs ?? 20_000;
    let ready = true;
    try {
      for (const selector of view.ready) await page.locator(selector).first().waitFor({ timeout });
      if (view.open) {
        await page.locator(view.open).first().click();
        await page
          .locator(`${view.open.split(' ')[0]}[open]`)
          .first()
          .waitFor({ timeout });
      }
    } catch {
      ready = false;
    }
    return {
      view,
      ready,
      title: await page.title(),
      headings: await page.locator('main h1').count(),
      violations: await axeViolations(page),
    };
  } finally {
    await page.close();
  }
}

/** Violations (rules) per impact. */
export function countByImpact(violations: AxeViolation[]): Record<Impact, number> {
  const counts = Object.fromEntries(IMPACTS.map((impact) => [impact, 0])) as Record<Impact, number>;
  for (const v of violations) counts[v.impact] += 1;
  return counts;
}
