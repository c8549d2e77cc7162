// The server's configuration, read from the environment once at start-up. A bad value stops
// the process with a message naming the variable, before anything is opened.
import { resolve } from 'node:path';

export interface Config {
  /** HTTP port; 4000 unless PORT says otherwise. */
  port: number;
  host: string;
  /** PostgreSQL connection string; absent means the embedded PGlite database. */
  databaseUrl: string | undefined;
  /** Redis for change notifications between instances; absent means in process only. */
  redisUrl: string | undefined;
  /** How often live updates read new change records without a notification (ms). */
  livePollMs: number;
  /** Folder of the embedded database (ignored with DATABASE_URL). */
  dataDir: string;
  /** Load the Mitaka seed data when the database has no municipality yet. */
  seedOnStart: boolean;
  /** Answer repeated anonymous queries from memory (http/response-cache.ts). */
  readCache: boolean;
  /** Bound of the read cache (MiB). */
  readCacheMegabytes: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  production: boolean;
}

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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!logLevels.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${logLevel}"`);
  }
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL);
  return {
    port: parsePort(env.PORT),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    redisUrl: parseRedisUrl(env.REDIS_URL),
    livePollMs: parseInteger('HOSHIN_LIVE_POLL_MS', env.HOSHIN_LIVE_POLL_MS, 2000, 50, 60_000),
    dataDir: resolve(env.HOSHIN_DATA_DIR || resolve(repoRoot, '.data/pglite')),
    // The embedded database starts with the Mitaka data; a real PostgreSQL only on request.
    seedOnStart: parseBoolean('HOSHIN_SEED', env.HOSHIN_SEED, databaseUrl === undefined),
    readCache: parseBoolean('HOSHIN_READ_CACHE', env.HOSHIN_READ_CACHE, false),
    readCacheMegabytes: parseInteger(
      'HOSHIN_READ_CACHE_MB',
      env.HOSHIN_READ_CACHE_MB,
      64,
      1,
      65_536,
    ),
    logLevel,
    production: env.NODE_ENV === 'production',
  };
}
