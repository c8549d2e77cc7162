// The server's configuration, read from the environment once at start-up. A bad value stops
// the process with a message naming the variable, before anything is opened.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import ipaddr from 'ipaddr.js';

export interface Config {
  /** HTTP port; 4000 unless PORT says otherwise. */
  port: number;
  host: string;
  /** PostgreSQL connection string; absent means the embedded PGlite database. */
  databaseUrl: string | undefined;
  /** Redis for change notifications between instances; absent means in process only. */
  redisUrl: string | undefined;
  /**
   * Prefix of every Redis key and channel of this deployment (HOSHIN_REDIS_PREFIX, `hoshin:`):
   * deployments sharing one Redis never count each other's requests or wake each other's feeds.
   */
  redisPrefix: string;
  /**
   * HOSHIN_CURSOR_SECRET (at least 32 characters): the key that seals connection cursors, the
   * same on every instance. Unset: kept in the data folder (embedded database) or derived
   * from DATABASE_URL (see app.ts cursorKeyOf).
   */
  cursorSecret: string | undefined;
  /** How often live updates read new change records without a notification (ms). */
  livePollMs: number;
  /** Folder of the embedded database (ignored with DATABASE_URL). */
  dataDir: string;
  /** Load the Mitaka seed data when the database has no municipality yet. */
  seedOnStart: boolean;
  /** Answer repeated anonymous queries from memory (http/response-cache.ts). */
  readCache: boolean;
  /** Answer the queries modules compile (the contract query) in one SQL statement. */
  compiledReads: boolean;
  /** JSON POSTs to /graphql reach Yoga without the Fetch adapter (http/direct-requests.ts). */
  directRequests: boolean;
  /** Bound of the read cache (MiB). */
  readCacheMegabytes: number;
  /** How anonymous GET answers may be cached (http/public-cache.ts). */
  publicCache: PublicCacheSettings;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** development (the default), production (NODE_ENV=production) or compliance. */
  profile: Profile;
  /** Limits, rate limits and the production hardening; see README "Running in production". */
  security: SecuritySettings;
  /** Node's own HTTP timeouts (ms): slow clients are cut off instead of holding sockets. */
  http: HttpSettings;
  /** Folder of the built dashboard, served at /app; undefined: not served. */
  appDir: string | undefined;
  /**
   * Bearer token that GET /metrics requires (HOSHIN_METRICS_TOKEN); undefined: /metrics answers
   * only callers on this machine (loopback, no forwarding header).
   */
  metricsToken: string | undefined;
  /** The licence the open-data packages and catalogue state (HOSHIN_OPEN_DATA_LICENSE). */
  openDataLicence: OpenDataLicence;
  /**
   * Public base URL of this server (HOSHIN_PUBLIC_URL, e.g. https://hoshin.example.jp): the
   * absolute URLs of the catalogue, packages and feeds. Unset: the request's own Host.
   */
  publicUrl: string | undefined;
  /** Outbound webhook deliveries (modules/webhook, docs/integrating.md). */
  webhooks: WebhookSettings;
}

export interface WebhookSettings {
  /** Deliver at all from this instance (HOSHIN_WEBHOOKS; off: others deliver). */
  deliver: boolean;
  /**
   * Private, loopback and link-local ranges a receiver may nonetheless resolve to
   * (HOSHIN_WEBHOOK_ALLOW_PRIVATE: `true` for all, or a comma-separated CIDR list). Empty:
   * only public unicast addresses are reached.
   */
  allowPrivate: string[];
  /** One attempt's time limit, connection to the end of the answer (ms). */
  timeoutMs: number;
  /** How often a worker looks for due deliveries without being told of a write (ms). */
  pollMs: number;
  /** The first retry's delay; each next one doubles, with jitter, up to retryMaxMs (ms). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long a delivery is retried before it is given up (ms; 72 h by default). */
  retryForMs: number;
  /** An endpoint failing every attempt this long is disabled, with a notice (ms). */
  disableAfterMs: number;
}

export interface OpenDataLicence {
  /** SPDX identifier, e.g. CC-BY-4.0. */
  id: string;
  title: string;
  url: string;
  /** CKAN's license_id for it. */
  ckanId: string;
}

/**
 * The licences an open-data package may state: CC BY 4.0 (the default, what the national
 * guidelines recommend), its compatible 公共データ利用規約, CC0 and CC BY-SA.
 */
export const OPEN_DATA_LICENCES: readonly OpenDataLicence[] = [
  {
    id: 'CC-BY-4.0',
    title: 'Creative Commons Attribution 4.0 International (CC BY 4.0)',
    url: 'https://creativecommons.org/licenses/by/4.0/',
    ckanId: 'cc-by',
  },
  {
    id: 'PDL-1.0',
    title: '公共データ利用規約 (第1.0版) / Public Data License 1.0',
    url: 'https://www.digital.go.jp/resources/open_data/public_data_license_v1.0',
    ckanId: 'pdl-1.0',
  },
  {
    id: 'CC0-1.0',
    title: 'Creative Commons Zero 1.0 Universal (CC0 1.0)',
    url: 'https://creativecommons.org/publicdomain/zero/1.0/',
    ckanId: 'cc-zero',
  },
  {
    id: 'CC-BY-SA-4.0',
    title: 'Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)',
    url: 'https://creativecommons.org/licenses/by-sa/4.0/',
    ckanId: 'cc-by-sa',
  },
];

export interface HttpSettings {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Open SSE streams plus WebSocket connections allowed per client address. */
  maxConnectionsPerClient: number;
  /** Subscriptions allowed at once on one WebSocket connection. */
  maxSubscriptionsPerConnection: number;
}

export interface SecuritySettings {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCharacters: number;
  /** Objects a query may ask for: page sizes multiplied through nested connections. */
  maxCost: number;
  /** Put the accepted query's cost in `extensions.cost` (benchmarks comparing bytes turn it off). */
  reportCost: boolean;
  maxBodyBytes: number;
  /** Largest import file (POST /import and the GraphQL upload alike). */
  maxImportBytes: number;
  /** Most records in one import file (POST /import and the GraphQL upload alike). */
  maxImportRows: number;
  /** Longest string accepted in any argument or variable (characters). */
  maxStringLength: number;
  /** Longest list accepted in any argument or variable. */
  maxListItems: number;
  executionTimeoutMs: number;
  /** Requests per window for callers without a token, per client address. */
  rateLimitPerAddress: number;
  /** Requests per window for each API token. */
  rateLimitPerToken: number;
  rateLimitWindowSeconds: number;
  introspection: boolean;
  fieldSuggestions: boolean;
  graphiql: boolean;
  /** Refuse requests a browser could send cross-site without a preflight. */
  csrfPrevention: boolean;
  /** Origins allowed by CORS: '*' for any, [] for none. */
  corsOrigins: string[] | '*';
  /** Path of a persisted-documents manifest: only its operations run. */
  trustedDocuments: string | undefined;
  /**
   * Take the SDK's persisted documents by id (`documentId`, also over GET: the cacheable
   * URLs) beside query text. Off answers as servers before 1.1 did (HOSHIN_PERSISTED_DOCUMENTS).
   */
  persistedDocuments: boolean;
}

/** The limits in force when nothing is configured (tests, embedded use). */
export function defaultSecurity(profile: Profile = 'development'): SecuritySettings {
  const hardened = profile !== 'development';
  return {
    maxDepth: 12,
    maxAliases: 15,
    maxDirectives: 20,
    maxTokens: 2000,
    maxCharacters: 15_000,
    maxCost: 10_000,
    reportCost: true,
    maxBodyBytes: 100 * 1024,
    maxImportBytes: 256 * 2 ** 20,
    maxImportRows: 1_000_000,
    maxStringLength: 10_000,
    maxListItems: 100,
    executionTimeoutMs: 10_000,
    rateLimitPerAddress: 300,
    rateLimitPerToken: 1200,
    rateLimitWindowSeconds: 60,
    // The compliance profile is production with introspection on, for schema tooling.
    introspection: profile !== 'production',
    fieldSuggestions: !hardened,
    graphiql: !hardened,
    csrfPrevention: hardened,
    corsOrigins: hardened ? [] : '*',
    trustedDocuments: undefined,
    persistedDocuments: true,
  };
}

export function defaultHttp(): HttpSettings {
  return {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 5_000,
    maxConnectionsPerClient: 20,
    maxSubscriptionsPerConnection: 20,
  };
}

export type Profile = 'development' | 'production' | 'compliance';

export class ConfigError extends Error {}

const repoRoot = resolve(import.meta.dirname, '../../..');
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 4000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got "${value}"`);
  }
  return port;
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false (on or off), got "${value}"`);
}

function parseDatabaseUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Never echo the value: it may hold a password.
    throw new ConfigError('DATABASE_URL is not a valid URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return value;
}

function parseRedisUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^rediss?:\/\//.test(value))
    throw new ConfigError('REDIS_URL must start with redis:// or rediss://');
  return value;
}

function parseRedisPrefix(value: string | undefined): string {
  if (value === undefined || value === '') return 'hoshin:';
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(value))
    throw new ConfigError(
      `HOSHIN_REDIS_PREFIX must be 1 to 64 letters, digits or : _ . -, got "${value}"`,
    );
  return value;
}

function parseCursorSecret(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  // Never echo the value.
  if (value.length < 32)
    throw new ConfigError('HOSHIN_CURSOR_SECRET must be at least 32 characters');
  return value;
}

/** The SDK's manifest, for HOSHIN_TRUSTED_DOCUMENTS=true. */
export const sdkManifest = resolve(
  repoRoot,
  'packages/client/src/generated/persisted-documents.json',
);

function parseTrustedDocuments(value: string | undefined): string | undefined {
  if (value === undefined || value === '' || /^(0|false|no)$/i.test(value)) return undefined;
  const path = /^(1|true|yes)$/i.test(value) ? sdkManifest : resolve(value);
  if (!existsSync(path)) {
    throw new ConfigError(`HOSHIN_TRUSTED_DOCUMENTS: no manifest at ${path}`);
  }
  return path;
}

function parseOrigins(value: string | undefined, fallback: string[] | '*'): string[] | '*' {
  if (value === undefined || value === '') return fallback;
  if (value.trim() === '*') return '*';
  const origins = value.split(',').map((origin) => origin.trim());
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new ConfigError(
        `HOSHIN_CORS_ORIGINS must be * or a comma-separated list of origins like https://example.org, got "${origin}"`,
      );
    }
  }
  return origins;
}

function parseProfile(env: NodeJS.ProcessEnv): Profile {
  const value = env.HOSHIN_PROFILE;
  if (value === undefined || value === '') {
    return env.NODE_ENV === 'production' ? 'production' : 'development';
  }
  if (value === 'development' || value === 'production' || value === 'compliance') return value;
  throw new ConfigError(
    `HOSHIN_PROFILE must be development, production or compliance, got "${value}"`,
  );
}

function parseSecurity(env: NodeJS.ProcessEnv, profile: Profile): SecuritySettings {
  const d = defaultSecurity(profile);
  const int = (name: string, fallback: number, min: number, max: number) =>
    parseInteger(name, env[name], fallback, min, max);
  const bool = (name: string, fallback: boolean) => parseBoolean(name, env[name], fallback);
  return {
    maxDepth: int('HOSHIN_MAX_DEPTH', d.maxDepth, 1, 100),
    maxAliases: int('HOSHIN_MAX_ALIASES', d.maxAliases, 0, 1000),
    maxDirectives: int('HOSHIN_MAX_DIRECTIVES', d.maxDirectives, 0, 1000),
    maxTokens: int('HOSHIN_MAX_TOKENS', d.maxTokens, 10, 1_000_000),
    maxCharacters: int('HOSHIN_MAX_CHARACTERS', d.maxCharacters, 10, 10_000_000),
    maxCost: int('HOSHIN_MAX_COST', d.maxCost, 1, 100_000_000),
    reportCost: bool('HOSHIN_REPORT_COST', d.reportCost),
    maxBodyBytes: int('HOSHIN_MAX_BODY_BYTES', d.maxBodyBytes, 1024, 100_000_000),
    maxImportBytes: int('HOSHIN_MAX_IMPORT_BYTES', d.maxImportBytes, 1024, 2 ** 40),
    maxImportRows: int('HOSHIN_MAX_IMPORT_ROWS', d.maxImportRows, 1, 1_000_000_000),
    maxStringLength: int('HOSHIN_MAX_STRING_LENGTH', d.maxStringLength, 1, 10_000_000),
    maxListItems: int('HOSHIN_MAX_LIST_ITEMS', d.maxListItems, 1, 100_000),
    executionTimeoutMs: int('HOSHIN_EXECUTION_TIMEOUT_MS', d.executionTimeoutMs, 10, 600_000),
    rateLimitPerAddress: int('HOSHIN_RATE_LIMIT_PER_ADDRESS', d.rateLimitPerAddress, 1, 10_000_000),
    rateLimitPerToken: int('HOSHIN_RATE_LIMIT_PER_TOKEN', d.rateLimitPerToken, 1, 10_000_000),
    rateLimitWindowSeconds: int(
      'HOSHIN_RATE_LIMIT_WINDOW_SECONDS',
      d.rateLimitWindowSeconds,
      1,
      86_400,
    ),
    introspection: bool('HOSHIN_INTROSPECTION', d.introspection),
    fieldSuggestions: bool('HOSHIN_FIELD_SUGGESTIONS', d.fieldSuggestions),
    graphiql: bool('HOSHIN_GRAPHIQL', d.graphiql),
    csrfPrevention: bool('HOSHIN_CSRF_PREVENTION', d.csrfPrevention),
    corsOrigins: parseOrigins(env.HOSHIN_CORS_ORIGINS, d.corsOrigins),
    trustedDocuments: parseTrustedDocuments(env.HOSHIN_TRUSTED_DOCUMENTS),
    persistedDocuments: bool('HOSHIN_PERSISTED_DOCUMENTS', d.persistedDocuments),
  };
}

function parseHttp(env: NodeJS.ProcessEnv): HttpSettings {
  const d = defaultHttp();
  const int = (name: string, fallback: number, min: number, max: number) =>
    parseInteger(name, env[name], fallback, min, max);
  return {
    headersTimeoutMs: int('HOSHIN_HEADERS_TIMEOUT_MS', d.headersTimeoutMs, 100, 600_000),
    requestTimeoutMs: int('HOSHIN_REQUEST_TIMEOUT_MS', d.requestTimeoutMs, 100, 3_600_000),
    keepAliveTimeoutMs: int('HOSHIN_KEEP_ALIVE_TIMEOUT_MS', d.keepAliveTimeoutMs, 100, 600_000),
    maxConnectionsPerClient: int(
      'HOSHIN_MAX_CONNECTIONS_PER_CLIENT',
      d.maxConnectionsPerClient,
      1,
      100_000,
    ),
    maxSubscriptionsPerConnection: int(
      'HOSHIN_MAX_SUBSCRIPTIONS_PER_CONNECTION',
      d.maxSubscriptionsPerConnection,
      1,
      10_000,
    ),
  };
}

function parseInteger(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
) {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

/**
 * The built dashboard served at /app: HOSHIN_APP_DIR, by default packages/dashboard/dist when
 * it has been built; `off` serves nothing.
 */
function parseAppDir(value: string | undefined): string | undefined {
  if (value === 'off' || value === 'false') return undefined;
  if (value) {
    const dir = resolve(value);
    if (!existsSync(resolve(dir, 'index.html')))
      throw new ConfigError(`HOSHIN_APP_DIR must be a folder with an index.html, got "${value}"`);
    return dir;
  }
  const built = resolve(repoRoot, 'packages/dashboard/dist');
  return existsSync(resolve(built, 'index.html')) ? built : undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!logLevels.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${logLevel}"`);
  }
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL);
  const profile = parseProfile(env);
  return {
    port: parsePort(env.PORT),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    redisUrl: parseRedisUrl(env.REDIS_URL),
    redisPrefix: parseRedisPrefix(env.HOSHIN_REDIS_PREFIX),
    cursorSecret: parseCursorSecret(env.HOSHIN_CURSOR_SECRET),
    livePollMs: parseInteger('HOSHIN_LIVE_POLL_MS', env.HOSHIN_LIVE_POLL_MS, 2000, 50, 60_000),
    dataDir: resolve(env.HOSHIN_DATA_DIR || resolve(repoRoot, '.data/pglite')),
    // The embedded database starts with the Mitaka data; a real PostgreSQL only on request.
    seedOnStart: parseBoolean('HOSHIN_SEED', env.HOSHIN_SEED, databaseUrl === undefined),
    readCache: parseBoolean('HOSHIN_READ_CACHE', env.HOSHIN_READ_CACHE, false),
    compiledReads: parseBoolean('HOSHIN_COMPILED_READS', env.HOSHIN_COMPILED_READS, true),
    directRequests: parseBoolean('HOSHIN_DIRECT_REQUESTS', env.HOSHIN_DIRECT_REQUESTS, true),
    readCacheMegabytes: parseInteger(
      'HOSHIN_READ_CACHE_MB',
      env.HOSHIN_READ_CACHE_MB,
      64,
      1,
      65_536,
    ),
    publicCache: parsePublicCache(env),
    logLevel,
    profile,
    security: parseSecurity(env, profile),
    http: parseHttp(env),
    appDir: parseAppDir(env.HOSHIN_APP_DIR),
    metricsToken: parseMetricsToken(env.HOSHIN_METRICS_TOKEN),
    openDataLicence: parseLicence(env.HOSHIN_OPEN_DATA_LICENSE),
    publicUrl: parsePublicUrl(env.HOSHIN_PUBLIC_URL),
    webhooks: parseWebhooks(env),
  };
}

const HOUR = 3_600_000;

export function defaultWebhooks(): WebhookSettings {
  return {
    deliver: true,
    allowPrivate: [],
    timeoutMs: 10_000,
    pollMs: 1000,
    retryBaseMs: 10_000,
    retryMaxMs: HOUR,
    retryForMs: 72 * HOUR,
    disableAfterMs: 72 * HOUR,
  };
}

function parseWebhooks(env: NodeJS.ProcessEnv): WebhookSettings {
  const d = defaultWebhooks();
  const int = (name: string, fallback: number, min: number, max: number) =>
    parseInteger(name, env[name], fallback, min, max);
  return {
    deliver: parseBoolean('HOSHIN_WEBHOOKS', env.HOSHIN_WEBHOOKS, d.deliver),
    allowPrivate: parseAllowPrivate(env.HOSHIN_WEBHOOK_ALLOW_PRIVATE),
    timeoutMs: int('HOSHIN_WEBHOOK_TIMEOUT_MS', d.timeoutMs, 100, 120_000),
    pollMs: int('HOSHIN_WEBHOOK_POLL_MS', d.pollMs, 10, 60_000),
    retryBaseMs: int('HOSHIN_WEBHOOK_RETRY_BASE_MS', d.retryBaseMs, 1, 24 * HOUR),
    retryMaxMs: int('HOSHIN_WEBHOOK_RETRY_MAX_MS', d.retryMaxMs, 1, 24 * HOUR),
    retryForMs: int('HOSHIN_WEBHOOK_RETRY_FOR_MS', d.retryForMs, 1, 30 * 24 * HOUR),
    disableAfterMs: int('HOSHIN_WEBHOOK_DISABLE_AFTER_MS', d.disableAfterMs, 1, 30 * 24 * HOUR),
  };
}

function parseAllowPrivate(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return ['0.0.0.0/0', '::/0'];
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return [];
  const ranges = value.split(',').map((range) => range.trim());
  for (const range of ranges) {
    if (!ipaddr.isValidCIDR(range)) {
      throw new ConfigError(
        `HOSHIN_WEBHOOK_ALLOW_PRIVATE must be true, false or a comma-separated list of CIDR ranges like 10.0.0.0/8, got "${range}"`,
      );
    }
  }
  return ranges;
}

function parseLicence(value: string | undefined): OpenDataLicence {
  const id = value || 'CC-BY-4.0';
  const licence = OPEN_DATA_LICENCES.find((l) => l.id.toLowerCase() === id.toLowerCase());
  if (!licence) {
    throw new ConfigError(
      `HOSHIN_OPEN_DATA_LICENSE must be one of ${OPEN_DATA_LICENCES.map((l) => l.id).join(', ')}, got "${id}"`,
    );
  }
  return licence;
}

function parsePublicUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`HOSHIN_PUBLIC_URL must be an http(s) URL, got "${value}"`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw new ConfigError(`HOSHIN_PUBLIC_URL must be an http(s) URL without query, got "${value}"`);
  }
  return url.href.replace(/\/$/, '');
}

/** Host names and addresses that only this machine reaches. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * What start-up must say loudly: the development profile (introspection, GraphiQL, CORS for
 * any origin, no CSRF prevention, suggestions) on an address other machines reach, which is
 * what an unset NODE_ENV/HOSHIN_PROFILE with the default HOST (0.0.0.0) gives. The server
 * still starts (a container needs 0.0.0.0); set HOSHIN_PROFILE=production, or HOST=127.0.0.1.
 */
export function startupWarnings(config: Pick<Config, 'profile' | 'host'>): string[] {
  if (config.profile !== 'development' || isLoopback(config.host)) return [];
  return [
    `WARNING: the development profile (introspection, GraphiQL, CORS for any origin, no CSRF prevention) is listening on ${config.host}, reachable from other machines. For a deployment set NODE_ENV=production (or HOSHIN_PROFILE=production); for development only, HOST=127.0.0.1.`,
  ];
}

function parseMetricsToken(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  // Never echo the value: it is a secret.
  if (value.length < 16 || /\s/.test(value)) {
    throw new ConfigError('HOSHIN_METRICS_TOKEN must be at least 16 characters, without spaces');
  }
  return value;
}

/** Caching of anonymous GET answers by browsers and CDNs (docs/integrating.md). */
export interface PublicCacheSettings {
  /** Seconds a browser may reuse an answer without asking (max-age). */
  maxAgeSeconds: number;
  /** Seconds a shared cache (CDN, Varnish) may keep it: purges end it sooner (s-maxage). */
  sharedMaxAgeSeconds: number;
  /** Seconds a stale answer may be served while a fresh one is fetched. */
  staleWhileRevalidateSeconds: number;
  /** Where every public change's surrogate keys are sent to be purged (HOSHIN_PURGE_URL). */
  purgeUrl: string | undefined;
  /** The purge request's method: BAN (Varnish, the repository's VCL), PURGE or POST. */
  purgeMethod: string;
}

export function defaultPublicCache(): PublicCacheSettings {
  return {
    maxAgeSeconds: 5,
    sharedMaxAgeSeconds: 300,
    staleWhileRevalidateSeconds: 60,
    purgeUrl: undefined,
    purgeMethod: 'BAN',
  };
}

function parsePublicCache(env: Record<string, string | undefined>): PublicCacheSettings {
  const defaults = defaultPublicCache();
  const day = 86_400;
  let purgeUrl: string | undefined;
  if (env.HOSHIN_PURGE_URL) {
    try {
      purgeUrl = new URL(env.HOSHIN_PURGE_URL).toString();
    } catch {
      throw new ConfigError('HOSHIN_PURGE_URL must be a URL, like http://varnish:6081/');
    }
  }
  const method = (env.HOSHIN_PURGE_METHOD || defaults.purgeMethod).toUpperCase();
  if (!/^(BAN|PURGE|POST)$/.test(method)) {
    throw new ConfigError('HOSHIN_PURGE_METHOD must be BAN, PURGE or POST');
  }
  return {
    maxAgeSeconds: parseInteger(
      'HOSHIN_PUBLIC_MAX_AGE',
      env.HOSHIN_PUBLIC_MAX_AGE,
      defaults.maxAgeSeconds,
      0,
      day,
    ),
    sharedMaxAgeSeconds: parseInteger(
      'HOSHIN_PUBLIC_S_MAXAGE',
      env.HOSHIN_PUBLIC_S_MAXAGE,
      defaults.sharedMaxAgeSeconds,
      0,
      day,
    ),
    staleWhileRevalidateSeconds: parseInteger(
      'HOSHIN_PUBLIC_STALE_WHILE_REVALIDATE',
      env.HOSHIN_PUBLIC_STALE_WHILE_REVALIDATE,
      defaults.staleWhileRevalidateSeconds,
      0,
      day,
    ),
    purgeUrl,
    purgeMethod: method,
  };
}
