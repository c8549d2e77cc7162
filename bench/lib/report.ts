// The results: the shape of latest.json, the ratios the issue asks for, and latest.md.
import type { BuildReport } from '../data/load.ts';
import type { RowCounts, SizeName } from '../data/sizes.ts';
import { type PathRun, type PathTarget, pathLines } from '../paths.ts';
import type { SubscriptionResult, SubscriptionSettings } from '../subs/run.ts';
import { type Figure, throughputRatio } from './stats.ts';

export interface ScenarioResult {
  id: string;
  title: string;
  listSize: number | null;
  /** SQL statements hoshin sent for one request (PostgreSQL, PGlite). */
  statements: number | null;
  statementsPglite: number | null;
  /** connections -> rung id -> figure */
  connections: Record<number, Record<string, Figure>>;
}

export interface BenchResults {
  /** The commit measured ("+changes" when the work tree had uncommitted changes). */
  commit?: string;
  generatedAt: string;
  seconds: number;
  machine: Record<string, string | number>;
  settings: Record<string, unknown>;
  data: (BuildReport & { rows: RowCounts })[];
  samePgliteAnswers: boolean;
  rungs: { id: string; label: string }[];
  scenarios: ScenarioResult[];
  scaleSizes: SizeName[];
  ladderSize: SizeName;
  /** Issue 6 item 5: subscribers, writes, delivery, latency, memory, count after leaving. */
  subscriptions?: {
    settings: SubscriptionSettings & { query: string };
    results: SubscriptionResult[];
  };
  /** Every other path at national scale (bench/paths.ts), run after the ladder. */
  paths?: { runs: PathRun[]; targets: PathTarget[] };
  summary?: Summary;
}

export interface Summary {
  /** scenario -> connections -> ratio name -> value */
  ratios: Record<string, Record<number, Record<string, number | null>>>;
  /** connections -> size -> contract p50 (ms), and national (or largest) / mitaka. */
  scale: Record<number, { p50: Record<string, number | null>; ratio: number | null; of: string }>;
  targets: { name: string; target: string; measured: string; met: boolean | null }[];
}

const RATIOS: [name: string, numerator: string, denominator: string][] = [
  ['R3/R1', 'R3-pg', 'R1-pg'],
  ['R3c/R1', 'R3c-pg', 'R1-pg'],
  ['R3c/R3', 'R3c-pg', 'R3-pg'],
  ['R3/R2', 'R3-pg', 'R2'],
  ['R2/R0', 'R2', 'R0'],
  ['R1/R0', 'R1-pg', 'R0'],
  ['R3/R1 PGlite', 'R3-pglite', 'R1-pglite'],
];

export function deriveSummary(results: BenchResults): Summary {
  const ratios: Summary['ratios'] = {};
  for (const scenario of results.scenarios) {
    ratios[scenario.id] = {};
    for (const [connections, figures] of Object.entries(scenario.connections)) {
      const row: Record<string, number | null> = {};
      for (const [name, a, b] of RATIOS) {
        if (figures[a] && figures[b]) row[name] = throughputRatio(figures[a], figures[b]);
      }
      (ratios[scenario.id] as Record<number, Record<string, number | null>>)[Number(connections)] =
        row;
    }
  }

  const contract = results.scenarios.find((s) => s.id === 'contract');
  const scale: Summary['scale'] = {};
  const smallest = results.scaleSizes[0];
  const largest = results.scaleSizes.at(-1);
  for (const [connections, figures] of Object.entries(contract?.connections ?? {})) {
    const p50: Record<string, number | null> = {};
    for (const size of results.scaleSizes) {
      const rung = size === results.ladderSize ? 'R3-pg' : `R3-pg@${size}`;
      p50[size] = figures[rung]?.median?.p50 ?? null;
    }
    const top = largest ? p50[largest] : null;
    const bottom = smallest ? p50[smallest] : null;
    scale[Number(connections)] = {
      p50,
      ratio: top != null && bottom ? top / bottom : null,
      of: `${largest} / ${smallest}`,
    };
  }

  const targets: Summary['targets'] = [];
  const fmt = (value: number | null | undefined) => (value == null ? 'n/a' : value.toFixed(2));
  for (const [connections, row] of Object.entries(ratios.contract ?? {})) {
    const value = row['R3/R1'];
    targets.push({
      name: `R3/R1 uncached, PostgreSQL, contract, c=${connections}`,
      // Issue 30: half of one raw statement's throughput (was 0.3, issue 6).
      target: '>= 0.5',
      measured: fmt(value),
      met: value == null ? null : value >= 0.5,
    });
  }
  for (const [connections, row] of Object.entries(ratios.contract ?? {})) {
    const value = row['R3c/R1'];
    targets.push({
      name: `R3/R1 cached (HOSHIN_READ_CACHE=on), PostgreSQL, contract, c=${connections}`,
      target: '>= 1.0',
      measured: fmt(value),
      met: value == null ? null : value >= 1.0,
    });
  }
  const statements = results.scenarios.map((s) => s.statements);
  targets.push({
    name: 'SQL statements per request, contract and lists of 1/10/100',
    target: '1, constant in list size',
    measured: statements.join(' / '),
    met: statements.every((n) => n === 1),
  });
  for (const [connections, entry] of Object.entries(scale)) {
    targets.push({
      name: `scale: contract p50 ${entry.of}, c=${connections}`,
      target: '<= 1.5',
      measured: fmt(entry.ratio),
      met: entry.ratio == null ? null : entry.ratio <= 1.5,
    });
  }
  const tenThousand = results.subscriptions?.results.find(
    (r) => r.transport === 'sse' && r.subscribers === 10_000 && !r.redis && !r.bare,
  );
  const found = (wanted: Partial<SubscriptionResult>) =>
    results.subscriptions?.results.find(
      (r) =>
        r.subscribers === 10_000 &&
        !r.redis &&
        r.transport === wanted.transport &&
        Boolean(r.bare) === Boolean(wanted.bare) &&
        r.valid,
    );
  /** p99 of one 10,000-subscriber scenario over another's, both valid, in this run. */
  const p99Ratio = (over: SubscriptionResult | undefined, under: SubscriptionResult | undefined) =>
    over?.p99 != null && under?.p99 ? over.p99 / under.p99 : null;
  if (results.subscriptions) {
    const measured = (pick: (r: SubscriptionResult) => string) =>
      tenThousand && !tenThousand.skipped && !tenThousand.failure ? pick(tenThousand) : 'n/a';
    targets.push(
      {
        name: '10,000 SSE subscribers, one instance: delivered/expected',
        target: '1.0 exactly',
        measured: measured((r) => ratioOf(r)),
        met: tenThousand?.expected ? tenThousand.delivered === tenThousand.expected : null,
      },
      {
        name: '10,000 SSE subscribers: publish-to-receipt p99',
        target: '< 1 s',
        measured: measured((r) => `${ms(r.p99)} ms`),
        met: tenThousand?.p99 == null ? null : tenThousand.p99 < 1000,
      },
      {
        name: '10,000 SSE subscribers: server memory per subscriber (RSS)',
        target: '< 50 KB',
        measured: measured((r) => `${kib(r.bytesPerSubscriber)} KiB`),
        met:
          tenThousand?.bytesPerSubscriber == null ? null : tenThousand.bytesPerSubscriber < 50_000,
      },
    );
    const overBare = p99Ratio(found({ transport: 'sse' }), found({ transport: 'sse', bare: true }));
    const wsOverSse = p99Ratio(found({ transport: 'ws' }), found({ transport: 'sse' }));
    targets.push(
      {
        name: '10,000 SSE subscribers: p99 / bare broadcaster p99 (same clients and bytes)',
        target: '<= 1.5',
        measured:
          overBare == null
            ? 'n/a'
            : `${fmt(overBare)} (${ms(found({ transport: 'sse', bare: true })?.p99)} ms bare)`,
        met: overBare == null ? null : overBare <= 1.5,
      },
      {
        name: '10,000 WebSocket subscribers: p99 / SSE p99',
        target: '<= 1.5',
        measured:
          wsOverSse == null
            ? 'n/a'
            : `${fmt(wsOverSse)} (${ms(found({ transport: 'ws' })?.p99)} ms)`,
        met: wsOverSse == null ? null : wsOverSse <= 1.5,
      },
    );
    const all = results.subscriptions.results.filter((r) => !r.skipped && !r.bare);
    targets.push({
      name: 'open subscriptions after every client left, every scenario',
      target: '0',
      measured: all.map((r) => r.activeAfterLeave ?? 'n/a').join(' / '),
      met: all.length > 0 && all.every((r) => r.activeAfterLeave === 0),
    });
  }
  return { ratios, scale, targets };
}

function ratioOf(r: SubscriptionResult): string {
  if (!r.expected) return 'n/a';
  const value = (r.delivered ?? 0) / r.expected;
  return value === 1 ? '1.0' : value.toFixed(4);
}

/** RSS moves by several MiB with garbage collection alone: smaller growth says nothing. */
function memoryCell(r: SubscriptionResult): string {
  if (r.rssAfterMiB == null || r.rssBeforeMiB == null) return 'n/a';
  const grown = r.rssAfterMiB - r.rssBeforeMiB;
  if (Math.abs(grown) < 16) return `noise (RSS ${grown >= 0 ? '+' : ''}${grown.toFixed(0)} MiB)`;
  return kib(r.bytesPerSubscriber);
}

const kib = (bytes: number | null | undefined) =>
  bytes == null ? 'n/a' : (bytes / 1024).toFixed(1);

const num = (value: number | null | undefined, digits = 0) =>
  value == null || Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
const ms = (value: number | null | undefined) =>
  value == null ? 'n/a' : value < 10 ? value.toFixed(2) : value.toFixed(1);

function cell(figure: Figure | undefined, pick: 'rps' | 'p50' | 'p99'): string {
  if (!figure) return '';
  if (!figure.median) {
    if (figure.skipped) return 'skipped';
    return `invalid (${figure.runs.filter((r) => !r.valid).length} bad runs)`;
  }
  return pick === 'rps' ? num(figure.median.rps) : ms(figure.median[pick]);
}

export function renderMarkdown(results: BenchResults): string {
  const summary = results.summary ?? deriveSummary(results);
  const connections = Object.keys(results.scenarios[0]?.connections ?? {}).map(Number);
  const lines: string[] = [];
  const m = results.machine;
  lines.push('# hoshin benchmark: read path and live updates', '');
  lines.push(
    `${results.generatedAt}, commit ${results.commit ?? 'not recorded'}, ${num(results.seconds)} s in all. ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB; Node ${m.node}; PostgreSQL ${m.postgres} (not pinned, shares the machine); ${m.pinning}.`,
    `Each figure: median of ${results.settings.runs} valid runs of ${results.settings.contractSeconds} s (contract) or ${results.settings.listSeconds} s (lists) after a warm-up (${results.settings.warmupSeconds} s, lists ${results.settings.listWarmupSeconds} s); rungs interleaved round by round; after every run the harness waits until the server process and PostgreSQL are idle again, so a rung's backlog is not charged to the next; a run with any non-2xx, error, timeout or wrong body does not count. Latencies in ms. Ratios are of throughput (req/s), measured in the same run.`,
    '',
  );

  lines.push('## Targets', '', '| target | wanted | measured | met |', '| --- | --- | --- | --- |');
  for (const t of summary.targets) {
    lines.push(
      `| ${t.name} | ${t.target} | ${t.measured} | ${t.met == null ? 'n/a' : t.met ? 'yes' : 'no'} |`,
    );
  }
  lines.push('');
  if (results.paths) lines.push(...pathLines(results.paths, results.commit));

  const contract = results.scenarios.find((s) => s.id === 'contract');
  if (contract) {
    lines.push(
      `## Ladder, contract query (${results.ladderSize} data)`,
      '',
      `| rung | ${connections.map((c) => `c=${c} req/s | c=${c} p50 | c=${c} p99`).join(' | ')} |`,
      `| --- | ${connections.map(() => '---: | ---: | ---:').join(' | ')} |`,
    );
    for (const rung of results.rungs) {
      const figures = connections.map((c) => contract.connections[c]?.[rung.id]);
      if (figures.every((f) => !f)) continue;
      lines.push(
        `| ${rung.label} | ${figures.map((f) => `${cell(f, 'rps')} | ${cell(f, 'p50')} | ${cell(f, 'p99')}`).join(' | ')} |`,
      );
    }
    lines.push('');
  }

  lines.push(
    '## Ratios and lists (R3n), PostgreSQL',
    '',
    `SQL statements: counted with db.onQuery for one request in process (PostgreSQL; PGlite in brackets). Lists: plans(filter: {fiscalYear: 2012}, first: N) with department and initiatives(first: 10) { text evaluation { rating } }.`,
    '',
    'R3 cached: the same hoshin with `HOSHIN_READ_CACHE=on` (answers repeated anonymous queries before Yoga; see the README), same request, same bytes.',
    '',
    '| query | SQL/request | c | R0 req/s | R1 req/s | R2 req/s | R3 req/s | R3 cached req/s | R3/R1 | R3/R1 cached | R3/R2 | R2/R0 | R3 p50 | R3 p99 | R3 cached p50 | R3 cached p99 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const scenario of results.scenarios) {
    for (const c of connections) {
      const f = scenario.connections[c];
      if (!f) continue;
      const r = summary.ratios[scenario.id]?.[c] ?? {};
      lines.push(
        `| ${scenario.id} | ${scenario.statements ?? 'n/a'} (${scenario.statementsPglite ?? 'n/a'}) | ${c} | ${cell(f.R0, 'rps')} | ${cell(f['R1-pg'], 'rps')} | ${cell(f.R2, 'rps')} | ${cell(f['R3-pg'], 'rps')} | ${cell(f['R3c-pg'], 'rps')} | ${num(r['R3/R1'], 2)} | ${num(r['R3c/R1'], 2)} | ${num(r['R3/R2'], 2)} | ${num(r['R2/R0'], 2)} | ${cell(f['R3-pg'], 'p50')} | ${cell(f['R3-pg'], 'p99')} | ${cell(f['R3c-pg'], 'p50')} | ${cell(f['R3c-pg'], 'p99')} |`,
      );
    }
  }
  lines.push('');

  if (contract) {
    lines.push(
      '## PGlite (embedded), contract query',
      '',
      '| c | R1 PGlite req/s | R3 PGlite req/s | R3/R1 PGlite | R3 PGlite p50 | R3 PGlite p99 |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
    );
    for (const c of connections) {
      const f = contract.connections[c] ?? {};
      lines.push(
        `| ${c} | ${cell(f['R1-pglite'], 'rps')} | ${cell(f['R3-pglite'], 'rps')} | ${num(summary.ratios.contract?.[c]?.['R3/R1 PGlite'], 2)} | ${cell(f['R3-pglite'], 'p50')} | ${cell(f['R3-pglite'], 'p99')} |`,
      );
    }
    lines.push(
      '',
      `PGlite and PostgreSQL answers identical: ${results.samePgliteAnswers ? 'yes' : 'no'}.`,
      '',
    );

    lines.push(
      '## Scale, contract query on PostgreSQL',
      '',
      `| data | initiatives | ${connections.map((c) => `c=${c} req/s | c=${c} p50 | c=${c} p99`).join(' | ')} |`,
      `| --- | ---: | ${connections.map(() => '---: | ---: | ---:').join(' | ')} |`,
    );
    for (const size of results.scaleSizes) {
      const rung = size === results.ladderSize ? 'R3-pg' : `R3-pg@${size}`;
      const rows = results.data.find(
        (d) => d.size === size && d.where.startsWith('postgres'),
      )?.rows;
      lines.push(
        `| ${size} | ${rows?.Initiative.toLocaleString('en') ?? '?'} | ${connections.map((c) => `${cell(contract.connections[c]?.[rung], 'rps')} | ${cell(contract.connections[c]?.[rung], 'p50')} | ${cell(contract.connections[c]?.[rung], 'p99')}`).join(' | ')} |`,
      );
    }
    const list = results.scenarios.find((s) => s.id === 'list-10');
    const largest = results.scaleSizes.at(-1);
    const largestRung = `R3-pg@${largest}`;
    if (list && Object.values(list.connections).some((f) => f[largestRung])) {
      for (const [size, rung] of [
        [results.ladderSize, 'R3-pg'],
        [largest, largestRung],
      ] as const) {
        lines.push(
          `| list-10, ${size} | | ${connections.map((c) => `${cell(list.connections[c]?.[rung], 'rps')} | ${cell(list.connections[c]?.[rung], 'p50')} | ${cell(list.connections[c]?.[rung], 'p99')}`).join(' | ')} |`,
        );
      }
    }
    lines.push('');
    for (const [c, entry] of Object.entries(summary.scale)) {
      lines.push(`- p50 ${entry.of}, c=${c}: **${num(entry.ratio, 2)}** (target <= 1.5)`);
    }
    lines.push('');
  }

  lines.push(
    '## Data',
    '',
    '| database | size | municipalities | plans | initiatives | built |',
    '| --- | --- | ---: | ---: | ---: | --- |',
  );
  for (const d of results.data) {
    lines.push(
      `| ${d.where.replace(/:.*\/(?=[^/]+$)/, ':')} | ${d.size} | ${d.rows.Municipality.toLocaleString('en')} | ${d.rows.DepartmentPlan.toLocaleString('en')} | ${d.rows.Initiative.toLocaleString('en')} | ${d.reused ? 'reused' : `${num(d.seconds, 1)} s`} |`,
    );
  }
  lines.push('', '## Subscriptions', '');
  const subs = results.subscriptions;
  if (!subs) {
    lines.push('Not run.', '');
  } else {
    const st = subs.settings;
    lines.push(
      `One hoshin process on PostgreSQL (Mitaka seed, its own database), pinned to the server core; every subscriber in one client process on the load core (one connection each: \`http.request\` for SSE, \`graphql-ws\` + \`ws\` for WebSocket); ${st.writes} writes (\`updatePlan\` by a PLANNING token) sent one every ${st.writeIntervalMs} ms from the bench process. Subscription: \`${st.query}\`. Latency: from the moment the writer got the write's acknowledgement (its commit) to receipt at each subscriber, over every (subscriber, event); "from send" counts from when the write was sent. Memory: growth of the server's RSS (/proc VmRSS) from before the subscribers connected to after, divided by N (noise of a few MB: meaningless at N = 100). Open subscriptions: \`hoshin_live_subscribers\` of GET /metrics while connected and after every client closed. One run per row; a row is valid when every event arrived exactly once and in order, no stream broke, and the count returned to 0.`,
      '',
      '| transport | instances | subscribers | delivered/expected | p50 ms | p99 ms | p99 from send ms | max ms | RSS/subscriber KiB | open, while connected | open, after leaving | to 0 s | connect s | valid |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const r of subs.results) {
      const where = r.bare
        ? 'bare broadcaster (bare.ts: no GraphQL, no database)'
        : r.redis
          ? '2 via Redis (subscribers on one, writes on the other)'
          : '1';
      if (r.skipped || r.failure) {
        lines.push(
          `| ${r.transport} | ${where} | ${r.subscribers.toLocaleString('en')} | ${r.skipped ? `skipped (${r.skipped})` : `failed: ${r.failure}`} | | | | | | | | | | no |`,
        );
        continue;
      }
      lines.push(
        `| ${r.transport} | ${where} | ${r.subscribers.toLocaleString('en')} | ${r.delivered?.toLocaleString('en')}/${r.expected?.toLocaleString('en')} = ${ratioOf(r)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.p99FromSend)} | ${ms(r.max)} | ${memoryCell(r)} | ${r.activeWhileOpen ?? 'n/a'} | ${r.activeAfterLeave ?? 'n/a'} | ${num(r.secondsToZero, 1)} | ${num(r.openSeconds, 1)} | ${r.valid ? 'yes' : 'no'} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

/** Puts the results into bench/README.md between its results markers, headings one level down. */
export function embedInReadme(readme: string, markdown: string): string {
  const start = '<!-- results:start -->';
  const end = '<!-- results:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) return readme;
  const body = markdown
    .split('\n')
    .filter((line) => !line.startsWith('# '))
    .map((line) => (line.startsWith('## ') ? `#${line}` : line))
    .join('\n')
    .trim();
  return `${readme.slice(0, from + start.length)}\n\n${body}\n\n${readme.slice(to)}`;
}
