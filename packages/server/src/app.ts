// The composition root: createApp() builds one hoshin server from its configuration (database,
// live updates, Yoga, read cache, HTTP and WebSocket) and returns it with close(). main.ts, the
// tests and the bench all build the server here, so they run the same thing.
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type AdminChannel, serveAdminChannel } from './admin-channel.ts';
import { TokenWatch } from './auth/token-watch.ts';
import {
  type Config,
  type HttpSettings,
  loadConfig,
  type PublicCacheSettings,
  type SecuritySettings,
  sdkManifest,
  type WebhookSettings,
} from './config.ts';
import { type Database, isDatabaseUnavailable, openDatabase } from './db/client.ts';
import { prepareDatabase } from './db/prepare.ts';
import { copySeededTemplateInto, copyTemplateInto } from './db/template.ts';
import { cursorKeyFromSecret } from './graphql/cursors.ts';
import { createFrontHandler } from './http/front.ts';
import { PublicCache } from './http/public-cache.ts';
import { PublicChanges, type PurgeHook, purgeUrlHook } from './http/purge.ts';
import { attachReadCache, ReadCache } from './http/response-cache.ts';
import { closeGracefully, createHttpServer } from './http/server.ts';
import { chainHandlers, createStaticHandler } from './http/static.ts';
import { attachWebSocket } from './http/websocket.ts';
import { cacheAdmission } from './limits/cache-admission.ts';
import type { RateLimitOptions } from './limits/feedback-limit.ts';
import { createRequestLimiter } from './limits/rate-limits.ts';
import { loadTrustedDocuments } from './limits/trusted-documents.ts';
import { LiveUpdates } from './live/live-updates.ts';
import { createLogger, type Logger } from './logger.ts';
import { Metrics } from './metrics/metrics.ts';
import { createBookletHandler } from './modules/booklet/booklet.http.ts';
import { Reminders } from './modules/calendar/reminders.ts';
import { createOpenDataHandler } from './modules/open-data/open-data.http.ts';
import { createPortalHandler } from './modules/open-data/portal.http.ts';
import { importLimitsOf } from './modules/open-data/upload.ts';
import { WebhookWorker } from './modules/webhook/webhook.worker.ts';
import { schema } from './schema.ts';
import { createHoshinYoga } from './yoga.ts';

/** A configuration, or parts of one over the defaults (an empty environment's). */
export type ConfigInput = Partial<
  Omit<Config, 'security' | 'http' | 'webhooks' | 'publicCache'>
> & {
  security?: Partial<SecuritySettings>;
  http?: Partial<HttpSettings>;
  webhooks?: Partial<WebhookSettings>;
  publicCache?: Partial<PublicCacheSettings>;
};

export interface AppOptions {
  config?: ConfigInput;
  /** An open, migrated database: used as it is and left open by close(). */
  db?: Database;
  log?: Logger;
  rateLimits?: RateLimitOptions;
  /** Changes a live subscriber may fall behind before it is closed. */
  liveMaxBuffer?: number;
  /** How often deadline reminders are swept (default 10 minutes; 0: never, call sweep()). */
  reminderSweepMs?: number;
}

export interface App {
  config: Config;
  db: Database;
  log: Logger;
  live: LiveUpdates;
  yoga: ReturnType<typeof createHoshinYoga>;
  server: ReturnType<typeof createHttpServer>;
  readCache: ReadCache | undefined;
  /** HTTP caching of public reads: ETags, 304s, surrogate keys. */
  publicCache: PublicCache;
  /** The public watermark and the purges it sends to purgeHooks. */
  publicChanges: PublicChanges;
  /** Told the surrogate keys of every public change (push another hook to add a purge kind). */
  purgeHooks: PurgeHook[];
  metrics: Metrics;
  /** Deadline reminder events (modules/calendar/reminders.ts): subscribe() is the seam. */
  reminders: Reminders;
  /** This instance's webhook delivery worker (absent with HOSHIN_WEBHOOKS=false). */
  webhooks: WebhookWorker | undefined;
  /** Starts listening; resolves with the base URL (e.g. http://127.0.0.1:4000). */
  listen(port?: number, host?: string): Promise<string>;
  /** Ends streams and WebSockets, lets requests in flight finish (up to `graceMs`), closes. */
  close(graceMs?: number): Promise<void>;
}

export function resolveConfig(input: ConfigInput = {}): Config {
  const defaults = loadConfig({});
  return {
    ...defaults,
    ...input,
    security: { ...defaults.security, ...input.security },
    http: { ...defaults.http, ...input.http },
    webhooks: { ...defaults.webhooks, ...input.webhooks },
    publicCache: { ...defaults.publicCache, ...input.publicCache },
  };
}

export async function createApp(options: AppOptions = {}): Promise<App> {
  const config = resolveConfig(options.config);
  const log = options.log ?? createLogger(config.logLevel);
  const ownsDatabase = options.db === undefined;
  const db = options.db ?? (await openPreparedDatabase(config, log));

  const live = new LiveUpdates(db.prisma, {
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    pollMs: config.livePollMs,
    maxBuffer: options.liveMaxBuffer,
    log,
  });
  // One request budget for /graphql and the open-data routes (/export, /import).
  const requestLimiter = createRequestLimiter({
    perAddress: config.security.rateLimitPerAddress,
    perToken: config.security.rateLimitPerToken,
    windowSeconds: config.security.rateLimitWindowSeconds,
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    log,
  });
  // The persisted documents this server takes by id (limits/plugins.ts installs the same).
  const documents =
    config.security.trustedDocuments !== undefined
      ? loadTrustedDocuments(config.security.trustedDocuments)
      : config.security.persistedDocuments && existsSync(sdkManifest)
        ? loadTrustedDocuments(sdkManifest)
        : new Map<string, string>();
  // An answer from a cache (ours, or a 304) is counted and CSRF-checked as an uncached one.
  const admit = cacheAdmission({
    csrfPrevention: config.security.csrfPrevention,
    limiter: requestLimiter,
    windowSeconds: config.security.rateLimitWindowSeconds,
  });
  const readCache = config.readCache
    ? new ReadCache({ documents, maxBytes: config.readCacheMegabytes * 2 ** 20, admit })
    : undefined;
  const metrics = new Metrics({
    liveSubscribers: () => live.feed.listenerCount,
    liveExecutions: () => live.sharedExecution,
    readCache: readCache && (() => readCache),
  });
  const stopQueryTiming = db.onQuery((_sql, ms) => metrics.recordQuery(ms));
  // The tokens of open streams and sockets, read again as long as they are open.
  const tokenWatch = new TokenWatch(db.prisma, { recheckMs: config.livePollMs, live, log });
  const yoga = createHoshinYoga({
    db,
    cursorKey: await cursorKeyOf(config, ownsDatabase, log),
    log,
    live,
    security: config.security,
    redisUrl: config.redisUrl,
    rateLimits: options.rateLimits,
    requestLimiter,
    metrics,
    compiledReads: config.compiledReads,
    tokenWatch,
    webhookAllowPrivate: config.webhooks.allowPrivate,
  });
  const openData = createOpenDataHandler({
    db,
    log,
    limiter: requestLimiter,
    importLimits: importLimitsOf(config.security),
  });
  const booklet = createBookletHandler({ prisma: db.prisma, log, limiter: requestLimiter });
  const reminders = new Reminders(db.prisma, log);
  const reminderSweepMs = options.reminderSweepMs ?? 10 * 60_000;
  if (reminderSweepMs > 0) reminders.start(reminderSweepMs);
  // Every instance delivers webhooks from the one queue in the database (webhook.worker.ts).
  const webhooks = config.webhooks.deliver
    ? new WebhookWorker({ prisma: db.prisma, schema, live, settings: config.webhooks, log })
    : undefined;
  webhooks?.start();
  // The public open-data site (/open-data/...): packages, catalogue, landing pages, feeds.
  const portal = createPortalHandler({
    db,
    log,
    limiter: requestLimiter,
    licence: config.openDataLicence,
    publicUrl: config.publicUrl,
  });
  const purgeHooks: PurgeHook[] = config.publicCache.purgeUrl
    ? [purgeUrlHook(config.publicCache.purgeUrl, { method: config.publicCache.purgeMethod })]
    : [];
  const publicChanges = new PublicChanges(db.prisma, purgeHooks, log);
  publicChanges
    .start(live)
    .catch((error) =>
      log.warn({ err: error }, 'public answers stay uncacheable: the change feed did not start'),
    );
  const publicCache = new PublicCache({
    schema,
    settings: config.publicCache,
    documents,
    watermark: () => publicChanges.watermark,
    admit,
  });
  if (readCache) {
    attachReadCache(readCache, live).catch((error) =>
      log.warn({ err: error }, 'read cache stays off: the change feed did not start'),
    );
  }
  const front = config.appDir
    ? chainHandlers(
        createStaticHandler({ dir: config.appDir, prefix: '/app' }),
        createFrontHandler({
          live,
          readCache,
          publicCache,
          metrics,
          metricsToken: config.metricsToken,
          ready: () => db.ping(),
        }),
      )
    : createFrontHandler({
        live,
        readCache,
        publicCache,
        metrics,
        metricsToken: config.metricsToken,
        ready: () => db.ping(),
      });
  const server = createHttpServer(yoga, log, {
    http: config.http,
    direct: config.directRequests ? { maxBodyBytes: config.security.maxBodyBytes } : undefined,
    front: (req, res, next) =>
      openData(req, res, () =>
        booklet(req, res, () => portal(req, res, () => front(req, res, next))),
      ),
  });
  const websocket = attachWebSocket(server, yoga, {
    ...config.http,
    maxMessageBytes: config.security.maxBodyBytes,
  });
  // The embedded database's one process is this one: `hoshin token ...` reaches it through here.
  let admin: AdminChannel | undefined;
  if (ownsDatabase && !config.databaseUrl)
    admin = await serveAdminChannel(config.dataDir, db.prisma, log);

  return {
    config,
    db,
    log,
    live,
    yoga,
    server,
    readCache,
    publicCache,
    publicChanges,
    purgeHooks,
    metrics,
    reminders,
    webhooks,
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
          resolve(`http://${shown.includes(':') ? `[${shown}]` : shown}:${address.port}`);
        });
      });
    },
    async close(graceMs = 10_000) {
      reminders.stop();
      await admin?.close();
      await websocket.close();
      await closeGracefully(server, graceMs);
      tokenWatch.close();
      await webhooks?.close();
      publicChanges.close();
      await publicChanges.settled();
      await live.close();
      await requestLimiter.close();
      stopQueryTiming();
      if (ownsDatabase) await db.close();
    },
  };
}

/** Opens the configured database and applies migrations (and the seed, when configured). */
async function openPreparedDatabase(config: Config, log: Logger): Promise<Database> {
  const target = config.databaseUrl
    ? { url: config.databaseUrl }
    : {
        dataDir: config.dataDir,
        holder: 'server' as const,
        // A new folder starts as a copy of the seeded template when it is to be seeded, or of
        // the migrated one (db/template.ts), when one was made for these migrations (and seed):
        // no initdb, no migrations to apply, no seed to load.
        beforeOpen: async (dataDir: string) => {
          if (config.seedOnStart && (await copySeededTemplateInto(dataDir))) {
            log.info({ dataDir }, 'new data folder: copied the seeded template');
          } else if (await copyTemplateInto(dataDir)) {
            log.info({ dataDir }, 'new data folder: copied the migrated template');
          }
        },
      };
  log.info(
    { database: config.databaseUrl ? 'postgres' : `pglite:${config.dataDir}` },
    'opening database',
  );
  // A DataDirLockedError (another process holds the folder) passes through as it is.
  const db = await openDatabase(target);
  // A PostgreSQL that is down or hung would otherwise surface as the schema engine's opaque
  // "External error id#0": say which server did not answer (never the password).
  if (config.databaseUrl) {
    const problem = await firstAnswer(db);
    if (problem) {
      await db.close().catch(() => {});
      throw new DatabasePreparationError(
        problem.cause,
        `could not connect to the database at ${describeDatabase(config.databaseUrl)}: ${problem.reason} (is it running and reachable? check DATABASE_URL)`,
      );
    }
  }
  try {
    await prepareDatabase(db, { seed: config.seedOnStart, log });
  } catch (error) {
    await db.close();
    throw new DatabasePreparationError(error);
  }
  return db;
}

/** Waits for the database's first answer (Prisma's first query also loads its compiler). */
async function firstAnswer(db: Database): Promise<{ reason: string; cause: unknown } | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<{ reason: string; cause: unknown }>((resolve) => {
    timer = setTimeout(
      () => resolve({ reason: 'it did not answer within 15 s', cause: undefined }),
      15_000,
    );
  });
  const query = db.prisma.$queryRaw`SELECT 1`.then(
    () => null,
    (error: unknown) => ({
      reason: isDatabaseUnavailable(error)
        ? 'it did not answer (refused, reset or timed out)'
        : 'it refused the connection',
      cause: error,
    }),
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** host:port/database of a connection string, without user or password. */
function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

/** Migrations or the seed failed: the process should stop with this message. */
export class DatabasePreparationError extends Error {
  constructor(cause: unknown, message = 'could not prepare the database') {
    super(message, { cause });
  }
}

/**
 * The key that seals connection cursors (graphql/cursors.ts), the same for every instance of a
 * deployment so a cursor from one instance pages on another:
 * - HOSHIN_CURSOR_SECRET when set;
 * - the embedded database: 32 random bytes kept in the data folder (`cursor-secret`, mode 0600),
 *   made on first start;
 * - PostgreSQL without it: derived from DATABASE_URL (an HMAC of it), as secret as the
 *   database password in it; the production profile warns when the URL has no password;
 * - a database handed in (tests): a random key of this process.
 */
async function cursorKeyOf(config: Config, ownsDatabase: boolean, log: Logger): Promise<Buffer> {
  if (config.cursorSecret) return cursorKeyFromSecret(config.cursorSecret);
  if (!ownsDatabase) return randomBytes(32);
  if (config.databaseUrl) {
    let password = '';
    try {
      password = decodeURIComponent(new URL(config.databaseUrl).password);
    } catch {}
    if (!password && config.profile !== 'development') {
      log.warn(
        'HOSHIN_CURSOR_SECRET is not set and DATABASE_URL has no password: cursors are sealed with a key derived from a URL others may know; set HOSHIN_CURSOR_SECRET',
      );
    }
    return createHmac('sha256', 'hoshin-cursor-key').update(config.databaseUrl).digest();
  }
  const path = join(config.dataDir, 'cursor-secret');
  try {
    const kept = Buffer.from((await readFile(path, 'utf8')).trim(), 'hex');
    if (kept.length >= 32) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const made = randomBytes(32);
  await mkdir(config.dataDir, { recursive: true });
  await writeFile(path, `${made.toString('hex')}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return made;
}
