// GET /metrics (packages/server/src/metrics/): the Prometheus text format with per-operation
// request counts, latency histograms and error counts by code, database time and live
// subscribers; readable only with HOSHIN_METRICS_TOKEN as a bearer token, or, without one,
// only from this machine (loopback, no forwarding header).
import { readdirSync } from 'node:fs';
import { createApp } from '@hoshin/server/app';
import { createLogger, loadConfig, metricsAccess } from '@hoshin/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { subscribeSse } from '../support/sse.ts';

const TOKEN = 'metrics-token-0123456789abcdef';
let db: TestDatabase;
let open: { base: string; close(): Promise<void> };
let guarded: { base: string; close(): Promise<void> };

async function start(metricsToken?: string) {
  const app = await createApp({ db, log: createLogger('silent'), config: { metricsToken } });
  const base = await app.listen(0, '127.0.0.1');
  return { base, close: () => app.close(1000) };
}

async function post(base: string, query: string, operationName?: string) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, operationName }),
  });
  return response.json();
}

const metrics = async (base: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${base}/metrics`, { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

/** The value of one series (name with its labels exactly as printed), or undefined. */
function series(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `)) return Number(line.slice(name.length + 1));
  }
  return undefined;
}

beforeAll(async () => {
  db = await createTestDatabase({ seed: true });
  open = await start();
  guarded = await start(TOKEN);
});

afterAll(async () => {
  await open?.close();
  await guarded?.close();
  await db?.close();
});

describe('figures', () => {
  it('counts compiled reads, and every decline by its reason', async () => {
    const plan = (fields: string, args = '') =>
      `{ plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) { ${fields} initiatives(first: 2${args}) { totalCount } } }`;
    const compiledSeries = (text: string, labels: string) =>
      series(text, `hoshin_compiled_reads_total{${labels}}`) ?? 0;
    const before = (await metrics(open.base)).text;
    // Answered compiled; a field it does not know (twice: counted per request, though the
    // document is compiled once); an argument it leaves to the schema; no compiled root at all.
    expect((await post(open.base, plan('mission publishedAt'))).errors).toBeUndefined();
    for (let i = 0; i < 2; i++) {
      expect(
        (await post(open.base, plan('mission feedback { totalCount }'))).errors,
      ).toBeUndefined();
    }
    expect((await post(open.base, plan('mission', ', last: 1'))).errors).toBeUndefined();
    expect((await post(open.base, '{ fiscalYear(year: 2012) { label } }')).errors).toBeUndefined();
    const after = (await metrics(open.base)).text;
    const delta = (labels: string) =>
      compiledSeries(after, labels) - compiledSeries(before, labels);
    expect(delta('outcome="compiled"')).toBe(1);
    expect(delta('outcome="declined",reason="unknown_field"')).toBe(2);
    expect(delta('outcome="declined",reason="arguments"')).toBe(1);
    expect(after).toContain('# TYPE hoshin_compiled_reads_total counter');
  });

  it('counts and times each operation by name and type', async () => {
    const query = `query PlanForMetrics { plan(municipality: "132047", department: "kyoiku", fiscalYear: 2012) { mission initiatives(first: 2) { totalCount } } }`;
    for (let i = 0; i < 3; i++) expect((await post(open.base, query)).errors).toBeUndefined();
    const { status, headers, text } = await metrics(open.base);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(
      series(text, 'hoshin_graphql_requests_total{operation="PlanForMetrics",type="query"}'),
    ).toBe(3);
    expect(
      series(
        text,
        'hoshin_graphql_request_duration_seconds_count{operation="PlanForMetrics",type="query"}',
      ),
    ).toBe(3);
    expect(
      series(
        text,
        'hoshin_graphql_request_duration_seconds_bucket{le="+Inf",operation="PlanForMetrics",type="query"}',
      ),
    ).toBe(3);
    expect(text).toContain('# TYPE hoshin_graphql_request_duration_seconds histogram');
  });

  it('counts errors by operation and code, wherever they arise', async () => {
    await post(
      open.base,
      `query BadYear { plan(municipality: "132047", department: "kyoiku", fiscalYear: 1200) { id } }`,
    );
    await post(open.base, `query Broken { plan(`);
    await post(open.base, `query Unknown { noSuchField }`);
    const { text } = await metrics(open.base);
    expect(
      series(
        text,
        'hoshin_graphql_errors_total{operation="BadYear",code="FISCAL_YEAR_OUT_OF_RANGE"}',
      ),
    ).toBe(1);
    expect(
      series(
        text,
        'hoshin_graphql_errors_total{operation="anonymous",code="GRAPHQL_PARSE_FAILED"}',
      ),
    ).toBe(1);
    expect(
      series(
        text,
        'hoshin_graphql_errors_total{operation="Unknown",code="GRAPHQL_VALIDATION_FAILED"}',
      ),
    ).toBe(1);
  });

  it('reports database time per SQL statement', async () => {
    const before = series(
      (await metrics(open.base)).text,
      'hoshin_db_query_duration_seconds_count',
    );
    await post(
      open.base,
      `{ plan(municipality: "132047", department: "kikaku", fiscalYear: 2012) { mission } }`,
    );
    const after = series((await metrics(open.base)).text, 'hoshin_db_query_duration_seconds_count');
    expect(after).toBeGreaterThan(before ?? 0);
    expect(
      series((await metrics(open.base)).text, 'hoshin_db_query_duration_seconds_sum'),
    ).toBeGreaterThan(0);
  });

  it('counts open live subscribers', async () => {
    expect(series((await metrics(open.base)).text, 'hoshin_live_subscribers')).toBe(0);
    const stream = await subscribeSse(
      (url, init) => fetch(url, init),
      `${open.base}/graphql`,
      `subscription { planChanged(filter: { fiscalYear: 2012 }) { cursor kind } }`,
    );
    try {
      let count = 0;
      for (let i = 0; i < 50 && count !== 1; i++) {
        count = series((await metrics(open.base)).text, 'hoshin_live_subscribers') ?? -1;
        if (count !== 1) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(count).toBe(1);
    } finally {
      stream.close();
    }
  });

  it('keeps at most 100 operation names of their own; further ones count as "other"', async () => {
    for (let i = 0; i < 110; i++) await post(open.base, `query Name${i} { __typename }`);
    const { text } = await metrics(open.base);
    const names = new Set(
      [...text.matchAll(/^hoshin_graphql_requests_total\{operation="([^"]+)"/gm)].map((m) => m[1]),
    );
    expect(names.size).toBeLessThanOrEqual(101);
    expect(names.has('other')).toBe(true);
  });

  it('has the process figures', async () => {
    const { text } = await metrics(open.base);
    expect(text).toMatch(/^hoshin_process_resident_memory_bytes \d+/m);
    expect(text).toContain('hoshin_nodejs_eventloop_lag_seconds');
  });

  it("keeps prom-client's process figures under their names, each once, the costly ones computed cheaply", async () => {
    // What dashboards and alerts read (prom-client's defaults, prefixed): hoshin replaces the
    // ones that cost O(open sockets) at each scrape, and must keep their names and meaning.
    const kept = {
      counter: ['process_cpu_user_seconds_total', 'process_cpu_system_seconds_total'],
      gauge: [
        ...['process_start_time_seconds', 'process_resident_memory_bytes', 'process_heap_bytes'],
        ...['process_open_fds', 'process_max_fds', 'nodejs_eventloop_lag_seconds'],
        ...['nodejs_eventloop_lag_p99_seconds', 'nodejs_active_handles'],
        ...['nodejs_active_handles_total', 'nodejs_active_resources'],
        ...['nodejs_active_resources_total', 'nodejs_active_requests_total'],
        ...['nodejs_heap_size_used_bytes', 'nodejs_heap_space_size_used_bytes'],
        'nodejs_version_info',
      ],
      histogram: ['nodejs_gc_duration_seconds'],
    };
    const { text } = await metrics(open.base);
    for (const [type, names] of Object.entries(kept)) {
      for (const name of names) {
        const declared = text.split('\n').filter((l) => l.startsWith(`# TYPE hoshin_${name} `));
        expect(declared, name).toEqual([`# TYPE hoshin_${name} ${type}`]);
      }
    }
    // Same meaning: open descriptors as /proc/self/fd lists them (this process serves the app),
    // handles and resources counted in total and by type.
    const listed = readdirSync('/proc/self/fd').length - 1;
    expect(Math.abs((series(text, 'hoshin_process_open_fds') ?? 0) - listed)).toBeLessThanOrEqual(
      5,
    );
    const byType = (name: string) =>
      [...text.matchAll(new RegExp(`^hoshin_${name}\\{type="[^"]+"\\} (\\d+)`, 'gm'))].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
    for (const name of ['nodejs_active_handles', 'nodejs_active_resources']) {
      const total = series(text, `hoshin_${name}_total`) ?? 0;
      expect(total, name).toBeGreaterThan(0);
      expect(byType(name), name).toBe(total);
    }
  });
});

describe('who may read them', () => {
  it('without a token: a caller on loopback, not one behind a forwarding proxy', async () => {
    expect((await metrics(open.base)).status).toBe(200);
    for (const header of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      const refused = await metrics(open.base, { [header]: '203.0.113.9' });
      expect(refused.status).toBe(403);
      expect(refused.text).not.toContain('hoshin_');
    }
  });

  it('without a token: an address that is not loopback is refused', () => {
    const from = (remoteAddress: string) =>
      metricsAccess({ headers: {}, socket: { remoteAddress } }, undefined);
    expect(from('127.0.0.1')).toBe('allowed');
    expect(from('::1')).toBe('allowed');
    expect(from('::ffff:127.0.0.1')).toBe('allowed');
    expect(from('192.0.2.10')).toBe('forbidden');
    expect(from('::ffff:192.0.2.10')).toBe('forbidden');
    expect(from('2001:db8::1')).toBe('forbidden');
  });

  it('with HOSHIN_METRICS_TOKEN: only the bearer of that token, even on loopback', async () => {
    const none = await metrics(guarded.base);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.text).not.toContain('hoshin_');
    expect((await metrics(guarded.base, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await metrics(guarded.base, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    const ok = await metrics(guarded.base, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('hoshin_live_subscribers');
    // The token also admits a caller behind a proxy.
    const proxied = await metrics(guarded.base, {
      authorization: `Bearer ${TOKEN}`,
      'x-forwarded-for': '203.0.113.9',
    });
    expect(proxied.status).toBe(200);
    expect(
      metricsAccess(
        { headers: { authorization: `Bearer ${TOKEN}` }, socket: { remoteAddress: '192.0.2.10' } },
        TOKEN,
      ),
    ).toBe('allowed');
  });
});

describe('HOSHIN_METRICS_TOKEN', () => {
  it('is read from the environment; a short one or one with spaces stops the server, unechoed', () => {
    expect(loadConfig({ HOSHIN_METRICS_TOKEN: TOKEN }).metricsToken).toBe(TOKEN);
    expect(loadConfig({}).metricsToken).toBeUndefined();
    for (const bad of ['short', 'has a space in it 0123456789']) {
      expect(() => loadConfig({ HOSHIN_METRICS_TOKEN: bad })).toThrow(
        'HOSHIN_METRICS_TOKEN must be at least 16 characters, without spaces',
      );
      try {
        loadConfig({ HOSHIN_METRICS_TOKEN: bad });
      } catch (error) {
        expect(String(error)).not.toContain(bad);
      }
    }
  });
});
