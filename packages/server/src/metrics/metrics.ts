// The server's figures in the Prometheus text format (GET /metrics, http/front.ts): GraphQL
// requests per operation (count, latency histogram, errors by code), database time per SQL
// statement, live subscribers and the read cache. One registry per app (tests build many apps
// in one process); the process's own figures (CPU, memory, event loop lag, GC) once per process.
import { timingSafeEqual } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CompiledOutcome } from '../graphql/compiled/plugin.ts';

/** Distinct values one label may take before further ones are counted as "other". */
const MAX_LABEL_VALUES = 100;

/**
 * Operation names come from clients: without a bound, a client sending a new name per request
 * would grow the registry without end. The first MAX_LABEL_VALUES names keep their own series.
 */
class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(private readonly limit = MAX_LABEL_VALUES) {}
  value(raw: string): string {
    if (this.seen.has(raw)) return raw;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(raw);
    return raw;
  }
}

const PREFIX = 'hoshin_';
let processRegistry: Registry | undefined;
/** CPU, memory, event loop lag and GC of this process: registered once, shared by every app. */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: PREFIX });
    replaceCostlyDefaults(processRegistry);
  }
  return processRegistry;
}

/** A value taken at most once per `ms`: every gauge of one scrape (and a concurrent scrape) shares it. */
function takenAtMostEvery<T>(ms: number, take: () => T): () => T {
  let at = Number.NEGATIVE_INFINITY;
  let value: T;
  return () => {
    const now = performance.now();
    if (now - at >= ms) {
      value = take();
      at = now;
    }
    return value;
  };
}

/** Counts by name: constructor names of handles, resource types. */
function countBy<T>(
  items: readonly T[],
  key: (item: T) => string | undefined,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const name = key(item);
    if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/**
 * prom-client's defaults cost O(open sockets) on the event loop at every scrape: at 10,000
 * subscribers, process_open_fds lists /proc/self/fd synchronously, and the active handles and
 * resources are enumerated twice each (once for the total, once by type). The same series,
 * with the same names and meaning, computed cheaply: the fd count from stat (Linux >= 6.2 gives
 * the count as the directory's size; older kernels: an asynchronous listing), and one
 * enumeration of handles and one of resources shared by the gauge by type and its total.
 */
function replaceCostlyDefaults(registry: Registry): void {
  const registers = [registry];
  const replace = (name: string) => {
    const old = registry.getSingleMetric(PREFIX + name) as unknown as { help: string } | undefined;
    if (!old) return undefined;
    registry.removeSingleMetric(PREFIX + name);
    return { name: PREFIX + name, help: old.help, registers };
  };

  const fds = replace('process_open_fds');
  if (fds) {
    new Gauge({
      ...fds,
      async collect() {
        const open = await openFileDescriptors();
        if (open !== undefined) this.set(open);
      },
    });
  }

  const handleCounts = takenAtMostEvery(1000, () => {
    // Node's own (undocumented) list, as prom-client reads it: one array per scrape, not two.
    const handles = (process as unknown as { _getActiveHandles(): object[] })._getActiveHandles();
    return { total: handles.length, byType: countBy(handles, (h) => h?.constructor?.name) };
  });
  const resourceCounts = takenAtMostEvery(1000, () => {
    const resources = process.getActiveResourcesInfo();
    return { total: resources.length, byType: countBy(resources, (r) => r) };
  });
  for (const [name, counts] of [
    ['nodejs_active_handles', handleCounts],
    ['nodejs_active_resources', resourceCounts],
  ] as const) {
    const byType = replace(name);
    if (byType) {
      new Gauge({
        ...byType,
        labelNames: ['type'],
        collect() {
          this.reset();
          for (const [type, count] of counts().byType) this.set({ type }, count);
        },
      });
    }
    const total = replace(`${name}_total`);
    if (total) {
      new Gauge({
        ...total,
        collect() {
          this.set(counts().total);
        },
      });
    }
  }
}

/** Open file descriptors of this process, without listing them on the event loop. */
async function openFileDescriptors(): Promise<number | undefined> {
  try {
    // Linux 6.2 and later report the number of open descriptors as the size of /proc/self/fd.
    const { size } = await stat('/proc/self/fd');
    if (size > 0) return size;
    // Older kernels: list it off the event loop (minus the descriptor the listing itself used).
    return (await readdir('/proc/self/fd')).length - 1;
  } catch {
    return undefined;
  }
}

export interface ReadCacheFigures {
  size: number;
  sizeBytes: number;
  hits: number;
  misses: number;
  invalidations: number;
}

export interface MetricsSources {
  /** Open live-update subscriptions on this instance. */
  liveSubscribers(): number;
  /** Live events executed once per group of subscribers, and deliveries that reused one. */
  liveExecutions?: () => { executions: number; reused: number };
  /** The read cache's counters, when it is on. */
  readCache?: () => ReadCacheFigures;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly operations = new BoundedLabel();
  private readonly codes = new BoundedLabel(60);
  private readonly requests: Counter<'operation' | 'type'>;
  private readonly duration: Histogram<'operation' | 'type'>;
  private readonly errors: Counter<'operation' | 'code'>;
  private readonly dbDuration: Histogram;
  private readonly compiledReads: Counter<'outcome' | 'reason'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'hoshin_graphql_requests_total',
      help: 'GraphQL operations answered, by operation name and type (query, mutation, subscription).',
      labelNames: ['operation', 'type'],
      registers,
    });
    this.duration = new Histogram({
      name: 'hoshin_graphql_request_duration_seconds',
      help: 'Time from the request reaching Yoga to its result (for a subscription: until its stream started).',
      labelNames: ['operation', 'type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.errors = new Counter({
      name: 'hoshin_graphql_errors_total',
      help: 'Errors in GraphQL results, by operation name and extensions.code.',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.dbDuration = new Histogram({
      name: 'hoshin_db_query_duration_seconds',
      help: 'Time of each SQL statement: those Prisma sent, as Prisma reports them (query events), and the compiled reads.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
      registers,
    });
    this.compiledReads = new Counter({
      name: 'hoshin_compiled_reads_total',
      help: 'Queries asking for a field a module compiles to one SQL statement: answered that way (outcome="compiled"), or left to the usual execution (outcome="declined", with the reason: unknown_field, static, other_root, arguments, variables, filter, not_found, error).',
      labelNames: ['outcome', 'reason'],
      registers,
    });
    new Gauge({
      name: 'hoshin_live_subscribers',
      help: 'Open live-update subscriptions (SSE and WebSocket) on this instance.',
      registers,
      collect() {
        this.set(sources.liveSubscribers());
      },
    });
    const executions = sources.liveExecutions;
    if (executions) {
      const counter = (name: string, help: string, read: () => number) =>
        new Counter({
          name,
          help,
          registers,
          collect() {
            this.reset();
            this.inc(read());
          },
        });
      counter(
        'hoshin_live_event_executions_total',
        'Live events executed: once per event and group of subscribers (document, variables, visibility class).',
        () => executions().executions,
      );
      counter(
        'hoshin_live_event_reuses_total',
        "Live event deliveries that took their group's execution instead of running their own.",
        () => executions().reused,
      );
    }
    const cache = sources.readCache;
    if (cache) {
      const gauge = (name: string, help: string, read: (c: ReadCacheFigures) => number) =>
        new Gauge({
          name,
          help,
          registers,
          collect() {
            this.set(read(cache()));
          },
        });
      gauge('hoshin_read_cache_entries', 'Answers held by the read cache.', (c) => c.size);
      gauge('hoshin_read_cache_bytes', 'Bytes held by the read cache.', (c) => c.sizeBytes);
      gauge('hoshin_read_cache_hits_total', 'Read cache hits.', (c) => c.hits);
      gauge('hoshin_read_cache_misses_total', 'Read cache misses.', (c) => c.misses);
      gauge(
        'hoshin_read_cache_invalidations_total',
        'Times a committed write cleared the read cache.',
        (c) => c.invalidations,
      );
    }
  }

  /** One GraphQL result: counted, timed, and its errors counted by code. */
  recordOperation(
    name: string | undefined,
    type: string,
    seconds: number,
    errorCodes: readonly string[],
  ): void {
    const operation = this.operations.value(name || 'anonymous');
    this.requests.inc({ operation, type });
    this.duration.observe({ operation, type }, seconds);
    for (const code of errorCodes) this.errors.inc({ operation, code: this.codes.value(code) });
  }

  /** One SQL statement's duration as Prisma reported it (ms). */
  recordQuery(milliseconds: number): void {
    // Called from Prisma's query event: never throw there (prom-client refuses NaN).
    if (!Number.isFinite(milliseconds) || milliseconds < 0) return;
    this.dbDuration.observe(milliseconds / 1000);
  }

  /** A compilable query answered by its compiled read, or declined by it (and why). */
  recordCompiledRead(outcome: CompiledOutcome): void {
    this.compiledReads.inc(
      outcome.outcome === 'declined'
        ? { outcome: 'declined', reason: outcome.reason }
        : { outcome: 'compiled' },
    );
  }

  /** The text Prometheus scrapes: this app's figures and the process's. */
  async text(): Promise<string> {
    const ours = await this.registry.metrics();
    return `${ours}\n${await processMetrics().metrics()}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * Who may read /metrics. With a token (HOSHIN_METRICS_TOKEN): whoever sends it as
 * `Authorization: Bearer <token>`, from anywhere. Without one: only a caller on this machine
 * (loopback address) whose request carries no forwarding header, since a reverse proxy on the
 * same host makes every outside client look local.
 */
export function metricsAccess(
  req: Pick<IncomingMessage, 'headers'> & { socket: { remoteAddress?: string } },
  token: string | undefined,
): 'allowed' | 'unauthenticated' | 'forbidden' {
  if (token) {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) return 'unauthenticated';
    const given = Buffer.from(match[1] ?? '');
    const wanted = Buffer.from(token);
    return given.length === wanted.length && timingSafeEqual(given, wanted)
      ? 'allowed'
      : 'unauthenticated';
  }
  if (FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined)) return 'forbidden';
  return LOOPBACK.test(req.socket.remoteAddress ?? '') ? 'allowed' : 'forbidden';
}
